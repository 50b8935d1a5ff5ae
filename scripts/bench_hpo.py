"""Benchmark the HPO backbone at full scale; prints Markdown tables. Not a test.

1. ``pathokg build`` with ``--hpo none``, ``slim`` (the default) and ``full`` (every HPO term and
   annotation, about 3 million triples): wall time and peak memory of each build process
   (``--no-reasoner``, so the numbers are the graph's, not Java's).
2. Every named query's median latency on the embedded engine (pyoxigraph, in memory) over the
   slim and the full release, with each query's default parameters, and the time to load each.
3. ``--serve``: ``pathokg serve`` on the full release, with the workers sharing an in-memory copy
   and then the on-disk store (``--worker-store``): time to ``/health`` ok, RSS and PSS of the
   server and its workers, every named query through ``/sparql`` (median and p95, answer cache off), and
   lookup throughput with 4 clients.
4. ``--publish``: ``pathokg publish`` of the full release into a fresh Oxigraph server and a fresh
   Virtuoso (tests/helpers starters), twice: seconds per graph and step (uploads, counts, the one
   update, the cleanup of the previous annotations graph) and the server's peak RSS.
5. ``--rdflib`` (with ``--full``): every named query on rdflib's memory store beside pyoxigraph's
   (rdflib cannot be interrupted: each run is a forked child, killed past ``--rdflib-cap``).

    .venv/bin/pip install -e '.[hpo]'
    .venv/bin/python scripts/bench_hpo.py [--repeat 7] [--keep DIR] [--serve] [--publish]
    .venv/bin/python scripts/bench_hpo.py --full DIR --serve --publish   # a full release built before
    .venv/bin/python scripts/bench_hpo.py --full DIR --rdflib            # rdflib beside pyoxigraph

About 3 minutes on 2 cores (builds and embedded), plus about 5 for --serve (both worker stores),
6 for --publish and 6 for --rdflib (5.4 GB).
Run it on an idle machine: the numbers are wall times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pathokg.querying.engine import Engine
from pathokg.querying.files import list_queries
from pathokg.querying.params import bind_params

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the process helpers live in tests/helpers
sys.path.insert(0, str(ROOT / "scripts"))
TARGET_MS = 50.0


def timed_build(mode: str, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one ``pathokg build`` process."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("pathokg")), "build", "--no-reasoner", "--hpo", mode,
                             "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"pathokg build --hpo {mode} failed (status {status})")
    return seconds, usage.ru_maxrss / 1024


def medians(engine: Engine, repeat: int) -> dict[str, tuple[float, int]]:
    """Median ms and row count of every named query (default parameters), after a warm-up."""
    out = {}
    for query in list_queries():
        text = bind_params(query, {})
        result = engine.execute(text)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            result = engine.execute(text)
            times.append(time.perf_counter() - t)
        count = len(result.triples) if result.is_graph else len(result.rows)
        out[query.name] = (statistics.median(times) * 1000, count)
    return out


def _post(port: int, text: str) -> float:
    """Seconds for one /sparql form POST, answer read."""
    import http.client
    from urllib.parse import urlencode

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t = time.perf_counter()
    conn.request("POST", "/sparql", urlencode({"query": text}),
                 {"Content-Type": "application/x-www-form-urlencoded",
                  "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    response = conn.getresponse()
    response.read()
    seconds = time.perf_counter() - t
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"/sparql answered {response.status}")
    return seconds


def serve(full: Path, repeat: int, seconds: float, worker_store: str, lookups: list[str]) -> None:
    """pathokg serve on the full release: start, memory, each named query, throughput (of the
    ``lookups`` query texts)."""
    from bench_load import Server, load_test, pss_mib, rss_mib, sparql_posts

    with Server(release=full, timeout=60.0,
                extra=("--result-cache", "0", "--worker-store", worker_store)) as server:
        print(f"\n## pathokg serve on the full release, --worker-store {worker_store} (answer cache off)\n")
        print(f"healthy after {server.ready_after:.1f} s; server, forkserver and workers: RSS "
              f"{rss_mib(server.proc.pid):.0f} MiB, PSS {pss_mib(server.proc.pid):.0f} MiB "
              "(PSS counts a shared page once)\n", flush=True)
        print("| query | median ms | p95 ms | under 50 ms |\n| --- | ---: | ---: | --- |")
        over = []
        for query in list_queries():
            text = bind_params(query, {}).text
            try:
                _post(server.port, text)
            except RuntimeError as exc:
                print(f"| {query.name} | {exc} | | |", flush=True)
                continue
            times = sorted(_post(server.port, text) * 1000 for _ in range(repeat))
            median, p95 = statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]
            over += [] if median < TARGET_MS else [query.name]
            print(f"| {query.name} | {median:.1f} | {p95:.1f} | {'yes' if median < TARGET_MS else 'NO'} |", flush=True)
        print(f"\n{len(list_queries()) - len(over)} of {len(list_queries())} under {TARGET_MS:.0f} ms over HTTP"
              + (f"; over: {', '.join(over)}" if over else ""))
        result = load_test(server.base, sparql_posts("/sparql", lookups), seconds, clients=4)
        print(f"\nlookups through /sparql, 4 clients, {seconds:.0f} s: {result.rps:,.0f} req/s, "
              f"p50 {result.p50_ms:.2f} ms, p95 {result.p95_ms:.2f} ms, errors {result.errors}; "
              f"after: RSS {rss_mib(server.proc.pid):.0f} MiB, PSS {pss_mib(server.proc.pid):.0f} MiB")


def publish_full(full: Path) -> None:
    """pathokg publish of the full release into a fresh Oxigraph server and Virtuoso, twice (the
    second switches the pointer and drops the first's annotations graph): each step's seconds and
    the server's peak RSS."""
    from bench_load import PeakRss

    from pathokg.release.publish import publish
    from tests.helpers.triplestores import VIRTUOSO_PASSWORD, VIRTUOSO_USER, OxigraphServer, VirtuosoServer

    print("\n## pathokg publish of the full release (staged, one update, cleanup)\n")
    print("| store | publish | graph | triples | upload s | count s |\n| --- | --- | --- | ---: | ---: | ---: |")
    summary = []
    for name, cls, credentials in (("Oxigraph server", OxigraphServer, {}),
                                   ("Virtuoso", VirtuosoServer,
                                    {"user": VIRTUOSO_USER, "password": VIRTUOSO_PASSWORD})):
        with cls() as store:
            assert store.process is not None
            for run in ("first", "again"):
                with PeakRss(store.process.pid) as peak:
                    t = time.perf_counter()
                    report = publish(store.store_url, release=full, timeout=1800, **credentials)
                    total = time.perf_counter() - t
                for g in report.graphs:
                    where = "" if g.physical == g.graph else " (by reference)"
                    print(f"| {name} | {run} | {g.graph.rsplit('/', 1)[-1]}{where} | {g.triples:,} | "
                          f"{g.upload_seconds:.1f} | {g.verify_seconds:.1f} |", flush=True)
                summary.append(f"| {name} | {run} | {sum(g.triples for g in report.graphs):,} | "
                               f"{sum(g.upload_seconds for g in report.graphs):.1f} | "
                               f"{sum(g.verify_seconds for g in report.graphs):.1f} | "
                               f"{report.replace_seconds:.1f} | {report.cleanup_seconds:.1f}"
                               f"{' (left: ' + ', '.join(report.left_behind) + ')' if report.left_behind else ''} | "
                               f"{total:.1f} | {peak.peak:,.0f} |")
    print("\n| store | publish | triples | uploads s | counts s | the one update s | cleanup s | "
          "total s (with reading the release) | peak server RSS MiB |\n"
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(summary), flush=True)


def rdflib_side_by_side(engine: Engine, embedded: dict[str, tuple[float, int]], cap: float) -> None:
    """Every named query on rdflib's memory store over the engine's dataset, beside pyoxigraph's."""
    import pyoxigraph as ox
    from bench_rdflib import rdflib_medians

    with tempfile.TemporaryDirectory() as tmp:
        nquads = Path(tmp) / "full.nq"
        engine.store.dump(str(nquads), format=ox.RdfFormat.N_QUADS)
        texts = {q.name: bind_params(q, {}).text for q in list_queries()}
        t = time.perf_counter()
        load, medians = rdflib_medians(nquads, texts, repeat=1, cap=cap)
        wall = time.perf_counter() - t
    print("\n## The same named queries on rdflib (memory store, union default graph), full release\n")
    print(f"rdflib parsed the {nquads.name} dump in {load:.0f} s; each query run once after a warm-up, "
          f"stopped past {cap:g} s ({wall:.0f} s in all)\n")
    print("| query | pyoxigraph ms | rdflib ms |\n| --- | ---: | ---: |")
    for name, (ms, _) in embedded.items():
        theirs = medians.get(name)
        shown = f"> {cap:g} s" if theirs is None else f"{theirs:,.0f}"
        print(f"| {name} | {ms:.1f} | {shown} |", flush=True)


def main() -> int:
    from bench_queries import lookup_requests

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per median")
    ap.add_argument("--keep", type=Path, default=None, help="write the releases here and keep them")
    ap.add_argument("--full", type=Path, default=None,
                    help="a full release built before: skip the builds (and the slim column)")
    ap.add_argument("--serve", action="store_true", help="measure pathokg serve on the full release")
    ap.add_argument("--publish", action="store_true", help="measure publishing the full release")
    ap.add_argument("--seconds", type=float, default=8.0, help="the throughput run's length")
    ap.add_argument("--rdflib", action="store_true",
                    help="with --full: the named queries on rdflib too (about 5 GB and minutes)")
    ap.add_argument("--rdflib-cap", type=float, default=10.0, help="seconds an rdflib query may run")
    ap.add_argument("--worker-store", default="memory,disk",
                    help="pathokg serve's --worker-store values to measure, comma separated")
    args = ap.parse_args()
    if args.full is not None:
        t = time.perf_counter()
        engine = Engine.from_release(args.full)
        print(f"## Named queries, embedded, full release (loaded in {time.perf_counter() - t:.1f} s, "
              f"{len(engine.store):,} quads), median ms (rows)\n")
        print("| query | full | under 50 ms |\n| --- | ---: | --- |")
        embedded = medians(engine, args.repeat)
        for name, (ms, n) in embedded.items():
            print(f"| {name} | {ms:.1f} ({n}) | {'yes' if ms < TARGET_MS else 'NO'} |", flush=True)
        lookups = lookup_requests(engine)[1]
        if args.rdflib:
            rdflib_side_by_side(engine, embedded, args.rdflib_cap)
        del engine
        if args.serve:
            for mode in args.worker_store.split(","):
                serve(args.full, args.repeat, args.seconds, mode, lookups)
        if args.publish:
            publish_full(args.full)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        print("## pathokg build (--no-reasoner), one process each\n")
        print("| --hpo | wall s | peak RSS MiB | release MB |\n| --- | ---: | ---: | ---: |")
        for mode in ("none", "slim", "full"):
            out = root / f"release-{mode}"
            seconds, rss = timed_build(mode, out)
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
            print(f"| {mode} | {seconds:.1f} | {rss:.0f} | {size:.1f} |", flush=True)
        results = {}
        loads = {}
        for mode in ("slim", "full"):
            t = time.perf_counter()
            engine = Engine.from_release(root / f"release-{mode}")
            loads[mode] = (time.perf_counter() - t, len(engine.store))
            results[mode] = medians(engine, args.repeat)
            if mode == "full":
                lookups = lookup_requests(engine)[1]
            del engine
        print("\n## Named queries, embedded (pyoxigraph in memory), median ms (rows)\n")
        print(f"load: slim {loads['slim'][0]:.1f} s ({loads['slim'][1]:,} quads), "
              f"full {loads['full'][0]:.1f} s ({loads['full'][1]:,} quads)\n")
        print("| query | slim | full | under 50 ms at full |\n| --- | ---: | ---: | --- |")
        over = []
        for name in results["full"]:
            (ms_s, n_s), (ms_f, n_f) = results["slim"][name], results["full"][name]
            ok = ms_f < TARGET_MS
            over += [] if ok else [name]
            print(f"| {name} | {ms_s:.1f} ({n_s}) | {ms_f:.1f} ({n_f}) | {'yes' if ok else 'NO'} |")
        print(f"\n{len(results['full']) - len(over)} of {len(results['full'])} under {TARGET_MS:.0f} ms at full"
              + (f"; over: {', '.join(over)}" if over else ""))
        if args.serve:
            for mode in args.worker_store.split(","):
                serve(root / "release-full", args.repeat, args.seconds, mode, lookups)
        if args.publish:
            publish_full(root / "release-full")
    return 0


if __name__ == "__main__":
    sys.exit(main())
