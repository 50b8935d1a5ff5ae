"""Several articles: shared concepts merge by IRI, evidence stays per article."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL, SKOS

from pathokg.curation.assemble import source_files
from pathokg.errors import SourceError
from pathokg.paths import TURTLE
from pathokg.release.build import build
from pathokg.vocab import OA, PKO, SOURCE, concept

from .helpers import MINI_SOURCE


@pytest.fixture(scope="module")
def merged(two_article_release: Path) -> Graph:
    return Graph().parse(two_article_release / TURTLE)


def _sources_of(g: Graph, s: str, p: str, o: str) -> set[str]:
    sources = set()
    for ax in g.subjects(OWL.annotatedSource, concept(s)):
        if g.value(ax, OWL.annotatedProperty) == PKO[p] and g.value(ax, OWL.annotatedTarget) == concept(o):
            sources |= {str(g.value(ev, OA.hasSource)).rsplit("/", 1)[-1] for ev in g.objects(ax, PKO.hasEvidence)}
    return sources


def test_shared_relation_keeps_evidence_from_each_article(merged: Graph) -> None:
    assert _sources_of(merged, "chronic-kidney-disease", "isRiskFactorFor", "dystrophic-calcification") == {
        "dystrophic-calcification", "mini-article"}


def test_shared_concept_is_one_node_with_united_synonyms(merged: Graph) -> None:
    ckd = concept("chronic-kidney-disease")
    assert len(list(merged.objects(ckd, SKOS.prefLabel))) == 1
    synonyms = {str(v) for v in merged.objects(ckd, SKOS.altLabel)}
    assert {"CKD", "chronic renal disease"} <= synonyms
    assert set(merged.objects(ckd, DCTERMS.source)) == {SOURCE["dystrophic-calcification"], SOURCE["mini-article"]}


def test_article_only_concepts_are_added(merged: Graph) -> None:
    assert (concept("kidney"), SKOS.prefLabel, None) in merged
    assert _sources_of(merged, "ultrasonography", "assesses", "kidney") == {"mini-article"}


def test_conflicting_definitions_of_a_shared_concept_fail(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(MINI_SOURCE.with_suffix(".txt"), folder)
    text = MINI_SOURCE.read_text(encoding="utf-8").replace(
        "    label: chronic kidney disease\n    category: DiseaseOrDisorder",
        "    label: chronic kidney disease\n    category: PathologicalProcess")
    (folder / MINI_SOURCE.name).write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        build(tmp_path / "out", sources=[*source_files(), folder / MINI_SOURCE.name], reasoner=False)
    assert "concept 'chronic-kidney-disease'" in str(info.value)
    assert "same label and category" in str(info.value)
