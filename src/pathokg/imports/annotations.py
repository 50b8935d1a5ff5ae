"""HPO's disease annotations as evidenced associations: one ``pko:PhenotypeAnnotation`` per row of
phenotype.hpoa, every column kept (qualifier, reference, evidence code, onset, frequency, sex,
modifier, aspect, biocuration), with the file as its source; the diseases with their names and
identifiers; the genes genes_to_phenotype.txt links to them.

The vocabulary (classes and properties) is ``ontology/components/hpo-annotations.ttl``; the
disease and gene IRIs come from the identifiers in the files (:data:`~pathokg.vocab.XREF_BASES`,
:data:`~pathokg.vocab.ANNOTATION_ID_BASES`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import SourceError, SourceProblem
from ..vocab import ANNOTATION_ID_BASES, DCTERMS, HPO_ANNOTATION, IMPORTS, OBO, PKO, PROV, XREF_BASES
from .hpo_files import HpoFiles, annotation_header, annotation_rows, gene_rows
from .obo import LABEL, A

_OWL_VERSION = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")
_SOURCE = ox.NamedNode(str(DCTERMS.source))
_IDENTIFIER = ox.NamedNode(str(DCTERMS.identifier))
ANNOTATION_FILE = ox.NamedNode(str(IMPORTS) + "phenotype.hpoa")
GENES_FILE = ox.NamedNode(str(IMPORTS) + "genes_to_phenotype.txt")


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(PKO[name]))


def hp_iri(curie: str) -> ox.NamedNode:
    """The IRI of an HP identifier (``HP:0000007`` -> ``.../obo/HP_0000007``)."""
    return ox.NamedNode(f"{OBO}{curie.replace(':', '_', 1)}")


def entity_iri(curie: str, where: str) -> ox.NamedNode:
    """The IRI of a disease or gene identifier of the annotation files.

    >>> entity_iri("OMIM:264800", "x").value
    'https://omim.org/entry/264800'
    >>> entity_iri("NCBIGene:10", "x").value
    'https://www.ncbi.nlm.nih.gov/gene/10'

    :raises SourceError: a prefix pathokg has no IRI base for.
    """
    prefix, _, local = curie.partition(":")
    base = XREF_BASES.get(prefix) or ANNOTATION_ID_BASES.get(prefix)
    if base is None or not local:
        raise SourceError([SourceProblem(where, None, curie, f"the prefix {prefix!r} has no IRI base "
                                         "in pathokg.vocab (XREF_BASES, ANNOTATION_ID_BASES)")])
    return ox.NamedNode(base + local)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


@dataclass
class AnnotationData:
    """The kept rows of phenotype.hpoa and the genes of their diseases."""

    files: HpoFiles
    header: dict[str, str]
    rows: list[list[str]]
    #: disease id -> its names in the rows (first seen first)
    diseases: dict[str, list[str]] = field(default_factory=dict)
    #: gene id (``NCBIGene:10``) -> symbol
    genes: dict[str, str] = field(default_factory=dict)
    #: (disease id, gene id) pairs genes_to_phenotype.txt lists
    gene_links: set[tuple[str, str]] = field(default_factory=set)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def disease_name(self, disease: str) -> str:
        names = self.diseases.get(disease)
        return names[0] if names else ""

    def term_ids(self) -> set[str]:
        """Every HP id the rows use: phenotype, onset, frequency and modifier terms."""
        ids = set()
        for r in self.rows:
            ids.add(r[3])
            ids.update(v for v in (r[6], r[7], *_split(r[9])) if v.startswith("HP:"))
        return ids

    def _file_triples(self, node: ox.NamedNode, name: str, license_iri: str | None,
                      hpo_iri: ox.NamedNode) -> Iterator[ox.Triple]:
        yield ox.Triple(node, A, _p("AnnotationFile"))
        yield ox.Triple(node, ox.NamedNode(str(DCTERMS.title)), ox.Literal(name))
        yield ox.Triple(node, _SOURCE, ox.Literal(f"{self.files.origin}/{name}"))
        if self.header.get("version"):
            yield ox.Triple(node, _OWL_VERSION, ox.Literal(self.header["version"]))
        if license_iri:
            yield ox.Triple(node, ox.NamedNode(str(DCTERMS.license)), ox.NamedNode(license_iri))
        yield ox.Triple(node, ox.NamedNode(str(PROV.wasDerivedFrom)), hpo_iri)

    def triples(self, license_iri: str | None, hpo_iri: ox.NamedNode) -> Iterator[ox.Triple]:
        """Files, diseases (sorted), genes (sorted), gene links, then one node per row in file
        order; deterministic for the same files."""
        where = str(self.files.annotations)
        yield from self._file_triples(ANNOTATION_FILE, self.files.annotations.name, license_iri, hpo_iri)
        if self.header.get("description"):
            yield ox.Triple(ANNOTATION_FILE, ox.NamedNode(str(DCTERMS.description)),
                            ox.Literal(self.header["description"]))
        if self.header.get("hpo-version"):
            yield ox.Triple(ANNOTATION_FILE, _p("hpoVersionIri"), ox.NamedNode(self.header["hpo-version"]))
        yield from self._file_triples(GENES_FILE, self.files.genes.name, license_iri, hpo_iri)
        for did in sorted(self.diseases):
            node = entity_iri(did, where)
            yield ox.Triple(node, A, _p("AnnotatedDisease"))
            yield ox.Triple(node, LABEL, ox.Literal(self.diseases[did][0]))
            for name in self.diseases[did]:
                yield ox.Triple(node, _p("nameInAnnotations"), ox.Literal(name))
            yield ox.Triple(node, _IDENTIFIER, ox.Literal(did))
            yield ox.Triple(node, _SOURCE, ANNOTATION_FILE)
        for gid in sorted(self.genes):
            node = entity_iri(gid, str(self.files.genes))
            yield ox.Triple(node, A, _p("Gene"))
            yield ox.Triple(node, LABEL, ox.Literal(self.genes[gid]))
            yield ox.Triple(node, _IDENTIFIER, ox.Literal(gid))
            yield ox.Triple(node, _SOURCE, GENES_FILE)
        for did, gid in sorted(self.gene_links):
            yield ox.Triple(entity_iri(did, where), _p("hasAssociatedGene"), entity_iri(gid, where))
        seen: dict[str, int] = {}
        for row in self.rows:
            yield from self._row_triples(row, seen, where)

    def _row_triples(self, row: list[str], seen: dict[str, int], where: str) -> Iterator[ox.Triple]:
        disease, _name, qualifier, hpo, refs, evidence, onset, frequency, sex, modifier, aspect, curation = row
        digest = hashlib.sha1("\t".join(row).encode("utf-8")).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        suffix = "" if seen[digest] == 1 else f"-{seen[digest]}"  # an identical row again
        node = ox.NamedNode(f"{HPO_ANNOTATION}{disease.replace(':', '_')}-{hpo.replace(':', '_')}-"
                            f"{digest}{suffix}")
        yield ox.Triple(node, A, _p("PhenotypeAnnotation"))
        yield ox.Triple(node, _p("annotatedDisease"), entity_iri(disease, where))
        yield ox.Triple(node, _p("annotatedPhenotype"), hp_iri(hpo))
        if qualifier:
            yield ox.Triple(node, _p("annotationQualifier"), ox.Literal(qualifier))
        for ref in _split(refs):
            yield ox.Triple(node, _p("reference"), ox.Literal(ref))
        if evidence:
            yield ox.Triple(node, _p("evidenceCode"), ox.Literal(evidence))
        if onset:
            yield ox.Triple(node, _p("onset"), hp_iri(onset))
        if frequency:
            yield ox.Triple(node, _p("frequency"), ox.Literal(frequency))
            if frequency.startswith("HP:"):
                yield ox.Triple(node, _p("frequencyTerm"), hp_iri(frequency))
        if sex:
            yield ox.Triple(node, _p("sex"), ox.Literal(sex))
        for m in _split(modifier):
            yield ox.Triple(node, _p("modifier"), hp_iri(m))
        if aspect:
            yield ox.Triple(node, _p("aspect"), ox.Literal(aspect))
        for c in _split(curation):
            yield ox.Triple(node, _p("biocuration"), ox.Literal(c))
        yield ox.Triple(node, _SOURCE, ANNOTATION_FILE)


def read_annotations(files: HpoFiles, keep: Callable[[list[str]], bool]) -> AnnotationData:
    """The rows of phenotype.hpoa that ``keep`` accepts, their diseases, and the genes
    genes_to_phenotype.txt lists for those diseases.

    :raises SourceError: a file with a wrong header or a short row.
    """
    data = AnnotationData(files, annotation_header(files.annotations), [])
    for row in annotation_rows(files.annotations):
        if keep(row):
            data.rows.append(row)
            names = data.diseases.setdefault(row[0], [])
            if row[1] not in names:
                names.append(row[1])
    for gene, symbol, _hpo, _name, _freq, disease in gene_rows(files.genes):
        if disease in data.diseases:
            gid = f"NCBIGene:{gene}"
            data.genes.setdefault(gid, symbol)
            data.gene_links.add((disease, gid))
    return data
