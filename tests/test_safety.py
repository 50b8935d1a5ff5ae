"""Safety on every route: one reading of the query, no outbound connection, no file read, a
second wall in the operating system, read-only, and bounded resources."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pathokg
from pathokg.cli import main as cli_main
from pathokg.errors import PathoKGError, QueryError, QueryLimitError, QuerySyntaxError
from pathokg.querying.engine import Engine
from pathokg.querying.formats import solution_format
from pathokg.querying.safety import MAX_NESTING, MAX_QUERY_CHARS, prepare
from pathokg.web.pool import PoolSettings, WorkerPool
from pathokg.web.state import App, BoundedCache, ServerSettings
from pathokg.web.store import build_store
from pathokg.web.workers import Job

from .helpers import require
from .helpers.server import ServerProcess, rss_kib, server_process
from .helpers.watch import Listener, Sentinel

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[ServerProcess]:
    with server_process(release_dir, timeout=3.0) as srv:
        yield srv


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def sentinel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sentinel]:
    s = Sentinel(tmp_path_factory.mktemp("sentinel"))
    yield s
    s.close()


# ------------------------------------------------------------------ the routes a query can take
Route = Callable[[ServerProcess, Path, str], tuple[int, str]]


def _get(srv: ServerProcess, _r: Path, q: str) -> tuple[int, str]:
    r = httpx.get(srv.base + "/sparql", params={"query": q}, timeout=30)
    return r.status_code, r.text


def _form(srv: ServerProcess, _r: Path, q: str) -> tuple[int, str]:
    r = httpx.post(srv.base + "/sparql", data={"query": q}, timeout=30)
    return r.status_code, r.text


def _direct(srv: ServerProcess, _r: Path, q: str) -> tuple[int, str]:
    r = httpx.post(srv.base + "/sparql", content=q.encode("utf-8", "surrogatepass"), timeout=30,
                   headers={"Content-Type": "application/sparql-query"})
    return r.status_code, r.text


def _api(srv: ServerProcess, _r: Path, q: str) -> tuple[int, str]:
    """A named query's parameter values carry the text (a literal, and an IRI)."""
    r = httpx.get(srv.base + "/api/queries/concept-lookup", params={"text": q}, timeout=30)
    iri = httpx.get(srv.base + "/api/queries/concept-xrefs", params={"concept": f"<{q}>"},
                    timeout=30)
    return max(r.status_code, iri.status_code), r.text + iri.text


def _cli(_s: ServerProcess, release: Path, q: str) -> tuple[int, str]:
    """``pathokg sparql`` in this process (the command's code as it runs from a shell)."""
    out = CliRunner().invoke(cli_main, ["sparql", q, "--release", str(release), "--format", "srj"])
    return {0: 200, 2: 400}.get(out.exit_code, 500), out.output


def _python(_s: ServerProcess, release: Path, q: str) -> tuple[int, str]:
    try:
        return 200, pathokg.sparql(q, release=release).serialize("srj").decode()
    except PathoKGError as exc:
        return exc.http_status, str(exc)


ROUTES: dict[str, Route] = {"GET /sparql": _get, "form POST": _form, "direct POST": _direct,
                            "/api/queries": _api, "pathokg sparql": _cli,
                            "pathokg.sparql()": _python}


def _assert_nothing_reached(listener: Listener, sentinel: Sentinel, status: int, text: str,
                            query: str) -> None:
    assert status < 500 or status == 503, (query, status, text)
    for secret in (listener.SECRET, sentinel.SECRET, "Traceback", "os error"):
        assert secret not in text, (query, text)
    time.sleep(0.01)
    assert listener.connections == 0, query
    assert not sentinel.touched(), query


