"""The concept map's model: concepts, categories and relations with their evidence, read from RDF.

Everything comes from the graph through the query files in ``queries/map/`` (run with pyoxigraph),
so the map shows what the graph says and nothing else.

>>> from pathokg.querying.release import release_store
>>> from pathokg.conceptmap.model import model_from_graph
>>> m = model_from_graph(release_store())
>>> m.find("CKD").label
'chronic kidney disease'
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph

from ..paths import MAP_QUERIES
from ..querying.concepts import ConceptIndex, ConceptName
from ..querying.files import read_query_file
from ..querying.rows import Row, iri_rows, select
from ..rdf.store import as_store
from ..vocab import EVIDENCE, shorten

#: A relation triple as three IRI strings.
Triple = tuple[str, str, str]


@dataclass(frozen=True)
class Category:
    """A kind of concept (a class below ``pko:Concept``)."""

    iri: str
    key: str
    label: str
    definition: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class RelationType:
    """A relation (object property): its label reads as the middle of a sentence."""

    iri: str
    label: str
    definition: str = ""
    inverse: str | None = None
    symmetric: bool = False
    ancestors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Certainty:
    """How sure a passage is of what it states (a qualifier such as *possible* or *typical*).

    ``key`` is the local name of the qualifier's IRI (``Stated``, ``Possible``...), ``label`` its
    preferred label, as the graph gives them.
    """

    key: str
    label: str

    @property
    def plain(self) -> bool:
        """True if the passage states it without a qualifier."""
        return self.key == STATED


#: The qualifier of a plain statement; every other qualifier is a hedge or a condition.
STATED = "Stated"
#: How each qualifier is drawn and named in a legend: its style class. Unknown qualifiers are
#: drawn as hedged, never as plain facts.
CERTAINTY_STYLES = {"Stated": "stated", "Typical": "hedged", "Possible": "hedged",
                    "Promising": "hedged", "Conditional": "conditional",
                    "Investigational": "investigational"}
#: From the strongest statement to the weakest (the ontology's pko:certaintyRank): an edge is
#: drawn as its strongest passage says it.
CERTAINTY_ORDER = ("Stated", "Typical", "Possible", "Conditional", "Promising", "Investigational")


@dataclass(frozen=True)
class Evidence:
    """A passage of a source article that states a relation, with the qualifier and conditions it
    states it with (when the graph records them)."""

    iri: str
    quote: str
    section: str = ""
    section_path: str = ""
    source: str = ""
    source_title: str = ""
    start: int | None = None
    end: int | None = None
    certainty: Certainty | None = None
    conditions: tuple[str, ...] = ()

    @property
    def style(self) -> str:
        """``stated``, ``hedged``, ``conditional`` or ``investigational``: how a face shows it."""
        if self.certainty is None or self.certainty.plain:
            return "conditional" if self.conditions else "stated"
        return CERTAINTY_STYLES.get(self.certainty.key, "hedged")


@dataclass(frozen=True)
class Identifier:
    """An external identifier of a concept: the IRI (which is also its public page) and a CURIE."""

    match: str
    iri: str
    curie: str


@dataclass(frozen=True)
class Concept:
    """A concept as the map draws it."""

    iri: str
    label: str
    category: str
    definition: str = ""
    synonyms: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    #: where the node comes from when it is not pathokg's own (e.g. ``HPO 2025-01-16``)
    source: str = ""


@dataclass(frozen=True)
class Annotation:
    """One of HPO's disease-phenotype annotations (a row of phenotype.hpoa): HPO's evidence, not
    a passage of the article."""

    phenotype_id: str
    phenotype_label: str
    evidence_code: str = ""
    references: tuple[str, ...] = ()
    frequency: str = ""
    onset: str = ""


#: Edge kinds that are not the article's statements: HPO's own axioms and annotations, and
#: pathokg's curated mappings to HPO. Each is drawn in its own style, never with a certainty.
HPO_EDGE = "hpo"
MAPPING_EDGE = "mapping"


@dataclass(frozen=True)
class Edge:
    """A relation between two concepts, asserted (with evidence) or inferred."""

    subject: str
    predicate: str
    object: str
    inferred: bool = False
    evidence: tuple[Evidence, ...] = ()
    #: ``""`` (the article's or inferred), :data:`HPO_EDGE` or :data:`MAPPING_EDGE`
    kind: str = ""
    annotations: tuple[Annotation, ...] = ()

    @property
    def triple(self) -> Triple:
        """The edge as a triple of IRIs."""
        return (self.subject, self.predicate, self.object)

    @property
    def strongest(self) -> Evidence | None:
        """The passage that states the edge most firmly (a plain statement beats any hedge)."""
        def rank(ev: Evidence) -> tuple[int, int]:
            key = ev.certainty.key if ev.certainty else STATED
            order = CERTAINTY_ORDER.index(key) if key in CERTAINTY_ORDER else len(CERTAINTY_ORDER)
            return (order, len(ev.conditions))
        return min(self.evidence, key=rank, default=None)

    @property
    def style(self) -> str:
        """How the edge is drawn: ``inferred``, or the style of its strongest passage."""
        if self.kind:
            return self.kind
        if self.inferred:
            return "inferred"
        best = self.strongest
        return best.style if best is not None else "stated"


@dataclass
class MapModel:
    """Concepts, categories, relation types and edges: everything a concept map draws."""

    concepts: dict[str, Concept]
    categories: dict[str, Category]
    relation_types: dict[str, RelationType]
    edges: list[Edge] = field(default_factory=list)
    #: what the map must show with content it draws from elsewhere (HPO's licence acknowledgement)
    acknowledgements: tuple[str, ...] = ()

    @cached_property
    def index(self) -> ConceptIndex:
        """The names of the model's concepts (see :class:`~pathokg.querying.concepts.ConceptIndex`)."""
        return ConceptIndex(ConceptName(c.iri, c.label, c.synonyms) for c in self.concepts.values())

    def find(self, name: str) -> Concept:
        """Find a concept by IRI, CURIE (``pk:...``), id, label or synonym, ignoring case.

        :raises ConceptNotFound: naming the concept and the closest matches.
        """
        return self.concepts[self.index.resolve(name)]

    def restrict(self, concepts: Iterable[str], edges: Iterable[Edge] | None = None) -> MapModel:
        """A model with only these concepts and the edges between them (or the edges given)."""
        keep = {iri for iri in concepts if iri in self.concepts}
        chosen = self.edges if edges is None else list(edges)
        kept_edges = [e for e in chosen if e.subject in keep and e.object in keep]
        return MapModel({k: self.concepts[k] for k in sorted(keep)}, self.categories,
                        self.relation_types, kept_edges, self.acknowledgements)

    def neighbourhood(self, centre: str, depth: int) -> MapModel:
        """The concepts within ``depth`` relations of ``centre`` (in either direction)."""
        adjacent: dict[str, set[str]] = {}
        for e in self.edges:
            adjacent.setdefault(e.subject, set()).add(e.object)
            adjacent.setdefault(e.object, set()).add(e.subject)
        seen = {centre}
        frontier = {centre}
        for _ in range(max(depth, 0)):
            frontier = {n for f in frontier for n in adjacent.get(f, ())} - seen
            seen |= frontier
        return self.restrict(seen)

    def from_triples(self, triples: Iterable[Triple]) -> MapModel:
        """The part of the model that a set of triples (e.g. a CONSTRUCT result) describes.

        Nodes are the concepts that any triple mentions; edges are the triples whose predicate is
        a relation between two of those concepts (with the evidence the model has for them).
        """
        triples = set(triples)
        by_triple = {e.triple: e for e in self.edges}
        mentioned = {t[i] for t in triples for i in (0, 2) if t[i] in self.concepts}
        edges = [by_triple.get(t) or Edge(*t, inferred=True)
                 for t in sorted(triples)
                 if t[1] in self.relation_types and t[0] in mentioned and t[2] in mentioned]
        return self.restrict(mentioned, edges)


