"""The HPO backbone, made as the Ontology Development Kit makes an import: a module of HPO's own
terms, unchanged, for the terms pathokg needs, and HPO's disease annotations of those terms.

The **slim** module (the default of ``pathokg build``) starts from the seeds, the identifiers the
curated concepts map to in the verified table:

* every mapped HP term and all its descendants (so a question about "what sits below" a mapped
  term has HPO's whole answer);
* every annotation row of phenotype.hpoa whose phenotype is one of those, and every row of the
  diseases the concepts map to (OMIM, ORPHA), with the terms those rows use (phenotype, onset,
  frequency and modifier terms);
* all ancestors of every term above, to the root (ODK's "BOT" extract), so every term keeps all
  its HPO parents and HPO's paths to the root.

The **full** module (``pathokg build --hpo full``) is every term and every annotation row.

Every identifier comes from the HPO files; each term says what hp.obo says (:mod:`.obo`); each
annotation row keeps every column (:mod:`.annotations`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceError, SourceProblem
from ..paths import HPO_VOCABULARY_FILE
from ..rdf.canonical import write_turtle
from ..vocab import (
    ANNOTATION_ID_BASES,
    DCTERMS,
    HPO_ANNOTATION,
    IMPORTS,
    OBO,
    OBOINOWL,
    PKO,
    PROV,
    XREF_BASES,
)
from .annotations import AnnotationData, read_annotations
from .hpo_files import HpoFiles, acknowledgement
from .obo import LABEL, SYNONYM_PROPERTIES, A, OboDocument, read_obo

MODULE_IRI = ox.NamedNode(str(IMPORTS) + "hp_import")
SEARCH_TEXT = ox.NamedNode(str(PKO.searchText))
_OWL = "http://www.w3.org/2002/07/owl#"
_HP = re.compile(r"^HP:\d{7}$")


@dataclass(frozen=True)
class Seeds:
    """What the import starts from: HP terms and disease ids, each with the mappings that name it
    (``pk:pathological-calcification exactMatch``)."""

    phenotypes: dict[str, tuple[str, ...]]
    diseases: dict[str, tuple[str, ...]]


def seeds_from_mappings(mappings: Iterable[tuple[str, str, str]]) -> Seeds:
    """Seeds from ``(concept id, CURIE, match type)`` mappings: HP CURIEs are phenotype seeds,
    OMIM, ORPHA and DECIPHER CURIEs disease seeds (others are not HPO's).

    >>> seeds_from_mappings([("pxe", "OMIM:264800", "exact"), ("calc", "HP:0003761", "exact"),
    ...                      ("calc", "MESH:D002114", "exact")])
    Seeds(phenotypes={'HP:0003761': ('pk:calc exactMatch',)}, diseases={'OMIM:264800': ('pk:pxe exactMatch',)})
    """
    phenotypes: dict[str, list[str]] = {}
    diseases: dict[str, list[str]] = {}
    for concept_id, curie, match in mappings:
        reason = f"pk:{concept_id} {match}Match"
        prefix = curie.partition(":")[0].upper()
        if prefix == "HP":
            phenotypes.setdefault(curie, []).append(reason)
        elif prefix in {"OMIM", "ORPHA", "DECIPHER"}:
            diseases.setdefault(curie, []).append(reason)
    return Seeds({k: tuple(sorted(set(v))) for k, v in sorted(phenotypes.items())},
                 {k: tuple(sorted(set(v))) for k, v in sorted(diseases.items())})


def closure(start: Iterable[str], edges: dict[str, tuple[str, ...]] | dict[str, list[str]]) -> set[str]:
    """Every node reachable from ``start`` along ``edges`` (``start`` included).

    >>> sorted(closure(["a"], {"a": ("b",), "b": ("c",)}))
    ['a', 'b', 'c']
    """
    out: set[str] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if node not in out:
            out.add(node)
            stack.extend(edges.get(node, ()))
    return out


def children_of(doc: OboDocument) -> dict[str, list[str]]:
    """Each term's direct subclasses."""
    children: dict[str, list[str]] = {}
    for tid, parents in doc.parents.items():
        for p in parents:
            children.setdefault(p, []).append(tid)
    return children


@dataclass
class HpoImport:
    """An HPO import: the parsed ontology, the terms and annotation rows it keeps, and the triples
    of its two graphs."""

    files: HpoFiles
    doc: OboDocument
    terms: list[str]
    annotations: AnnotationData
    seeds: Seeds | None
    #: HP term -> why it is in the module (a seed's mappings, "below HP:x", "used by annotations")
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def full(self) -> bool:
        return self.seeds is None

    @property
    def version(self) -> str:
        """HPO's release (``2025-01-16``), from hp.obo's own header."""
        return self.doc.header_value(_OWL + "versionInfo") or self.doc.data_version.rsplit("/", 1)[-1]

    @property
    def license(self) -> str | None:
        """The licence IRI hp.obo names (``terms:license``)."""
        return self.doc.header_value("http://purl.org/dc/terms/license")

    @property
    def hpo_iri(self) -> ox.NamedNode:
        """HPO's version IRI, by the OBO rule (``data-version`` below the OBO PURL)."""
        path = self.doc.data_version or self.doc.ontology_id
        return ox.NamedNode(f"{OBO}{path}/{self.doc.ontology_id}.owl")

    def module_triples(self) -> Iterator[ox.Triple]:
        """The import module: its header, HPO's own header values, the synonym types, then every
        kept term (sorted by id) as hp.obo states it."""
        m = MODULE_IRI
        extent = ("every HPO term" if self.full else
                  "the HPO terms pathokg's verified mappings name, all their descendants, the terms "
                  "the kept annotations use, and all their ancestors to the root")
        yield ox.Triple(m, A, ox.NamedNode(_OWL + "Ontology"))
        yield ox.Triple(m, LABEL, ox.Literal(f"HPO import of pathokg ({'full' if self.full else 'slim'})"))
        yield ox.Triple(m, ox.NamedNode(str(DCTERMS.description)), ox.Literal(
            f"An extract of the Human Phenotype Ontology, release {self.version}: {extent}. Labels, "
            "definitions, synonyms (with scopes and types), cross-references and subclass axioms "
            "are HPO's own, unchanged."))
        yield ox.Triple(m, ox.NamedNode(_OWL + "versionInfo"), ox.Literal(self.version))
        yield ox.Triple(m, ox.NamedNode(str(PROV.wasDerivedFrom)), self.hpo_iri)
        yield ox.Triple(m, ox.NamedNode(str(DCTERMS.source)), ox.Literal(
            f"{self.files.origin}/{self.files.obo.name} (data-version: {self.doc.data_version})"))
        if self.license:
            yield ox.Triple(m, ox.NamedNode(str(DCTERMS.license)), ox.NamedNode(self.license))
        yield ox.Triple(m, ox.NamedNode(str(PKO.acknowledgement)), ox.Literal(acknowledgement(self.version)))
        yield ox.Triple(m, ox.NamedNode(str(PKO.termCount)),
                        ox.Literal(str(len(self.terms)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
        for p, v in self.doc.header_values():
            yield ox.Triple(self.hpo_iri, p, v)
        yield from self.doc.synonym_type_triples()
        for tid in self.terms:
            yield from self.doc.term_triples(tid)

    def annotation_triples(self) -> Iterator[ox.Triple]:
        """The annotation graph's data: the files, diseases, genes and one node per row, then the
        label index (:meth:`search_triples`)."""
        yield from self.annotations.triples(self.license, self.hpo_iri)
        yield from self.search_triples()

    def search_triples(self) -> Iterator[ox.Triple]:
        """The label index: one lower-case text per term, its label and synonyms joined by " | ".

        pathokg's, not HPO's (``pko:searchText``): one substring test per term instead of one per
        name, which keeps the label search of the full HPO under 50 ms (a scan of every label
        and synonym took 200 ms).
        """
        searchable = (LABEL.value, *(p.value for p in SYNONYM_PROPERTIES.values()))
        for tid in self.terms:
            names = [t.object.value for t in self.doc.term_triples(tid)
                     if t.predicate.value in searchable and isinstance(t.subject, ox.NamedNode)]
            yield ox.Triple(self.doc.iri(self.doc.terms[tid].id), SEARCH_TEXT,
                            ox.Literal(" | ".join(n.lower() for n in names)))

    def seed_lines(self) -> list[str]:
        """The seed list (ODK's ``hp_terms.txt``): every seed with its name and why it is there."""
        lines = ["# The seeds of the HPO import, from the verified mappings of the curated concepts",
                 "# (written by scripts/refresh_hpo_import.py; do not edit).",
                 f"# HPO release {self.version}; {len(self.terms)} terms, "
                 f"{self.annotations.row_count} annotation rows, {len(self.annotations.diseases)} "
                 f"diseases, {len(self.annotations.genes)} genes."]
        if self.seeds is None:
            return lines
        for tid, why in self.seeds.phenotypes.items():
            lines.append(f"{tid}\t{self.doc.names.get(tid, '')}\t{'; '.join(why)}")
        for did, why in self.seeds.diseases.items():
            lines.append(f"{did}\t{self.annotations.disease_name(did)}\t{'; '.join(why)}")
        return lines


def _check_seeds(doc: OboDocument, seeds: Seeds, files: HpoFiles) -> None:
    problems = [SourceProblem(str(files.obo), None, tid, f"is mapped by {', '.join(why)} but is "
                              f"not a term of this HPO release", "fix the verified table")
                for tid, why in seeds.phenotypes.items() if tid not in doc.terms]
    if problems:
        raise SourceError(problems)


def build_import(files: HpoFiles, seeds: Seeds | None) -> HpoImport:
    """Read the HPO files and select the module: ``seeds=None`` keeps every term and row.

    :raises SourceError: a file does not parse, or a seed is not an HPO term.
    """
    doc = read_obo(files.obo)
    if seeds is None:
        data = read_annotations(files, lambda row: True)
        return HpoImport(files, doc, sorted(doc.terms), data, None)
    _check_seeds(doc, seeds, files)
    children = children_of(doc)
    focus = closure(seeds.phenotypes, children)
    data = read_annotations(files, lambda row: row[3] in focus or row[0] in seeds.diseases)
    used = {t for t in data.term_ids() if t in doc.terms}
    terms = closure(focus | used, doc.parents)
    reasons = {t: "; ".join(seeds.phenotypes[t]) for t in seeds.phenotypes}
    for t in sorted(terms - set(reasons)):
        reasons[t] = ("below a mapped term" if t in focus else
                      "used by a kept annotation" if t in used else "an ancestor")
    return HpoImport(files, doc, sorted(terms), data, seeds, reasons)


def is_hp_curie(value: str) -> bool:
    """True for an HP identifier (``HP:0003761``).

    >>> is_hp_curie("HP:0003761"), is_hp_curie("1/2")
    (True, False)
    """
    return bool(_HP.match(value))


#: The prefixes of the HPO files.
HPO_PREFIXES = {
    # OBO identifiers as their CURIEs (HP:0003761); other OBO PURLs stay full IRIs
    "HP": f"{OBO}HP_", "IAO": f"{OBO}IAO_", "RO": f"{OBO}RO_", "oboInOwl": str(OBOINOWL), "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": str(DCTERMS), "dc": "http://purl.org/dc/elements/1.1/", "prov": str(PROV),
    "pko": str(PKO), "pkimp": str(IMPORTS), "hpoa": str(HPO_ANNOTATION),
    "omim": XREF_BASES["OMIM"], "orpha": XREF_BASES["ORPHA"],
    "decipher": ANNOTATION_ID_BASES["DECIPHER"], "ncbigene": ANNOTATION_ID_BASES["NCBIGene"],
}


def _comment(hpo: HpoImport, what: str) -> list[str]:
    return [
        f"{what} of the Human Phenotype Ontology (HPO), release {hpo.version}, "
        f"{'full' if hpo.full else 'slim'}.",
        acknowledgement(hpo.version),
        f"Licence: {hpo.license or 'see the HPO'}; HPO content unaltered, as the licence requires.",
        f"Made by pathokg from {hpo.files.origin} with fastobo; do not edit (regenerate it).",
    ]


def vocabulary_triples(path: Path = HPO_VOCABULARY_FILE) -> list[ox.Triple]:
    """The classes and properties of the annotation data (a hand-edited component), sorted."""
    quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=str(PKO).rsplit("ontology/", 1)[0])
    return sorted((q.triple for q in quads), key=str)


def write_hpo_files(hpo: HpoImport, module_path: Path, annotations_path: Path) -> None:
    """Write the import module and the annotations (vocabulary first) as Turtle."""
    write_turtle(module_path, hpo.module_triples(), HPO_PREFIXES, _comment(hpo, "An import module"))

    def annotations() -> object:
        yield from vocabulary_triples()
        yield from hpo.annotation_triples()

    write_turtle(annotations_path, annotations(), HPO_PREFIXES,  # type: ignore[arg-type]
                 _comment(hpo, "The disease annotations"))
