"""Evidence on the real article: every relation has it, every quote is verbatim at its offsets."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from pathokg.vocab import OA, PKO, SCHEMA

ARTICLE = Path(__file__).resolve().parents[1] / "graph" / "sources" / "dystrophic-calcification.txt"


def _relations(g: Graph) -> set[tuple[URIRef, URIRef, URIRef]]:
    props = {p for p in g.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(str(PKO))}
    return {(s, p, o) for s, p, o in g if p in props}


def test_every_relation_has_evidence(release_graph: Graph) -> None:
    relations = _relations(release_graph)
    assert len(relations) >= 150
    evidenced = {
        (release_graph.value(ax, OWL.annotatedSource), release_graph.value(ax, OWL.annotatedProperty),
         release_graph.value(ax, OWL.annotatedTarget))
        for ax in release_graph.subjects(RDF.type, OWL.Axiom)
        if release_graph.value(ax, PKO.hasEvidence) is not None
    }
    assert relations - evidenced == set()


def test_every_quote_is_verbatim_at_its_offsets(release_graph: Graph) -> None:
    text = ARTICLE.read_bytes().decode("utf-8")
    evidence = list(release_graph.subjects(RDF.type, PKO.Evidence))
    assert len(evidence) >= 150
    for ev in evidence:
        selectors = list(release_graph.objects(ev, OA.hasSelector))
        quote = next(str(q) for s in selectors for q in release_graph.objects(s, OA.exact))
        start = next(int(v) for s in selectors for v in release_graph.objects(s, OA.start))
        end = next(int(v) for s in selectors for v in release_graph.objects(s, OA.end))
        assert text[start:end] == quote, ev
        assert release_graph.value(ev, PKO.section) is not None


def test_every_evidence_names_its_source_document(release_graph: Graph) -> None:
    for ev in release_graph.subjects(RDF.type, PKO.Evidence):
        source = release_graph.value(ev, OA.hasSource)
        assert source is not None
        assert str(release_graph.value(source, DCTERMS.title)) == "What Is Dystrophic Calcification?"
        assert str(release_graph.value(source, DCTERMS.publisher)) == "iCliniq"
        assert "Kaushal Bhavsar" in str(release_graph.value(source, SCHEMA.reviewedBy))
        assert str(release_graph.value(source, DCTERMS.issued)) == "2023-12-19"


def test_every_concept_has_label_definition_category(release_graph: Graph) -> None:
    for concept in release_graph.subjects(RDF.type, SKOS.Concept):
        if (concept, RDF.type, OWL.Class) in release_graph:
            continue
        assert len(list(release_graph.objects(concept, SKOS.prefLabel))) == 1
        assert release_graph.value(concept, SKOS.definition) is not None
        categories = [c for c in release_graph.objects(concept, RDF.type) if str(c).startswith(str(PKO))]
        assert len(categories) == 1, concept


def test_abbreviations_are_searchable_synonyms(release_graph: Graph) -> None:
    from pathokg.vocab import concept

    for cid, abbr in [("chronic-kidney-disease", "CKD"), ("pseudoxanthoma-elasticum", "PXE"), ("nsaids", "NSAIDs")]:
        labels = {str(v) for v in release_graph.objects(concept(cid), SKOS.altLabel)}
        assert abbr in labels, cid
