"""What a release says about itself: the SSSOM mapping set, the counts, and the VoID/DCAT-AP 3
description of every file (``void.ttl``).

The description is a ``dcat:Catalog`` of datasets, each with one ``dcat:Distribution`` per file
(download and access URL, IANA media type, byte size, SHA-256 checksum, dates, licence):

* the knowledge graph (``pathokg.ttl``, ``.owl``, ``.jsonld``, ``.nt``: one graph in four syntaxes,
  so four distributions of one dataset and one ``void:dataDump``, the N-Triples);
* the entailed triples, a dataset of their own (their content differs), derived from the graph;
* the mappings: the SSSOM file, and a ``void:Linkset`` per SKOS match property (subsets of the graph);
* the concepts as OWL classes, the concept-graph exports, Neo4j and KGX files, the concept map,
  the review sheet and the article texts (``dcterms:source`` of the graph);
* the HPO backbone, where the release has it: the import module and the annotations, each a
  ``void:subset`` of the graph in its own named graph, with HPO's release, licence,
  acknowledgement and citation (not pathokg's), and the mapping-consistency report;
* anything else a writer adds, as "other files of the release".
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from ..curation.assemble import Assembly
from ..curation.version import ReleaseInfo
from ..curation.xrefs import source_label
from ..paths import (
    CLASSES_OWL,
    FOLDER_MARKERS,
    HPO_ANNOTATIONS,
    HPO_IMPORT,
    HPO_REPORT,
    INFERRED,
    JSONLD,
    MAP_FILE,
    NTRIPLES,
    OWL_XML,
    REVIEW_FILE,
    SOURCES_FOLDER,
    SSSOM,
    TURTLE,
)
from ..rdf.store import new_graph
from ..vocab import (
    BASE,
    CATALOG_IRI,
    DATASET_IRI,
    DCAT,
    FOAF,
    HPO_ANNOTATIONS_GRAPH,
    HPO_GRAPH,
    IANA_MEDIA_TYPES,
    LICENSE_IRI,
    MATCH_PROPERTIES,
    NO_TERM_FOUND,
    PAV,
    PKO,
    PREFIXES,
    PUBLISHER_IRI,
    SCHEMA,
    SEMAPV,
    SPDX,
    SSSOM_NAMESPACE,
    VCARD,
    XREF_BASES,
    concept,
    obo_source,
)
from .hpo import HpoRelease

PUBLISHER_NAME = "pathokg developers"
#: the SSSOM mapping set's id (its persistent, unversioned address)
MAPPING_SET_ID = f"{BASE}mappings/pathokg.sssom.tsv"


def sssom(assembly: Assembly) -> str:
    """The cross-references as SSSOM TSV with its metadata block (SSSOM 1.0).

    ``object_label`` is the label the identifier's own source gives it, empty where the verifier saw
    the identifier only as a cross-reference on another ontology's term; the verifier's notes and
    where each row was verified are in ``comment``. ``object_source`` is the OBO ontology of the
    identifier (``obo:hp.owl``) where it has one. A concept the verifier checked and found no
    standard term for has a row whose object is ``sssom:NoTermFound`` (SSSOM's convention), with
    the verifier's note in ``comment``.
    """
    info = assembly.release
    used = sorted({row.curie.split(":")[0].upper() for _, row in assembly.xref_rows})
    curie_map = {"pk": PREFIXES["pk"], "skos": str(SKOS), "semapv": str(SEMAPV),
                 "obo": PREFIXES["obo"], "pathokg": BASE, **{p: XREF_BASES[p] for p in used}}
    if assembly.no_term_rows:
        curie_map["sssom"] = SSSOM_NAMESPACE
    header = [
        "#sssom_version: '1.0'",
        "#curie_map:",
        *[f"#  {p}: {ns}" for p, ns in sorted(curie_map.items())],
        f"#mapping_set_id: {MAPPING_SET_ID}",
        f"#mapping_set_version: '{info.version}'",
        "#mapping_set_title: pathokg cross-references",
        "#mapping_set_description: Cross-references of pathokg concepts to standard ontologies and "
        "vocabularies, each checked by hand in the source file named in its comment; sssom:NoTermFound "
        "where the verifier looked and found no standard term.",
        f"#license: {LICENSE_IRI}",
        f"#publication_date: '{info.date}'",
        "#creator_id:",
        "#  - pathokg:agent/pathokg-developers",
        "#creator_label:",
        f"#  - {PUBLISHER_NAME}",
        f"#mapping_provider: {BASE}",
        "#subject_source: pathokg:ontology",
        f"#subject_source_version: {info.version_iri}",
        "#subject_type: skos concept",
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                     "mapping_justification", "object_source", "comment"])
    rows = []
    for c, row in assembly.xref_rows:
        label, note = source_label(row)
        comment = "; ".join(part for part in (note, f"verified in: {row.evidence}") if part)
        rows.append([f"pk:{c.id}", c.label, f"skos:{row.match_type}Match", row.curie, label,
                     "semapv:ManualMappingCuration", obo_source(row.curie.split(":")[0]) or "",
                     comment])
    for c, no_term in assembly.no_term_rows:
        rows.append([f"pk:{c.id}", c.label, f"skos:{no_term.match_type}Match", NO_TERM_FOUND, "",
                     "semapv:ManualMappingCuration", "",
                     f"checked, no standard term: {no_term.note} Verified in: {no_term.evidence}"])
    writer.writerows(sorted(rows, key=lambda r: (r[0], r[3], r[2])))
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


#: file suffix -> IANA media type; JSON Lines has no registered type (dcterms:conformsTo says what
#: it is), and a suffix not listed is application/octet-stream
MEDIA_TYPES = {
    ".svg": "image/svg+xml", ".jsonl": "",
    ".ttl": "text/turtle", ".owl": "application/rdf+xml", ".jsonld": "application/ld+json",
    ".nt": "application/n-triples", ".tsv": "text/tab-separated-values", ".csv": "text/csv",
    ".json": "application/json", ".cyjs": "application/json", ".graphml": "application/xml",
    ".gexf": "application/xml", ".html": "text/html", ".md": "text/markdown", ".txt": "text/plain",
    ".cypher": "text/plain", ".yaml": "application/yaml",
}
#: file suffix -> the specification the file follows, where the media type alone does not say
CONFORMS_TO = {
    ".graphml": "http://graphml.graphdrawing.org/xmlns", ".gexf": "http://gexf.net/1.3",
    ".jsonl": "https://jsonlines.org/", ".cyjs": "https://js.cytoscape.org/",
}

#: (dataset key, title, description, files: a name, or a folder ending in "/")
DATASETS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("", "pathokg knowledge graph",
     "Pathology concepts and the relations between them, each relation with the verbatim quote, "
     "section, offsets and source that state it, and its qualifiers (certainty, conditions, context). "
     "The four files are the same graph in four syntaxes: load one of them.",
     (TURTLE, OWL_XML, JSONLD, NTRIPLES)),
    ("inferred", "pathokg entailed triples",
     "Triples entailed by the ontology (class and property hierarchies, inverses, symmetry, domains and "
     "ranges), each with its record (rule, premises, certainty); kept apart from the asserted graph, "
     "to load into the named graph https://w3id.org/pathokg/graph/inferred.", (INFERRED,)),
    ("mappings", "pathokg cross-references (SSSOM)",
     "The verified cross-references of the concepts to standard ontologies, as an SSSOM mapping set; "
     "the same mappings are SKOS triples in the knowledge graph (see the linksets).", (SSSOM,)),
    ("classes", "pathokg concepts as OWL classes",
     "The concepts as OWL classes below their categories, with labels, definitions, synonyms and "
     "cross-references, for OBO tools (ROBOT, OLS, OBO format); no relations.", (CLASSES_OWL,)),
    ("concept-graph", "pathokg concept graph",
     "The concepts as nodes and their relations as edges with evidence and qualifiers, for graph tools: "
     "GraphML, GEXF 1.3 (Gephi) and Cytoscape.js JSON are the same graph in three formats.",
     ("pathokg.graphml", "pathokg.gexf", "pathokg.cyjs")),
    ("neo4j", "pathokg concept graph for Neo4j",
     "Node and relationship CSV files in Neo4j's import format and the LOAD CSV script that loads them; "
     "the three files belong together.", ("neo4j/",)),
    ("kgx", "pathokg concept graph in KGX (Biolink Model)",
     "Nodes and edges in KGX TSV and in KGX JSON Lines (the two formats hold the same records; nodes and "
     "edges files belong together), the Biolink mapping table and the graph metadata.", ("kgx/",)),
    ("concept-map", "pathokg concept map",
     "The concept map: one HTML file that works offline (and, where the release has it, the whole map "
     "as an SVG picture).", (MAP_FILE, "concept-map.svg")),
    ("teaching", "pathokg article reader and flashcards",
     "The article with its evidence as one HTML page, and flashcards made from the graph (Anki, "
     "Quizlet), where the release has them.", ("reader.html", "flashcards.apkg", "flashcards-quizlet.csv")),
    ("review", "pathokg review sheet",
     "Every statement by section with its quote, relation, certainty and conditions, for curators.",
     (REVIEW_FILE,)),
    ("hpo", "HPO import",
     "An extract of the Human Phenotype Ontology as OWL classes (the mapped terms, their ancestors and "
     "descendants), with HPO's labels, definitions, synonyms, cross-references and subclass axioms "
     "unchanged; load it into the named graph https://w3id.org/pathokg/graph/hpo.", (HPO_IMPORT,)),
    ("hpo-annotations", "HPO disease annotations",
     "HPO's disease annotations (phenotype.hpoa, every column kept) of the imported phenotypes, with the "
     "diseases and the genes linked to them; load it into the named graph "
     "https://w3id.org/pathokg/graph/hpo-annotations.", (HPO_ANNOTATIONS,)),
    ("hpo-consistency", "pathokg mappings against the HPO hierarchy",
     "Where the curated mappings to HPO and HPO's own hierarchy disagree, for curators.", (HPO_REPORT,)),
    ("sources", "pathokg source texts",
     "The articles the graph is curated from, as plain text byte for byte; evidence offsets count "
     "characters in these files.", (SOURCES_FOLDER + "/",)),
)
OTHER = ("files", "other files of the release", "Files of the release not described by another dataset.")


#: prefixes of the description's vocabularies, beyond pathokg's own
DESCRIPTION_PREFIXES = {"dcat": str(DCAT), "foaf": str(FOAF), "vcard": str(VCARD), "spdx": str(SPDX),
                        "pav": str(PAV)}


def bind_description_prefixes(g: Graph) -> Graph:
    """Bind the DCAT, FOAF, vCard, SPDX and PAV prefixes (for a readable ``void.ttl``)."""
    for prefix, ns in DESCRIPTION_PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def dataset_iri(key: str) -> URIRef:
    return DATASET_IRI if not key else URIRef(f"{DATASET_IRI}/{key}")


def _release_files(folder: Path, skip: Iterable[str]) -> list[str]:
    """The files to describe: all but ``skip`` and the folder markers (which list the files)."""
    skipped = set(skip)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name not in FOLDER_MARKERS
                  and p.relative_to(folder).as_posix() not in skipped)


def _dataset_of(name: str) -> str:
    for key, _, _, files in DATASETS:
        if any(name == f or (f.endswith("/") and name.startswith(f)) for f in files):
            return key
    return OTHER[0]


#: the datasets whose content is HPO's: HPO's version and licence, not pathokg's
HPO_DATASETS = ("hpo", "hpo-annotations")


def _describe_dataset(g: Graph, iri: URIRef, title: str, description: str, info: ReleaseInfo,
                      version: str | None = None, licence: URIRef = LICENSE_IRI) -> None:
    g.add((iri, RDF.type, DCAT.Dataset))
    g.add((iri, DCTERMS.title, Literal(title, lang="en")))
    g.add((iri, DCTERMS.description, Literal(description, lang="en")))
    g.add((iri, DCTERMS.publisher, PUBLISHER_IRI))
    g.add((iri, DCAT.contactPoint, URIRef(f"{PUBLISHER_IRI}#contact")))
    g.add((iri, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))
    g.add((iri, DCTERMS.modified, Literal(info.date, datatype=XSD.date)))
    g.add((iri, DCAT.version, Literal(version or info.version)))
    g.add((iri, OWL.versionInfo, Literal(version or info.version)))
    g.add((iri, DCTERMS.license, licence))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((CATALOG_IRI, DCAT.dataset, iri))


def _describe_file(g: Graph, dataset: URIRef, folder: Path, name: str, info: ReleaseInfo,
                   licence: URIRef = LICENSE_IRI) -> URIRef:
    path = folder / name
    dist = URIRef(f"{info.folder_iri}{name}")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(name)))
    g.add((dist, DCAT.downloadURL, info.download_iri(name)))
    g.add((dist, DCAT.accessURL, info.folder_iri))
    suffix = path.suffix.lower()
    if MEDIA_TYPES.get(suffix, "application/octet-stream"):
        media = URIRef(IANA_MEDIA_TYPES + MEDIA_TYPES.get(suffix, "application/octet-stream"))
        g.add((dist, DCAT.mediaType, media))
        g.add((media, RDF.type, DCTERMS.MediaType))
    if suffix in CONFORMS_TO:
        standard = URIRef(CONFORMS_TO[suffix])
        g.add((dist, DCTERMS.conformsTo, standard))
        g.add((standard, RDF.type, DCTERMS.Standard))
    data = path.read_bytes()
    g.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
    checksum = BNode()
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)))
    g.add((dist, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))
    g.add((dist, DCTERMS.modified, Literal(info.date, datatype=XSD.date)))
    g.add((dist, DCTERMS.license, licence))
    return dist


def _describe_graph(g: Graph, assembly: Assembly, numbers: dict[str, int]) -> None:
    """The VoID side of the knowledge graph, its entailments and its linksets."""
    info, d = assembly.release, DATASET_IRI
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, OWL.versionIRI, info.version_iri))
    g.add((d, VOID.triples, Literal(numbers["triples"], datatype=XSD.integer)))
    g.add((d, VOID.entities, Literal(numbers["concepts"], datatype=XSD.integer)))
    for key in ("concepts", "relations", "evidence", "mappings", "articles", "inferred"):
        g.add((d, PKO[f"{key}Count"], Literal(numbers[key], datatype=XSD.integer)))
    g.add((d, VOID.vocabulary, URIRef(str(PKO))))
    g.add((d, VOID.uriSpace, Literal(PREFIXES["pk"])))
    g.add((d, VOID.exampleResource, concept("dystrophic-calcification")))
    g.add((d, VOID.dataDump, info.download_iri(NTRIPLES)))
    g.add((d, SCHEMA.about, concept("dystrophic-calcification")))
    g.add((d, DCTERMS.source, dataset_iri("sources")))
    inferred = dataset_iri("inferred")
    g.add((inferred, RDF.type, VOID.Dataset))
    g.add((inferred, VOID.triples, Literal(numbers["inferred_triples"], datatype=XSD.integer)))
    g.add((inferred, VOID.dataDump, info.download_iri(INFERRED)))
    described = set(g.objects(CATALOG_IRI, DCAT.dataset))
    for key in ("inferred", "classes", "mappings", "concept-graph", "neo4j", "kgx", "concept-map", "review",
                "teaching", "hpo-consistency"):
        if dataset_iri(key) in described:
            g.add((dataset_iri(key), PROV.wasDerivedFrom, d))
    mappings = dataset_iri("mappings")
    g.add((mappings, RDF.type, VOID.Dataset))
    g.add((mappings, DCTERMS.identifier, Literal(MAPPING_SET_ID)))
    for match, prop in MATCH_PROPERTIES.items():
        n = sum(1 for _, row in assembly.xref_rows if row.match_type == match)
        if not n:
            continue
        linkset = dataset_iri(f"mappings/{match}")
        g.add((d, VOID.subset, linkset))
        g.add((mappings, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.linkPredicate, prop))
        g.add((linkset, VOID.subjectsTarget, d))
        g.add((linkset, VOID.triples, Literal(n, datatype=XSD.integer)))
        g.add((linkset, DCTERMS.description, Literal(
            f"The {match} matches (skos:{match}Match) of the concepts to standard terms.", lang="en")))


def _describe_sources(g: Graph, assembly: Assembly) -> None:
    """The articles, which the source texts reproduce (with their address where the provenance
    records one)."""
    sources = dataset_iri("sources")
    for a in assembly.articles:
        article = URIRef(PREFIXES["pksrc"] + a.id)
        g.add((sources, DCTERMS.references, article))
        g.add((article, DCTERMS.title, Literal(a.meta["title"], lang="en")))
        g.add((article, DCTERMS.publisher, Literal(a.meta["publisher"])))
        g.add((article, DCTERMS.issued, Literal(str(a.meta["published"]), datatype=XSD.date)))
        if a.meta.get("url"):
            g.add((article, SCHEMA.url, Literal(a.meta["url"], datatype=XSD.anyURI)))
        if a.meta.get("retrieved"):
            g.add((article, PAV.retrievedOn, Literal(str(a.meta["retrieved"]), datatype=XSD.date)))


def _describe_hpo(g: Graph, hpo: HpoRelease, info: ReleaseInfo) -> None:
    """The VoID side of the HPO backbone: two subsets of the graph (the import module and the
    annotations, each a file and a named graph) with HPO's release, acknowledgement, citation and
    where it was read from."""
    meta = hpo.metadata
    citation = ", ".join(x for x in (meta.get("title", "Human Phenotype Ontology"),
                                     f"release {hpo.version}", meta.get("rights", "")) if x)
    for key, name, graph, triples, numbers in (
            ("hpo", HPO_IMPORT, HPO_GRAPH, "import_triples", (("terms", "hpoTermCount"),)),
            ("hpo-annotations", HPO_ANNOTATIONS, HPO_ANNOTATIONS_GRAPH, "annotation_triples",
             (("annotations", "hpoAnnotationCount"), ("diseases", "hpoDiseaseCount"),
              ("genes", "hpoGeneCount")))):
        subset = dataset_iri(key)
        g.add((DATASET_IRI, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, PKO.namedGraph, graph))
        g.add((subset, PKO.importMode, Literal(hpo.mode)))
        g.add((subset, PKO.acknowledgement, Literal(meta.get("acknowledgement", ""))))
        g.add((subset, DCTERMS.bibliographicCitation, Literal(citation)))
        if meta.get("derivedFrom"):
            g.add((subset, PROV.wasDerivedFrom, URIRef(meta["derivedFrom"])))
        if meta.get("source"):  # DCAT-AP reads dcterms:source as a dataset: a statement says it
            statement = URIRef(f"{subset}#provenance")
            g.add((subset, DCTERMS.provenance, statement))
            g.add((statement, RDF.type, DCTERMS.ProvenanceStatement))
            g.add((statement, RDFS.label, Literal(f"read from {meta['source']}", lang="en")))
        g.add((subset, VOID.triples, Literal(hpo.counts[triples], datatype=XSD.integer)))
        for count, prop in numbers:
            g.add((subset, PKO[prop], Literal(hpo.counts[count], datatype=XSD.integer)))
        g.add((subset, VOID.dataDump, info.download_iri(name)))


def dataset_description(assembly: Assembly, numbers: dict[str, int], folder: Path,
                        skip: Iterable[str] = (), hpo: HpoRelease | None = None) -> Graph:
    """The VoID/DCAT-AP description of a release folder whose other files are all written.

    :param skip: files not to describe (the description itself).
    :param hpo: the HPO backbone :func:`~pathokg.release.hpo.write_hpo` wrote, if any.
    """
    info = assembly.release
    g = new_graph()
    g.add((CATALOG_IRI, RDF.type, DCAT.Catalog))
    g.add((CATALOG_IRI, DCTERMS.title, Literal(f"pathokg release {info.version}", lang="en")))
    g.add((CATALOG_IRI, DCTERMS.description, Literal(
        f"The files of the pathokg release {info.version} of {info.date} ({info.folder_iri}).", lang="en")))
    g.add((CATALOG_IRI, DCTERMS.publisher, PUBLISHER_IRI))
    g.add((CATALOG_IRI, DCTERMS.issued, Literal(info.date, datatype=XSD.date)))
    g.add((CATALOG_IRI, DCTERMS.license, LICENSE_IRI))
    g.add((CATALOG_IRI, OWL.versionInfo, Literal(info.version)))
    g.add((LICENSE_IRI, RDF.type, DCTERMS.LicenseDocument))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((PUBLISHER_IRI, RDF.type, FOAF.Agent))
    g.add((PUBLISHER_IRI, FOAF.name, Literal(PUBLISHER_NAME)))
    contact = URIRef(f"{PUBLISHER_IRI}#contact")
    g.add((contact, RDF.type, VCARD.Kind))  # the class the DCAT-AP shapes check (no inference)
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(PUBLISHER_NAME)))
    g.add((contact, VCARD.hasURL, URIRef(BASE)))
    files = _release_files(folder, skip)
    keys = {_dataset_of(name) for name in files}
    hpo_licence = URIRef(hpo.metadata["license"]) if hpo and hpo.metadata.get("license") else LICENSE_IRI
    for key, title, description, _ in (*DATASETS, (*OTHER, ())):
        if key in keys or key == "":
            if key in HPO_DATASETS and hpo is not None:
                _describe_dataset(g, dataset_iri(key), f"{title} (HPO {hpo.version})", description,
                                  info, version=hpo.version, licence=hpo_licence)
            else:
                _describe_dataset(g, dataset_iri(key), title, description, info)
    for name in files:
        key = _dataset_of(name)
        _describe_file(g, dataset_iri(key), folder, name, info,
                       hpo_licence if key in HPO_DATASETS else LICENSE_IRI)
    _describe_graph(g, assembly, numbers)
    _describe_sources(g, assembly)
    if hpo is not None:
        _describe_hpo(g, hpo, info)
    for node in list(g.objects(None, DCAT.accessURL)) + list(g.objects(None, DCAT.downloadURL)):
        g.add((node, RDF.type, RDFS.Resource))
    return g
