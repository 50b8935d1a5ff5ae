"""The release: every serialisation parses back to the same graph, in several implementations, byte-identically."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, VOID

from pathokg.curation.assemble import assemble
from pathokg.paths import INFERRED, JSONLD, NTRIPLES, OWL_XML, SSSOM, TURTLE, VOID_FILE
from pathokg.rdf.canonical import canonical, ntriples
from pathokg.release.build import build
from pathokg.vocab import DATASET_IRI, PKO

from .helpers import require_executable

RDF_FILES = {TURTLE: ("turtle", ox.RdfFormat.TURTLE), OWL_XML: ("xml", ox.RdfFormat.RDF_XML),
             JSONLD: ("json-ld", ox.RdfFormat.JSON_LD), NTRIPLES: ("nt", ox.RdfFormat.N_TRIPLES)}


@pytest.fixture(scope="module")
def asserted() -> Graph:
    return assemble().graph


def test_two_builds_are_byte_identical(release_dir: Path, tmp_path: Path) -> None:
    second = tmp_path / "again"
    build(second, reasoner=False)
    files = sorted(p.relative_to(release_dir) for p in release_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (release_dir / name).read_bytes() == (second / name).read_bytes(), f"{name} differs"


@pytest.mark.parametrize("name", sorted(RDF_FILES))
def test_serialisation_parses_back_to_the_same_graph_in_rdflib(name: str, release_dir: Path, asserted: Graph) -> None:
    parsed = Graph().parse(release_dir / name, format=RDF_FILES[name][0])
    assert len(parsed) == len(asserted)
    # Blank nodes are labelled by content hash, so equal canonical N-Triples mean isomorphic graphs.
    assert ntriples(canonical(parsed)) == ntriples(canonical(asserted))


@pytest.mark.parametrize("name", sorted(RDF_FILES))
def test_serialisation_parses_in_pyoxigraph(name: str, release_dir: Path, asserted: Graph) -> None:
    quads = list(ox.parse(path=str(release_dir / name), format=RDF_FILES[name][1]))
    assert len(quads) == len(asserted)


@pytest.mark.parametrize(("name", "syntax"), [(TURTLE, "turtle"), (OWL_XML, "rdfxml"), (NTRIPLES, "ntriples")])
def test_rapper_accepts(name: str, syntax: str, release_dir: Path, asserted: Graph) -> None:
    rapper = require_executable("rapper", "Debian package raptor2-utils")
    result = subprocess.run([rapper, "-i", syntax, "-c", str(release_dir / name)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"returned {len(asserted)} triples" in result.stderr


def test_jsonld_has_an_inline_context_only(release_dir: Path) -> None:
    data = json.loads((release_dir / JSONLD).read_text(encoding="utf-8"))
    assert isinstance(data["@context"], dict), "the context is inline, never a URL to fetch"
    assert data["@context"]["pko"] == str(PKO)


def test_ntriples_are_sorted(release_dir: Path) -> None:
    lines = (release_dir / NTRIPLES).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


def test_owl_file_loads_in_owlready2(release_dir: Path) -> None:
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((release_dir / OWL_XML).as_uri()).load()
    assert world[str(PKO.DiseaseOrDisorder)] is not None
    ckd = world["https://w3id.org/pathokg/concept/chronic-kidney-disease"]
    assert ckd is not None and any(c.name == "DiseaseOrDisorder" for c in ckd.is_a)
    assert onto.base_iri
    world.close()


def test_dataset_description_counts(release_dir: Path, release_graph: Graph) -> None:
    void = Graph().parse(release_dir / VOID_FILE)
    assert int(void.value(DATASET_IRI, VOID.triples)) == len(release_graph)
    numbers = {key: int(void.value(DATASET_IRI, PKO[f"{key}Count"])) for key in
               ("concepts", "relations", "evidence", "mappings", "articles")}
    assert numbers["articles"] == 1
    assert numbers["concepts"] >= 90
    assert numbers["evidence"] >= numbers["relations"] >= 150
    sssom_rows = [line for line in (release_dir / SSSOM).read_text(encoding="utf-8").splitlines()
                  if line and not line.startswith("#")]
    # the mappings: rows but the header and the checked-without-a-term findings (sssom:NoTermFound)
    assert numbers["mappings"] == len([r for r in sssom_rows[1:] if "\tsssom:NoTermFound\t" not in r])
    assert void.value(DATASET_IRI, URIRef("http://purl.org/dc/terms/license")) is not None


def test_release_carries_the_article_text_unchanged(release_dir: Path) -> None:
    vendored = Path(__file__).resolve().parents[1] / "graph" / "sources" / "dystrophic-calcification.txt"
    assert (release_dir / "sources" / vendored.name).read_bytes() == vendored.read_bytes()


def test_inferred_triples_are_a_separate_file_disjoint_from_the_assertions(release_dir: Path, asserted: Graph) -> None:
    from pathokg.paths import INFERRED
    from pathokg.vocab import concept

    inferred = Graph().parse(release_dir / INFERRED, format="turtle")
    assert len(inferred) > 0
    assert set(inferred) & set(asserted) == set()
    # the inverse of an asserted relation is there, and only there
    triple = (concept("dystrophic-calcification"), PKO.hasRiskFactor, concept("chronic-kidney-disease"))
    assert triple in inferred and triple not in asserted
    void = Graph().parse(release_dir / VOID_FILE)
    records = set(inferred.subjects(RDF.type, PKO.Inference))
    assert int(void.value(DATASET_IRI, PKO.inferredCount)) == len(records)
    # every entailed triple has its record: rule, premise(s) and certainty
    for s, p, o in inferred:
        if isinstance(s, URIRef) and not str(s).startswith("https://w3id.org/pathokg/inference/") and p != PKO.premise:
            record = next(r for r in inferred.subjects(OWL.annotatedSource, s)
                          if (r, OWL.annotatedProperty, p) in inferred and (r, OWL.annotatedTarget, o) in inferred)
            assert inferred.value(record, PKO.rule) is not None and inferred.value(record, PKO.premise) is not None


def test_precomputed_entailments_equal_recomputation(release_dir: Path) -> None:
    """The CLI and Python read the release's entailments (``pathokg-inferred.ttl``) instead of
    recomputing them at every start: they must be what recomputation gives, to the byte, and
    give the same answers."""
    import pathokg
    from pathokg.querying.engine import Engine
    from pathokg.querying.files import list_queries
    from pathokg.querying.inference import entailments
    from pathokg.querying.params import bind_params
    from pathokg.querying.release import release_store
    from pathokg.rdf.canonical import canonical, turtle
    from pathokg.rdf.store import inferred_graph, to_oxigraph
    from pathokg.vocab import INFERRED_GRAPH

    asserted = pathokg.load(release_dir)
    recomputed = entailments(asserted)
    # the file is the canonical Turtle after its header comment (the release and version it follows)
    written = (release_dir / INFERRED).read_bytes()
    header = b"".join(line for line in written.splitlines(keepends=True) if line.startswith(b"# "))
    assert header.count(b"\n") == 2 and written.startswith(header)
    assert turtle(canonical(recomputed)) == written[len(header):]
    # the release's store (HPO graphs included) with its inferred graph replaced by recomputation
    store = release_store(release_dir)
    store.clear_graph(inferred_graph())
    to_oxigraph(recomputed, store, named_graph=str(INFERRED_GRAPH))
    read, fresh = Engine.from_release(release_dir), Engine(store)
    for query in list_queries():
        bound = bind_params(query, {})
        ours, theirs = read.execute(bound), fresh.execute(bound)
        fmt = "nt" if ours.is_graph else "srj"
        assert ours.serialize(fmt) == theirs.serialize(fmt), query.name
