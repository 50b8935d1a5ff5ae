"""Publishing to real triplestores started here on 127.0.0.1 (Oxigraph server, Virtuoso 7): the
named graphs are replaced and verified by count, the named queries give the embedded answers
through ``--endpoint``, and a store that is down, refuses credentials or lost triples is a clear
error (exit code 4)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import pathokg
from pathokg.cli import main
from pathokg.errors import ArgumentError, RemoteError
from pathokg.paths import NTRIPLES
from pathokg.release.graphstore import put_graph
from pathokg.release.publish import (
    PublishReport,
    count_triples,
    default_query_endpoint,
    publish,
    publish_payloads,
    published_graphs,
    release_payloads,
    verify,
)
from pathokg.vocab import (
    DATASET_IRI,
    HPO_ANNOTATIONS_GRAPH,
    HPO_ANNOTATIONS_PUBLISHED,
    PUBLISHED_AS,
    PUBLISHED_GRAPH,
    STAGING_GRAPHS,
)

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


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_the_annotations_are_published_by_reference(store: str, request: pytest.FixtureRequest) -> None:
    """The HPO annotations stay in a versioned graph that the pointer graph names (no store can
    MOVE 2.7 million triples in one update); every other graph keeps its name and points at
    itself. The pointer graph is not in the dataset a query sees."""
    report: PublishReport = request.getfixturevalue(f"on_{store}")
    server = request.getfixturevalue(store)
    physical = {g.graph: g.physical for g in report.graphs}
    assert physical[str(HPO_ANNOTATIONS_GRAPH)].startswith(str(HPO_ANNOTATIONS_PUBLISHED))
    assert all(p == g for g, p in physical.items() if g != str(HPO_ANNOTATIONS_GRAPH))
    with httpx.Client(timeout=60) as client:
        assert published_graphs(client, server.query_url) == physical
        assert count_triples(client, server.query_url, str(PUBLISHED_GRAPH)) == len(physical)
        assert count_triples(client, server.query_url, str(HPO_ANNOTATIONS_GRAPH)) == 0
        annotations = next(g for g in report.graphs if g.graph == str(HPO_ANNOTATIONS_GRAPH))
        assert count_triples(client, server.query_url, annotations.physical) == annotations.triples
    pointer = pathokg.sparql(f"ASK {{ ?g <{PUBLISHED_AS}> ?p }}", endpoint=server.query_url)
    assert pointer.boolean is False  # the pointer graph is never part of the query dataset


@pytest.mark.parametrize("name", NAMED)
def test_named_queries_on_oxigraph_match_the_embedded_engine(
        name: str, on_oxigraph: PublishReport, embedded: dict[str, object]) -> None:
    assert _rows(pathokg.query(name, endpoint=on_oxigraph.endpoint)) == embedded[name]


@pytest.mark.parametrize("name", NAMED)
def test_named_queries_on_virtuoso_match_the_embedded_engine(
        name: str, on_virtuoso: PublishReport, embedded: dict[str, object]) -> None:
    assert _rows(pathokg.query(name, endpoint=on_virtuoso.endpoint)) == embedded[name]


def test_publishing_again_switches_the_pointer_and_drops_the_old_graph(
        oxigraph: OxigraphServer, on_oxigraph: PublishReport, release_dir: Path) -> None:
    with httpx.Client(timeout=60) as client:
        old = published_graphs(client, oxigraph.query_url)[str(HPO_ANNOTATIONS_GRAPH)]
        again = publish(oxigraph.store_url, release=release_dir)
        assert [g.triples for g in again.graphs] == [g.triples for g in on_oxigraph.graphs]
        new = published_graphs(client, oxigraph.query_url)[str(HPO_ANNOTATIONS_GRAPH)]
        assert new != old and new == next(g.physical for g in again.graphs if g.graph == str(HPO_ANNOTATIONS_GRAPH))
        assert count_triples(client, oxigraph.query_url, old) == 0 and not again.left_behind
        assert count_triples(client, oxigraph.query_url, new) > 0
    # and the readers of this process read the new pointer (their cached layout is forgotten)
    assert _rows(pathokg.query("hpo-diseases-with-phenotype", endpoint=oxigraph.query_url)) == \
        _rows(pathokg.query("hpo-diseases-with-phenotype", release=release_dir))


def test_a_reader_finds_the_annotations_after_another_process_publishes(
        oxigraph: OxigraphServer, on_oxigraph: PublishReport, release_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-lived reader (a notebook) must not keep querying the annotations graph that another
    process's publish just dropped (zero rows, silently): its layout is asked again after
    LAYOUT_SECONDS (0 here, so that the test need not wait)."""
    from pathokg.querying import remote

    name = "hpo-diseases-with-phenotype"
    expected = _rows(pathokg.query(name, release=release_dir))
    assert expected and _rows(pathokg.query(name, endpoint=oxigraph.query_url)) == expected
    subprocess.run([sys.executable, "-m", "pathokg", "publish", "--store", oxigraph.store_url,
                    "--release", str(release_dir)], check=True, capture_output=True, timeout=300)
    monkeypatch.setattr(remote, "LAYOUT_SECONDS", 0.0)
    assert _rows(pathokg.query(name, endpoint=oxigraph.query_url)) == expected


