"""Where a map's triples come from: pathokg's query engine (:mod:`pathokg.querying.engine`).

The store holds the asserted triples as its default graph and, for a release, the entailments the
build wrote as the inferred graph. Every query is checked for safety (no SERVICE, LOAD or outside
graphs), so a map never reaches outside the graph it draws.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import QueryError
from ..paths import MAP_QUERIES
from ..querying.engine import Engine
from ..querying.files import QueryFile, get_query, read_query_file
from ..querying.params import bind_params
from ..querying.values import StoreNames, resolve_values
from ..rdf.store import has_inferred, inferred_graph
from .model import Triple


def inferred_triples(store: ox.Store) -> set[Triple]:
    """The entailed triples between IRIs of the store's inferred graph, as IRI strings.

    :raises QueryError: the store has no inferred graph (an rdflib graph copied in has none).
    """
    if not has_inferred(store):
        raise QueryError("inferred edges need a release (its inferred graph): draw the release, "
                         "not a bare graph")
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in store.quads_for_pattern(None, None, None, inferred_graph())
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)}


def find_query(name: str) -> QueryFile:
    """A named query (``queries/*.rq``) or a map view query (``queries/map/<name>.rq``).

    :raises QueryNotFound: naming the queries that exist.
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
    """The triples of a named CONSTRUCT query, with its parameters checked and bound.

    :raises QueryError: a value that names nothing of its kind (with close matches).
    """
    values = resolve_values(query, dict(params or {}), StoreNames(engine.store))
    return construct(engine, bind_params(query, values), inferred=inferred)
