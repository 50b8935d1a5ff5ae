"""Namespaces and IRIs: the one place where pathokg's base IRI and the vocabularies it reuses are named.

The ontology, shapes and queries write pathokg IRIs relative to :data:`BASE` and are resolved against
it when they are loaded, so changing the base here changes it everywhere.

>>> str(concept("chronic-kidney-disease"))
'https://w3id.org/pathokg/concept/chronic-kidney-disease'
>>> str(PKO.causes)
'https://w3id.org/pathokg/ontology/causes'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

if TYPE_CHECKING:
    import curies

BASE = "https://w3id.org/pathokg/"

PKO = Namespace(BASE + "ontology/")
PK = Namespace(BASE + "concept/")
EVIDENCE = Namespace(BASE + "evidence/")
SOURCE = Namespace(BASE + "source/")
ONTOLOGY_IRI = URIRef(BASE + "ontology")
DATASET_IRI = URIRef(BASE + "dataset")
SCHEME_IRI = URIRef(BASE + "scheme")
#: The named graph that holds entailed triples (see :mod:`pathokg.inference`); asserted triples are
#: in the default graph.
INFERRED_GRAPH = URIRef(BASE + "graph/inferred")

#: Records of entailed triples (rule, premises, certainty), in the inferred graph.
INFERENCE = Namespace(BASE + "inference/")

#: The named graphs of the HPO backbone (see :mod:`pathokg.imports`): the import module (HPO's
#: terms, unchanged) and HPO's disease annotations with the diseases and genes they name.
HPO_GRAPH = URIRef(BASE + "graph/hpo")
HPO_ANNOTATIONS_GRAPH = URIRef(BASE + "graph/hpo-annotations")
#: Every named graph a release may hold besides the default graph, in load order.
RELEASE_NAMED_GRAPHS = (INFERRED_GRAPH, HPO_GRAPH, HPO_ANNOTATIONS_GRAPH)
#: Where a publish stages each graph before it replaces the published one (+ token/n).
STAGING_GRAPHS = URIRef(BASE + "graph/staging/")
#: Where a publish puts the HPO annotations graph (+ token): it stays there, is never moved, and
#: the pointer graph names it (a store cannot MOVE 2.7 million triples in one update).
HPO_ANNOTATIONS_PUBLISHED = URIRef(BASE + "graph/hpo-annotations/published/")
#: The pointer graph of a store `pathokg publish` wrote: one ``<logical> pko:publishedAs
#: <physical>`` triple per published graph; never part of a query's dataset.
PUBLISHED_GRAPH = URIRef(BASE + "graph/published")
#: ``<logical graph> pko:publishedAs <named graph>``: in a triplestore, the named graph that holds
#: the triples of one of the release's graphs (itself, for a graph published under its own name);
#: defined in the ontology (an annotation property: it relates graphs, not concepts).
PUBLISHED_AS = PKO.publishedAs
#: Import modules (extracts of standard ontologies) and the files they come from.
IMPORTS = Namespace(BASE + "imports/")
#: One node per row of HPO's phenotype.hpoa.
HPO_ANNOTATION = Namespace(BASE + "hpo-annotation/")
#: The HPO import module's own node (its version, licence and acknowledgement).
HPO_IMPORT = URIRef(BASE + "imports/hp_import")
#: The concept map's legend keys for HPO content (drawing categories, not ontology classes).
MAP_HPO_PHENOTYPE = URIRef(BASE + "map/hpo-phenotype")
MAP_HPO_DISEASE = URIRef(BASE + "map/hpo-disease")

OA = Namespace("http://www.w3.org/ns/oa#")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
#: Provenance, Authoring and Versioning (pav:retrievedOn: when a source was captured)
PAV = Namespace("http://purl.org/pav/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
#: the SSSOM vocabulary (its sssom:NoTermFound marks a checked concept without a standard term)
SSSOM_NAMESPACE = "https://w3id.org/sssom/"
NO_TERM_FOUND = "sssom:NoTermFound"
LICENSE_IRI = URIRef("https://creativecommons.org/licenses/by/4.0/")

# OBO conventions (what ROBOT, OLS and OBO-format tools read): IAO:0000115 for definitions, OMO
# synonym types, the OBO PURL space.
OBO = Namespace("http://purl.obolibrary.org/obo/")
IAO_DEFINITION = OBO["IAO_0000115"]
#: OMO:0003000, the synonym type "abbreviation"
OMO_ABBREVIATION = OBO["OMO_0003000"]

# Dataset description (DCAT-AP 3): agents, contact cards, checksums, IANA media types.
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
#: the catalogue of a release, the publisher (pathokg's developers) and the class view's ontology
CATALOG_IRI = URIRef(BASE + "catalog")
PUBLISHER_IRI = URIRef(BASE + "agent/pathokg-developers")
CLASSES_ONTOLOGY_IRI = URIRef(BASE + "pathokg-classes.owl")
#: pathokg's own information-resource id (Biolink ``infores:`` style) for KGX edges and nodes
INFORES_ID = "infores:pathokg"
INFORES = "https://w3id.org/information-resource-registry/"

#: Prefixes bound in every serialisation and prepended to every query.
PREFIXES: dict[str, str] = {
    "pko": str(PKO),
    "pk": str(PK),
    "pkev": str(EVIDENCE),
    "pksrc": str(SOURCE),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "void": str(VOID),
    "vann": str(VANN),
    "oboInOwl": str(OBOINOWL),
    "obo": str(OBO),
}

#: IRI bases of the external identifier prefixes, as ../shared/xrefs/README.md gives them.
XREF_BASES: dict[str, str] = {
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "OBI": "http://purl.obolibrary.org/obo/OBI_",
    "OGMS": "http://purl.obolibrary.org/obo/OGMS_",
    "IDO": "http://purl.obolibrary.org/obo/IDO_",
    "MPATH": "http://purl.obolibrary.org/obo/MPATH_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "SNOMEDCT": "http://snomed.info/id/",
    "UMLS": "https://uts.nlm.nih.gov/uts/umls/concept/",
    "OMIM": "https://omim.org/entry/",
    "ORPHA": "http://www.orpha.net/ORDO/Orphanet_",
}

#: IRI bases of the other identifier prefixes HPO's annotation files use (diseases from DECIPHER,
#: genes from NCBI Gene), as the bioregistry gives them (PyPI bioregistry 0.15.6,
#: bioregistry/data/bioregistry.json: ``decipher`` uri_format; ``ncbigene`` miriam and n2t).
ANNOTATION_ID_BASES: dict[str, str] = {
    "DECIPHER": "https://www.deciphergenomics.org/syndrome/",
    "NCBIGene": "https://www.ncbi.nlm.nih.gov/gene/",
}
#: Prefixes every query may use without declaring them, the same in every face (the CLI, Python,
#: ``/sparql``, the REST API and the query page): pathokg's own, the standard vocabularies the
#: graph uses and those its concepts are mapped to. A query's own ``PREFIX`` declaration wins.
SPARQL_PREFIXES: dict[str, str] = {**PREFIXES, "pkinf": str(INFERENCE), **XREF_BASES, **ANNOTATION_ID_BASES}

#: SKOS mapping property per match type of the verified table.
MATCH_PROPERTIES: dict[str, URIRef] = {
    "exact": SKOS.exactMatch,
    "close": SKOS.closeMatch,
    "broad": SKOS.broadMatch,
    "narrow": SKOS.narrowMatch,
}


def release_iri(date: str, name: str = "") -> URIRef:
    """Where a dated release (ODK style: ``releases/YYYY-MM-DD/``) keeps a file, or the folder.

    >>> str(release_iri("2026-11-26", "pathokg.owl"))
    'https://w3id.org/pathokg/releases/2026-11-26/pathokg.owl'
    """
    return URIRef(f"{BASE}releases/{date}/{name}")


def obo_source(prefix: str) -> str | None:
    """The OBO ontology an external prefix belongs to, as the CURIE ``obo:<id>.owl`` (the OBO
    Foundry's ontology PURL rule), or ``None`` for a vocabulary outside the OBO PURL space.

    >>> obo_source("HP"), obo_source("MESH")
    ('obo:hp.owl', None)
    """
    base = XREF_BASES.get(prefix.upper(), "")
    if base != f"{OBO}{prefix.upper()}_":
        return None
    return f"obo:{prefix.lower()}.owl"
def sparql_prologue(prefixes: Iterable[str] | None = None) -> str:
    """``PREFIX`` declarations of predeclared prefixes (all of them, or those named), on one line,
    so that a text they go in front of keeps its line numbers.

    >>> sparql_prologue(["skos", "pk"])
    'PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX pk: <https://w3id.org/pathokg/concept/> '
    """
    names = SPARQL_PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {name}: <{SPARQL_PREFIXES[name]}> " for name in names)


def concept(slug: str) -> URIRef:
    """Return the IRI of the concept with this id."""
    return PK[slug]


#: Every CURIE prefix pathokg knows and its IRI base (pathokg's own win a clash): the one map
#: :func:`converter`, :func:`expand_curie` and :func:`curie_for` read.
CURIE_BASES: dict[str, str] = {**XREF_BASES, **ANNOTATION_ID_BASES, **PREFIXES}
#: The prefixes that may be written in any case (the external ones), by their lower-case form.
_ANY_CASE = {p.lower(): p for p in (*XREF_BASES, *ANNOTATION_ID_BASES)}


@cache
def converter() -> curies.Converter:
    """The CURIE converter of pathokg's prefixes and the external identifier prefixes, for code
    that wants a ``curies.Converter`` (the same map as :func:`expand_curie` and :func:`curie_for`,
    checked by ``tests/test_prefixes.py``).

    ``curies`` is imported on first use: it pulls in pydantic (about 0.1 s), which a query from
    the shell does not otherwise need.
    """
    import curies

    records = [curies.Record(prefix=p, uri_prefix=ns,
                             prefix_synonyms=[p.lower()] if p.lower() in _ANY_CASE else [])
               for p, ns in CURIE_BASES.items()]
    return curies.Converter(records)


def expand_curie(curie: str) -> str | None:
    """The IRI of a CURIE whose prefix pathokg knows, or ``None``.

    External prefixes may be written in any case; pathokg's own are lower case.

    >>> expand_curie("pk:burn")
    'https://w3id.org/pathokg/concept/burn'
    >>> expand_curie("Mesh:D002114")
    'http://id.nlm.nih.gov/mesh/D002114'
    >>> expand_curie("nope:1") is None
    True
    """
    prefix, sep, local = curie.partition(":")
    if not sep:
        return None
    # a look-up in CURIE_BASES, as curies does, without importing curies and pydantic (about
    # 0.1 s of every command from the shell: scripts/bench_start.py)
    base = CURIE_BASES.get(prefix) or CURIE_BASES.get(_ANY_CASE.get(prefix.lower(), ""))
    return None if base is None else base + local


def xref_iri(curie: str) -> URIRef:
    """Expand a CURIE of the verified table to its IRI.

    >>> str(xref_iri("MESH:D002114"))
    'http://id.nlm.nih.gov/mesh/D002114'
    >>> str(xref_iri("MPATH:36"))
    'http://purl.obolibrary.org/obo/MPATH_36'
    """
    iri = expand_curie(curie)
    if iri is None:
        raise KeyError(curie.partition(":")[0])
    return URIRef(iri)


#: (base, prefix) of CURIE_BASES, longest base first; a base shared by two prefixes gives the
#: later one of CURIE_BASES (pathokg's own).
_BY_LONGEST_BASE = sorted({base: prefix for prefix, base in CURIE_BASES.items()}.items(),
                          key=lambda item: -len(item[0]))


def curie_for(iri: str) -> str | None:
    """Compress an IRI to a CURIE, or return ``None`` if no known base matches.

    >>> curie_for("http://purl.obolibrary.org/obo/HP_0003761")
    'HP:0003761'
    """
    # a longest-prefix match over the ~30 bases, as curies does (see expand_curie)
    for base, prefix in _BY_LONGEST_BASE:
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return None


def shorten(iri: str) -> str:
    """A CURIE for an IRI where a known prefix fits, else the IRI itself.

    >>> shorten("https://w3id.org/pathokg/concept/burn"), shorten("http://example.org/x")
    ('pk:burn', 'http://example.org/x')
    """
    return curie_for(iri) or iri
