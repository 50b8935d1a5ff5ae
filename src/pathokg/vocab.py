"""Namespaces and IRIs: the one place where pathokg's base IRI and the vocabularies it reuses are named.

The ontology, shapes and queries write pathokg IRIs relative to :data:`BASE` and are resolved against
it when they are loaded, so changing the base here changes it everywhere.

>>> str(concept("chronic-kidney-disease"))
'https://w3id.org/pathokg/concept/chronic-kidney-disease'
>>> from pathokg.vocab import PKO
>>> str(PKO.causes)
'https://w3id.org/pathokg/ontology/causes'
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import curies
    from rdflib import Namespace, URIRef
    from rdflib.namespace import DefinedNamespace

    # made on first use by __getattr__ (below)
    PKO: Namespace
    PK: Namespace
    EVIDENCE: Namespace
    SOURCE: Namespace
    INFERENCE: Namespace
    OA: Namespace
    OBOINOWL: Namespace
    SCHEMA: Namespace
    SH: Namespace
    VANN: Namespace
    DCAT: Namespace
    SEMAPV: Namespace
    ONTOLOGY_IRI: URIRef
    DATASET_IRI: URIRef
    SCHEME_IRI: URIRef
    INFERRED_GRAPH: URIRef
    LICENSE_IRI: URIRef
    MATCH_PROPERTIES: dict[str, URIRef]
    DCTERMS: type[DefinedNamespace]
    OWL: type[DefinedNamespace]
    PROV: type[DefinedNamespace]
    RDF: type[DefinedNamespace]
    RDFS: type[DefinedNamespace]
    SKOS: type[DefinedNamespace]
    VOID: type[DefinedNamespace]
    XSD: type[DefinedNamespace]

BASE = "https://w3id.org/pathokg/"

#: The namespaces and IRIs below are rdflib terms, made on first use (PEP 562 ``__getattr__``):
#: importing rdflib costs a command from the shell about 0.1 s, and a query from the shell needs
#: only the strings (:data:`PREFIXES`, :data:`SPARQL_PREFIXES`, :func:`shorten`).
_NAMESPACES = {
    "PKO": BASE + "ontology/", "PK": BASE + "concept/", "EVIDENCE": BASE + "evidence/",
    "SOURCE": BASE + "source/",
    #: records of entailed triples (rule, premises, certainty), in the inferred graph
    "INFERENCE": BASE + "inference/",
    "OA": "http://www.w3.org/ns/oa#", "OBOINOWL": "http://www.geneontology.org/formats/oboInOwl#",
    "SCHEMA": "https://schema.org/", "SH": "http://www.w3.org/ns/shacl#",
    "VANN": "http://purl.org/vocab/vann/", "DCAT": "http://www.w3.org/ns/dcat#",
    "SEMAPV": "https://w3id.org/semapv/vocab/",
}
#: The IRIs of this module as text (the rdflib terms are made from these).
IRIS: dict[str, str] = {
    "ONTOLOGY_IRI": BASE + "ontology", "DATASET_IRI": BASE + "dataset",
    "SCHEME_IRI": BASE + "scheme",
    #: the named graph that holds entailed triples (see :mod:`pathokg.querying.inference`);
    #: asserted triples are in the default graph
    "INFERRED_GRAPH": BASE + "graph/inferred",
    "LICENSE_IRI": "https://creativecommons.org/licenses/by/4.0/",
}
_W3C = {
    "owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}

#: Prefixes bound in every serialisation and prepended to every query.
PREFIXES: dict[str, str] = {
    "pko": _NAMESPACES["PKO"],
    "pk": _NAMESPACES["PK"],
    "pkev": _NAMESPACES["EVIDENCE"],
    "pksrc": _NAMESPACES["SOURCE"],
    **_W3C,
    "oa": _NAMESPACES["OA"],
    "schema": _NAMESPACES["SCHEMA"],
    "void": "http://rdfs.org/ns/void#",
    "vann": _NAMESPACES["VANN"],
    "oboInOwl": _NAMESPACES["OBOINOWL"],
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

#: Prefixes every query may use without declaring them, the same in every face (the CLI, Python,
#: ``/sparql``, the REST API and the query page): pathokg's own, the standard vocabularies the
#: graph uses and those its concepts are mapped to. A query's own ``PREFIX`` declaration wins.
SPARQL_PREFIXES: dict[str, str] = {**PREFIXES, "pkinf": _NAMESPACES["INFERENCE"], **XREF_BASES}

#: The standard namespaces rdflib defines, offered here too.
_RDFLIB_NAMESPACES = ("DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "VOID", "XSD")
#: The match types of the verified table; ``MATCH_PROPERTIES`` maps each to its SKOS property.
_MATCHES = ("exact", "close", "broad", "narrow")


def __getattr__(name: str) -> object:
    """The rdflib terms of this module, made on first use (see :data:`_NAMESPACES`).

    >>> from pathokg import vocab
    >>> str(vocab.INFERRED_GRAPH), str(vocab.MATCH_PROPERTIES["exact"])
    ('https://w3id.org/pathokg/graph/inferred', 'http://www.w3.org/2004/02/skos/core#exactMatch')
    """
    if name in _NAMESPACES:
        from rdflib import Namespace

        value: object = Namespace(_NAMESPACES[name])
    elif name in IRIS:
        from rdflib import URIRef

        value = URIRef(IRIS[name])
    elif name in _RDFLIB_NAMESPACES:
        from rdflib import namespace

        value = getattr(namespace, name)
    elif name == "MATCH_PROPERTIES":
        from rdflib import URIRef

        value = {m: URIRef(_W3C["skos"] + m + "Match") for m in _MATCHES}
    else:  # checked first: the import system asks a module for __path__ and the like
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


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
    from rdflib import URIRef

    return URIRef(_NAMESPACES["PK"] + slug)


@cache
def converter() -> curies.Converter:
    """The CURIE converter of pathokg's prefixes and the external identifier prefixes, for code
    that wants a ``curies.Converter`` (the same map as :func:`expand_curie` and :func:`curie_for`,
    checked by ``tests/test_prefixes.py``).

    ``curies`` is imported on first use: it pulls in pydantic (about 0.1 s), which a query from
    the shell does not otherwise need.
    """
    import curies

    prefix_map = {**XREF_BASES, **PREFIXES}
    records = [curies.Record(prefix=p, uri_prefix=ns,
                             prefix_synonyms=[p.lower()] if p in XREF_BASES else [])
               for p, ns in prefix_map.items()]
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
    base = PREFIXES.get(prefix) or XREF_BASES.get(prefix) or XREF_BASES.get(prefix.upper())
    return None if base is None else base + local


def xref_iri(curie: str) -> URIRef:
    """Expand a CURIE of the verified table to its IRI.

    >>> str(xref_iri("MESH:D002114"))
    'http://id.nlm.nih.gov/mesh/D002114'
    >>> str(xref_iri("MPATH:36"))
    'http://purl.obolibrary.org/obo/MPATH_36'
    """
    from rdflib import URIRef

    iri = expand_curie(curie)
    if iri is None:
        raise KeyError(curie.partition(":")[0])
    return URIRef(iri)


#: (base, prefix), longest base first; a base shared by two prefixes gives pathokg's own.
_BY_LONGEST_BASE = sorted({base: prefix for prefix, base in {**XREF_BASES, **PREFIXES}.items()}.items(),
                          key=lambda item: -len(item[0]))


def curie_for(iri: str) -> str | None:
    """Compress an IRI to a CURIE, or return ``None`` if no known base matches.

    >>> curie_for("http://purl.obolibrary.org/obo/HP_0003761")
    'HP:0003761'
    """
    # a longest-prefix match over the ~30 bases, as curies does: without importing curies and
    # pydantic, which cost a command from the shell about 0.1 s (scripts/bench_start.py)
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
