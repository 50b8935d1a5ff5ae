"""Every statement says what the article says, no stronger: certainty, conditions and context on each
passage, the section caveat as evidence, checks that keep it so, and inferences that keep it too."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from pathokg.checks.validate import check_qc, check_shacl
from pathokg.curation.assemble import load_ontology, ontology_terms
from pathokg.curation.audit import audit
from pathokg.curation.sources import read_source
from pathokg.errors import SourceError
from pathokg.paths import INFERRED, SOURCES_DIR
from pathokg.querying.engine import Engine
from pathokg.querying.files import get_query
from pathokg.querying.params import bind_params
from pathokg.vocab import OA, PKO, concept

from .conftest import copy_graph
from .helpers import MINI_SOURCE

ROOT = Path(__file__).resolve().parents[1]
DC = concept("dystrophic-calcification")
SOURCE = SOURCES_DIR / "dystrophic-calcification.yaml"


def _passages(g: Graph, s: str, p: str, o: str) -> list[URIRef]:
    axioms = [ax for ax in g.subjects(OWL.annotatedSource, concept(s))
              if g.value(ax, OWL.annotatedProperty) == PKO[p] and g.value(ax, OWL.annotatedTarget) == concept(o)]
    return [ev for ax in axioms for ev in g.objects(ax, PKO.hasEvidence)]


def _quote(g: Graph, ev: URIRef) -> str:
    return str(next(g.objects(next(s for s in g.objects(ev, OA.hasSelector)
                                   if (s, RDF.type, OA.TextQuoteSelector) in g), OA.exact)))


def _certainty(g: Graph, ev: URIRef) -> str:
    return str(g.value(ev, PKO.certainty)).rsplit("/", 1)[-1]


def _conditions(g: Graph, ev: URIRef) -> set[tuple[str, str, frozenset[str]]]:
    return {(str(g.value(c, PKO.conditionKind)).rsplit("/", 1)[-1], str(g.value(c, PKO.conditionText)),
             frozenset(str(x).rsplit("/", 1)[-1] for x in g.objects(c, PKO.conditionConcept)))
            for c in g.objects(ev, PKO.hasCondition)}


def test_every_passage_has_exactly_one_certainty(release_graph: Graph) -> None:
    evidence = set(release_graph.subjects(RDF.type, PKO.Evidence))
    assert len(evidence) > 150
    for ev in evidence:
        values = list(release_graph.objects(ev, PKO.certainty))
        assert len(values) == 1 and (values[0], RDF.type, PKO.Certainty) in release_graph, ev


def _markers(g: Graph) -> list[str]:
    return [str(m) for m in g.objects(None, PKO.hedgeMarker)]


def test_no_quote_with_a_hedge_marker_is_stated_without_a_note(release_graph: Graph) -> None:
    markers = _markers(release_graph)
    assert {"may", "can", "often", "in cases where", "research is ongoing", "aim", "promise"} <= set(markers)
    for ev in release_graph.subjects(RDF.type, PKO.Evidence):
        if _certainty(release_graph, ev) != "Stated" or (ev, RDF.type, PKO.Caveat) in release_graph:
            continue
        quote = _quote(release_graph, ev)
        hits = [m for m in markers if re.search(rf"(^|[^a-z]){re.escape(m)}([^a-z]|$)", quote, re.I)]
        if hits:
            assert release_graph.value(ev, PKO.certaintyNote) is not None, (ev, hits)


def test_the_caveat_is_evidence_for_the_risk_statements_it_governs(release_graph: Graph) -> None:
    (caveat,) = release_graph.subjects(RDF.type, PKO.Caveat)
    assert _quote(release_graph, caveat).startswith(
        "It is important to note that the presence of these causes and risk factors does not guarantee")
    for factor, relation in (("chronic-kidney-disease", "isRiskFactorFor"), ("burn", "isRiskFactorFor"),
                             ("genetic-disorder", "predisposesTo"), ("advanced-age", "contributesTo"),
                             ("atherosclerosis", "isRiskFactorFor"), ("osteoarthritis", "contributesTo")):
        assert caveat in _passages(release_graph, factor, relation, "dystrophic-calcification"), factor


def test_no_cause_of_dc_in_the_causes_sections(release_graph: Graph) -> None:
    """The caveat allows risk, not cause, toward DC in its sections (no quote there records
    causal wording)."""
    (caveat,) = release_graph.subjects(RDF.type, PKO.Caveat)
    governed = {str(s) for s in release_graph.objects(caveat, PKO.governsSection)}
    for s in release_graph.subjects(PKO.causes, DC):
        for ev in _passages(release_graph, str(s).rsplit("/", 1)[-1], "causes", "dystrophic-calcification"):
            assert str(release_graph.value(ev, PKO.section)) not in governed


# The examples of the audit issue, each as the article says it.

def test_history_and_examination_identify_underlying_conditions_not_dc(release_graph: Graph) -> None:
    for method in ("medical-history-taking", "physical-examination"):
        assert (concept(method), PKO.diagnoses, DC) not in release_graph
        (ev,) = _passages(release_graph, method, "assesses", "underlying-condition")
        assert _certainty(release_graph, ev) == "Typical"  # "Physicians typically begin with"


@pytest.mark.parametrize(("s", "p", "o"), [
    ("calcium-deposition-reducing-medication", "reduces", "calcium-deposition"),
    ("calcium-deposition-reducing-medication", "prevents", "dystrophic-calcification"),
    ("calcium-deposition-reducing-medication", "improves", "calcium-salt-resorption"),
])
def test_medications_under_research_are_investigational(release_graph: Graph, s: str, p: str, o: str) -> None:
    passages = _passages(release_graph, s, p, o)
    assert passages and {_certainty(release_graph, ev) for ev in passages} == {"Investigational"}


def test_interventions_may_be_necessary_only_in_the_cases_named(release_graph: Graph) -> None:
    (ev,) = [e for e in _passages(release_graph, "dystrophic-calcification-treatment", "treats",
                                  "dystrophic-calcification") if "In cases where" in _quote(release_graph, e)]
    assert _certainty(release_graph, ev) == "Conditional"
    assert _conditions(release_graph, ev) == {("PrerequisiteCondition",
        "the calcification leads to functional impairments or complications",
        frozenset({"functional-impairment", "complications"}))}
    # the calcification leading to functional impairment is a possibility, not a plain cause
    (cause,) = _passages(release_graph, "dystrophic-calcification", "causes", "functional-impairment")
    assert _certainty(release_graph, cause) == "Possible"


def test_nodule_excision_is_often_employed_when_vital_structures_are_affected(release_graph: Graph) -> None:
    (ev,) = [e for e in _passages(release_graph, "nodule-excision", "treats", "dystrophic-calcification")
             if _quote(release_graph, e).startswith("This approach is often employed")]
    assert _certainty(release_graph, ev) == "Typical"
    ((kind, text, names),) = _conditions(release_graph, ev)
    assert kind == "SiteCondition" and text.startswith("when calcification affects vital organs")
    assert names == {"organ", "heart-valve", "blood-vessel"}
    assert (concept("nodule-excision"), PKO.targets, concept("heart-valve")) not in release_graph


def test_joint_replacement_in_severe_cases_in_joints(release_graph: Graph) -> None:
    (ev,) = _passages(release_graph, "joint-replacement", "treats", "dystrophic-calcification")
    assert _certainty(release_graph, ev) == "Conditional"
    assert _conditions(release_graph, ev) == {("SeverityCondition", "In severe cases", frozenset()),
                                               ("SiteCondition", "in joints", frozenset({"joint"}))}


@pytest.mark.parametrize(("site", "cause"), [("artery", "atherosclerosis"), ("joint", "osteoarthritis")])
def test_calcification_sites_keep_the_cause_they_belong_to(release_graph: Graph, site: str, cause: str) -> None:
    passages = [e for e in _passages(release_graph, "dystrophic-calcification", "isLocatedIn", site)
                if any(c[0] == "PrerequisiteCondition" for c in _conditions(release_graph, e))]
    (ev,) = passages
    assert _certainty(release_graph, ev) == "Possible"
    assert {names for kind, _, names in _conditions(release_graph, ev)} == {frozenset({cause})}


def test_mechanism_steps_hold_within_dc_not_for_inflammation_in_general(release_graph: Graph) -> None:
    (ev,) = _passages(release_graph, "inflammation", "leadsTo", "calcium-binding-substance-release")
    assert release_graph.value(ev, PKO.context) == DC


def test_mechanism_path_does_not_walk_the_dc_chain_from_pxe(release_dataset: ox.Store) -> None:
    text = bind_params(get_query("mechanism-path"), {"start": "pk:pseudoxanthoma-elasticum"})
    rows = Engine(release_dataset).execute(text).rows
    assert [(r["fromLabel"], r["toLabel"], r["certainty"]) for r in rows] == [
        ("pseudoxanthoma elasticum", "calcium deposition", "possible")]


def test_categories_synonyms_and_mappings_are_corrected(release_graph: Graph) -> None:
    assert (concept("mineralized-nodule"), RDF.type, PKO.PathologicalStructure) in release_graph
    assert (concept("calcified-lesion"), RDF.type, PKO.PathologicalStructure) in release_graph
    assert (concept("underlying-condition"), RDF.type, PKO.ConditionRole) in release_graph
    exact = {str(s) for s in release_graph.objects(concept("joint-replacement"), SKOS.altLabel)}
    assert "arthroplasty" not in exact  # the verified table says arthroplasty is broader
    assert "calcification" not in {str(s) for s in release_graph.objects(concept("pathological-calcification"),
                                                                          SKOS.altLabel)}
    # mappings whose table match type its own evidence contradicts are left out
    pxe = set(release_graph.objects(concept("pseudoxanthoma-elasticum"), SKOS.exactMatch))
    assert URIRef("http://purl.obolibrary.org/obo/MONDO_0024308") not in pxe
    assert not set(release_graph.objects(concept("nodule-excision"), SKOS.exactMatch))


def test_ckd_deposition_is_noted_as_contested(release_graph: Graph) -> None:
    (ev,) = _passages(release_graph, "calcium-phosphate-deposition", "causes", "pathological-calcification")
    assert "metastatic" in str(release_graph.value(ev, PKO.contestedNote))


def test_every_sentence_is_modelled_or_says_why_not() -> None:
    article = read_source(SOURCE)
    items = audit(article)
    sentences = [s for s in items if not s.heading]
    assert len(sentences) >= 50
    assert [s.text for s in sentences if s.gap] == []
    summary = next(s for s in sentences if s.section.title == "Summary")
    assert summary.relations, "the standfirst is modelled"


def test_curation_audit_page_is_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_curation_audit.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_has_the_review_sheet(release_dir: Path) -> None:
    sheet = (release_dir / "review.md").read_text(encoding="utf-8")
    assert "| statement | certainty and conditions | quote |" in sheet
    assert "investigational" in sheet and "Caveat of this section" in sheet


# Inferences keep the qualifiers and say why.

def test_inferred_triples_carry_rule_premise_and_certainty(release_dir: Path) -> None:
    inferred = Graph().parse(release_dir / INFERRED, format="turtle")
    records = set(inferred.subjects(RDF.type, PKO.Inference))
    assert len(records) > 500
    for r in records:
        assert inferred.value(r, PKO.rule) is not None and inferred.value(r, PKO.premise) is not None
    record = next(r for r in records if inferred.value(r, OWL.annotatedSource) == DC
                  and inferred.value(r, OWL.annotatedProperty) == PKO.isTreatedBy
                  and inferred.value(r, OWL.annotatedTarget) == concept("joint-replacement"))
    assert inferred.value(record, PKO.certainty) == PKO.Conditional  # never plainer than its premise
    assert inferred.value(record, PKO.rule) == PKO["rule-prp-inv"]


def test_why_inferred_answers_from_the_records(release_dataset: ox.Store) -> None:
    rows = Engine(release_dataset).execute(bind_params(get_query("why-inferred"), {})).rows
    assert rows and rows[0]["premiseRelation"] == "treats" and rows[0]["certainty"] == "conditional"


# The checks catch what they are for.

def test_a_hedged_passage_recorded_as_stated_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    hedged = next(ev for ev in g.subjects(PKO.certainty, PKO.Possible) if (ev, RDF.type, PKO.Evidence) in g)
    g.set((hedged, PKO.certainty, PKO.Stated))
    assert [v.rule for v in check_qc(g)] == ["hedged-quote-stated-violation"]


def test_a_passage_without_certainty_is_caught_by_shacl(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    g.remove((next(g.subjects(RDF.type, PKO.Evidence)), PKO.certainty, None))
    assert any("exactly one certainty" in v.message for v in check_shacl(g))


def test_a_condition_not_in_its_quote_is_caught(mini_graph: Graph) -> None:
    g = copy_graph(mini_graph)
    ev = next(g.subjects(RDF.type, PKO.Evidence))
    node = URIRef(f"{ev}#condition-9")
    g.add((ev, PKO.hasCondition, node))
    g.add((node, RDF.type, PKO.Condition))
    g.add((node, PKO.conditionKind, PKO.SiteCondition))
    g.add((node, PKO.conditionText, Literal("in the lungs", lang="en")))
    assert "condition-not-in-quote-violation" in {v.rule for v in check_qc(g)}


def test_a_cause_under_the_caveat_is_caught(release_graph: Graph) -> None:
    g = copy_graph(release_graph)
    ax = next(a for a in g.subjects(OWL.annotatedSource, concept("burn"))
              if g.value(a, OWL.annotatedProperty) == PKO.isRiskFactorFor)
    g.set((ax, OWL.annotatedProperty, PKO.causes))
    assert "caveat-predicate-violation" in {v.rule for v in check_qc(g)}


@pytest.mark.parametrize(("edit", "message"), [
    (("certainty: possible", "certainty: likely"), "unknown certainty 'likely'"),
    (("    certainty: possible\n", "    certainty: possible\n    conditions: [{kind: site, text: in the lungs}]\n"),
     "condition 'in the lungs' is not in the quote"),
    (("    certainty: possible\n", "    certainty: possible\n    conditions: [{kind: weather, text: kidneys}]\n"),
     "unknown condition kind 'weather'"),
])
def test_bad_qualifiers_fail_with_file_and_line(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI_SOURCE.parent, folder)
    source = folder / MINI_SOURCE.name
    text = source.read_text(encoding="utf-8")
    assert edit[0] in text
    source.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    categories, predicates = ontology_terms(load_ontology())
    with pytest.raises(SourceError) as info:
        read_source(source, categories=categories, predicates=predicates)
    assert message in str(info.value) and f"{source}:" in str(info.value)


def test_a_cause_stronger_than_the_caveat_allows_fails_the_build(tmp_path: Path) -> None:
    from pathokg.curation.sources import read_sources

    folder = tmp_path / "src"
    shutil.copytree(SOURCES_DIR, folder)
    source = folder / SOURCE.name
    text = source.read_text(encoding="utf-8")
    old = "  - subject: burn\n    predicate: isRiskFactorFor\n"
    assert old in text
    source.write_text(text.replace(old, "  - subject: burn\n    predicate: causes\n", 1), encoding="utf-8")
    categories, predicates = ontology_terms(load_ontology())
    with pytest.raises(SourceError, match="allows only contributesTo, isRiskFactorFor, predisposesTo"):
        read_sources([source], categories=categories, predicates=predicates)
