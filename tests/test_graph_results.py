"""CONSTRUCT and DESCRIBE results: distinct triples in one canonical order, the same bytes in every
run and on every face (the server's faces: tests/test_server.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

import pathokg
from pathokg.querying.engine import Engine
from pathokg.querying.safety import prepare

#: The issue's kind of CONSTRUCT: a concept, its statements' axioms and their evidence. Oxigraph
#: writes the template once per solution, and leaves repeated triples with blank nodes (the
#: axioms) in.
PXE = """CONSTRUCT { pk:pseudoxanthoma-elasticum ?p ?o . ?o skos:prefLabel ?l . ?axiom ?ap ?av }
WHERE { pk:pseudoxanthoma-elasticum ?p ?o .
        ?axiom owl:annotatedSource pk:pseudoxanthoma-elasticum ; pko:hasEvidence ?evidence ; ?ap ?av .
        OPTIONAL { ?o skos:prefLabel ?l } }"""
#: Axioms are blank nodes, labelled differently in each load of the release.
AXIOMS = """CONSTRUCT { ?axiom ?p ?o } WHERE { ?axiom owl:annotatedSource pk:burn ; ?p ?o }"""
RDFLIB = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def test_the_engine_alone_repeats_triples(release_dataset: ox.Store) -> None:
    """What the issue saw: without the canonical step, a template triple per solution."""
    raw = list(release_dataset.query(prepare(PXE).text))
    assert len(raw) > 2 * len(set(raw))


@pytest.mark.parametrize("fmt", sorted(RDFLIB))
def test_distinct_triples_in_every_format(fmt: str) -> None:
    result = pathokg.sparql(PXE)
    assert len(result.triples) == len(set(result.triples)) > 10
    data = result.serialize(fmt)
    assert len(Graph().parse(data=data, format=RDFLIB[fmt])) == len(result.triples)
    if fmt == "nt":
        lines = data.decode().splitlines()
        assert lines == sorted(set(lines))


def test_blank_nodes_get_the_same_names_in_every_load(release_dir: Path) -> None:
    first, second = (Engine.from_release(release_dir).execute(AXIOMS).serialize("ttl")
                     for _ in range(2))
    assert first == second and b"_:b0" in first


def test_same_bytes_from_python_and_the_cli_in_another_process(release_dir: Path) -> None:
    ours = pathokg.sparql(PXE).serialize("nt")
    cli = subprocess.run([sys.executable, "-m", "pathokg", "sparql", PXE, "--format", "nt",
                          "--release", str(release_dir)], capture_output=True, check=True)
    assert cli.stdout == ours
    graph = pathokg.construct_graph(PXE)
    assert len(graph) == len(Graph().parse(data=ours, format="nt")) == len(ours.splitlines())
