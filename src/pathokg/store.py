"""Move graphs between rdflib (the library users get graphs from) and pyoxigraph (the query engine)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph


def as_store(source: Graph | ox.Store) -> ox.Store:
    """A pyoxigraph store over ``source``: a store as it is, an rdflib graph copied into memory."""
    return source if isinstance(source, ox.Store) else to_oxigraph(source)


def to_oxigraph(graph: Graph, store: ox.Store | None = None, *, named_graph: str | None = None) -> ox.Store:
    """Load an rdflib graph into a (new, in-memory) pyoxigraph store, optionally into a named graph."""
    store = store if store is not None else ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    to_graph = ox.NamedNode(named_graph) if named_graph else ox.DefaultGraph()
    store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=to_graph)
    return store
