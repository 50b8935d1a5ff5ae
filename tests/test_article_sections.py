"""For each section of the article, the concepts linked to DC by that section's relation are exactly its list."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from pathokg.vocab import PKO, concept

DC = concept("dystrophic-calcification")
CONTRIBUTING = (PKO.contributesTo, PKO.causes, PKO.isRiskFactorFor, PKO.predisposesTo)


def _subjects(g: Graph, predicates: tuple[URIRef, ...], obj: URIRef, section: str | None = None) -> set[str]:
    """Subjects linked to ``obj`` by one of the predicates, with evidence in the given section."""
    found = set()
    for ax in g.subjects(OWL.annotatedTarget, obj):
        if g.value(ax, OWL.annotatedProperty) not in predicates:
            continue
        sections = {str(g.value(ev, PKO.section)) for ev in g.objects(ax, PKO.hasEvidence)}
        if section is None or section in sections:
            found.add(str(g.value(ax, OWL.annotatedSource)).rsplit("/", 1)[-1])
    return found


SECTION_LISTS = {
    # the evaluation that diagnoses DC combines clinical assessments and imaging techniques
    "What Are the Diagnostic Methods of Dystrophic Calcification?": (
        (PKO.isPartOf,),
        concept("diagnostic-evaluation"),
        {"medical-history-taking", "physical-examination", "radiography", "computed-tomography", "ultrasonography"},
    ),
    "Tissue Injury and Inflammation": (
        CONTRIBUTING,
        DC,
        {"tissue-injury", "chronic-inflammation", "burn", "surgical-procedure", "contusion", "repeated-trauma"},
    ),
    "Chronic Degenerative Diseases": (
        CONTRIBUTING,
        DC,
        {"chronic-degenerative-disease", "atherosclerosis", "osteoarthritis"},
    ),
    "Chronic Kidney Disease": (CONTRIBUTING, DC, {"chronic-kidney-disease"}),
    "Genetic Disorders": (CONTRIBUTING, DC, {"genetic-disorder", "pseudoxanthoma-elasticum"}),
    "Other Contributing Factors": (
        CONTRIBUTING,
        DC,
        {
            "advanced-age",
            "diabetes-mellitus",
            "autoimmune-disease",
            "chronic-infection",
            "prolonged-immobilization",
            "radiation-therapy",
        },
    ),
    "Conservative Management": (
        (PKO.isKindOf,),
        concept("conservative-management"),
        {"pain-management", "physical-therapy", "lifestyle-modification"},
    ),
    "Lifestyle Modifications": (
        (PKO.isPartOf,),
        concept("lifestyle-modification"),
        {"regular-exercise", "balanced-diet", "smoking-avoidance", "alcohol-avoidance"},
    ),
    "Surgical Intervention": (
        (PKO.isKindOf,),
        concept("surgical-intervention"),
        {"nodule-excision", "joint-replacement"},
    ),
    "Pharmacological Approaches": (
        (PKO.isKindOf,),
        concept("pharmacological-approaches"),
        {"calcium-deposition-reducing-medication", "underlying-condition-medication"},
    ),
    "Preventive Measures": (
        (PKO.isKindOf,),
        concept("preventive-measures"),
        {"systemic-inflammation-control", "calcium-phosphate-balance-management"},
    ),
}

# Group memberships are stated in the paragraphs under the group heading, so they are looked up by
# the group's paragraphs rather than by one section title.
GROUP_SECTIONS = {
    "Conservative Management",
    "Lifestyle Modifications",
    "Surgical Intervention",
    "Pharmacological Approaches",
    "Preventive Measures",
}


@pytest.mark.parametrize("section", sorted(SECTION_LISTS))
def test_section_list_is_exactly_the_articles(section: str, release_graph: Graph) -> None:
    predicates, obj, expected = SECTION_LISTS[section]
    found = _subjects(release_graph, predicates, obj, None if section in GROUP_SECTIONS else section)
    assert found == expected


def test_only_the_evaluation_diagnoses_dc(release_graph: Graph) -> None:
    """The article says diagnosing DC requires an evaluation combining clinical assessments and
    imaging; history and examination are there "to identify potential underlying conditions"."""
    assert _subjects(release_graph, (PKO.diagnoses,), DC) == {"diagnostic-evaluation"}
    for method in ("medical-history-taking", "physical-examination"):
        assert (concept(method), PKO.assesses, concept("underlying-condition")) in release_graph


def test_pxe_affects_elastic_fibers_of_skin_eyes_vessels(release_graph: Graph) -> None:
    pxe = concept("pseudoxanthoma-elasticum")
    affected = {str(o).rsplit("/", 1)[-1] for o in release_graph.objects(pxe, PKO.affects)}
    assert affected == {"elastic-fiber"}
    ax = next(a for a in release_graph.subjects(OWL.annotatedSource, pxe)
              if release_graph.value(a, OWL.annotatedProperty) == PKO.affects)
    sites = {str(c).rsplit("/", 1)[-1] for ev in release_graph.objects(ax, PKO.hasEvidence)
             for cond in release_graph.objects(ev, PKO.hasCondition)
             for c in release_graph.objects(cond, PKO.conditionConcept)}
    assert sites == {"skin", "eye", "blood-vessel"}


def _steps_in_context(g: Graph, context: URIRef) -> dict[str, set[str]]:
    """The leads-to steps whose evidence holds within ``context``."""
    steps: dict[str, set[str]] = {}
    for ax in g.subjects(OWL.annotatedProperty, PKO.leadsTo):
        if any(g.value(ev, PKO.context) == context for ev in g.objects(ax, PKO.hasEvidence)):
            s, o = (str(g.value(ax, p)).rsplit("/", 1)[-1] for p in (OWL.annotatedSource, OWL.annotatedTarget))
            steps.setdefault(s, set()).add(o)
    return steps


def test_mechanism_is_an_ordered_chain_within_dc(release_graph: Graph) -> None:
    steps = _steps_in_context(release_graph, DC)
    assert steps == {
        "calcium-ion-release": {"inflammation"},
        "inflammation": {"calcium-binding-substance-release"},
        "calcium-binding-substance-release": {"calcium-deposition"},
        "calcium-deposition": {"mineralized-nodule"},
        "mineralized-nodule": {"impaired-tissue-function", "complications"},
    }


def test_ckd_pathway_holds_within_ckd(release_graph: Graph) -> None:
    ckd = concept("chronic-kidney-disease")
    assert _steps_in_context(release_graph, ckd) == {
        "calcium-phosphate-imbalance": {"elevated-blood-calcium", "elevated-blood-phosphate"},
        "elevated-blood-calcium": {"calcium-phosphate-deposition"},
        "elevated-blood-phosphate": {"calcium-phosphate-deposition"},
    }


def test_ckd_pathway(release_graph: Graph) -> None:
    imbalance = concept("calcium-phosphate-imbalance")
    assert (concept("chronic-kidney-disease"), PKO.involves, imbalance) in release_graph
    levels = set(release_graph.objects(imbalance, PKO.leadsTo))
    assert levels == {concept("elevated-blood-calcium"), concept("elevated-blood-phosphate")}
    for level in levels:
        assert (level, PKO.leadsTo, concept("calcium-phosphate-deposition")) in release_graph
    sites = {
        str(o).rsplit("/", 1)[-1]
        for o in release_graph.objects(concept("calcium-phosphate-deposition"), PKO.isLocatedIn)
    }
    assert sites == {"blood-vessel", "soft-tissue", "organ"}


def test_dc_contrasts_with_metastatic_calcification(release_graph: Graph) -> None:
    assert (DC, PKO.contrastsWith, concept("metastatic-calcification")) in release_graph


def test_prognosis_and_goals(release_graph: Graph) -> None:
    assert (DC, PKO.hasPrognosis, concept("possible-irreversibility")) in release_graph
    goals = set(release_graph.objects(None, PKO.hasGoal))
    assert {concept("symptom-control"), concept("improved-quality-of-life"), concept("halted-progression")} <= goals
