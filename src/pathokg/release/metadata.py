"""What a release says about itself: the SSSOM mapping set, the counts and the VoID/DCAT
dataset description."""

from __future__ import annotations

import csv
import io

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS, VOID, XSD

from ..curation.assemble import Assembly
from ..paths import HPO_ANNOTATIONS, HPO_IMPORT, HPO_REPORT, INFERRED, JSONLD, NTRIPLES, OWL_XML, SSSOM, TURTLE
from ..rdf.store import new_graph
from ..vocab import (
    DATASET_IRI,
    DCAT,
    HPO_ANNOTATIONS_GRAPH,
    HPO_GRAPH,
    LICENSE_IRI,
    PKO,
    PREFIXES,
    SCHEMA,
    SEMAPV,
    XREF_BASES,
    concept,
)
from .hpo import HpoRelease


def sssom(assembly: Assembly) -> str:
    """The cross-references as an SSSOM TSV with its YAML metadata block."""
    curie_map = {"pk": str(PREFIXES["pk"]), "skos": str(SKOS), "semapv": str(SEMAPV)}
    used = sorted({row.curie.split(":")[0].upper() for _, row in assembly.xref_rows})
    curie_map.update({p: XREF_BASES[p] for p in used})
    header = [
        "#curie_map:",
        *[f"#  {p}: {ns}" for p, ns in sorted(curie_map.items())],
        f"#mapping_set_id: {PREFIXES['pk'].rsplit('concept/', 1)[0]}mappings/pathokg.sssom.tsv",
        "#mapping_set_description: Cross-references of pathokg concepts to standard ontologies, "
        "each verified in the source named in the comment.",
        f"#license: {LICENSE_IRI}",
        "#mapping_provider: pathokg",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                     "mapping_justification", "comment"])
    for c, row in sorted(assembly.xref_rows, key=lambda cr: (cr[0].id, cr[1].curie)):
        writer.writerow([f"pk:{c.id}", c.label, f"skos:{row.match_type}Match", row.curie,
                         row.label_in_source, "semapv:ManualMappingCuration",
                         f"verified in: {row.evidence}"])
    return "\n".join(header) + "\n" + buf.getvalue()


def counts(assembly: Assembly) -> dict[str, int]:
    """The numbers the dataset description reports."""
    g = assembly.graph
    concepts = set(g.subjects(RDF.type, SKOS.Concept)) - {c for c in g.subjects(RDF.type, OWL.Class)}
    relations = {(s, p, o) for a in assembly.articles for r in a.relations
                 for s, p, o in [(concept(r.subject), PKO[r.predicate], concept(r.object))]}
    return {
        "triples": len(g),
        "concepts": len(concepts),
        "relations": len(relations),
        "evidence": len(set(g.subjects(RDF.type, PKO.Evidence))),
        "mappings": len(assembly.xref_rows),
        "articles": len(assembly.articles),
    }


def dataset_description(assembly: Assembly, version: str, numbers: dict[str, int],
                        hpo: HpoRelease | None = None) -> Graph:
    """VoID and DCAT description of the release, with version, license and counts (and the HPO
    backbone's subsets, release, licence and acknowledgement, if the release has it)."""
    g = new_graph()
    g.bind("dcat", str(DCAT))
    d = DATASET_IRI
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("pathokg knowledge graph", lang="en")))
    g.add((d, DCTERMS.description, Literal(
        "Pathology concepts and the relations between them, each relation with the verbatim quote, "
        "section, offsets and source that state it.", lang="en")))
    g.add((d, DCTERMS.license, LICENSE_IRI))
    g.add((d, OWL.versionInfo, Literal(version)))
    g.add((d, DCAT.version, Literal(version)))
    g.add((d, VOID.triples, Literal(numbers["triples"], datatype=XSD.integer)))
    g.add((d, VOID.entities, Literal(numbers["concepts"], datatype=XSD.integer)))
    for key in ("concepts", "relations", "evidence", "mappings", "articles", "inferred"):
        g.add((d, PKO[f"{key}Count"], Literal(numbers[key], datatype=XSD.integer)))
    g.add((d, VOID.vocabulary, URIRef(str(PKO))))
    g.add((d, VOID.uriSpace, Literal(PREFIXES["pk"])))
    g.add((d, VOID.exampleResource, concept("dystrophic-calcification")))
    for a in assembly.articles:
        g.add((d, DCTERMS.source, URIRef(PREFIXES["pksrc"] + a.id)))
    for name, media in ((TURTLE, "text/turtle"), (OWL_XML, "application/rdf+xml"),
                        (JSONLD, "application/ld+json"), (NTRIPLES, "application/n-triples"),
                        (SSSOM, "text/tab-separated-values"), (INFERRED, "text/turtle")):
        dist = URIRef(f"{d}/{name}")
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.mediaType, Literal(media)))
        g.add((dist, DCTERMS.title, Literal(name)))
        if name not in (SSSOM, INFERRED):
            g.add((d, VOID.dataDump, dist))
    inferred_set = URIRef(f"{d}/inferred")
    g.add((d, VOID.subset, inferred_set))
    g.add((inferred_set, RDF.type, VOID.Dataset))
    g.add((inferred_set, DCTERMS.description, Literal(
        "Triples entailed by the ontology (class and property hierarchies, inverses, symmetry, domains "
        "and ranges), kept apart from the asserted ones.", lang="en")))
    g.add((inferred_set, VOID.triples, Literal(numbers["inferred"], datatype=XSD.integer)))
    g.add((inferred_set, VOID.dataDump, URIRef(f"{d}/{INFERRED}")))
    g.add((d, SCHEMA.about, concept("dystrophic-calcification")))
    if hpo is not None:
        describe_hpo(g, d, hpo)
    return g


