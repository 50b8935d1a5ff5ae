"""Benchmark the named queries and the server; prints Markdown tables. Not a test.

1. Every named query's median latency on the release and on a ~1M-triple pathokg-shaped graph
   (scripts/bench_data.py): the embedded engine, through ``/sparql`` of a real ``pathokg serve``
   server (uvicorn, 2 workers, as ``pathokg serve`` runs), and on rdflib's memory store (each run
   capped: "> N s").
2. Throughput and p95 latency under 4 concurrent clients at ~100k triples, for lookups, search
   and an aggregate, against ``pathokg serve`` and against rdflib-endpoint serving the same
   dataset (union default graph), if ``--rdflib-endpoint-python`` names the python of a separate
   venv that has rdflib-endpoint and uvicorn (never the project's venv):

    python3 -m venv /tmp/rdflib-endpoint-venv
    /tmp/rdflib-endpoint-venv/bin/pip install rdflib-endpoint uvicorn
    .venv/bin/python scripts/bench_queries.py --rdflib-endpoint-python /tmp/rdflib-endpoint-venv/bin/python

About 6 minutes on 2 cores with the defaults (rdflib's load of the 1M graph is 40 s of it).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pyoxigraph as ox
from bench_data import synthetic_graph
from bench_load import LoadResult, Request, load_test, sparql_posts
from bench_rdflib import RdflibEndpoint, rdflib_medians

from pathokg.querying.engine import Engine
from pathokg.querying.files import list_queries
from pathokg.querying.params import bind_params
from pathokg.rdf.store import dataset_store
from pathokg.release.build import build

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers live in tests/
from tests.helpers.triplestores import free_port

TARGET_MS = 50.0
SERVER = ("import sys, uvicorn; from pathlib import Path; "
          "from pathokg.web.app import create_app, ServerSettings; "
          "uvicorn.run(create_app(ServerSettings(dataset=Path(sys.argv[1]), workers=2, timeout=60)),"
          " host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', access_log=False)")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in ms, after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


class Server:
    """``pathokg serve`` (the same app and uvicorn settings) over an N-Quads dataset."""

    def __init__(self, dataset: Path):
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(dataset), str(self.port)])
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(600):
            try:
                if httpx.get(self.base + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("pathokg serve did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def post_ms(port: int, text: str, repeat: int) -> float:
    """Median ms of a SPARQL form POST to /sparql on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body = urlencode({"query": text}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Accept": "application/sparql-results+json, application/n-triples"}

    def once() -> None:
        conn.request("POST", "/sparql", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"/sparql answered {response.status}: {data[:300]!r}")

    try:
        return median_ms(once, repeat)
    finally:
        conn.close()


def fmt_ms(ms: float | None, cap: float) -> str:
    return f"> {cap:g} s" if ms is None else f"{ms:,.1f}"


def latency_table(label: str, store: ox.Store, nquads: Path, named: dict[str, str],
                  args: argparse.Namespace) -> None:
    """Every named query: embedded, /sparql and rdflib medians (ms)."""
    engine = Engine(store)
    server = Server(nquads)
    rows = []
    try:
        for name, text in named.items():
            emb = median_ms(lambda text=text: engine.execute(text), args.repeat)
            web = post_ms(server.port, text, args.repeat)
            rows.append([name, emb, web])
    finally:
        server.stop()
    load, rdf = (rdflib_medians(nquads, named, repeat=1, cap=args.cap) if not args.no_rdflib
                 else (0.0, {}))
    print(f"\n### Named queries, {label} ({len(store):,} quads incl. inferred)"
          + (f"; rdflib load {load:.0f} s" if load else "") + "\n")
    print("| query | embedded ms | /sparql ms | /sparql ÷ embedded | rdflib ms | < 50 ms |")
    print("| --- | ---: | ---: | ---: | ---: | :---: |")
    for name, emb, web in rows:
        print(f"| {name} | {emb:,.1f} | {web:,.1f} | {web / max(emb, 0.01):.2f} | "
              f"{fmt_ms(rdf.get(name), args.cap) if rdf else '-'} | "
              f"{'yes' if emb < TARGET_MS else 'NO'} |")
    sys.stdout.flush()


def lookup_requests(engine: Engine) -> tuple[list[Request], list[str]]:
    """Varied lookups: xref-concept, concept-xrefs and evidence over real values of the graph,
    as REST API GETs and as the same bound SPARQL texts."""
    values = engine.execute(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "SELECT ?c ?x ?s ?o WHERE { ?c skos:exactMatch ?x . FILTER(isIRI(?x)) OPTIONAL { ?a owl:annotatedSource ?c ;"
        " owl:annotatedTarget ?o FILTER(isIRI(?o)) } BIND(?c AS ?s) } LIMIT 60").rows
    queries = {q.name: q for q in list_queries()}
    api: list[Request] = []
    texts: list[str] = []
    for row in values:
        cases = [("xref-concept", {"xref": f"<{row['x']}>"}),
                 ("concept-xrefs", {"concept": f"<{row['c']}>"})]
        if row.get("o"):
            cases.append(("evidence", {"subject": f"<{row['s']}>", "object": f"<{row['o']}>"}))
        for name, params in cases:
            api.append((f"/api/queries/{name}?" + urlencode(params, quote_via=quote), None))
            texts.append(bind_params(queries[name], params).text)
    return api, texts


def throughput_table(store: ox.Store, nquads: Path, named: dict[str, str],
                     args: argparse.Namespace) -> None:
    """4 clients: lookups, search and aggregate on pathokg serve and rdflib-endpoint."""
    engine = Engine(store)
    api, texts = lookup_requests(engine)
    words = ["calc", "renal", "fibrosis", "kidney", "acute", "ckd", "necrosis", "tissue",
             "cardiac", "bone", "skin", "hyper"]
    search_q = list_queries()
    lookup_file = next(q for q in search_q if q.name == "concept-lookup")
    search_texts = [bind_params(lookup_file, {"text": w}).text for w in words]
    search_api: list[Request] = [(f"/api/queries/concept-lookup?text={w}", None) for w in words]
    aggregate = [named["summary-statistics"]]
    workloads: list[tuple[str, list[Request], list[Request]]] = [
        ("lookup (REST API, varied values)", api, []),
        ("lookup (/sparql, varied values)", sparql_posts("/sparql", texts),
         sparql_posts("/", texts)),
        ("search (REST API)", search_api, []),
        ("search (/sparql)", sparql_posts("/sparql", search_texts),
         sparql_posts("/", search_texts)),
        ("aggregate (/sparql)", sparql_posts("/sparql", aggregate), sparql_posts("/", aggregate)),
    ]
    ours: dict[str, LoadResult] = {}
    server = Server(nquads)
    try:
        for kind, requests, _ in workloads:
            ours[kind] = load_test(server.base, requests, args.seconds)
    finally:
        server.stop()
    theirs: dict[str, LoadResult] = {}
    if args.rdflib_endpoint_python:
        with RdflibEndpoint(args.rdflib_endpoint_python, nquads, free_port()) as rdfe:
            for kind, _, requests in workloads:
                if requests:
                    theirs[kind] = load_test(rdfe.url.rstrip("/"), requests, args.seconds,
                                             timeout=args.cap * 6)
    print(f"\n### 4 concurrent clients, {len(store):,} quads ({args.seconds:g} s a run)\n")
    print("| workload | pathokg req/s | p95 ms | errors | rdflib-endpoint req/s | p95 ms | "
          "errors | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, _, _ in workloads:
        a, b = ours[kind], theirs.get(kind)
        other = (f"{b.rps:,.1f} | {b.p95_ms:,.0f} | {b.errors}" if b else "- | - | -")
        ratio = f"{a.rps / b.rps:,.0f}x" if b and b.rps else "-"
        print(f"| {kind} | {a.rps:,.0f} | {a.p95_ms:,.1f} | {a.errors} | {other} | {ratio} |")
    failed = [(server, kind, r) for server, results in (("pathokg", ours), ("rdflib-endpoint", theirs))
              for kind, r in results.items() if r.failures]
    if failed:
        print("\nFailed requests by cause:\n")
        for server, kind, r in failed:
            for reason, count in r.failures.most_common():
                print(f"- {server}, {kind}: {count} x {reason}")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="the large graph's size")
    ap.add_argument("--load-triples", type=int, default=100_000, help="the throughput graph")
    ap.add_argument("--repeat", type=int, default=5, help="runs per median")
    ap.add_argument("--seconds", type=float, default=5.0, help="per throughput run")
    ap.add_argument("--cap", type=float, default=5.0, help="rdflib: seconds a run at most")
    ap.add_argument("--no-rdflib", action="store_true", help="skip rdflib's memory store")
    ap.add_argument("--rdflib-endpoint-python", type=Path, default=None,
                    help="python of a separate venv with rdflib-endpoint and uvicorn")
    ap.add_argument("--release", type=Path, default=None, help="a built release (default: build)")
    args = ap.parse_args()

    # the text of each named query with its default values (what /sparql, rdflib and other
    # endpoints are sent); the embedded engine binds the values itself
    named = {q.name: bind_params(q, {}).text for q in list_queries()}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pathokg-bench-") as tmp:
        release = args.release
        if release is None:
            release = Path(tmp) / "dist"
            build(release, reasoner=False)
        graphs: list[tuple[str, Callable[[], ox.Store]]] = [
            ("the release", lambda: Engine.from_release(release).store),
            (f"~{args.triples:,} triples", lambda: dataset_store(
                synthetic_graph(args.triples, release)))]
        for label, make in graphs:
            t = time.perf_counter()
            store = make()
            print(f"\n{label}: built with inference in {time.perf_counter() - t:.1f} s")
            nquads = Path(tmp) / f"{len(store)}.nq"
            store.dump(nquads, format=ox.RdfFormat.N_QUADS)
            latency_table(label, store, nquads, named, args)
            del store
        store = dataset_store(synthetic_graph(args.load_triples, release))
        nquads = Path(tmp) / "load.nq"
        store.dump(nquads, format=ox.RdfFormat.N_QUADS)
        throughput_table(store, nquads, named, args)
    print(f"\n(benchmark took {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