def test_a_cleanup_that_fails_leaves_the_old_graph_and_says_so(oxigraph: OxigraphServer,
                                                                on_oxigraph: PublishReport) -> None:
    """After the switch, dropping the previous annotations graph is best effort: a store that
    cannot be reached by then keeps it, and the report names it (the CLI prints how to drop it)."""
    from pathokg.release.publish import _drop_previous

    report = PublishReport(oxigraph.store_url, oxigraph.query_url)
    old = f"{HPO_ANNOTATIONS_PUBLISHED}left-behind"
    with httpx.Client(timeout=30) as client:
        put_graph(client, oxigraph.store_url, old, b"<urn:a> <urn:p> <urn:b> .\n")
        _drop_previous(client, oxigraph.store_url, f"http://127.0.0.1:{free_port()}/update",
                       oxigraph.query_url, report, [old])
        assert report.left_behind == [old] and "cannot reach" in report.cleanup_error
        assert count_triples(client, oxigraph.query_url, old) == 1
        _drop_previous(client, oxigraph.store_url, f"{oxigraph.base_url}/update", oxigraph.query_url,
                       PublishReport(oxigraph.store_url, oxigraph.query_url), [old])
        assert count_triples(client, oxigraph.query_url, old) == 0


def test_a_store_published_by_an_older_pathokg_still_reads(release_dir: Path,
                                                           embedded: dict[str, object]) -> None:
    """pathokg 0.1.0 (and a store loaded by hand) put every graph under its own name, without a
    pointer graph: it reads as before, and a publish over it switches it to the pointer and
    empties the annotations' logical graph (in the same update)."""
    require(oxigraph_executable() is not None, "the oxigraph server binary is missing (pip install oxigraph)")
    hpo_queries = [name for name in NAMED if name.startswith("hpo-")]
    assert hpo_queries
    with OxigraphServer() as server, httpx.Client(timeout=120) as client:
        for graph_iri, data in release_payloads(release_dir).items():
            put_graph(client, server.store_url, graph_iri, data)
        for name in hpo_queries:
            assert _rows(pathokg.query(name, endpoint=server.query_url)) == embedded[name], name
        report = publish(server.store_url, release=release_dir)
        assert count_triples(client, server.query_url, str(HPO_ANNOTATIONS_GRAPH)) == 0
        assert published_graphs(client, server.query_url) == {g.graph: g.physical for g in report.graphs}
        for name in hpo_queries:
            assert _rows(pathokg.query(name, endpoint=server.query_url)) == embedded[name], name


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


