"""KGX: KGX's own validator accepts the nodes and edges (TSV and JSON Lines, asserted and with the
entailed edges) offline against the installed Biolink Model; the mapping table covers every
pathokg category and relation with terms that exist in that model; and no hedged, conditional or
contextual passage becomes an unqualified assertion."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pathokg.curation.assemble import load_ontology, ontology_terms
from pathokg.exports import export
from pathokg.exports.kgx import EDGES_JSONL, NODES_JSONL, load_mapping
from pathokg.paths import BIOLINK_MAPPING_FILE

from .helpers import require

VALIDATE = Path(__file__).resolve().parent / "helpers" / "kgx_validate.py"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def toolkit():
    try:
        import biolink_model
        import bmt
    except ImportError:
        require(False, "kgx, bmt and biolink-model not installed (pip install -e '.[test]')")
    schema = Path(next(iter(biolink_model.__path__))) / "schema" / "biolink_model.yaml"
    return bmt.Toolkit(str(schema), {"predicate mappings": []})


@pytest.fixture(scope="module")
def inferred_kgx(release_dataset: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(release_dataset, "kgx", tmp_path_factory.mktemp("kgx") / "kgx", inferred=True)


def _validate(folder: Path, fmt: str) -> dict:
    """Run KGX's validator in a child process; with no network at all where the machine allows it
    (``unshare -rn``), so that a fetch of the Biolink schema fails the test instead of passing."""
    try:
        import kgx  # noqa: F401
    except ImportError:
        require(False, "kgx not installed (pip install -e '.[test]')")
    command = [sys.executable, str(VALIDATE), str(folder), fmt]
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        command = [unshare, "-rn", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["tsv", "jsonl"])
@pytest.mark.parametrize("which", ["release", "inferred"])
def test_kgx_validator_accepts_the_files(which: str, fmt: str, release_dir: Path, inferred_kgx: Path) -> None:
    folder = release_dir / "kgx" if which == "release" else inferred_kgx
    report = _validate(folder, fmt)
    assert report["errors"] == {}
    assert report["biolink_version"] == load_mapping().biolink_version
    assert report["counts"]["nodes"] == len(_records(folder / NODES_JSONL))
    assert report["counts"]["edges"] == len(_records(folder / EDGES_JSONL))


@pytest.mark.slow
def test_kgx_validator_rejects_a_wrong_predicate(release_dir: Path, tmp_path: Path) -> None:
    """The validator is not a formality: a predicate outside Biolink fails it."""
    folder = tmp_path / "kgx"
    shutil.copytree(release_dir / "kgx", folder)
    edges = folder / "pathokg_edges.tsv"
    edges.write_text(edges.read_text(encoding="utf-8").replace("biolink:causes", "biolink:brings_about", 1),
                     encoding="utf-8")
    assert "INVALID_EDGE_PREDICATE" in _validate(folder, "tsv")["errors"].get("ERROR", {})


def test_mapping_table_covers_the_ontology_with_real_biolink_terms(toolkit) -> None:
    mapping = load_mapping(BIOLINK_MAPPING_FILE)
    categories, predicates = ontology_terms(load_ontology())
    assert set(mapping.categories) == categories
    assert set(mapping.predicates) == predicates
    assert mapping.biolink_version == toolkit.get_model_version()
    for name, row in mapping.categories.items():
        cls = row["biolink"].split(":")[1]
        assert toolkit.is_category(cls) and not toolkit.is_mixin(cls), name
        ancestors = toolkit.get_ancestors(cls, reflexive=True, formatted=False, mixin=False)
        inherited = next((toolkit.get_element(a).id_prefixes for a in ancestors
                          if toolkit.get_element(a).id_prefixes), [])
        assert row["id_prefixes"] == inherited, f"{name}: id_prefixes are not Biolink's for {cls}"
        assert row["match"] in {"exact", "close", "broad", "none"}
    for name, row in mapping.predicates.items():
        for predicate in (row["biolink"], *(row.get("by_certainty") or {}).values()):
            element = toolkit.get_element(predicate.split(":")[1])
            assert element is not None and toolkit.is_predicate(predicate.split(":")[1]), f"{name}: {predicate}"
            assert not element.deprecated, f"{name}: {predicate} is deprecated"
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    assert {row["knowledge_level"] for row in mapping.certainties.values()} <= levels


def test_every_property_is_biolinks_or_a_documented_extension(release_dir: Path, inferred_kgx: Path, toolkit) -> None:
    extensions = set(load_mapping().extensions)
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)
    for folder in (release_dir / "kgx", inferred_kgx):
        for name in (NODES_JSONL, EDGES_JSONL):
            for record in _records(folder / name):
                for key in record:
                    assert key in extensions or toolkit.get_element(key.replace("_", " ")) is not None, key
                if "predicate" in record:
                    assert record["knowledge_level"] in levels and record["agent_type"] in agents


def test_hedged_passages_stay_qualified(release_dir: Path, release_graph) -> None:
    """Each KGX edge carries one set of qualifiers: a statement stated plainly in one passage and
    hedged in another becomes two edges, and the hedged one says so."""
    edges = _records(release_dir / "kgx" / EDGES_JSONL)
    levels = load_mapping().certainties
    passages = [ev for e in edges for ev in e["has_evidence"]]
    from rdflib import URIRef

    from pathokg.vocab import PKO, expand_curie
    for edge in edges:
        certainty = edge["has_confidence_level"].split(":")[1]
        assert edge["knowledge_level"] == levels[certainty.lower()]["knowledge_level"]
        for ev in edge["has_evidence"]:
            node = URIRef(expand_curie(ev))
            assert release_graph.value(node, PKO.certainty) == PKO[certainty], ev
            texts = sorted(str(t) for c in release_graph.objects(node, PKO.hasCondition)
                           for t in release_graph.objects(c, PKO.conditionText))
            assert sorted(c.split(": ", 1)[1] for c in edge.get("pathokg_conditions", [])) == texts, ev
    statements = len(list(release_graph.subject_objects(PKO.hasEvidence)))
    assert len(passages) == statements  # every (statement, passage) pair is on exactly one edge
    joint = [e for e in edges if e["subject"] == "pk:joint-replacement" and e["original_predicate"] == "pko:treats"]
    assert joint and joint[0]["has_confidence_level"] == "pko:Conditional"
    assert joint[0]["pathokg_conditions"] == ["severity: In severe cases", "site: in joints"]
    assert joint[0]["anatomical_context_qualifier"] == ["UBERON:0000982"]
    promising = [e for e in edges if e["has_confidence_level"] in ("pko:Promising", "pko:Investigational")]
    assert promising and all(e["knowledge_level"] == "prediction" for e in promising)


def test_node_ids_come_from_preferred_prefixes(release_dir: Path) -> None:
    nodes = {n["xref"][0]: n for n in _records(release_dir / "kgx" / NODES_JSONL)}
    assert nodes["pk:chronic-kidney-disease"]["id"] == "MONDO:0005300"
    assert nodes["pk:artery"]["id"] == "UBERON:0001637"
    assert nodes["pk:dystrophic-calcification"]["id"] == "pk:dystrophic-calcification"  # no exact match
    assert len({n["id"] for n in nodes.values()}) == len(nodes)


def test_export_cli_writes_and_rewrites_the_kgx_folder(release_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathokg.cli import main

    out = tmp_path / "kgx"
    for _ in range(2):  # the second run replaces the folder it wrote
        result = CliRunner().invoke(main, ["export", "--format", "kgx", "--release", str(release_dir),
                                           "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert (out / "pathokg_edges.tsv").read_bytes() == (release_dir / "kgx" / "pathokg_edges.tsv").read_bytes()


def test_a_value_kgx_tsv_cannot_hold_is_refused(tmp_path: Path) -> None:
    from pathokg.errors import ExportError
    from pathokg.exports.kgx import EDGE_COLUMNS, tsv_text

    with pytest.raises(ExportError, match="list delimiter"):
        tsv_text([{"id": "e1", "supporting_text": ["a | b"]}], EDGE_COLUMNS)