def attacks(listener: Listener, sentinel: Sentinel) -> list[str]:
    """Every way the review found, and their cousins: SERVICE, FROM, LOAD, GRAPH on outside IRIs,
    behind comments, escapes and disagreements between parsers."""
    url, file = f"{listener.url}/internal/admin", sentinel.uri
    return [
        f"SELECT ?leak WHERE {{ # x\rSERVICE <{url}> {{ ?leak ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX l: <{listener.url}/> SELECT * WHERE {{ SERVICE l:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ BIND("\\u0022 }} SERVICE <{url}> {{ ?s ?p ?o }} #" AS ?z) }}',
        f"SELECT * WHERE {{ ?s ?p <\\u0068ttp://x> . SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{listener.url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{file}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{file}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ GRAPH <{file}> {{ ?s ?p ?o }} }}",
        f"ASK FROM <{file}> {{ ?s ?p ?o }}",
        f"LOAD <{file}>",
        f"LOAD <{listener.url}/data.ttl>",
        f"# x\rLOAD <{file}>",
        "SELECT * WHERE { # x\r" + "{" * 3000 + " ?s ?p ?o " + "}" * 3000 + " }",
        f"DESCRIBE <{url}>",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o = <{file}>) }}",
    ]


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_outside_queries_reach_nothing_on_every_route(server: ServerProcess, release_dir: Path,
                                                      listener: Listener, sentinel: Sentinel,
                                                      route: str) -> None:
    for query in attacks(listener, sentinel):
        status, text = ROUTES[route](server, release_dir, query)
        _assert_nothing_reached(listener, sentinel, status, text, query)


def test_service_and_updates_are_refused_with_a_reason(server: ServerProcess,
                                                       listener: Listener) -> None:
    status, text = _form(server, Path(), f"SELECT * {{ # x\rSERVICE <{listener.url}/> {{ ?s ?p ?o }} }}")
    assert status == 403 and "SERVICE" in text and "never calls other services" in text
    status, text = _form(server, Path(), f"LOAD <{listener.url}/x>")
    assert status == 403 and "read-only" in text


# ----------------------------------------------------------------- property: any variant at all
_GAPS = st.lists(st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\u00a0", "\u2028",
                                  "\u0085", "\ufeff", "# c\n", "# c\r", "#\r\n", "# \\u000A x\n",
                                  "# \u2028 x\n", "#", ""]), max_size=3).map("".join)
_SERVICE = st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVIC\\u0045",
                            "\\U00000053ERVICE", "SERV\\u0049CE", "SERVICE SILENT"])
_WRAPPERS = st.sampled_from(["{{ {} }}", "OPTIONAL {{ {} }}", "{{ {} }} UNION {{ ?a ?b ?c }}",
                             "FILTER EXISTS {{ {} }}", "{{ SELECT * WHERE {{ {} }} }}",
                             "MINUS {{ {} }}", "FILTER NOT EXISTS {{ {} }}"])
_STRING_TRICKS = st.sampled_from(["", 'BIND("\\u0022" AS ?t1) ', "BIND('\\u0027' AS ?t2) ",
                                  'BIND("""a"b""" AS ?t3) ', 'BIND("\\\\" AS ?t4) ',
                                  "BIND('#' AS ?t5) ", 'BIND("<" AS ?t6) '])


