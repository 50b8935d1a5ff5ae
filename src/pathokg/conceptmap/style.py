"""The visual language: a colour and a shape per category, chosen to stay apart on a projector.

Colours come from a colour-blind-safe set (Okabe-Ito and Tol's bright scheme, with darker and
lighter variants for subcategories); every category also has its own shape, so no distinction
rests on colour alone. Categories are named by their local name in the ontology.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """How the map draws one category: subcategories share their family's shape, get their own
    colour and a dashed border."""

    color: str
    shape: str
    border: str
    dashed: bool = False


STYLES: dict[str, Style] = {
    "PathologicalProcess": Style("#E8384F", "hexagon", "#8C1D2C"),
    "DiseaseOrDisorder": Style("#F28E2B", "ellipse", "#9A4F0A"),
    "GeneticDisorder": Style("#FFBE7D", "ellipse", "#9A4F0A", True),
    "InjuryOrExposure": Style("#B07AA1", "triangle", "#5E3A56"),
    "DemographicOrPhysiologicalFactor": Style("#9C755F", "triangleDown", "#5A3F30"),
    "PathophysiologicalMechanism": Style("#F1CE63", "box", "#8A7014"),
    "DiagnosticProcedure": Style("#4E79A7", "diamond", "#27405C"),
    "ClinicalAssessment": Style("#A0CBE8", "diamond", "#27405C", True),
    "ImagingTechnique": Style("#2F6FB3", "square", "#173A60", True),
    "Intervention": Style("#59A14F", "dot", "#2C5A26"),
    "ConservativeIntervention": Style("#8CD17D", "dot", "#2C5A26", True),
    "SurgicalIntervention": Style("#3B7F35", "star", "#1E4A1A", True),
    "PharmacologicalIntervention": Style("#86BCB6", "dot", "#2E6660", True),
    "PreventiveIntervention": Style("#499894", "dot", "#23504D", True),
    "LifestyleMeasure": Style("#B6D7A8", "dot", "#4F7A3F", True),
    "AnatomicalStructure": Style("#D4A6C8", "ellipse", "#7A4A6E"),
    "ChemicalEntity": Style("#BAB0AC", "ellipse", "#5E5551"),
    "DrugClass": Style("#D9C7B0", "ellipse", "#6B5A45", True),
    "ClinicalOutcome": Style("#FF9DA7", "box", "#A3414D"),
    # content of the Human Phenotype Ontology (the HPO view): colours of their own, teal
    "HpoPhenotype": Style("#9ED9DF", "box", "#00515C"),
    "HpoDisease": Style("#C9DDE0", "ellipse", "#2F5A60", True),
}

#: for categories this table does not know (another ontology's), in a fixed order.
FALLBACK: tuple[Style, ...] = (
    Style("#76B7B2", "dot", "#3A6360"), Style("#EDC948", "square", "#7D6A16"),
    Style("#AF7AA1", "triangle", "#5E3A56"), Style("#FF9D9A", "diamond", "#9E4643"),
    Style("#9D7660", "star", "#553D2F"), Style("#D7B5A6", "hexagon", "#7A5A4B"),
)


def style_for(key: str, fallback_index: int) -> Style:
    """The style of a category by local name; unknown ones take fallbacks in turn."""
    return STYLES.get(key) or FALLBACK[fallback_index % len(FALLBACK)]
