"""The graph files as their own tools read them: GEXF against the GEXF 1.3 schema (lxml), the
Cytoscape.js JSON in Cytoscape.js itself (node, the cytoscape npm package), GraphML with
networkx; each with the release's version."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pathokg.exports import FORMATS
from pathokg.vocab import ONTOLOGY_IRI

from .helpers import FIXTURES, require, require_executable

#: the GEXF schemas, vendored with their licence (tests/fixtures/gexf/README.md)
SCHEMAS = FIXTURES / "gexf"
JS = Path(__file__).resolve().parent / "js"


def _gexf_schema(version: str):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / version / "gexf.xsd")))


def test_gexf_is_valid_gexf_1_3(release_dir: Path) -> None:
    """Regression (issue 14): the file declared 1.2draft and failed its schema (name on graph)."""
    from lxml import etree

    doc = etree.parse(str(release_dir / FORMATS["gexf"]))
    assert doc.getroot().get("version") == "1.3"
    schema = _gexf_schema("1.3")
    assert schema.validate(doc), schema.error_log


def test_gexf_schema_rejects_what_the_old_writer_wrote(release_dir: Path) -> None:
    from lxml import etree

    doc = etree.parse(str(release_dir / FORMATS["gexf"]))
    doc.getroot().find("{http://gexf.net/1.3}graph").set("name", "pathokg concept graph")
    assert not _gexf_schema("1.3").validate(doc)


def test_gexf_uses_native_list_types_and_carries_the_release(release_dir: Path) -> None:
    text = (release_dir / FORMATS["gexf"]).read_text(encoding="utf-8")
    assert 'title="synonyms" type="liststring"' in text and 'title="evidence (JSON)" type="string"' in text
    assert '<meta lastmodifieddate="' in text and "<creator>pathokg " in text


def _node() -> str:
    node = require_executable("node", "Debian package nodejs")
    require((JS / "node_modules" / "cytoscape").is_dir(),
            "the cytoscape npm package is not installed (npm ci --prefix tests/js)")
    return node


def test_cytoscape_finds_every_element_by_its_id_selector(release_dir: Path) -> None:
    """Regression (issue 14): node ids were IRIs, so cy.$('#<iri>') was an invalid selector."""
    result = subprocess.run([_node(), str(JS / "cyjs_check.js"), str(release_dir / FORMATS["cyjs"])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    data = json.loads((release_dir / FORMATS["cyjs"]).read_text(encoding="utf-8"))
    assert report["failures"] == [] and result.stderr == ""
    assert report["nodes"] == len(data["elements"]["nodes"]) and report["edges"] == len(data["elements"]["edges"])
    assert report["dcDegree"] > 10
    assert report["version"] == data["data"]["version"]


def test_cytoscape_check_fails_on_iri_ids(release_dir: Path, tmp_path: Path) -> None:
    """The check is not a formality: a file with IRIs as ids (the 0.1.0 layout) fails it."""
    data = json.loads((release_dir / FORMATS["cyjs"]).read_text(encoding="utf-8"))
    iris = {node["data"]["id"]: node["data"]["iri"] for node in data["elements"]["nodes"]}
    for node in data["elements"]["nodes"]:
        node["data"]["id"] = node["data"]["iri"]
    for edge in data["elements"]["edges"]:
        edge["data"]["source"], edge["data"]["target"] = iris[edge["data"]["source"]], iris[edge["data"]["target"]]
    bad = tmp_path / "bad.cyjs"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run([_node(), str(JS / "cyjs_check.js"), str(bad)], capture_output=True, text=True,
                            timeout=120)
    assert json.loads(result.stdout)["failures"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cyjs"])
def test_every_graph_file_carries_the_release_version(fmt: str, release_dir: Path, release_graph) -> None:
    from rdflib import OWL

    version = str(release_graph.value(ONTOLOGY_IRI, OWL.versionInfo))
    iri = str(release_graph.value(ONTOLOGY_IRI, OWL.versionIRI))
    text = (release_dir / FORMATS[fmt]).read_text(encoding="utf-8")
    assert version in text and iri in text