@st.composite
def variant(draw: st.DrawFn, listener: Listener, sentinel: Sentinel) -> str:
    """A query that tries to reach the listener or the sentinel file, dressed in comments,
    whitespace, escapes, case and nesting."""
    url = draw(st.sampled_from([f"<{listener.url}/sparql>", f"<\\u0068ttp://127.0.0.1:{listener.port}/>",
                                f"<http://127.0.0.1:{listener.port}/\\u0073>", "l:x"]))
    file = draw(st.sampled_from([f"<{sentinel.uri}>", "<secret.ttl>",
                                 f"<file://{sentinel.path.parent}/\\u0073ecret.ttl>"]))
    g = lambda: draw(_GAPS)  # noqa: E731
    kind = draw(st.sampled_from(["service", "from", "from named", "graph", "load", "describe"]))
    body = "?s ?p ?o"
    dataset = ""
    if kind == "service":
        body = f"{draw(_SERVICE)}{g()} {url}{g()}{{{g()}?s ?p ?o{g()}}}"
    elif kind == "from":
        dataset = f"FROM{g()} {draw(st.sampled_from([url, file]))}{g()}"
    elif kind == "from named":
        dataset = f"FROM{g()} NAMED{g()} {file}{g()}"
        body = "GRAPH ?g { ?s ?p ?o }"
    elif kind == "graph":
        body = f"GRAPH{g()} {draw(st.sampled_from([url, file]))}{g()}{{ ?s ?p ?o }}"
    for _ in range(draw(st.integers(0, 3))):
        body = draw(_WRAPPERS).format(body)
    body = draw(_STRING_TRICKS) + body
    prologue = (f"PREFIX l: <{listener.url}/>{g()}BASE <file://{sentinel.path.parent}/>{g()}"
                if draw(st.booleans()) else "")
    if kind == "load":
        return f"{prologue}{g()}LOAD{g()} {draw(st.sampled_from([url, file]))}"
    if kind == "describe":
        return f"{prologue}DESCRIBE{g()} {draw(st.sampled_from([url, file]))}"
    return f"{draw(_GAPS)}{prologue}SELECT{g()}*{g()}{dataset}WHERE{g()}{{{g()}{body}{g()}}}"


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_no_variant_reaches_outside_on_any_route(server: ServerProcess, release_dir: Path,
                                                 listener: Listener, sentinel: Sentinel,
                                                 route: str) -> None:
    """Property-based: comment, whitespace, escape, case and nesting variants around SERVICE,
    FROM, FROM NAMED, GRAPH and LOAD never make a connection or read a file, on any route."""

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(variant(listener, sentinel))
    def check(query: str) -> None:
        status, text = ROUTES[route](server, release_dir, query)
        _assert_nothing_reached(listener, sentinel, status, text, query)

    check()


# --------------------------------------------------------------------------- the second wall
def _pool(store: str, *, isolate: bool = True) -> WorkerPool:
    return WorkerPool(PoolSettings(store, size=1, spares=0, timeout=10, isolate_network=isolate))


async def _run_once(store: str, job: Job, *, isolate: bool = True) -> tuple[str | None, object]:
    pool = _pool(store, isolate=isolate)
    await pool.start()
    try:
        try:
            return pool.isolation_problem, await pool.run(job)
        except QueryError as exc:
            return pool.isolation_problem, exc
    finally:
        await pool.close()


@pytest.fixture(scope="module")
def store_dir(release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build_store(tmp_path_factory.mktemp("store") / "store", release=release_dir).path)


def test_a_worker_cannot_reach_the_network_even_past_the_check(
        store_dir: str, caplog: pytest.LogCaptureFixture) -> None:
    """A SERVICE query sent straight to a worker, never checked, fails: the kernel refuses the
    connection. The same query run without the wall does connect (so this test can fail), and
    what the engine said is not passed on to the client."""
    lst = Listener()
    try:
        service = f"SELECT * WHERE {{ SERVICE <{lst.url}/sparql> {{ ?s ?p ?o }} }}"
        job = Job(service, "SELECT", format="srj")
        problem, outcome = asyncio.run(_run_once(store_dir, job))
        require(problem is None, f"the OS network wall is not available here: {problem}")
        assert isinstance(outcome, QueryError), outcome
        assert lst.connections == 0
        # without the wall (the server says so), the same job reaches the listener, and its
        # answer stays out of the error
        with caplog.at_level(logging.WARNING, logger="pathokg.server"):
            problem, outcome = asyncio.run(_run_once(store_dir, job, isolate=False))
        assert problem and any("NOT cut off from the network" in r.getMessage()
                               for r in caplog.records)
        assert lst.connections >= 1
        assert isinstance(outcome, QueryError)
        assert lst.SECRET not in str(outcome) and str(lst.port) not in str(outcome)
    finally:
        lst.close()


