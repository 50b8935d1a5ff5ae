"""Every RDF file of the release read by implementations other than the one that wrote it:
rapper (raptor2, C) for Turtle, RDF/XML and N-Triples; pyoxigraph (Rust) for all four incl.
JSON-LD; owlready2 loads the OWL file itself and HermiT classifies it. The graph exports are read
back by networkx in tests/test_exports.py."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from pathokg.checks.reasoner import java_available
from pathokg.paths import JSONLD, NTRIPLES, OWL_XML, TURTLE, VOID_FILE
from pathokg.vocab import DATASET_IRI, concept

from .helpers import require, require_executable

RAPPER_SYNTAX = {TURTLE: "turtle", OWL_XML: "rdfxml", NTRIPLES: "ntriples", VOID_FILE: "turtle"}
OX_FORMAT = {TURTLE: ox.RdfFormat.TURTLE, OWL_XML: ox.RdfFormat.RDF_XML,
             JSONLD: ox.RdfFormat.JSON_LD, NTRIPLES: ox.RdfFormat.N_TRIPLES}


@pytest.fixture(scope="module")
def triple_count(release_dir: Path) -> int:
    """The number of triples the release's own dataset description announces."""
    void = Graph().parse(release_dir / VOID_FILE)
    return int(next(o for p, o in void.predicate_objects(DATASET_IRI) if str(p).endswith("#triples")))


def _ground(quads: list[ox.Quad]) -> set[tuple[str, str, str]]:
    """The triples without blank nodes (blank node labels differ between parsers)."""
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


@pytest.mark.parametrize("name", sorted(RAPPER_SYNTAX))
def test_rapper_parses_and_counts(name: str, release_dir: Path, triple_count: int) -> None:
    rapper = require_executable("rapper", "Debian package raptor2-utils")
    result = subprocess.run([rapper, "-i", RAPPER_SYNTAX[name], "-c", str(release_dir / name)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    found = int(re.search(r"returned (\d+) triples", result.stderr).group(1))
    if name != VOID_FILE:
        assert found == triple_count


@pytest.mark.parametrize("name", sorted(OX_FORMAT))
def test_pyoxigraph_parses_every_serialisation(name: str, release_dir: Path, triple_count: int) -> None:
    reference = list(ox.parse(path=str(release_dir / NTRIPLES), format=ox.RdfFormat.N_TRIPLES))
    quads = list(ox.parse(path=str(release_dir / name), format=OX_FORMAT[name]))
    assert len(set(quads)) == triple_count
    assert _ground(quads) == _ground(reference)


@pytest.mark.java
def test_owlready2_loads_the_owl_file_and_hermit_classifies_it(release_dir: Path) -> None:
    require(java_available(), "no Java runtime: HermiT cannot run (apt-get install default-jre-headless)")
    import owlready2

    world = owlready2.World()  # a fresh world: the default one is global
    try:
        onto = world.get_ontology((release_dir / OWL_XML).as_uri()).load()
        classes = {c.name for c in onto.classes()}
        assert {"Concept", "PathologicalProcess", "Evidence"} <= classes
        individuals = {i.name for i in world.individuals()}
        assert "dystrophic-calcification" in individuals
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        assert not list(world.inconsistent_classes())
        dc = world[str(concept("dystrophic-calcification"))]
        assert "Concept" in {c.name for c in dc.INDIRECT_is_a}  # classified under pko:Concept
    finally:
        world.close()
