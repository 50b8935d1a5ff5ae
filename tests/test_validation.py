"""SHACL shapes and QC queries: the release conforms, and each rule catches what it is for."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, SKOS

from pathokg.checks.validate import check_qc, check_shacl
from pathokg.curation.assemble import assemble
from pathokg.paths import QC_DIR
from pathokg.querying.files import read_query_dir
from pathokg.vocab import OA, PKO, concept

from .conftest import copy_graph


def test_release_conforms_to_shacl_and_qc() -> None:
    graph = assemble().graph
    assert check_shacl(graph) == []
    assert check_qc(graph) == []


def test_relation_without_evidence_is_caught_by_shacl_and_qc(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    g.add((concept("kidney"), PKO.isLocatedIn, concept("kidney")))
    shacl = check_shacl(g)
    assert any(v.focus.endswith("/concept/kidney") and "no evidence" in v.message for v in shacl)
    rules = {v.rule for v in check_qc(g)}
    assert {"relation-without-evidence-violation", "self-relation-violation"} <= rules


def test_concept_without_definition_or_with_two_labels_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    g.remove((concept("kidney"), SKOS.definition, None))
    g.add((concept("ultrasonography"), SKOS.prefLabel, Literal("ultrasound", lang="en")))
    messages = [v.message for v in check_shacl(g)]
    assert any("definition" in m for m in messages)
    assert any("exactly one English preferred label" in m for m in messages)


def test_concept_in_two_categories_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    g.add((concept("kidney"), RDF.type, PKO.ChemicalEntity))
    assert any("exactly one category" in v.message for v in check_shacl(g))


def test_evidence_with_wrong_offsets_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    selector = next(s for s in g.subjects(RDF.type, OA.TextPositionSelector))
    end = g.value(selector, OA.end)
    g.set((selector, OA.end, Literal(int(end) + 1, datatype=end.datatype)))
    assert [v.rule for v in check_qc(g)] == ["evidence-offsets-violation"]


def test_range_violation_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    # assesses has the domain DiagnosticProcedure: a disease cannot assess anything.
    g.add((concept("atherosclerosis"), PKO.assesses, concept("kidney")))
    assert "range-violation" in {v.rule for v in check_qc(g)}


def test_every_qc_query_has_the_shared_projection() -> None:
    queries = read_query_dir(QC_DIR)
    assert len(queries) >= 5
    for q in queries:
        assert q.name.endswith("-violation")
        for var in ("?entity", "?property", "?value", "?message"):
            assert var in q.text.split("WHERE")[0], f"{q.name} lacks {var}"


def test_mapping_without_source_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    for ax in list(g.subjects(PKO.mappingSource, None)):
        g.remove((ax, PKO.mappingSource, None))
    assert "mapping-without-source-violation" in {v.rule for v in check_qc(g)}
    assert OWL.Axiom  # the mappings are annotated axioms too


def test_no_term_found_that_contradicts_a_mapping_or_names_no_checker_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    mapped = next(s for s in g.subjects(SKOS.exactMatch, None))
    g.add((mapped, PKO.noTermFound, SKOS.exactMatch))  # no axiom: nobody said who checked
    g.add((concept("kidney"), PKO.noTermFound, SKOS.related))
    messages = [v.message for v in check_shacl(g)]
    assert any("checked without a" in m and "term yet has the" in m for m in messages)
    assert any("does not say who checked" in m for m in messages)
    assert any("names a SKOS match property" in m for m in messages)