def _state(client: httpx.Client, url: str, *, whole: bool) -> dict[str, object]:
    """What the store holds: the pointer graph, and in each graph it names (logical and physical)
    the count per predicate (and on Oxigraph, which has no result-size limit, every triple), and
    every staging and versioned graph."""
    pointer = published_graphs(client, url)
    state: dict[str, object] = {"pointer": pointer}
    for g in sorted(set(pointer) | set(pointer.values())):
        state[g] = _ask(client, url, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} GROUP BY ?p")
        if whole:
            state[g + " triples"] = _ask(client, url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
    state["made"] = _ask(client, url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                      f"FILTER(STRSTARTS(STR(?g), \"{STAGING_GRAPHS}\") || "
                                      f"STRSTARTS(STR(?g), \"{HPO_ANNOTATIONS_PUBLISHED}\")) }}")
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


@pytest.mark.parametrize("how", ["syntax", "count", "update"])
@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_a_failed_publish_leaves_the_store_as_it_was(store: str, how: str, request: pytest.FixtureRequest,
                                                     release_dir: Path) -> None:
    """Broken: the annotations (the last payload, published by reference) refused by the store or
    counted short, or the one update refused (a wrong update endpoint): every graph, the pointer
    graph, and the list of staging and versioned graphs are as before."""
    request.getfixturevalue(f"on_{store}")
    server = request.getfixturevalue(store)
    credentials = {} if store == "oxigraph" else {"user": VIRTUOSO_USER, "password": VIRTUOSO_PASSWORD}
    payloads = release_payloads(release_dir)
    graphs = list(payloads)
    assert graphs[-1] == str(HPO_ANNOTATIONS_GRAPH)  # the one _broken breaks
    broken = _broken(payloads, how) if how != "update" else {**payloads, graphs[0]: _broken(payloads, how)[graphs[0]]}
    wrong = {"update_endpoint": f"{server.base_url}/no-such-update"} if how == "update" else {}
    with httpx.Client(timeout=120) as client:
        before = _state(client, server.query_url, whole=store == "oxigraph")
        assert set(graphs) <= set(before["pointer"]) and all(before[g] for g in graphs if g != graphs[-1])
        assert len(before["made"]) == 1  # the live versioned annotations graph
        with pytest.raises(RemoteError, match="nothing was replaced") as failed:
            publish_payloads(server.store_url, broken, **wrong, **credentials)
        assert ("partial load" in str(failed.value)) == (how == "count")
        assert ("/no-such-update" in str(failed.value)) == (how == "update")
        assert _state(client, server.query_url, whole=store == "oxigraph") == before
    # and the same publish, unbroken, replaces them all (the test can see a replacement)
    publish_payloads(server.store_url, {**payloads, graphs[0]: _broken(payloads, how)[graphs[0]]}, **credentials)
    with httpx.Client(timeout=120) as client:
        after = _state(client, server.query_url, whole=False)
    assert after[graphs[0]] != before[graphs[0]] and after["made"] != before["made"]
    assert len(after["made"]) == 1 and after["pointer"] != before["pointer"]
    publish_payloads(server.store_url, payloads, **credentials)  # as the other tests expect it


def test_virtuoso_uploads_in_requests_that_keep_blank_nodes_together() -> None:
    from pathokg.release.graphstore import ntriples_chunks

    data = b"".join(f"<urn:s{i}> <urn:p> _:b{i % 7} .\n_:b{i % 7} <urn:q> \"{i}\" .\n".encode() for i in range(50))
    data += b"".join(f"<urn:s{i}> <urn:p> <urn:o> .\n".encode() for i in range(30))
    chunks = ntriples_chunks(data, 10)
    assert sorted(b"".join(chunks).splitlines()) == sorted(data.splitlines())
    for label in {f"_:b{k} ".encode() for k in range(7)}:
        assert sum(label in c for c in chunks) == 1, label
    assert max(c.count(b"\n") for c in chunks if b"_:" not in c) <= 10


class _DeadlockingStore(BaseHTTPRequestHandler):
    """A Graph Store endpoint that answers each request with the next status of ``answers``, as
    Virtuoso does when it rolls back a deadlocked transaction (a real Virtuoso cannot be made to
    deadlock on purpose)."""

    answers: ClassVar[list[tuple[int, bytes]]] = []
    seen: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append(self.command)
        status, body = self.answers.pop(0) if self.answers else (201, b"")
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


_SR172 = (500, b"<h3>Error 40001</h3><xmp>SR172: Transaction deadlocked</xmp>")


@pytest.mark.parametrize(("answers", "requests", "fails"), [
    ([_SR172], ["PUT", "PUT", "POST"], False),                       # sent again, then the rest
    ([(201, b""), _SR172, _SR172], ["PUT", "POST", "POST", "POST"], False),
    ([_SR172] * 4, ["PUT"] * 4, True),                                # gives up after 3 retries
    ([(500, b"SR008: some other error")], ["PUT"], True),             # other errors: at once
])
def test_virtuoso_requests_that_deadlock_are_sent_again(answers: list[tuple[int, bytes]], requests: list[str],
                                                        fails: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full-HPO upload to Virtuoso failed once with "SR172: Transaction deadlocked" on a request
    of 100,000 triples; the same triples sent again are safe (the count checks the result)."""
    from pathokg.release import graphstore

    monkeypatch.setattr(graphstore, "VIRTUOSO_CHUNK", 1)
    monkeypatch.setattr(graphstore.time, "sleep", lambda seconds: None)
    _DeadlockingStore.answers, _DeadlockingStore.seen = list(answers), []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DeadlockingStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    store = f"http://127.0.0.1:{server.server_address[1]}/sparql-graph-crud"
    try:
        with httpx.Client(timeout=10) as client:
            upload = lambda: graphstore.upload_graph(client, store, "urn:g", b"<a> <p> <b> .\n<c> <p> <d> .\n")  # noqa: E731
            if fails:
                with pytest.raises(RemoteError, match="SR"):
                    upload()
            else:
                upload()
    finally:
        server.shutdown()
    assert _DeadlockingStore.seen == requests
