"""OBO conventions alongside SKOS, so that ROBOT, OLS and OBO-format tools read what SKOS tools
read: definitions as IAO:0000115, exact synonyms (abbreviations typed OMO:0003000) as
``oboInOwl:hasExactSynonym``, cross-references as ``oboInOwl:hasDbXref``, and an ``rdfs:label``
on every named resource (evidence passages, their selectors and conditions, the sources, the
schemes) so that no OBO tool shows a bare IRI.

The concepts are individuals (each relation between two of them is an assertion with evidence), and
OBO tools read only classes as terms. :func:`class_view` is therefore a separate artefact,
``pathokg-classes.owl``: every concept as a class under its category with its label, definition,
synonyms and cross-references, and no relations (an OWL class axiom such as ``burn SubClassOf
causes some tissue injury`` would claim more than the article says). Punning the concepts in the
main graph was the alternative; it would put every concept into the class hierarchy that the named
queries and the inference rules read, so we kept the two apart.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..rdf.store import new_graph
from ..vocab import (
    CLASSES_ONTOLOGY_IRI,
    IAO_DEFINITION,
    LICENSE_IRI,
    OA,
    OBOINOWL,
    OMO_ABBREVIATION,
    ONTOLOGY_IRI,
    PKO,
    curie_for,
    release_iri,
)
from .evidence import annotated
from .version import ReleaseInfo

#: the SKOS mappings that are OBO cross-references (same or nearly the same thing); broader and
#: narrower matches stay SKOS (and SSSOM) only, since OBO tools read an xref as an equivalent
XREF_MATCHES = (SKOS.exactMatch, SKOS.closeMatch)
#: synonym scopes the class view carries, as oboInOwl properties
SYNONYM_SCOPES = (OBOINOWL.hasExactSynonym, OBOINOWL.hasRelatedSynonym, OBOINOWL.hasBroadSynonym,
                  OBOINOWL.hasNarrowSynonym)


def _text(g: Graph, node: object, prop: URIRef) -> str:
    value = g.value(node, prop)  # type: ignore[arg-type]
    return str(value) if value is not None else ""


def _span(g: Graph, ev: URIRef) -> str:
    """``(<article>, characters 2776-2907)`` for a passage, from its source and position selector."""
    article = str(g.value(ev, OA.hasSource) or "").rsplit("/", 1)[-1]
    for sel in g.objects(ev, OA.hasSelector):
        start, end = g.value(sel, OA.start), g.value(sel, OA.end)
        if start is not None and end is not None:
            return f"({article}, characters {start}-{end})"
    return f"({article})"


def _statement_names(g: Graph) -> dict[URIRef, str]:
    """evidence IRI -> "<subject> <relation> <object>" of the one statement it states."""
    names: dict[URIRef, list[str]] = {}
    for axiom, ev in g.subject_objects(PKO.hasEvidence):
        s, p, o = (g.value(axiom, prop) for prop in
                   (OWL.annotatedSource, OWL.annotatedProperty, OWL.annotatedTarget))
        names.setdefault(ev, []).append(  # type: ignore[arg-type]
            f"{_text(g, s, SKOS.prefLabel)} {_text(g, p, RDFS.label)} {_text(g, o, SKOS.prefLabel)}")
    return {ev: sorted(found)[0] for ev, found in names.items()}


def passage_labels(g: Graph) -> dict[URIRef, str]:
    """A label for every passage, selector and condition: unique, because each names the passage's
    statement (or caveat section) and its character span."""
    statements = _statement_names(g)
    labels: dict[URIRef, str] = {}
    for ev in sorted(set(g.subjects(RDF.type, PKO.Evidence))):
        if (ev, RDF.type, PKO.Caveat) in g:
            label = f"caveat in {_text(g, ev, PKO.section)} {_span(g, ev)}"
        else:
            label = f"evidence: {statements.get(ev, str(ev))} {_span(g, ev)}"
        labels[ev] = label
        for sel in g.objects(ev, OA.hasSelector):
            kind = "quote" if (sel, RDF.type, OA.TextQuoteSelector) in g else "position"
            labels[sel] = f"{kind} of {label}"  # type: ignore[index]
        for cond in g.objects(ev, PKO.hasCondition):
            number = str(cond).rsplit("-", 1)[-1]
            labels[cond] = f"condition {number} of {label}"  # type: ignore[index]
    return labels


def add_obo_annotations(g: Graph) -> None:
    """Add the OBO-convention triples to an assembled graph, next to the SKOS ones it keeps."""
    for node, definition in list(g.subject_objects(SKOS.definition)):
        if isinstance(node, URIRef):
            g.add((node, IAO_DEFINITION, definition))
    for node in set(g.subjects(RDF.type, SKOS.Concept)):
        abbreviations = set(g.objects(node, PKO.abbreviation))
        for name in g.objects(node, SKOS.altLabel):
            if name in abbreviations:
                axiom = annotated(g, node, OBOINOWL.hasExactSynonym, name)  # type: ignore[arg-type]
                g.add((axiom, OBOINOWL.hasSynonymType, OMO_ABBREVIATION))
            else:
                g.add((node, OBOINOWL.hasExactSynonym, name))
        for match in XREF_MATCHES:
            for target in g.objects(node, match):
                curie = curie_for(str(target))
                if curie:
                    g.add((node, OBOINOWL.hasDbXref, Literal(curie)))
    for node, label in passage_labels(g).items():
        g.add((node, RDFS.label, Literal(label, lang="en")))
    for node, title in list(g.subject_objects(DCTERMS.title)):
        if (node, RDF.type, PKO.SourceArticle) in g and g.value(node, RDFS.label) is None:
            g.add((node, RDFS.label, title))
    for node, label in list(g.subject_objects(SKOS.prefLabel)):
        if isinstance(node, URIRef) and g.value(node, RDFS.label) is None:
            g.add((node, RDFS.label, label))


def _categories(g: Graph) -> set[URIRef]:
    """pko:Concept and every class below it."""
    found, frontier = {PKO.Concept}, [PKO.Concept]
    while frontier:
        for sub in g.subjects(RDFS.subClassOf, frontier.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                frontier.append(sub)
    return found


#: the annotation properties the class view uses, with the label OBO tools show for them
_VIEW_PROPERTIES = {
    IAO_DEFINITION: "definition",
    OBOINOWL.hasExactSynonym: "has_exact_synonym",
    OBOINOWL.hasRelatedSynonym: "has_related_synonym",
    OBOINOWL.hasBroadSynonym: "has_broad_synonym",
    OBOINOWL.hasNarrowSynonym: "has_narrow_synonym",
    OBOINOWL.hasDbXref: "database_cross_reference",
    OBOINOWL.hasSynonymType: "has_synonym_type",
    OMO_ABBREVIATION: "abbreviation",
    SKOS.exactMatch: "exact match",
    SKOS.closeMatch: "close match",
    SKOS.broadMatch: "broad match",
    SKOS.narrowMatch: "narrow match",
}


def class_view(g: Graph, info: ReleaseInfo) -> Graph:
    """The concepts as OWL classes for OBO tools: ``pathokg-classes.owl``.

    Each concept becomes a class (same IRI) below the class of its category; it keeps its label,
    IAO definition, synonyms by scope (abbreviations typed), cross-references, SKOS mappings and
    notes (as ``rdfs:comment``). Categories keep their hierarchy under ``pko:Concept``.
    """
    view = new_graph()
    onto = CLASSES_ONTOLOGY_IRI
    view.add((onto, RDF.type, OWL.Ontology))
    view.add((onto, OWL.versionIRI, release_iri(info.date, "pathokg-classes.owl")))
    view.add((onto, OWL.versionInfo, Literal(info.version)))
    view.add((onto, DCTERMS.title, Literal("pathokg concepts as OWL classes", lang="en")))
    view.add((onto, DCTERMS.description, Literal(
        "The concepts of the pathokg knowledge graph as OWL classes below their categories, with "
        "labels, definitions, synonyms and cross-references, for OBO tools (ROBOT, OLS, OBO format). "
        "The relations between concepts and their evidence are in the knowledge graph itself "
        f"({info.version_iri}).", lang="en")))
    view.add((onto, DCTERMS.license, LICENSE_IRI))
    view.add((onto, DCTERMS.source, info.version_iri))
    view.add((onto, RDFS.seeAlso, ONTOLOGY_IRI))
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.source):
        view.add((prop, RDF.type, OWL.AnnotationProperty))
    view.add((OBOINOWL.SynonymTypeProperty, RDF.type, OWL.AnnotationProperty))
    view.add((OBOINOWL.SynonymTypeProperty, RDFS.label, Literal("synonym_type_property")))
    for prop, label in _VIEW_PROPERTIES.items():
        view.add((prop, RDF.type, OWL.AnnotationProperty))
        view.add((prop, RDFS.label, Literal(label)))
    view.add((OMO_ABBREVIATION, RDFS.subPropertyOf, OBOINOWL.SynonymTypeProperty))

    categories = _categories(g)
    for cls in categories:
        view.add((cls, RDF.type, OWL.Class))
        for prop in (RDFS.label, IAO_DEFINITION):
            for value in g.objects(cls, prop):
                view.add((cls, prop, value))
        for parent in g.objects(cls, RDFS.subClassOf):
            if parent in categories:
                view.add((cls, RDFS.subClassOf, parent))
    for node in set(g.subjects(RDF.type, SKOS.Concept)) - categories:
        if not isinstance(node, URIRef):
            continue
        view.add((node, RDF.type, OWL.Class))
        for cls in g.objects(node, RDF.type):
            if cls in categories:
                view.add((node, RDFS.subClassOf, cls))
        for prop in (RDFS.label, IAO_DEFINITION, OBOINOWL.hasDbXref, *SYNONYM_SCOPES,
                     SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch):
            for value in g.objects(node, prop):
                view.add((node, prop, value))
        for note in g.objects(node, SKOS.note):
            view.add((node, RDFS.comment, note))
    for axiom in g.subjects(OBOINOWL.hasSynonymType, None):
        if g.value(axiom, OWL.annotatedSource) in view.subjects(RDF.type, OWL.Class):
            for p, o in g.predicate_objects(axiom):
                view.add((axiom, p, o))
    return view
