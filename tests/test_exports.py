"""Graph exports: every format reads back with every attribute, Neo4j headers follow Neo4j's
documented import format, output is byte-identical across processes, failures write nothing."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph

from pathokg.exports import FORMATS, RELEASE_FILES, ExportError, project, write_graph
from pathokg.exports.formats import element_id, read_cyjs, read_gexf, read_graphml
from pathokg.exports.neo4j import ARRAY_DELIMITER, relationship_type
from pathokg.vocab import DATASET_IRI

NODE_ATTRS = {"iri", "curie", "label", "synonyms", "category", "category_iri", "definition", "xrefs"}
EDGE_ATTRS = {"relation", "label", "inferred", "certainty", "evidence", "evidence_count"}
EVIDENCE_KEYS = {"iri", "quote", "section", "section_path", "source", "source_title", "start", "end",
                 "certainty", "conditions", "context"}

# Neo4j Operations Manual, "Import" > "CSV header format": name:TYPE, with the special fields
# :ID, :LABEL, :START_ID, :END_ID, :TYPE, :IGNORE (optionally with an id space) and typed
# properties (int, long, float, double, boolean, byte, short, char, string, point, date, ...; []
# for arrays).
NEO4J_FIELD = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?"
    r"(?::(?P<special>ID|LABEL|START_ID|END_ID|TYPE|IGNORE)(?:\([A-Za-z0-9_-]+\))?"
    r"|:(?P<type>int|long|float|double|boolean|byte|short|char|string|point|date|localtime|time"
    r"|localdatetime|datetime|duration)(?P<array>\[\])?)?$")


@pytest.fixture(scope="module")
def concept_graph(release_graph: Graph) -> nx.MultiDiGraph:
    return project(release_graph)


def test_projection_keeps_every_attribute(concept_graph: nx.MultiDiGraph, release_dir: Path) -> None:
    text = (release_dir / "sources" / "dystrophic-calcification.txt").read_text(encoding="utf-8")
    void = Graph().parse(release_dir / "void.ttl")
    counts = {str(p).rsplit("/", 1)[-1]: int(o) for p, o in void.predicate_objects(DATASET_IRI)
              if str(p).endswith("Count")}
    assert concept_graph.number_of_nodes() == counts["conceptsCount"]
    assert concept_graph.number_of_edges() == counts["relationsCount"]
    for _, data in concept_graph.nodes(data=True):
        assert set(data) == NODE_ATTRS
        assert data["label"] and data["category"] and data["definition"]
    dc = concept_graph.nodes["https://w3id.org/pathokg/concept/pathological-calcification"]
    assert "calcinosis" in dc["synonyms"] and "MESH:D002114" in dc["xrefs"]
    for _, _, key, data in concept_graph.edges(keys=True, data=True):
        assert set(data) == EDGE_ATTRS
        assert key.startswith("pko:") and data["inferred"] is False
        assert data["evidence_count"] == len(data["evidence"]) >= 1
        for ev in data["evidence"]:
            assert set(ev) == EVIDENCE_KEYS
            assert text[ev["start"]:ev["end"]] == ev["quote"]


def test_inferred_edges_are_marked(release_dataset: ox.Store, concept_graph: nx.MultiDiGraph) -> None:
    full = project(release_dataset, inferred=True)
    inferred = [(u, v, k) for u, v, k, d in full.edges(keys=True, data=True) if d["inferred"]]
    assert inferred, "the ontology's inverse relations should entail edges"
    for u, v, k in inferred:
        assert not concept_graph.has_edge(u, v, k)
        assert full.edges[u, v, k]["evidence"] == []
    for u, v, k, d in concept_graph.edges(keys=True, data=True):
        assert full.edges[u, v, k] == d


def test_release_holds_every_export(release_dir: Path) -> None:
    for name in RELEASE_FILES:
        assert (release_dir / name).is_file(), name


@pytest.mark.parametrize("fmt,reader", [("graphml", read_graphml), ("gexf", read_gexf)])
def test_graphml_and_gexf_read_back(fmt: str, reader, release_dir: Path,
                                    concept_graph: nx.MultiDiGraph) -> None:
    path = release_dir / FORMATS[fmt]
    back = reader(path)
    assert list(back.nodes(data=True)) == list(concept_graph.nodes(data=True))
    assert list(back.edges(keys=True, data=True)) == list(concept_graph.edges(keys=True, data=True))
    # networkx's own readers: booleans and integers keep their types, lists decode from JSON text,
    # the node ids are the element ids and the IRI is an attribute
    raw = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    for _u, _v, data in raw.edges(data=True):
        assert isinstance(data["inferred"], bool) and isinstance(data["evidence_count"], int)
        assert "networkx_key" not in data and "edge_key" not in data
    for node, data in raw.nodes(data=True):
        assert node == element_id(data["iri"])
        synonyms = data["synonyms"] if isinstance(data["synonyms"], list) else json.loads(data["synonyms"])
        assert synonyms == concept_graph.nodes[data["iri"]]["synonyms"]


def test_graphml_spells_booleans_as_xml_schema_does(release_dir: Path) -> None:
    """Regression (issue 14): networkx wrote Python's "False"; GraphML booleans are true/false."""
    text = (release_dir / FORMATS["graphml"]).read_text(encoding="utf-8")
    assert ">False<" not in text and ">True<" not in text and ">false<" in text
    assert "networkx_key" not in text


