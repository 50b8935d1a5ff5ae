"""Synthetic pathokg-shaped graphs for the benchmarks: the release plus generated concepts.

Each generated concept has a category, a preferred and an alternative label made of pathology
words (a word containing "calc" in about 1 % of them, so that the default lookup finds a
realistic handful), a definition, an exact match to a MeSH-like identifier, and two relations,
each with an OWL axiom and evidence (quote and position selectors, section), as the real graph
has. Deterministic (seeded).
"""

from __future__ import annotations

import random
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from pathokg.vocab import EVIDENCE, OA, PK, PKO, SCHEME_IRI, SKOS, SOURCE, XREF_BASES

_QUALIFIERS = ["acute", "chronic", "focal", "diffuse", "juvenile", "secondary", "primary",
               "idiopathic", "hereditary", "progressive", "recurrent", "congenital"]
_SITES = ["renal", "hepatic", "cardiac", "pulmonary", "dermal", "vascular", "muscular", "osseous",
          "neural", "ocular", "gastric", "splenic", "synovial", "pancreatic", "thyroid"]
_NOUNS = ["fibrosis", "necrosis", "inflammation", "stenosis", "atrophy", "hyperplasia",
          "ischemia", "edema", "lesion", "ulceration", "sclerosis", "dysplasia", "nodule"]
_CATEGORIES = ["DiseaseOrDisorder", "SurgicalIntervention", "PathophysiologicalMechanism",
               "AnatomicalStructure", "ImagingTechnique", "PathologicalProcess"]
_RELATIONS = ["causes", "isRiskFactorFor", "involves", "leadsTo", "treats", "affects",
              "isKindOf", "manages", "prevents", "diagnoses"]
#: triples per generated concept (6 about it, an xref, 2 relations of 15 triples each)
PER_CONCEPT = 7 + 2 * 15


def _label(rng: random.Random) -> str:
    noun = "calcinosis" if rng.random() < 0.01 else rng.choice(_NOUNS)
    return f"{rng.choice(_QUALIFIERS)} {rng.choice(_SITES)} {noun}"


def synthetic_graph(n_triples: int, release: Path) -> Graph:
    """The release's asserted triples plus generated concepts, about ``n_triples`` in all."""
    graph = Graph().parse(release / "pathokg.ttl")
    rng = random.Random(7)
    n = max(1, (n_triples - len(graph)) // PER_CONCEPT)
    src = SOURCE["synthetic"]
    mesh = XREF_BASES["MESH"]
    add = graph.add
    for i in range(n):
        c = PK[f"syn-{i}"]
        add((c, RDF.type, PKO[rng.choice(_CATEGORIES)]))
        add((c, RDF.type, SKOS.Concept))
        add((c, SKOS.prefLabel, Literal(f"{_label(rng)} {i}", lang="en")))
        add((c, SKOS.altLabel, Literal(f"{_label(rng)} type {i % 13}", lang="en")))
        add((c, SKOS.definition, Literal(f"A synthetic concept, number {i}.", lang="en")))
        add((c, SKOS.inScheme, SCHEME_IRI))
        add((c, SKOS.exactMatch, URIRef(f"{mesh}S{i:07d}")))
        for k in range(2):
            p = PKO[rng.choice(_RELATIONS)]
            o = PK[f"syn-{rng.randrange(n)}"]
            add((c, p, o))
            ev = EVIDENCE[f"synthetic/{i}-{k}"]
            ax = URIRef(f"{ev}#axiom")
            quote, position = URIRef(f"{ev}#quote"), URIRef(f"{ev}#position")
            for t in ((ax, RDF.type, OWL.Axiom), (ax, OWL.annotatedSource, c),
                      (ax, OWL.annotatedProperty, p), (ax, OWL.annotatedTarget, o),
                      (ax, PKO.hasEvidence, ev), (ev, RDF.type, PKO.Evidence),
                      (ev, OA.hasSource, src), (ev, PKO.section, Literal("Synthetic", lang="en")),
                      (ev, PKO.sectionPath, Literal("Synthetic > Part", lang="en")),
                      (ev, OA.hasSelector, quote), (ev, OA.hasSelector, position),
                      (quote, OA.exact, Literal(f"quote {i} {k}", lang="en")),
                      (position, OA.start, Literal(i)), (position, OA.end, Literal(i + 10))):
                add(t)
    return graph
