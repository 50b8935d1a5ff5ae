"""Publishing to real triplestores started here on 127.0.0.1 (Oxigraph server, Virtuoso 7): the
named graphs are replaced and verified by count, the named queries give the embedded answers
through ``--endpoint``, and a store that is down, refuses credentials or lost triples is a clear
error (exit code 4)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import pathokg
from pathokg.cli import main
from pathokg.errors import ArgumentError, RemoteError
from pathokg.paths import NTRIPLES
from pathokg.release.publish import PublishReport, default_query_endpoint, publish, verify
from pathokg.vocab import DATASET_IRI

from .helpers import require
from .helpers.triplestores import (
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    OxigraphServer,
    VirtuosoServer,
    free_port,
    oxigraph_executable,
)

pytestmark = [pytest.mark.server, pytest.mark.slow]

NAMED = [q.name for q in pathokg.list_queries()]


def _rows(result: pathokg.QueryResult) -> object:
    if result.is_graph:
        return sorted(str(t) for t in result.triples)
    if result.form == "ASK":
        return result.boolean
    return sorted(sorted((k, str(v)) for k, v in row.items()) for row in result.rows)


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[OxigraphServer]:
    require(oxigraph_executable() is not None, "the oxigraph server binary is missing (pip install oxigraph)")
    with OxigraphServer() as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso() -> Iterator[VirtuosoServer]:
    require(shutil.which("virtuoso-t") is not None,
            "virtuoso-t is missing (Debian: apt-get install virtuoso-opensource)")
    with VirtuosoServer() as server:
        yield server


@pytest.fixture(scope="module")
def on_oxigraph(oxigraph: OxigraphServer, release_dir: Path) -> PublishReport:
    return publish(oxigraph.store_url, release=release_dir)


@pytest.fixture(scope="module")
def on_virtuoso(virtuoso: VirtuosoServer, release_dir: Path) -> PublishReport:
    return publish(virtuoso.store_url, release=release_dir, user=VIRTUOSO_USER,
                   password=VIRTUOSO_PASSWORD)


@pytest.fixture(scope="module")
def embedded(release_dir: Path) -> dict[str, object]:
    return {name: _rows(pathokg.query(name, release=release_dir)) for name in NAMED}


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_bytes().splitlines() if line.strip())


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_publish_is_verified_by_count(store: str, request: pytest.FixtureRequest, release_dir: Path) -> None:
    report: PublishReport = request.getfixturevalue(f"on_{store}")
    assert report.graphs[0].graph == str(DATASET_IRI)
    assert report.graphs[0].triples == _lines(release_dir / NTRIPLES)
    assert len(report.graphs) == 4 and all(g.triples > 0 for g in report.graphs)  # with HPO's two
    result = pathokg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=report.endpoint)
    assert int(result.rows[0]["n"]) >= report.graphs[0].triples


@pytest.mark.parametrize("name", NAMED)
def test_named_queries_on_oxigraph_match_the_embedded_engine(
        name: str, on_oxigraph: PublishReport, embedded: dict[str, object]) -> None:
    assert _rows(pathokg.query(name, endpoint=on_oxigraph.endpoint)) == embedded[name]


@pytest.mark.parametrize("name", NAMED)
def test_named_queries_on_virtuoso_match_the_embedded_engine(
        name: str, on_virtuoso: PublishReport, embedded: dict[str, object]) -> None:
    assert _rows(pathokg.query(name, endpoint=on_virtuoso.endpoint)) == embedded[name]


def test_publishing_again_replaces_the_graph(oxigraph: OxigraphServer, on_oxigraph: PublishReport,
                                             release_dir: Path) -> None:
    again = publish(oxigraph.store_url, release=release_dir)
    assert [g.triples for g in again.graphs] == [g.triples for g in on_oxigraph.graphs]


def test_a_partial_load_is_detected(oxigraph: OxigraphServer, release_dir: Path) -> None:
    graph = "https://example.org/partial"
    report = publish(oxigraph.store_url, release=release_dir, graph=graph, inferred_graph=None)
    expected = report.graphs[0].triples
    lost = f"DELETE WHERE {{ GRAPH <{graph}> {{ ?s a ?o }} }}"  # the store loses some triples
    httpx.post(f"{oxigraph.base_url}/update", data={"update": lost}, timeout=30).raise_for_status()
    with httpx.Client(timeout=30) as client, pytest.raises(RemoteError, match="partial load"):
        verify(client, oxigraph.query_url, graph, expected)


def test_cli_publish_to_oxigraph(oxigraph: OxigraphServer, release_dir: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "--store", oxigraph.store_url, "--release",
                                       str(release_dir), "--no-inferred"])
    assert result.exit_code == 0, result.output
    assert "verified by count" in result.output and "--endpoint" in result.output


def test_wrong_credentials_are_refused(virtuoso: VirtuosoServer, release_dir: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "--store", virtuoso.store_url, "--release",
                                       str(release_dir), "--user", "dba", "--password", "wrong"])
    assert result.exit_code == 4
    assert "refused the credentials (HTTP 401)" in result.output
    with pytest.raises(RemoteError, match="refused the credentials"):
        publish(virtuoso.store_url, release=release_dir)  # no credentials at all


def test_a_store_that_is_down_is_a_clear_error(release_dir: Path) -> None:
    store = f"http://127.0.0.1:{free_port()}/store"
    result = CliRunner().invoke(main, ["publish", "--store", store, "--release", str(release_dir)])
    assert result.exit_code == 4
    assert f"cannot reach the store {store}" in result.output


def test_query_endpoint_defaults() -> None:
    assert default_query_endpoint("http://h:3030/ds/data") == "http://h:3030/ds/sparql"
    with pytest.raises(ArgumentError, match="--query-endpoint"):
        default_query_endpoint("http://h/somewhere")


def test_the_plain_query_url_answers_like_the_embedded_graph(
        oxigraph: OxigraphServer, on_oxigraph: PublishReport, release_dir: Path) -> None:
    """Issue 10: after publish, `--endpoint http://HOST:PORT/query` gave 0 rows (the release is in
    named graphs); now the query command names them as the dataset itself."""
    assert on_oxigraph.endpoint == oxigraph.query_url
    for inferred in (True, False):
        remote = pathokg.query("treated-by", endpoint=oxigraph.query_url, inferred=inferred)
        local = pathokg.query("treated-by", release=release_dir, inferred=inferred)
        assert _rows(remote) == _rows(local)
    cli = CliRunner().invoke(main, ["query", "risk-factors", "--format", "tsv", "--endpoint",
                                    oxigraph.query_url])
    assert cli.exit_code == 0, cli.output
    local_cli = CliRunner().invoke(main, ["query", "risk-factors", "--format", "tsv", "--release",
                                          str(release_dir)])
    assert cli.output == local_cli.output and len(cli.output.splitlines()) > 10
