"""Move graphs between rdflib (the library users get graphs from) and pyoxigraph (the query engine),
and make the one store shape every stage shares: asserted triples in the default graph, entailed
triples in the named graph :data:`~pathokg.vocab.INFERRED_GRAPH`."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import SourceError, SourceProblem
from ..vocab import BASE, INFERRED_GRAPH, PREFIXES


def new_graph() -> Graph:
    """An empty rdflib graph with pathokg's prefixes bound."""
    g = Graph(bind_namespaces="core")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def read_project_turtle(path: Path, item: str) -> Graph:
    """Parse one of the project's own Turtle files (the ontology, the shapes), its relative IRIs
    resolved against :data:`~pathokg.vocab.BASE`.

    :raises SourceError: naming the file and what it is (``item``) when it does not parse.
    """
    g = new_graph()
    try:
        g.parse(path, format="turtle", publicID=BASE)
    except Exception as exc:  # rdflib raises several parser exception types
        raise SourceError([SourceProblem(str(path), None, item, f"cannot be parsed: {exc}")]) from None
    return g


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


def dataset_store(asserted: Graph, inferred: Graph | None = None) -> ox.Store:
    """An in-memory store with ``asserted`` as default graph and ``inferred`` in the inferred graph."""
    store = to_oxigraph(asserted)
    if inferred is not None:
        to_oxigraph(inferred, store, named_graph=str(INFERRED_GRAPH))
    return store


def inferred_graph() -> ox.NamedNode:
    """The named graph that holds the entailed triples."""
    return ox.NamedNode(str(INFERRED_GRAPH))


def has_inferred(store: ox.Store) -> bool:
    """True when the store holds an inferred graph (a release store does; a bare graph does not)."""
    return any(g == inferred_graph() for g in store.named_graphs())
