"""Where a map's triples come from: pathokg's query engine (:mod:`pathokg.engine`).

The engine holds the asserted triples as its default graph and the entailments of
:mod:`pathokg.inference` as a named graph, and checks every query for safety (no SERVICE, LOAD
or outside graphs), so a map never reaches outside the graph it draws.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from ..engine import Engine, dataset_store, get_query
from ..errors import QueryError
from ..queryfiles import QueryFile, bind_params, read_query_file
from ..vocab import INFERRED_GRAPH
from .model import MAP_QUERIES, Triple


def engine_for(graph: Graph | ox.Store, *, inferred: bool) -> Engine:
    """An engine over the graph; with ``inferred``, its entailments go in the inferred graph."""
    if isinstance(graph, ox.Store):
        if inferred:
            raise QueryError("inferred edges need the graph as an rdflib Graph")
        return Engine(graph)
    return Engine(dataset_store(graph, inference=inferred))


def inferred_triples(engine: Engine) -> set[Triple]:
    """The entailed triples of the engine's inferred graph, as IRI strings."""
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in engine.store.quads_for_pattern(None, None, None, graph)
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)}


def find_query(name: str) -> QueryFile:
    """A named query (``queries/*.rq``) or a map view query (``queries/map/<name>.rq``).

    :raises QueryError: naming the queries that exist.
    """
    mapped = MAP_QUERIES / f"{name}.rq"
    if mapped.is_file():
        return read_query_file(mapped)
    return get_query(name)


def construct(engine: Engine, text: str, *, inferred: bool = False) -> set[Triple]:
    """Run a CONSTRUCT or DESCRIBE query and return its triples between IRIs.

    :raises QueryError: the query is refused, does not parse or is not CONSTRUCT/DESCRIBE.
    """
    result = engine.execute(text, inferred=inferred)
    if not result.is_graph:
        raise QueryError(f"a map needs a CONSTRUCT or DESCRIBE query (it returns triples), "
                         f"not {result.form}")
    return {(t.subject.value, t.predicate.value, t.object.value) for t in result.triples
            if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)}


def named_construct(engine: Engine, query: QueryFile, params: dict[str, str] | None = None,
                    *, inferred: bool = False) -> set[Triple]:
    """The triples of a named CONSTRUCT query, with its parameters bound."""
    return construct(engine, bind_params(query, dict(params or {})), inferred=inferred)
