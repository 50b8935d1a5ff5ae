"""Entailments the queries see, each with the rule and premises that produce it and a certainty
that is never firmer than its premises.

The rules are the part of RDFS and OWL 2 RL that pathokg's ontology uses, applied to a fixpoint:

* class hierarchy: ``rdfs:subClassOf`` is transitive (``scm-sco``), and an individual of a class
  is an individual of its superclasses (``cax-sco``);
* property hierarchy: ``rdfs:subPropertyOf`` is transitive (``scm-spo``), and a relation implies
  its superproperties (``prp-spo1``);
* inverses: ``owl:inverseOf`` works both ways (``prp-inv1``, ``prp-inv2``);
* symmetric properties (``prp-symp``);
* domain and range typing (``prp-dom``, ``prp-rng``), inherited through the property hierarchy.

Property rules apply to the ``owl:ObjectProperty`` relations only (annotation properties such as
``pko:hasEvidence`` and the evidence model are left as they are), and only to IRIs (never to the
blank nodes of axioms or class expressions). The full OWL RL closure with owlrl took 15 s for 10k
triples here; these rules take milliseconds on the release (see ``docs/sparql.md``).

**Why is this inferred?** Every entailed triple gets a record (``pko:Inference``, with
``owl:annotatedSource/Property/Target``): its rule (``pko:rule``), its premise(s) (``pko:premise``:
the asserted triple, described with ``owl:annotatedSource/Property/Target``, or the record of an
inferred one) and its ``pko:certainty``. The certainty of an asserted relation is the firmest of
its passages (on its axiom); an inference takes the weakest certainty of its premises, and where a
triple follows from several derivations, the firmest one is kept, so an entailment from a hedged
or conditional premise is marked so unless a plain premise entails it too.

>>> import pathokg
>>> extra = inferred_triples(pathokg.load())
>>> len(extra) > 0
True
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..vocab import INFERENCE, PKO

Triple = tuple[URIRef, URIRef, URIRef]
#: the rank of a plainly stated (or schema) premise
STATED = 1


def _iri_pairs(graph: Graph, predicate: URIRef) -> dict[URIRef, list[URIRef]]:
    pairs: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            pairs[s].add(o)
    return {k: sorted(v) for k, v in pairs.items()}


def _iris(nodes: Iterable[object]) -> set[URIRef]:
    return {n for n in nodes if isinstance(n, URIRef)}


class _Schema:
    """The ontology axioms the rules use (direct, not closed: the rules chain), read once."""

    def __init__(self, graph: Graph):
        self.superclasses = _iri_pairs(graph, RDFS.subClassOf)
        self.relations = _iris(graph.subjects(RDF.type, OWL.ObjectProperty))
        self.superproperties = _iri_pairs(graph, RDFS.subPropertyOf)
        inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, q in graph.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                inverses[p].add(q)
                inverses[q].add(p)
        self.inverses = {k: sorted(v) for k, v in inverses.items()}
        self.symmetric = _iris(graph.subjects(RDF.type, OWL.SymmetricProperty))
        self.domains = _iri_pairs(graph, RDFS.domain)
        self.ranges = _iri_pairs(graph, RDFS.range)
        self.ranks = {c: int(r) for c, r in graph.subject_objects(PKO.certaintyRank)}
        self.names = {int(r): c for c, r in graph.subject_objects(PKO.certaintyRank)}


def _asserted_ranks(graph: Graph, schema: _Schema) -> dict[Triple, int]:
    """The certainty rank of every asserted relation: the one its axiom carries (the firmest of
    its passages); triples without one (types, schema) are stated."""
    ranks: dict[Triple, int] = {}
    for axiom, certainty in graph.subject_objects(PKO.certainty):
        if (axiom, RDF.type, OWL.Axiom) not in graph:
            continue
        triple = (graph.value(axiom, OWL.annotatedSource), graph.value(axiom, OWL.annotatedProperty),
                  graph.value(axiom, OWL.annotatedTarget))
        ranks[triple] = schema.ranks.get(certainty, STATED)  # type: ignore[index]
    return ranks


@dataclass(frozen=True)
class Derivation:
    """How one entailed triple follows: the rule, the premises and the resulting certainty rank."""

    rule: str
    premises: tuple[Triple, ...]
    rank: int


def _consequences(schema: _Schema, triple: Triple) -> list[tuple[str, Triple, Triple | None]]:
    """What one triple entails in one rule step: (rule, conclusion, second premise or None)."""
    s, p, o = triple
    out: list[tuple[str, Triple, Triple | None]] = []
    if p == RDF.type:
        out += [("cax-sco", (s, RDF.type, sup), (o, RDFS.subClassOf, sup))
                for sup in schema.superclasses.get(o, ())]
    elif p == RDFS.subClassOf:
        out += [("scm-sco", (s, RDFS.subClassOf, sup), (o, RDFS.subClassOf, sup))
                for sup in schema.superclasses.get(o, ())]
    elif p == RDFS.subPropertyOf:
        out += [("scm-spo", (s, RDFS.subPropertyOf, sup), (o, RDFS.subPropertyOf, sup))
                for sup in schema.superproperties.get(o, ())]
    elif p in schema.relations:
        out += [("prp-spo1", (s, sup, o), (p, RDFS.subPropertyOf, sup))
                for sup in schema.superproperties.get(p, ())]
        out += [("prp-inv", (o, inv, s), None) for inv in schema.inverses.get(p, ())]
        if p in schema.symmetric:
            out.append(("prp-symp", (o, p, s), None))
        out += [("prp-dom", (s, RDF.type, c), None) for c in schema.domains.get(p, ())]
        out += [("prp-rng", (o, RDF.type, c), None) for c in schema.ranges.get(p, ())]
    return out


def derivations(graph: Graph) -> dict[Triple, Derivation]:
    """Every triple the rules entail from ``graph`` that it does not assert, with its firmest
    derivation (a best-first fixpoint: premises of lower rank are expanded first)."""
    schema = _Schema(graph)
    asserted_ranks = _asserted_ranks(graph, schema)
    start = sorted(((s, p, o) for s, p, o in graph
                    if isinstance(s, URIRef) and isinstance(o, URIRef)
                    and (p in schema.relations or p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf))),
                   key=lambda t: tuple(map(str, t)))
    rank: dict[Triple, int] = {}
    found: dict[Triple, Derivation] = {}
    heap: list[tuple[int, int, Triple, Derivation | None]] = []
    for n, triple in enumerate(start):
        heapq.heappush(heap, (asserted_ranks.get(triple, STATED), n, triple, None))
    count = len(start)
    while heap:
        r, _, triple, how = heapq.heappop(heap)
        if triple in rank:
            continue
        rank[triple] = r
        if how is not None:
            found[triple] = how
        for rule, conclusion, second in _consequences(schema, triple):
            if conclusion in rank or conclusion in graph:  # final already, or asserted (and queued)
                continue
            r2 = max(r, rank.get(second, STATED)) if second is not None else r
            premises = (triple,) if second is None else (triple, second)
            count += 1
            heapq.heappush(heap, (r2, count, conclusion, Derivation(rule, premises, r2)))
    return {t: d for t, d in found.items() if t not in graph}


def inferred_triples(graph: Graph) -> Graph:
    """Return the triples the rules entail from ``graph`` that ``graph`` does not already assert.

    :param graph: the release (ontology and knowledge), as asserted.
    :returns: a new graph holding only the entailed triples.
    """
    out = Graph()
    for triple in derivations(graph):
        out.add(triple)
    return out


def record_iri(triple: Triple) -> URIRef:
    """The IRI of the record of an entailed triple (a hash of the triple, stable across builds)."""
    return INFERENCE[hashlib.sha1(" ".join(t.n3() for t in triple).encode()).hexdigest()[:20]]


def entailments(graph: Graph) -> Graph:
    """The entailed triples and, for each, its record: rule, premises and certainty.

    This is what a release writes to ``pathokg-inferred.ttl`` and what every reader of the release
    loads into the inferred graph.
    """
    found = derivations(graph)
    schema = _Schema(graph)
    out = Graph()
    for triple, how in found.items():
        out.add(triple)
        record = record_iri(triple)
        out.add((record, RDF.type, PKO.Inference))
        out.add((record, OWL.annotatedSource, triple[0]))
        out.add((record, OWL.annotatedProperty, triple[1]))
        out.add((record, OWL.annotatedTarget, triple[2]))
        out.add((record, PKO.rule, PKO[f"rule-{how.rule}"]))
        if how.rank in schema.names:
            out.add((record, PKO.certainty, schema.names[how.rank]))
        for premise in how.premises:
            if premise in found:
                out.add((record, PKO.premise, record_iri(premise)))
                continue
            node = BNode("pr" + hashlib.sha1(" ".join(t.n3() for t in premise).encode()).hexdigest()[:16])
            out.add((record, PKO.premise, node))
            out.add((node, OWL.annotatedSource, premise[0]))
            out.add((node, OWL.annotatedProperty, premise[1]))
            out.add((node, OWL.annotatedTarget, premise[2]))
    return out
