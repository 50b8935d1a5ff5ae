"""Versioned, dated releases: the date comes from the CHANGELOG entry of the package version (or
SOURCE_DATE_EPOCH), never from the clock; the version IRI carries it (ODK style); every artefact
that can hold a version holds this one; CITATION.cff agrees; the article's address and retrieval
date appear only when its provenance gives them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL

from pathokg.cli import main
from pathokg.curation.assemble import assemble
from pathokg.curation.version import ReleaseInfo, changelog_date, epoch_date, package_version, release_info
from pathokg.errors import ReleaseError
from pathokg.paths import CHANGELOG_FILE, FOLDER_MARKERS, TURTLE
from pathokg.vocab import LICENSE_IRI, ONTOLOGY_IRI, PAV, SCHEMA, SOURCE

from .helpers import MINI_SOURCE

ROOT = Path(__file__).resolve().parents[1]
CHANGELOG = """# Changelog

## [Unreleased]

## [0.2.0] - 2027-01-15
### Added
- things

## [0.1.0] - 2026-11-26
"""


@pytest.mark.parametrize(("version", "date"), [("0.2.0", "2027-01-15"), ("0.1.0", "2026-11-26"), ("0.3.0", None)])
def test_changelog_date(version: str, date: str | None) -> None:
    assert changelog_date(CHANGELOG, version) == date


def test_the_release_is_dated_by_its_changelog_entry() -> None:
    info = release_info()
    assert info.version == package_version()
    assert info.date == changelog_date(CHANGELOG_FILE.read_text(encoding="utf-8"), info.version)
    assert str(info.version_iri) == f"https://w3id.org/pathokg/releases/{info.date}/pathokg.owl"


def test_source_date_epoch_overrides_the_changelog(tmp_path: Path) -> None:
    missing = tmp_path / "CHANGELOG.md"  # not even there
    assert release_info(missing, {"SOURCE_DATE_EPOCH": "1800000000"}).date == epoch_date("1800000000") == "2027-01-15"


@pytest.mark.parametrize(("environ", "text", "message"), [
    ({}, "## [9.9.9] - 2030-01-01\n", "has no entry '## \\[0.*\\] - YYYY-MM-DD'"),
    ({}, None, "cannot read the changelog"),
    ({"SOURCE_DATE_EPOCH": "yesterday"}, "", "whole number of seconds"),
    ({"SOURCE_DATE_EPOCH": "-5"}, "", "must not be negative"),
])
def test_an_undatable_release_is_a_clear_error(tmp_path: Path, environ: dict, text: str | None, message: str) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    if text is not None:
        changelog.write_text(text, encoding="utf-8")
    with pytest.raises(ReleaseError, match=message):
        release_info(changelog, environ)


def test_build_with_a_bad_epoch_exits_2_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "--out", str(out), "--no-reasoner"])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output
    assert not out.exists()


def test_the_ontology_header_has_the_version_iri_and_date(release_graph: Graph) -> None:
    info = release_info()
    assert release_graph.value(ONTOLOGY_IRI, OWL.versionIRI) == info.version_iri
    assert str(release_graph.value(ONTOLOGY_IRI, OWL.versionInfo)) == info.version
    assert str(release_graph.value(ONTOLOGY_IRI, DCTERMS.issued)) == info.date


#: release files that do not carry pathokg's version, and why: the article text is vendored byte
#: for byte; CSV, KGX TSV/JSON Lines and YAML rows have no place for file metadata (their folders'
#: load.cypher and pathokg_metadata.json carry it); the HPO files are HPO's content and carry HPO's
#: release (void.ttl ties them to this one); the folder markers list files; the map, its picture,
#: the article page and the flashcards are teaching material (not yet stamped: see CHANGELOG)
NO_VERSION = {"sources/", "neo4j/nodes.csv", "neo4j/relationships.csv", "kgx/pathokg_nodes.tsv",
              "kgx/pathokg_edges.tsv", "kgx/pathokg_nodes.jsonl", "kgx/pathokg_edges.jsonl",
              "kgx/biolink-mapping.yaml", "hpo-import.ttl", "hpo-annotations.ttl",
              "concept-map.html", "concept-map.svg", "reader.html", "flashcards.apkg",
              "flashcards-quizlet.csv"}


def test_every_artefact_carries_the_version(release_dir: Path) -> None:
    info = release_info()
    for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
        name = path.relative_to(release_dir).as_posix()
        if (name in NO_VERSION or path.name in FOLDER_MARKERS
                or any(name.startswith(f) for f in NO_VERSION if f.endswith("/"))):
            continue
        text = path.read_text(encoding="utf-8")
        assert info.version in text and info.date in text, f"{name} does not say which release it is"


def test_another_date_changes_the_iris_and_nothing_else(release_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild dated otherwise (SOURCE_DATE_EPOCH) has the same knowledge: `pathokg diff` finds
    no change, only the other version IRI."""
    from pathokg.release.build import build
    from pathokg.release.diff import diff_releases

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    out = tmp_path / "dist"
    build(out, reasoner=False)
    g = Graph().parse(out / TURTLE)
    assert str(g.value(ONTOLOGY_IRI, OWL.versionIRI)) == "https://w3id.org/pathokg/releases/2027-01-15/pathokg.owl"
    assert "releases/2027-01-15/pathokg.ttl" in (out / "void.ttl").read_text(encoding="utf-8")
    diff = diff_releases(release_dir, out)
    assert not diff.has_changes and diff.new["date"] == "2027-01-15"


def test_citation_file_agrees_with_the_release() -> None:
    info = release_info()
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == info.version
    assert str(cff["date-released"]) == info.date
    assert cff["title"] and cff["authors"] and cff["message"] and cff["license"] == "CC-BY-4.0"
    assert str(info.version_iri) in {i["value"] for i in cff["identifiers"]}


def test_no_address_or_retrieval_date_that_the_provenance_does_not_give(release_graph: Graph) -> None:
    article = SOURCE["dystrophic-calcification"]
    assert release_graph.value(article, SCHEMA.url) is None
    assert release_graph.value(article, PAV.retrievedOn) is None


def test_address_and_retrieval_date_where_the_provenance_gives_them(tmp_path: Path) -> None:
    source = tmp_path / MINI_SOURCE.name
    shutil.copy(MINI_SOURCE.with_suffix(".txt"), tmp_path)
    text = MINI_SOURCE.read_text(encoding="utf-8").replace(
        "  published: 2026-01-01\n",
        "  published: 2026-01-01\n  url: https://example.org/mini\n  retrieved: 2026-02-03\n")
    source.write_text(text, encoding="utf-8")
    g = assemble([source], release=ReleaseInfo("0.0.0", "2026-01-01")).graph
    article = SOURCE["mini-article"]
    assert str(g.value(article, SCHEMA.url)) == "https://example.org/mini"
    assert str(g.value(article, PAV.retrievedOn)) == "2026-02-03"


def test_kgx_metadata_names_the_release(release_dir: Path) -> None:
    meta = json.loads((release_dir / "kgx" / "pathokg_metadata.json").read_text(encoding="utf-8"))
    info = release_info()
    assert (meta["version"], meta["release_date"], meta["version_iri"]) == (info.version, info.date,
                                                                             str(info.version_iri))
    assert meta["license"] == str(LICENSE_IRI)
