"""Where a map's triples come from: pathokg's query engine (:mod:`pathokg.querying.engine`).

The store holds the asserted triples as its default graph and, for a release, the entailments the
build wrote as the inferred graph. Every query is checked for safety (no SERVICE, LOAD or outside
graphs), so a map never reaches outside the graph it draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import PathoKGError, QueryError, ReleaseError
from ..paths import MAP_QUERIES
from ..querying.engine import Engine
from ..querying.files import QueryFile, get_query, read_query_file
from ..querying.params import BoundQuery, bind_params
from ..querying.release import release_store
from ..querying.values import StoreNames, resolve_values
from ..rdf.store import has_inferred, inferred_graph
from .model import MapModel, Triple, model_from_graph


@dataclass
class Drawn:
    """What a query gives a map: triples (CONSTRUCT, DESCRIBE) or the IRIs its rows hold (SELECT)."""

    triples: set[Triple] = field(default_factory=set)
    iris: set[str] = field(default_factory=set)
    #: the plain texts a SELECT's rows hold (a query may give concepts by their labels)
    texts: set[str] = field(default_factory=set)
    graph: bool = True


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


def run_for_map(engine: Engine, text: str | BoundQuery, *, inferred: bool = False) -> Drawn:
    """Run a query for a map: a CONSTRUCT or DESCRIBE gives its triples between IRIs, a SELECT
    the IRIs its rows hold (the map draws the concepts among them and the relations between them).

    :raises QueryError: the query is refused or does not parse, or is an ASK (nothing to draw).
    """
    result = engine.execute(text, inferred=inferred)  # pk:, pko:, ... are predeclared
    if result.is_graph:
        return Drawn({(t.subject.value, t.predicate.value, t.object.value) for t in result.triples
                      if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)})
    if result.boolean is not None:
        raise QueryError("an ASK query answers yes or no: a map needs a CONSTRUCT, DESCRIBE or "
                         "SELECT query whose rows hold concepts")
    cells = [cell for b in result.bindings for cell in b.values()]
    return Drawn(iris={c["value"] for c in cells if c.get("type") == "uri"},
                 texts={c["value"] for c in cells if c.get("type") == "literal"}, graph=False)


def construct(engine: Engine, text: str, *, inferred: bool = False) -> set[Triple]:
    """Run a CONSTRUCT or DESCRIBE query and return its triples between IRIs.

    :raises QueryError: the query is refused, does not parse or is not CONSTRUCT/DESCRIBE.
    """
    drawn = run_for_map(engine, text, inferred=inferred)
    if not drawn.graph:
        raise QueryError("a view needs a CONSTRUCT or DESCRIBE query (it returns triples), not SELECT")
    return drawn.triples


def run_named(engine: Engine, query: QueryFile, params: dict[str, str] | None = None,
              *, inferred: bool = False) -> Drawn:
    """A named query's result for a map, with its parameters checked and bound.

    :raises QueryError: a value that names nothing of its kind (with close matches).
    """
    values = resolve_values(query, dict(params or {}), StoreNames(engine.store))
    return run_for_map(engine, bind_params(query, values), inferred=inferred)


def draws(query: QueryFile, store: ox.Store | None = None) -> bool:
    """Whether a named query can be drawn as a map: a CONSTRUCT or DESCRIBE, or a SELECT whose
    rows (with the parameters' defaults, on the release) hold concepts; without a release to try
    it on, every SELECT counts. For ``pathokg queries``.

    >>> from pathokg.querying.files import get_query
    >>> draws(get_query("treatments")), draws(get_query("summary-statistics"))
    (True, False)
    """
    try:
        text = bind_params(query, {})
        form = text.prepared.form
    except PathoKGError:
        return False
    if form in ("CONSTRUCT", "DESCRIBE"):
        return True
    if form != "SELECT":
        return False
    try:
        target = store if store is not None else release_store()
    except ReleaseError:
        return True
    try:
        drawn = run_for_map(Engine(target), text)
    except PathoKGError:
        return False
    return bool(concepts_named(model_from_graph(target), drawn))


def concepts_named(model: MapModel, drawn: Drawn) -> set[str]:
    """The concepts a SELECT's rows name: by IRI, or by their exact preferred label."""
    labels = {c.label.casefold(): c.iri for c in model.concepts.values()}
    return {i for i in drawn.iris if i in model.concepts} | \
        {labels[t.casefold()] for t in drawn.texts if t.casefold() in labels}