def test_cyjs_reads_back(release_dir: Path, concept_graph: nx.MultiDiGraph) -> None:
    data = json.loads((release_dir / "pathokg.cyjs").read_text(encoding="utf-8"))
    assert {"nodes", "edges"} <= set(data["elements"])
    first = data["elements"]["edges"][0]["data"]
    assert {"id", "source", "target", "interaction"} <= set(first)
    assert data["data"]["version"] and data["data"]["release_date"]
    back = read_cyjs(release_dir / "pathokg.cyjs")
    assert list(back.nodes(data=True)) == list(concept_graph.nodes(data=True))
    assert list(back.edges(keys=True, data=True)) == list(concept_graph.edges(keys=True, data=True))


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_neo4j_headers_follow_the_import_format(release_dir: Path) -> None:
    nodes = _read_csv(release_dir / "neo4j" / "nodes.csv")
    rels = _read_csv(release_dir / "neo4j" / "relationships.csv")
    for header in (nodes[0], rels[0]):
        for field in header:
            assert NEO4J_FIELD.match(field), f"not a Neo4j import header field: {field!r}"
    specials = [f.split(":", 1)[1] for f in nodes[0] if ":" in f]
    assert nodes[0][0] == "iri:ID" and specials.count("ID") == 1 and "LABEL" in specials
    assert rels[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert "synonyms:string[]" in nodes[0] and "inferred:boolean" in rels[0]


def test_neo4j_rows_match_the_graph(release_dir: Path, concept_graph: nx.MultiDiGraph) -> None:
    nodes = _read_csv(release_dir / "neo4j" / "nodes.csv")
    rels = _read_csv(release_dir / "neo4j" / "relationships.csv")
    header = nodes[0]
    ids = set()
    for row in nodes[1:]:
        rec = dict(zip(header, row, strict=True))
        ids.add(rec["iri:ID"])
        attrs = concept_graph.nodes[rec["iri:ID"]]
        syn = rec["synonyms:string[]"]
        assert (syn.split(ARRAY_DELIMITER) if syn else []) == attrs["synonyms"]
        assert rec[":LABEL"].split(ARRAY_DELIMITER)[0] == "Concept"
        assert all("\n" not in value for value in row)  # no --multiline-fields needed
    assert ids == set(concept_graph.nodes)
    assert len(rels) - 1 == concept_graph.number_of_edges()
    for row in rels[1:]:
        rec = dict(zip(rels[0], row, strict=True))
        assert rec[":START_ID"] in ids and rec[":END_ID"] in ids
        assert rec[":TYPE"] == relationship_type(rec["relation"])
        assert rec["inferred:boolean"] in {"true", "false"}
        assert int(rec["evidence_count:int"]) == len(json.loads(rec["evidence"]))


def test_load_cypher_reads_every_column(release_dir: Path) -> None:
    cypher = (release_dir / "neo4j" / "load.cypher").read_text(encoding="utf-8")
    for name in ("nodes.csv", "relationships.csv"):
        header = _read_csv(release_dir / "neo4j" / name)[0]
        for field in header:
            assert f"row.`{field}`" in cypher, field
    types = {row[2] for row in _read_csv(release_dir / "neo4j" / "relationships.csv")[1:]}
    for t in types:
        assert f"[r:{t}]" in cypher
    assert "CREATE CONSTRAINT" in cypher and "LOAD CSV WITH HEADERS" in cypher


def test_exports_are_identical_across_processes(release_dir: Path, tmp_path: Path) -> None:
    """A fresh process with another hash seed writes the same bytes as the release writer."""
    script = (
        "import sys; from pathlib import Path; from pathokg.querying.release import load;"
        "from pathokg.exports import FORMATS, export;"
        "g = load(sys.argv[1]);"
        "[export(g, f, Path(sys.argv[2]) / n) for f, n in FORMATS.items()]"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(release_dir), str(tmp_path)],
                   check=True, env=env, timeout=120)
    for name in RELEASE_FILES:
        assert (tmp_path / name).read_bytes() == (release_dir / name).read_bytes(), name


