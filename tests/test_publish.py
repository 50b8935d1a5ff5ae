"""Publishing to real triplestores started here on 127.0.0.1 (Oxigraph server, Virtuoso 7): the
named graphs are replaced and verified by count, the named queries give the embedded answers
through ``--endpoint``, and a store that is down, refuses credentials or lost triples is a clear
error (exit code 4)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import pathokg
from pathokg.cli import main
from pathokg.errors import ArgumentError, RemoteError
from pathokg.paths import NTRIPLES
from pathokg.release.publish import (
    PublishReport,
    count_triples,
    default_query_endpoint,
    publish,
    publish_payloads,
    release_payloads,
    verify,
)
from pathokg.vocab import DATASET_IRI, STAGING_GRAPHS

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


# ---- a failed publish leaves the store as it was ------------------------------------------------

def _ask(client: httpx.Client, url: str, query: str) -> list[tuple[str, ...]]:
    response = client.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    rows = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    return sorted(tuple(str(row[i]) for i in range(len(rows.variables))) for row in rows)


def _state(client: httpx.Client, url: str, graphs: list[str], *, whole: bool) -> dict[str, object]:
    """What the store holds in each graph: the count per predicate (and on Oxigraph, which has no
    result-size limit, every triple), and any staging graph left behind."""
    state: dict[str, object] = {}
    for g in graphs:
        state[g] = _ask(client, url, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} GROUP BY ?p")
        if whole:
            state[g + " triples"] = _ask(client, url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    state["staging"] = _ask(client, url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                         f"FILTER(STRSTARTS(STR(?g), \"{STAGING_GRAPHS}\")) }}")
    return state


def _broken(payloads: dict[str, bytes], how: str) -> dict[str, bytes]:
    """The release's payloads, changed so that replacing any graph would show (every label
    dropped from the first), with the last one broken midway: a syntax error (the store refuses
    the upload) or a repeated line (the store holds one triple fewer than the file's lines)."""
    changed = dict(payloads)
    first, last = next(iter(payloads)), list(payloads)[-1]
    changed[first] = b"".join(line for line in payloads[first].splitlines(keepends=True)
                              if b"<http://www.w3.org/2000/01/rdf-schema#label>" not in line)
    lines = payloads[last].splitlines(keepends=True)
    half = len(lines) // 2
    extra = [b"<urn:x> <urn:y> \"unterminated .\n"] if how == "syntax" else [lines[half]]
    changed[last] = b"".join(lines[:half] + extra + lines[half:])
    assert changed[first] != payloads[first]
    return changed


@pytest.mark.parametrize("how", ["syntax", "count"])
@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_a_failed_publish_leaves_the_store_as_it_was(store: str, how: str, request: pytest.FixtureRequest,
                                                     release_dir: Path) -> None:
    request.getfixturevalue(f"on_{store}")
    server = request.getfixturevalue(store)
    credentials = {} if store == "oxigraph" else {"user": VIRTUOSO_USER, "password": VIRTUOSO_PASSWORD}
    payloads = release_payloads(release_dir)
    graphs = list(payloads)
    with httpx.Client(timeout=120) as client:
        before = _state(client, server.query_url, graphs, whole=store == "oxigraph")
        assert all(before[g] for g in graphs) and before["staging"] == []
        with pytest.raises(RemoteError, match="nothing was replaced") as failed:
            publish_payloads(server.store_url, _broken(payloads, how), **credentials)
        assert ("partial load" in str(failed.value)) == (how == "count")
        assert _state(client, server.query_url, graphs, whole=store == "oxigraph") == before
    # and the same publish, unbroken, replaces them all (the test can see a replacement)
    publish_payloads(server.store_url, {**payloads, graphs[0]: _broken(payloads, how)[graphs[0]]}, **credentials)
    with httpx.Client(timeout=120) as client:
        after = _state(client, server.query_url, graphs, whole=False)
    assert after[graphs[0]] != before[graphs[0]] and after["staging"] == []
    publish_payloads(server.store_url, payloads, **credentials)  # as the other tests expect it


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_above_the_atomic_limit_each_graph_goes_by_the_bulk_path(store: str, request: pytest.FixtureRequest,
                                                                  release_dir: Path) -> None:
    # a full-HPO release (3 million triples) takes this path: every graph in place and counted
    server = request.getfixturevalue(store)
    credentials = {} if store == "oxigraph" else {"user": VIRTUOSO_USER, "password": VIRTUOSO_PASSWORD}
    payloads = release_payloads(release_dir)
    report = publish_payloads(server.store_url, payloads, atomic_limit=0, **credentials)
    assert not report.atomic and [g.graph for g in report.graphs] == list(payloads)
    with httpx.Client(timeout=60) as client:
        for g in report.graphs:
            assert g.triples == count_triples(client, server.query_url, g.graph) > 0
    staged = publish_payloads(server.store_url, payloads, **credentials)
    assert staged.atomic and staged.replace_seconds > 0


def test_virtuoso_uploads_in_requests_that_keep_blank_nodes_together() -> None:
    from pathokg.release.publish import ntriples_chunks

    data = b"".join(f"<urn:s{i}> <urn:p> _:b{i % 7} .\n_:b{i % 7} <urn:q> \"{i}\" .\n".encode() for i in range(50))
    data += b"".join(f"<urn:s{i}> <urn:p> <urn:o> .\n".encode() for i in range(30))
    chunks = ntriples_chunks(data, 10)
    assert sorted(b"".join(chunks).splitlines()) == sorted(data.splitlines())
    for label in {f"_:b{k} ".encode() for k in range(7)}:
        assert sum(label in c for c in chunks) == 1, label
    assert max(c.count(b"\n") for c in chunks if b"_:" not in c) <= 10