def describe_hpo(g: Graph, d: URIRef, hpo: HpoRelease) -> None:
    """The HPO backbone in the dataset description: two subsets (the import module and the
    annotations, each a file and a named graph) with HPO's release, licence, acknowledgement and
    citation, and the consistency report."""
    meta = hpo.metadata
    citation = ", ".join(x for x in (meta.get("title", "Human Phenotype Ontology"),
                                     f"release {hpo.version}", meta.get("rights", "")) if x)
    for key, name, graph, description, counts in (
            ("hpo", HPO_IMPORT, HPO_GRAPH,
             f"{meta.get('label', 'HPO import')}: HPO's terms as OWL classes, unchanged.",
             (("terms", "hpoTermCount"),)),
            ("hpo-annotations", HPO_ANNOTATIONS, HPO_ANNOTATIONS_GRAPH,
             "HPO's disease annotations (phenotype.hpoa, every column kept) of the imported "
             "phenotypes, with the diseases and the genes genes_to_phenotype.txt links to them.",
             (("annotations", "hpoAnnotationCount"), ("diseases", "hpoDiseaseCount"),
              ("genes", "hpoGeneCount")))):
        subset = URIRef(f"{d}/{key}")
        g.add((d, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, RDF.type, DCAT.Dataset))
        g.add((subset, DCTERMS.description, Literal(description, lang="en")))
        g.add((subset, PKO.namedGraph, graph))
        g.add((subset, PKO.importMode, Literal(hpo.mode)))
        g.add((subset, OWL.versionInfo, Literal(hpo.version)))
        g.add((subset, DCAT.version, Literal(hpo.version)))
        if meta.get("license"):
            g.add((subset, DCTERMS.license, URIRef(meta["license"])))
        g.add((subset, PKO.acknowledgement, Literal(meta.get("acknowledgement", ""))))
        g.add((subset, DCTERMS.bibliographicCitation, Literal(citation)))
        if meta.get("derivedFrom"):
            g.add((subset, PROV.wasDerivedFrom, URIRef(meta["derivedFrom"])))
        g.add((subset, DCTERMS.source, Literal(meta.get("source", ""))))
        triples = hpo.counts["import_triples" if key == "hpo" else "annotation_triples"]
        g.add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
        for count, prop in counts:
            g.add((subset, PKO[prop], Literal(hpo.counts[count], datatype=XSD.integer)))
        dist = URIRef(f"{d}/{name}")
        g.add((subset, VOID.dataDump, dist))
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.mediaType, Literal("text/turtle")))
        g.add((dist, DCTERMS.title, Literal(name)))
    report = URIRef(f"{d}/{HPO_REPORT}")
    g.add((d, DCAT.distribution, report))
    g.add((report, RDF.type, DCAT.Distribution))
    g.add((report, DCAT.mediaType, Literal("text/markdown")))
    g.add((report, DCTERMS.title, Literal(HPO_REPORT)))
    g.add((report, DCTERMS.description, Literal(
        f"Where the curated hierarchy and the mapping types disagree with HPO's hierarchy "
        f"({len(hpo.disagreements)} pairs), with HPO's paths and what would make them agree.", lang="en")))