def _select(store: ox.Store, name: str) -> list[Row]:
    """The rows of ``queries/map/<name>.rq``."""
    return select(store, read_query_file(MAP_QUERIES / f"{name}.rq"))


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large tables of small objects.

    Reading a 56k-edge map creates hundreds of thousands of tuples and strings and no cycles; the
    collector would otherwise scan them again and again (about a fifth of the time). It is switched
    back on (if it was on) however the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def evidence_anchor(iri: str) -> str:
    """The fragment that names a passage in the article page (and in a map's URL).

    >>> evidence_anchor("https://w3id.org/pathokg/evidence/dc/ckd--isRiskFactorFor--dc")
    'ev-dc/ckd--isRiskFactorFor--dc'
    """
    base = str(EVIDENCE)
    return "ev-" + (iri[len(base):] if iri.startswith(base) else _local(iri))


def sentence(model: MapModel, edge: Edge) -> str:
    """An edge as the sentence the map reads: *subject — relation → object*."""
    rel = model.relation_types.get(edge.predicate)
    return (f"{model.concepts[edge.subject].label} \u2014 {rel.label if rel else _local(edge.predicate)}"
            f" \u2192 {model.concepts[edge.object].label}")


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def model_from_graph(graph: Graph | ox.Store, *,
                     inferred: Iterable[Triple] | None = None) -> MapModel:
    """Read the concept map's model from a pathokg graph (the release, with its ontology).

    :param graph: an rdflib Graph or a pyoxigraph Store (its default graph is read) with the
        concepts, the ontology and the evidence.
    :param inferred: entailed triples (IRI strings); relations among them that the graph does not assert, and
        that are not merely the inverse reading of an edge already drawn, become inferred edges.
    """
    with paused_gc():
        return _read_model(as_store(graph), inferred)


