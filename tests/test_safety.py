"""Safety on every path: no outbound connection, no file read, read-only, time and size limits."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import pathokg
from pathokg.querying.safety import check_query

from .helpers.server import running_server

pytestmark = pytest.mark.server


class Listener:
    """A local TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir, timeout=3.0) as base:
        yield base


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def outside_queries(port: int, secret: Path) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ GRAPH <{secret.as_uri()}> {{ ?s ?p ?o }} }}",
        f"LOAD <{secret.as_uri()}>",
        f"LOAD <http://127.0.0.1:{port}/data.ttl>",
    ]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.ttl"
    path.write_text("<http://secret/s> <http://secret/p> \"SECRET-VALUE\" .\n")
    return path


def test_outside_queries_are_refused_over_http(server: str, listener: Listener,
                                               secret: Path) -> None:
    for query in outside_queries(listener.port, secret):
        r = httpx.post(server + "/sparql", data={"query": query})
        assert r.status_code == 403, (query, r.status_code, r.text)
        assert "SECRET-VALUE" not in r.text and "Traceback" not in r.text
    time.sleep(0.5)
    assert listener.connections == 0


def test_outside_queries_are_refused_in_python(listener: Listener, secret: Path,
                                               release_dir: Path) -> None:
    for query in outside_queries(listener.port, secret):
        with pytest.raises(pathokg.QueryRefused):
            pathokg.sparql(query, release=release_dir)
    assert listener.connections == 0


def test_heavy_query_hits_the_time_limit_while_others_are_served(server: str) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    box: dict[str, httpx.Response] = {}
    thread = threading.Thread(target=lambda: box.setdefault(
        "r", httpx.post(server + "/sparql", data={"query": heavy}, timeout=60)))
    started = time.monotonic()
    thread.start()
    time.sleep(0.5)
    quick = httpx.get(server + "/api/queries/concept-lookup", params={"text": "ckd"}, timeout=10)
    quick_time = time.monotonic() - started
    assert quick.status_code == 200 and quick_time < 2.5  # answered while the heavy one runs
    thread.join(30)
    assert box["r"].status_code == 503 and "time limit" in box["r"].text
    assert time.monotonic() - started < 15
    # the killed worker is replaced: the server keeps answering
    for _ in range(4):
        assert httpx.get(server + "/api/queries/kinds-of", timeout=30).status_code == 200


def test_query_size_limit(server: str) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    r = httpx.post(server + "/sparql", data={"query": big})
    assert r.status_code == 413


def test_result_size_limit_and_check_order() -> None:
    with pytest.raises(pathokg.QueryLimitError):
        check_query("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000)


def test_graph_on_the_served_named_graph_is_allowed(release_dir: Path) -> None:
    rows = pathokg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <graph/inferred> { ?s ?p ?o } }",
                          release=release_dir).rows
    assert int(rows[0]["n"]) > 100
