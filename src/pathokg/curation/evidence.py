"""The RDF of statements: each relation, its annotated axiom and the evidence passages that state it.

The evidence model (documented in the README and graph/README.md):

* an asserted relation is a plain triple, ``pk:chronic-kidney-disease pko:isRiskFactorFor
  pk:dystrophic-calcification``, so queries and reasoners see it directly;
* the triple has one OWL axiom annotation (``owl:Axiom`` with ``owl:annotatedSource/Property/
  Target``) that carries ``pko:hasEvidence`` for every passage that states it, and
  ``pko:certainty``: the firmest certainty among those passages;
* each passage is a W3C Web Annotation ``oa:SpecificResource`` (and ``pko:Evidence``) with
  ``oa:hasSource`` (the article), ``pko:section``/``pko:sectionPath``, an ``oa:TextQuoteSelector``
  (``oa:exact``) and an ``oa:TextPositionSelector`` (``oa:start``, ``oa:end``: Unicode characters
  of the vendored text, end exclusive), and its qualifiers: ``pko:certainty`` (one value of the
  certainty scheme), ``pko:hasCondition`` (condition resources with the verbatim
  ``pko:conditionText``, a ``pko:conditionKind`` and the ``pko:conditionConcept`` they name),
  ``pko:context`` (the process the statement holds within), and notes;
* a caveat (``pko:Caveat``, also a ``pko:Evidence``) is a passage that qualifies a group of
  statements; it is evidence for every statement it governs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

from ..vocab import EVIDENCE, OA, PKO, concept
from .model import CERTAINTIES, Caveat, Relation

#: certainty name -> its value in the ontology (pko:Stated, ...)
CERTAINTY_IRIS = {name: PKO[name.capitalize()] for name in CERTAINTIES}
#: condition kind -> its value in the ontology (pko:SiteCondition, ...)
CONDITION_KIND_IRIS = {
    "site": PKO.SiteCondition, "severity": PKO.SeverityCondition,
    "population": PKO.PopulationCondition, "prerequisite": PKO.PrerequisiteCondition,
    "circumstance": PKO.CircumstanceCondition,
}

Triple = tuple[URIRef, URIRef, URIRef]


def axiom_node(*parts: str) -> BNode:
    """A blank node labelled by a hash of what it annotates (stable across builds)."""
    return BNode("ax" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16])


def annotated(g: Graph, s: URIRef, p: URIRef, o: URIRef | Literal) -> BNode:
    """Assert ``s p o`` and return its OWL axiom annotation (``owl:Axiom`` with
    ``owl:annotatedSource/Property/Target``), to which the caller adds what it knows."""
    g.add((s, p, o))
    axiom = axiom_node(str(s), str(p), str(o))
    g.add((axiom, RDF.type, OWL.Axiom))
    g.add((axiom, OWL.annotatedSource, s))
    g.add((axiom, OWL.annotatedProperty, p))
    g.add((axiom, OWL.annotatedTarget, o))
    return axiom


def evidence_ids(relations: list[Relation]) -> dict[int, str]:
    """Readable, stable evidence ids: subject--predicate--object, numbered by offset if repeated."""
    by_key: dict[tuple[str, str, str, str], list[Relation]] = {}
    for r in relations:
        by_key.setdefault((r.article, r.subject, r.predicate, r.object), []).append(r)
    ids: dict[int, str] = {}
    for (article, s, p, o), group in by_key.items():
        group.sort(key=lambda r: r.start)
        for n, r in enumerate(group, start=1):
            suffix = "" if n == 1 else f"-{n}"
            ids[id(r)] = f"{article}/{s}--{p}--{o}{suffix}"
    return ids


def _text(value: object) -> Literal:
    return Literal(" ".join(str(value).split()), lang="en")


def _passage(g: Graph, ev: URIRef, src: URIRef, section_title: str, section_path: str,
             quote: str, start: int, end: int) -> None:
    """The Web Annotation of a passage: source, section, quote and position selectors."""
    quote_sel, pos_sel = URIRef(f"{ev}#quote"), URIRef(f"{ev}#position")
    g.add((ev, RDF.type, PKO.Evidence))
    g.add((ev, RDF.type, OWL.NamedIndividual))
    g.add((ev, OA.hasSource, src))
    g.add((ev, PKO.section, Literal(section_title, lang="en")))
    g.add((ev, PKO.sectionPath, Literal(section_path, lang="en")))
    g.add((ev, OA.hasSelector, quote_sel))
    g.add((ev, OA.hasSelector, pos_sel))
    g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    g.add((quote_sel, OA.exact, Literal(quote, lang="en")))
    g.add((pos_sel, RDF.type, OA.TextPositionSelector))
    g.add((pos_sel, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((pos_sel, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))


def _qualifiers(g: Graph, ev: URIRef, r: Relation) -> None:
    """Certainty, conditions, context and notes of one passage."""
    g.add((ev, PKO.certainty, CERTAINTY_IRIS[r.certainty]))
    for n, cond in enumerate(sorted(r.conditions, key=lambda c: r.quote.find(c.text)), start=1):
        node = URIRef(f"{ev}#condition-{n}")
        g.add((ev, PKO.hasCondition, node))
        g.add((node, RDF.type, PKO.Condition))
        g.add((node, RDF.type, OWL.NamedIndividual))
        g.add((node, PKO.conditionKind, CONDITION_KIND_IRIS[cond.kind]))
        g.add((node, PKO.conditionText, Literal(cond.text, lang="en")))
        for cid in cond.concepts:
            g.add((node, PKO.conditionConcept, concept(cid)))
    if r.conditions:
        texts = [c.text for c in sorted(r.conditions, key=lambda c: r.quote.find(c.text))]
        g.add((ev, PKO.conditionSummary, Literal(" | ".join(texts), lang="en")))
    if r.context:
        g.add((ev, PKO.context, concept(r.context)))
    if r.causal_wording:
        g.add((ev, PKO.causalWording, Literal(r.causal_wording, lang="en")))
    for prop, value in ((SKOS.note, r.note), (PKO.certaintyNote, r.certainty_note),
                        (PKO.contestedNote, r.contested)):
        if value:
            g.add((ev, prop, _text(value)))


def caveat_iri(c: Caveat) -> URIRef:
    """The evidence IRI of a caveat passage."""
    return EVIDENCE[f"{c.article}/caveat/{c.id}"]


def add_caveat(g: Graph, c: Caveat, src: URIRef) -> URIRef:
    """The caveat as a passage of its own, with what it governs and allows."""
    ev = caveat_iri(c)
    _passage(g, ev, src, c.section.title, c.section.path, c.quote, c.start, c.end)
    g.add((ev, RDF.type, PKO.Caveat))
    g.add((ev, PKO.certainty, PKO.Stated))
    g.add((ev, PKO.caveatObject, concept(c.object)))
    for title in c.governs:
        g.add((ev, PKO.governsSection, Literal(title, lang="en")))
    for predicate in c.allows:
        g.add((ev, PKO.allowsPredicate, PKO[predicate]))
    return ev


def governing(caveats: Iterable[Caveat], r: Relation) -> list[Caveat]:
    """The caveats that are evidence for a relation: they govern its section and object, and
    allow its predicate."""
    return [c for c in caveats
            if r.section.title in c.governs and r.object == c.object and r.predicate in c.allows]


def add_statements(g: Graph, relations: list[Relation], caveats: list[Caveat],
                   sources: dict[str, URIRef]) -> None:
    """Every relation as a triple with one annotated axiom, its passages and their qualifiers;
    each caveat as a passage, linked as evidence to the statements it governs."""
    ids = evidence_ids(relations)
    caveat_nodes = {id(c): add_caveat(g, c, sources[c.article]) for c in caveats}
    by_triple: dict[Triple, list[tuple[URIRef, str]]] = {}
    for r in relations:
        s, p, o = concept(r.subject), PKO[r.predicate], concept(r.object)
        ev = EVIDENCE[ids[id(r)]]
        _passage(g, ev, sources[r.article], r.section.title, r.section.path, r.quote, r.start, r.end)
        _qualifiers(g, ev, r)
        passages = by_triple.setdefault((s, p, o), [])
        passages.append((ev, r.certainty))
        for c in governing(caveats, r):
            passages.append((caveat_nodes[id(c)], "stated"))
    for (s, p, o), passages in by_triple.items():
        axiom = annotated(g, s, p, o)
        for ev, _ in passages:
            g.add((axiom, PKO.hasEvidence, ev))
        firmest = min((CERTAINTIES.index(c) for _, c in passages))
        g.add((axiom, PKO.certainty, CERTAINTY_IRIS[CERTAINTIES[firmest]]))