def _read_model(store: ox.Store, inferred: Iterable[Triple] | None) -> MapModel:
    """The body of :func:`model_from_graph`."""
    concepts = _concepts(store)
    evidence = _evidence(store)
    asserted = sorted({r for r in iri_rows(store, read_query_file(MAP_QUERIES / "relations.rq"))
                       if r[0] in concepts and r[2] in concepts})
    none: tuple[Evidence, ...] = ()
    edges = [Edge(s, p, o, False, evidence.get((s, p, o), none)) for s, p, o in asserted]
    model = MapModel(dict(sorted(concepts.items())), _categories(store), _relation_types(store), edges)
    if inferred is not None:
        model.edges += _inferred_edges(model, inferred)
    return model


def _categories(store: ox.Store) -> dict[str, Category]:
    """Every category; a class with two parents keeps the first by IRI."""
    categories: dict[str, Category] = {}
    for row in _select(store, "categories"):
        iri = row["category"]
        old = categories.get(iri)
        parent = row.get("parent")
        if old is not None and (old.parent or "") <= (parent or ""):
            continue
        categories[iri] = Category(iri, _local(iri), row.get("label", _local(iri)),
                                   row.get("definition", ""), parent)
    return categories


def _relation_types(store: ox.Store) -> dict[str, RelationType]:
    """Every relation with its label, inverse and ancestors (itself included)."""
    ancestors: dict[str, set[str]] = {}
    for row in _select(store, "relation-ancestors"):
        ancestors.setdefault(row["property"], set()).add(row["ancestor"])
    relation_types: dict[str, RelationType] = {}
    for row in sorted(_select(store, "relation-types"), key=lambda r: sorted(r.items())):
        iri = row["property"]
        if iri in relation_types and relation_types[iri].inverse:
            continue
        relation_types[iri] = RelationType(
            iri, row.get("label", _local(iri)), row.get("definition", ""), row.get("inverse"),
            row.get("symmetric") == "true", frozenset(ancestors.get(iri, {iri})))
    return relation_types


def _concepts(store: ox.Store) -> dict[str, Concept]:
    """Every concept with its most specific category, synonyms and external identifiers."""
    synonyms: dict[str, set[str]] = {}
    for row in _select(store, "synonyms"):
        synonyms.setdefault(row["concept"], set()).add(row["synonym"])
    identifiers: dict[str, set[Identifier]] = {}
    for row in _select(store, "identifiers"):
        target = row["target"]
        if target.startswith(("https://", "http://")):
            identifiers.setdefault(row["concept"], set()).add(
                Identifier(_local(row["match"]), target, shorten(target)))
    concepts: dict[str, Concept] = {}
    for row in _select(store, "concepts"):
        iri = row["concept"]
        if iri in concepts and concepts[iri].category <= row["category"]:
            continue  # two equally specific categories: keep the first by IRI
        label = row.get("label", _local(iri))
        concepts[iri] = Concept(
            iri, label, row["category"], row.get("definition", ""),
            tuple(sorted(synonyms.get(iri, set()) - {label}, key=str.casefold)),
            tuple(sorted(identifiers.get(iri, set()), key=lambda i: (i.curie, i.match))))
    return concepts


def _evidence(store: ox.Store) -> dict[Triple, tuple[Evidence, ...]]:
    """The evidence of every asserted relation, in text order."""
    rows = _select(store, "evidence")
    # optional columns (certainty, certaintyLabel, condition): a passage with several conditions
    # comes as several rows
    conditions: dict[str, set[str]] = {}
    for row in rows:
        if "condition" in row:
            conditions.setdefault(row["evidence"], set()).add(row["condition"])
    evidence: dict[Triple, list[Evidence]] = {}
    for row in rows:
        key = (row["subject"], row["property"], row["object"])
        certainty = None
        if "certainty" in row:
            local = _local(row["certainty"])
            certainty = Certainty(local, row.get("certaintyLabel", local))
        ev = Evidence(row["evidence"], row["quote"], row.get("section", ""),
                      row.get("sectionPath", ""), row.get("source", ""), row.get("sourceTitle", ""),
                      int(row["start"]) if "start" in row else None,
                      int(row["end"]) if "end" in row else None,
                      certainty, tuple(sorted(conditions.get(row["evidence"], ()))))
        if ev not in evidence.setdefault(key, []):
            evidence[key].append(ev)
    return {k: tuple(sorted(v, key=lambda e: (e.start or 0, e.iri))) for k, v in evidence.items()}


def _inferred_edges(model: MapModel, triples: Iterable[Triple]) -> list[Edge]:
    """Entailed relations between concepts that add something to the drawn edges.

    Left out: triples already asserted, and the inverse (or symmetric) reading of a drawn edge,
    which says the same thing backwards.
    """
    drawn = {e.triple for e in model.edges}
    out: list[Edge] = []
    for s, p, o in sorted(set(triples)):
        if s not in model.concepts or o not in model.concepts or (s, p, o) in drawn:
            continue
        rel = model.relation_types.get(p)
        if rel is None:
            continue
        backwards = {q for q, r in model.relation_types.items() if r.inverse == p}
        if rel.inverse:
            backwards.add(rel.inverse)
        if rel.symmetric:
            backwards.add(p)
        if any((o, q, s) in drawn for q in backwards):
            continue
        drawn.add((s, p, o))
        out.append(Edge(s, p, o, inferred=True))
    return out