# ------------------------------------------------------------------------- reading the query
@pytest.mark.parametrize("query", [
    "SELECT * WHERE { " + "{ " * 40 + "?s ?p ?o" + " }" * 40 + " }",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 30 + "?o" + ")" * 30 + ") }",
    "SELECT * WHERE { " + " UNION ".join(["{ ?s <urn:x:p> ?o }"] * 1000) + " }",
    "SELECT * { ?s ?p -1.0 }",
    "\ufeffSELECT * { ?s ?p ?o } LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o } # a comment\r",
], ids=["40 groups", "30 parentheses", "1000 unions", "negative decimal", "byte-order mark",
        "comment at the end"])
def test_valid_queries_the_old_check_refused_are_accepted(release_dir: Path, query: str) -> None:
    pathokg.sparql(query, release=release_dir)


def test_deep_nesting_is_refused_before_it_runs() -> None:
    with pytest.raises(QueryLimitError, match="limit is 1,000"):
        prepare("SELECT * WHERE { # x\r" + "{" * 3000 + " ?s ?p ?o " + "}" * 3000 + " }")
    prepare("SELECT * WHERE " + "{ " * MAX_NESTING + "?s ?p ?o" + " }" * MAX_NESTING)


#: The longest query of each shape within the limits: each must run (or time out) without
#: crashing its worker.
DEEP = MAX_NESTING - 2
SHAPES = {
    "groups": "SELECT * WHERE " + "{ " * DEEP + "?s ?p ?o" + " }" * DEEP,
    "EXISTS": "SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { ?s ?p ?o " * (DEEP // 2) + "}" * (DEEP // 2) + " }",
    "CONCAT": "SELECT * WHERE { BIND(" + "CONCAT(" * DEEP + '"a"' + ")" * DEEP + " AS ?x) }",
    "subqueries": "SELECT * WHERE " + "{ SELECT * WHERE " * (DEEP // 2) + "{ ?s ?p ?o }" + " }" * (DEEP // 2),
    "BIND chain": "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(?o AS ?b{i})" for i in range(5000)) + " }",
    "MINUS chain": "SELECT * WHERE { ?s ?p ?o " + " ".join(["MINUS { ?s ?p ?o }"] * 5000) + " }",
    "&& chain": "SELECT * WHERE { ?s ?p ?o FILTER(" + " && ".join(["?o"] * 15000) + ") }",
    "paths": "SELECT * WHERE { ?s " + "(" * DEEP + "<p>" + ")" * DEEP + " ?o }",
}


def test_the_deepest_accepted_queries_do_not_crash_a_worker(server: ServerProcess) -> None:
    before = server.worker_pids()
    for name, query in SHAPES.items():
        assert len(query) <= MAX_QUERY_CHARS, name
        r = httpx.post(server.base + "/sparql", data={"query": query}, timeout=60)
        assert r.status_code in (200, 400, 413, 503), (name, r.status_code, r.text[:300])
        assert "SIGSEGV" not in r.text and "SIGBUS" not in r.text, name
    assert "SIGSEGV" not in server.log and "SIGBUS" not in server.log
    time.sleep(1)
    assert len(server.worker_pids()) >= 2 and before


def test_engine_errors_point_into_the_text_as_written(release_dir: Path) -> None:
    query = "PREFIX ex: <http://e/>\n# a comment\nSELECT * WHERE {\n  ?s ex:p\n}"
    with pytest.raises(QuerySyntaxError) as info:
        pathokg.sparql(query, release=release_dir)
    assert "line 5" in str(info.value) and "^" in str(info.value)
    with pytest.raises(QuerySyntaxError, match="prefix ex2: is not declared"):
        prepare("SELECT * WHERE { ?s ex2:p ?o }")
    with pytest.raises(QuerySyntaxError, match="only inside strings and IRIs"):
        prepare("\\u0053ELECT * WHERE { ?s ?p ?o }")


def test_named_query_values_are_bound_not_written(server: ServerProcess) -> None:
    """A value with a newline that ends in a backslash and a quote (it broke out of its literal
    before) is just a value: the engine binds it, the query text is untouched."""
    r = httpx.get(server.base + "/api/queries/concept-lookup", params={"text": 'a\nb\\"'})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    r = httpx.get(server.base + "/api/queries/concept-lookup", params={"text": "kidney"})
    assert [b["label"]["value"] for b in r.json()["results"]["bindings"]] == ["chronic kidney disease"]
    assert "_text" not in r.json()["head"]["vars"]


# ------------------------------------------------------------------------- bounded resources
def _peak_rss(server: ServerProcess, stop: threading.Event, box: dict[str, int]) -> None:
    while not stop.is_set():
        box["peak"] = max(box.get("peak", 0), rss_kib(server.all_pids()))
        time.sleep(0.05)


def test_a_huge_result_stops_at_the_limit_without_being_built(server: ServerProcess) -> None:
    stop, box = threading.Event(), {}
    watcher = threading.Thread(target=_peak_rss, args=(server, stop, box), daemon=True)
    watcher.start()
    try:
        r = httpx.post(server.base + "/sparql", timeout=60,
                       data={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f } LIMIT 10000000"})
    finally:
        stop.set()
        watcher.join()
    assert r.status_code == 413 and "limit" in r.text
    assert box["peak"] < 1024 * 1024, f"server and workers peaked at {box['peak'] // 1024} MiB"


def test_bodies_are_counted_as_they_arrive(server: ServerProcess) -> None:
    sent = [0]

    def chunks() -> Iterator[bytes]:
        block = b"query=" + b"x" * (1 << 20)
        for _ in range(200):
            sent[0] += len(block)
            yield block

    try:
        r = httpx.post(server.base + "/sparql", content=chunks(), timeout=30,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413
    except httpx.HTTPError:  # the server may close before the client has sent its last chunk
        pass
    assert sent[0] < 50 * (1 << 20), "the server read a 200 MB chunked body"
    r = httpx.post(server.base + "/sparql", content=b"x", timeout=10,
                   headers={"Content-Type": "application/sparql-query",
                            "Content-Length": "1"})
    assert r.status_code == 400
    assert httpx.get(server.base + "/health").json()["status"] == "ok"


def test_the_check_cache_is_bounded_in_bytes() -> None:
    state = App(ServerSettings())
    base = "SELECT * WHERE { ?s ?p ?o } #"
    for i in range(4500):
        state.prepare(f"{base}{i:05d}" + "x" * 94_000)
    assert state.prepared.size <= state.prepared.max_bytes
    cache = BoundedCache(max_bytes=100, max_entry=60)
    cache.put("big", 1, 61)
    assert cache.get("big") is None and len(cache) == 0


def test_query_size_limit(server: ServerProcess) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    assert httpx.post(server.base + "/sparql", data={"query": big}).status_code == 413
    with pytest.raises(QueryLimitError):
        prepare(big)


def test_heavy_query_hits_the_time_limit_while_others_are_served(server: ServerProcess) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    box: dict[str, httpx.Response] = {}
    thread = threading.Thread(target=lambda: box.setdefault(
        "r", httpx.post(server.base + "/sparql", data={"query": heavy}, timeout=60)))
    thread.start()
    time.sleep(0.5)
    quick = httpx.get(server.base + "/api/queries/concept-lookup", params={"text": "ckd"}, timeout=10)
    assert quick.status_code == 200
    thread.join(30)
    assert box["r"].status_code == 503 and "time limit" in box["r"].text
    for _ in range(4):  # the killed worker is replaced: the server keeps answering
        assert httpx.get(server.base + "/api/queries/kinds-of", timeout=30).status_code == 200


def test_writing_a_result_stops_at_the_limit(release_dir: Path) -> None:
    engine = Engine.from_release(release_dir)
    fmt = solution_format("srj")
    assert fmt is not None
    with pytest.raises(QueryLimitError) as info:
        engine.write("SELECT * { ?a ?b ?c . ?d ?e ?f }", fmt, 100_000)
    assert info.value.http_status == 413
    assert engine.write("ASK { ?s ?p ?o }", fmt, 1000).startswith(b"{")
    assert isinstance(engine.store, ox.Store)
