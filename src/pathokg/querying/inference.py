"""Entailments the queries see: targeted rules over the ontology, computed in Python with rdflib.

The rules are the part of RDFS and OWL 2 RL that pathokg's ontology uses, applied to a fixpoint:

* class hierarchy: ``rdfs:subClassOf`` is transitive, and an individual of a class is an
  individual of its superclasses (``cax-sco``, ``scm-sco``);
* property hierarchy: ``rdfs:subPropertyOf`` is transitive, and a relation implies its
  superproperties (``prp-spo1``, ``scm-spo``);
* inverses: ``owl:inverseOf`` works both ways (``prp-inv1``, ``prp-inv2``);
* symmetric properties (``prp-symp``);
* domain and range typing (``prp-dom``, ``prp-rng``), inherited through the property hierarchy.

Property rules apply to the ``owl:ObjectProperty`` relations only (annotation properties such as
``pko:hasEvidence`` and the evidence model are left as they are), and only to IRIs (never to the
blank nodes of axioms or class expressions). The full OWL RL closure with owlrl took 15 s for 10k
triples here; these rules take a few milliseconds on the release (see ``docs/sparql.md``).

>>> import pathokg
>>> extra = inferred_triples(pathokg.load())
>>> len(extra) > 0
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

Triple = tuple[URIRef, URIRef, URIRef]


def _closure(edges: dict[URIRef, set[URIRef]]) -> dict[URIRef, set[URIRef]]:
    """Reflexive-free transitive closure of a small relation given as adjacency sets."""
    result: dict[URIRef, set[URIRef]] = {}
    for start in edges:
        seen: set[URIRef] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        result[start] = seen
    return result


def _iri_pairs(graph: Graph, predicate: URIRef) -> dict[URIRef, set[URIRef]]:
    pairs: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            pairs[s].add(o)
    return pairs


def _iris(nodes: Iterable[object]) -> set[URIRef]:
    return {n for n in nodes if isinstance(n, URIRef)}


class _Schema:
    """The ontology axioms the rules use, read once from the graph."""

    def __init__(self, graph: Graph):
        self.superclasses = _closure(_iri_pairs(graph, RDFS.subClassOf))
        self.relations = _iris(graph.subjects(RDF.type, OWL.ObjectProperty))
        self.superproperties = _closure(_iri_pairs(graph, RDFS.subPropertyOf))
        inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, q in graph.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                inverses[p].add(q)
                inverses[q].add(p)
        self.inverses = inverses
        self.symmetric = _iris(graph.subjects(RDF.type, OWL.SymmetricProperty))
        self.domains = _iri_pairs(graph, RDFS.domain)
        self.ranges = _iri_pairs(graph, RDFS.range)


def _relation_consequences(schema: _Schema, s: URIRef, p: URIRef, o: URIRef) -> list[Triple]:
    """What one relation triple entails directly (one rule step)."""
    out: list[Triple] = [(s, sup, o) for sup in schema.superproperties.get(p, ())]
    out += [(o, inv, s) for inv in schema.inverses.get(p, ())]
    if p in schema.symmetric:
        out.append((o, p, s))
    out += [(s, RDF.type, c) for c in schema.domains.get(p, ())]
    out += [(o, RDF.type, c) for c in schema.ranges.get(p, ())]
    return out


def inferred_triples(graph: Graph) -> Graph:
    """Return the triples the rules entail from ``graph`` that ``graph`` does not already assert.

    :param graph: the release (ontology and knowledge), as asserted.
    :returns: a new graph holding only the entailed triples.
    """
    schema = _Schema(graph)
    known: set[Triple] = set()
    agenda: list[Triple] = []
    for s, p, o in graph:
        if not (isinstance(s, URIRef) and isinstance(o, URIRef)):
            continue
        if p in schema.relations or p == RDF.type:
            agenda.append((s, p, o))
    for sub, sups in schema.superclasses.items():
        agenda += [(sub, RDFS.subClassOf, sup) for sup in sups]
    for sub, sups in schema.superproperties.items():
        agenda += [(sub, RDFS.subPropertyOf, sup) for sup in sups]
    while agenda:
        triple = agenda.pop()
        if triple in known:
            continue
        known.add(triple)
        s, p, o = triple
        if p == RDF.type:
            agenda += [(s, RDF.type, sup) for sup in schema.superclasses.get(o, ())]
        elif p in schema.relations:
            agenda += _relation_consequences(schema, s, p, o)
    out = Graph()
    for triple in known:
        if triple not in graph:
            out.add(triple)
    return out