def test_unknown_format_is_an_error(concept_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        write_graph(concept_graph, "dot", tmp_path / "x.dot")


def test_a_failed_neo4j_export_writes_nothing(concept_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "neo4j"
    write_graph(concept_graph, "neo4j", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = concept_graph.copy()
    node = next(iter(bad.nodes))
    bad.nodes[node]["synonyms"] = ["a;b"]
    with pytest.raises(ExportError, match="array delimiter"):
        write_graph(bad, "neo4j", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neo4j"]


def test_export_cli(release_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathokg.cli import main

    out = tmp_path / "g.graphml"
    result = CliRunner().invoke(main, ["export", "--format", "graphml", "--release", str(release_dir),
                                       "--out", str(out), "--inferred"])
    assert result.exit_code == 0, result.output
    back = read_graphml(out)
    assert any(d["inferred"] for _, _, d in back.edges(data=True))


def test_every_export_keeps_the_qualifiers(tmp_path: Path, release_dataset: ox.Store) -> None:
    """Certainty and conditions travel with each edge into GraphML, GEXF, Cytoscape.js and Neo4j."""
    graph = project(release_dataset)
    key = next((u, v, k) for u, v, k, d in graph.edges(keys=True, data=True)
               if d["label"] == "treats" and u.endswith("/joint-replacement"))
    for fmt in ("graphml", "gexf", "cyjs"):
        out = write_graph(graph, fmt, tmp_path / f"g.{fmt}")
        back = {"graphml": read_graphml, "gexf": read_gexf, "cyjs": read_cyjs}[fmt](out)
        data = back.get_edge_data(key[0], key[1])[key[2]]
        assert data["certainty"] == "conditional", fmt
        evidence = json.loads(data["evidence"]) if isinstance(data["evidence"], str) else data["evidence"]
        assert evidence[0]["conditions"] == ["In severe cases", "in joints"], fmt
    folder = write_graph(graph, "neo4j", tmp_path / "neo4j")
    with (folder / "relationships.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r[":START_ID"].endswith("/joint-replacement")
                and r["relation"].endswith("/treats")]
    assert rows[0]["certainty"] == "conditional"
    assert rows[0]["conditions:string[]"] == "In severe cases | in joints"
