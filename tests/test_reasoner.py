"""OWL reasoning with HermiT (owlready2): the release is consistent; a contradiction is reported."""

from __future__ import annotations

from rdflib import Graph

from pathokg.checks.reasoner import classify, java_available
from pathokg.curation.assemble import assemble
from pathokg.release.build import validate_assembly
from pathokg.vocab import PKO, concept

from .helpers import MINI_SOURCE, require


def test_release_is_consistent_with_hermit() -> None:
    require(java_available(), "no Java runtime: HermiT cannot run (apt-get install default-jre-headless)")
    result = classify(assemble().graph)
    assert result.consistent, result.message


def test_contradiction_is_found() -> None:
    require(java_available(), "no Java runtime: HermiT cannot run (apt-get install default-jre-headless)")
    graph: Graph = assemble([MINI_SOURCE]).graph
    # Categories are disjoint: a concept cannot be both a disease and an anatomical structure.
    graph.add((concept("atherosclerosis"), PKO.affects, concept("chronic-kidney-disease")))
    result = classify(graph)
    assert not result.consistent


def test_build_reports_inconsistency_as_a_violation() -> None:
    require(java_available(), "no Java runtime: HermiT cannot run (apt-get install default-jre-headless)")
    assembly = assemble([MINI_SOURCE])
    assembly.graph.add((concept("atherosclerosis"), PKO.affects, concept("chronic-kidney-disease")))
    violations = validate_assembly(assembly, reasoner=True)
    assert any(v.rule == "owl-consistency (HermiT)" for v in violations)
    assert any(v.rule == "range-violation" for v in violations), "QC names the culprit too"
