"""Load the server the way its users (and attackers) do, on loopback only, bounded in time and
count; prints Markdown tables. Not a test.

1. **Throughput**: lookups (REST API and /sparql) at ~100k triples with 4 clients, on this tree
   (result cache on and off), on another tree (``--compare-src``, e.g. an export of ``main``),
   and on a raw Oxigraph server (``oxigraph serve-read-only``) over the same data.
2. **Fairness**: a one-triple lookup's latency while four clients run cartesian queries.
3. **Memory attacks**: peak RSS of the server and its workers under a 10M-row result, a
   chunked 200 MB body and 4,500 distinct 94 KB queries.
4. **Start**: RSS of server plus workers and the time to ``/health`` ok, on the release, on a
   ~1M-triple synthetic graph (scripts/bench_data.py), and on any N-Quads file or loaded store
   (``--dataset``, ``--store``: e.g. the full HPO, ~3M triples).

    python scripts/bench_load.py                          # everything, ~6 minutes on 2 cores
    python scripts/bench_load.py --only start --dataset hpo.nq
    python scripts/bench_load.py --only throughput --compare-src /tmp/main

The load clients are threads, each on one keep-alive connection (stdlib ``http.client``, so that
the client costs little of the machine's CPU), sending requests in a loop for a fixed time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the process helpers live in tests/helpers


@dataclass
class LoadResult:
    """Throughput and latency of one load run."""

    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    #: failed requests by cause: ``"HTTP <status>: <message>"`` or the client-side exception
    failures: Counter[str] = field(default_factory=Counter)
    max_ms: float = 0.0

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))] * 1000


def failure_reason(status: int, body: bytes) -> str:
    """A short cause for a failed response: status and the server's message (JSON ``detail``
    or ``message`` if there is one, else the start of the body)."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        text = str(data.get("detail") or data.get("message") or data.get("error") or text)
    return f"HTTP {status}: {' '.join(text.split())[:120]}"


#: one request: a path (with its query string) and a form body to POST, or None to GET
Request = tuple[str, bytes | None]


def sparql_posts(path: str, queries: list[str]) -> list[Request]:
    """SPARQL 1.1 Protocol form POSTs of ``queries`` to ``path``."""
    return [(path, urlencode({"query": q}).encode()) for q in queries]


def load_test(base_url: str, requests: list[Request], seconds: float, clients: int = 4,
              timeout: float = 60.0) -> LoadResult:
    """Run ``clients`` threads sending ``requests`` (round robin) to ``base_url``."""
    parts = urlsplit(base_url)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Accept": "application/sparql-results+json"}
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(k: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        mine: list[float] = []
        bad: Counter[str] = Counter()
        i = k
        start.wait()
        while time.monotonic() < stop_at[0]:
            t = time.perf_counter()
            try:
                path, body = requests[i % len(requests)]
                conn.request("GET" if body is None else "POST", path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if response.status == 200:
                    mine.append(time.perf_counter() - t)
                else:
                    bad[failure_reason(response.status, data)] += 1
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                bad[f"client: {type(exc).__name__}: {exc}"[:120]] += 1
            i += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            failures.update(bad)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    stop_at[0] = t0 + seconds
    start.wait()
    for t in threads:
        t.join(seconds + timeout + 5)
    elapsed = time.monotonic() - t0
    latencies.sort()
    return LoadResult(len(latencies), sum(failures.values()), elapsed,
                      _percentile(latencies, 0.5), _percentile(latencies, 0.95), failures,
                      latencies[-1] * 1000 if latencies else float("nan"))


# --------------------------------------------------------------------------- processes
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(root_pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    from tests.helpers.server import descendants, rss_kib

    return rss_kib([root_pid, *descendants(root_pid)]) / 1024


def pss_mib(root_pid: int) -> float:
    """Proportional memory of a process and all its descendants (shared pages once), in MiB."""
    from tests.helpers.server import descendants, pss_kib

    return pss_kib([root_pid, *descendants(root_pid)]) / 1024


class PeakRss:
    """Samples the RSS of a process tree every 50 ms while it is open."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.05)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


_OLD_SERVER = ("import sys, uvicorn; from pathlib import Path; "
               "from pathokg.web.app import create_app, ServerSettings; "
               "uvicorn.run(create_app(ServerSettings(dataset=Path(sys.argv[1]), workers=2, "
               "timeout=float(sys.argv[3]))), host='127.0.0.1', port=int(sys.argv[2]), "
               "log_level='warning', access_log=False)")


class Server:
    """A pathokg server (this tree's ``pathokg serve``, or another tree's app) on loopback."""

    def __init__(self, *, dataset: Path | None = None, store: Path | None = None,
                 release: Path | None = None, src: Path | None = None, timeout: float = 10.0,
                 extra: tuple[str, ...] = ()):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        if src is not None:  # another tree: its own app over an N-Quads dataset
            env["PYTHONPATH"] = str(src / "src")
            cmd = [sys.executable, "-c", _OLD_SERVER, str(dataset), str(self.port), str(timeout)]
        else:
            cmd = [sys.executable, "-m", "pathokg", "serve", "--port", str(self.port),
                   "--timeout", str(timeout), *extra]
            cmd += (["--dataset", str(dataset)] if dataset else ["--store", str(store)] if store
                    else ["--release", str(release)] if release else [])
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.ready_after = self._wait()

    def _wait(self) -> float:
        while time.monotonic() - self.started < 900:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited while starting")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/health")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status == 200 and json.loads(body).get("status") == "ok":
                    return time.monotonic() - self.started
            except (OSError, http.client.HTTPException, ValueError):
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class OxigraphServer:
    """``oxigraph serve-read-only`` over the same N-Quads, loaded into its own store."""

    def __init__(self, dataset: Path, folder: Path):
        subprocess.run(["oxigraph", "load", "--location", str(folder), "--file", str(dataset)],
                       check=True, capture_output=True)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(["oxigraph", "serve-read-only", "--location", str(folder),
                                      "--bind", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/query?query=ASK%7B%7D")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph server did not start")

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(30)


# ---------------------------------------------------------------------------- workloads
def _lookups(dataset: Path) -> tuple[list[Request], list[str]]:
    """Lookups over real values of the graph (bench_queries.lookup_requests)."""
    import pyoxigraph as ox

    from pathokg.querying.engine import Engine

    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_queries import lookup_requests

    store = ox.Store()
    store.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    return lookup_requests(Engine(store))


def _row(label: str, r: LoadResult) -> str:
    errors = f"{r.errors}" + (f" ({r.failures.most_common(1)[0][0]})" if r.failures else "")
    return f"| {label} | {r.rps:,.0f} | {r.p50_ms:.2f} | {r.p95_ms:.2f} | {errors} |"


def throughput(args: argparse.Namespace, dataset: Path, tmp: Path) -> None:
    api, texts = _lookups(dataset)
    sparql = sparql_posts("/sparql", texts)
    rows = []
    runs = [("this tree", None, ()), ("this tree, result cache off", None, ("--result-cache", "0"))]
    if args.compare_src:
        runs.append((f"compare tree ({args.compare_src.name})", args.compare_src, ()))
    for label, src, extra in runs:
        with Server(dataset=dataset, src=src, timeout=60, extra=extra) as server:
            load_test(server.base, api[:20], 2)
            rows.append(_row(f"pathokg, {label}: REST lookups", load_test(server.base, api, args.seconds)))
            rows.append(_row(f"pathokg, {label}: /sparql lookups", load_test(server.base, sparql, args.seconds)))
    with OxigraphServer(dataset, tmp / "oxigraph") as oxigraph:
        load_test(oxigraph.base, sparql_posts("/query", texts[:20]), 2)
        rows.append(_row("Oxigraph server: /query lookups",
                         load_test(oxigraph.base, sparql_posts("/query", texts), args.seconds)))
    print(f"\n### Lookups, 4 clients, {args.seconds:g} s a run, {args.load_triples:,} triples\n")
    print("| server and workload | req/s | p50 ms | p95 ms | errors |")
    print("| --- | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    sys.stdout.flush()


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {}"
LOOKUP = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { "
          "<https://w3id.org/pathokg/concept/nsaids> skos:prefLabel ?label }")


def _heavy_clients(base: str, stop: threading.Event, count: int = 4) -> list[threading.Thread]:
    def run(k: int) -> None:
        parts = urlsplit(base)
        n = 0
        while not stop.is_set():
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
                body = urlencode({"query": HEAVY.format(f"{k}-{n}")}).encode()
                conn.request("POST", "/sparql", body=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
                conn.getresponse().read()
                conn.close()
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            n += 1

    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(count)]
    for t in threads:
        t.start()
    return threads


def fairness(args: argparse.Namespace, dataset: Path) -> None:
    """Varied one-triple lookups (no answer cache: every lookup runs on a worker)."""
    _, texts = _lookups(dataset)
    lookups = sparql_posts("/sparql", [LOOKUP, *texts])
    rows = []
    runs = [("this tree", None)] + ([(f"compare tree ({args.compare_src.name})", args.compare_src)]
                                    if args.compare_src else [])
    for label, src in runs:
        extra = ("--result-cache", "0") if src is None else ()
        with Server(dataset=dataset, src=src, timeout=10, extra=extra) as server:
            stop = threading.Event()
            heavy = _heavy_clients(server.base, stop)
            time.sleep(2)
            result = load_test(server.base, lookups, args.seconds * 2, clients=1)
            stop.set()
            for t in heavy:
                t.join(0.1)
            rows.append(f"| {label} | {result.requests} | {result.p50_ms:,.1f} | "
                        f"{result.p95_ms:,.1f} | {result.max_ms:,.1f} | {result.errors} "
                        f"{dict(result.failures) or ''} |")
    print(f"\n### Varied lookups (one client, answer cache off) while 4 clients run cartesian "
          f"queries ({args.seconds * 2:g} s, 2 workers, time limit 10 s)\n")
    print("| server | lookups answered | p50 ms | p95 ms | max ms | failed |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    sys.stdout.flush()


def _chunks(total: int) -> Iterator[bytes]:
    block = b"query=" + b"x" * (1 << 20)
    for _ in range(total // len(block)):
        yield block


def memory(args: argparse.Namespace, dataset: Path) -> None:
    rows = []
    with Server(dataset=dataset, timeout=30) as server:
        idle = rss_mib(server.proc.pid)
        parts = urlsplit(server.base)

        def post(body: bytes | Iterator[bytes], chunked: bool = False) -> int:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            try:
                conn.request("POST", "/sparql", body=body, encode_chunked=chunked,  # type: ignore[arg-type]
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
                status = conn.getresponse().status
            except (OSError, http.client.HTTPException):
                status = 0
            conn.close()
            return status

        attacks = {
            "SELECT * { ?a ?b ?c . ?d ?e ?f } LIMIT 10000000": lambda: post(urlencode({
                "query": "SELECT * { ?a ?b ?c . ?d ?e ?f } LIMIT 10000000"}).encode()),
            "a chunked 200 MB body": lambda: post(_chunks(200 << 20), chunked=True),
            f"{args.distinct:,} distinct 94 KB queries": lambda: [post(urlencode({
                "query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 # {i:06d}" + "x" * 94_000}).encode())
                for i in range(args.distinct)][-1],
        }
        for name, attack in attacks.items():
            with PeakRss(server.proc.pid) as peak:
                started = time.monotonic()
                status = attack()
                took = time.monotonic() - started
            rows.append(f"| {name} | {status} | {took:,.1f} | {peak.peak:,.0f} | "
                        f"{rss_mib(server.proc.pid):,.0f} |")
    print(f"\n### Memory attacks ({args.load_triples:,} triples; server and workers at rest: "
          f"{idle:,.0f} MiB)\n")
    print("| attack | status | seconds | peak RSS MiB | RSS after MiB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    sys.stdout.flush()


def start(args: argparse.Namespace, release: Path, tmp: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    cases: list[tuple[str, dict[str, Path]]] = [("the release", {"release": release})]
    if args.triples:
        from bench_data import synthetic_graph

        from pathokg.rdf.store import dataset_store

        big = tmp / "synthetic.nq"
        import pyoxigraph as ox

        dataset_store(synthetic_graph(args.triples, release)).dump(big, format=ox.RdfFormat.N_QUADS)
        cases.append((f"synthetic ~{args.triples:,} triples", {"dataset": big}))
    if args.dataset:
        cases.append((f"{args.dataset.name}", {"dataset": args.dataset}))
    if args.store:
        cases.append((f"store {args.store}", {"store": args.store}))
    rows = []
    for label, source in cases:
        with Server(**source) as server:  # type: ignore[arg-type]
            time.sleep(1)
            body = json.loads(_get(server.base + "/health"))
            workers = body["workers"]
            rows.append(f"| {label} | {body['triples']:,} | {server.ready_after:,.1f} | "
                        f"{rss_mib(server.proc.pid):,.0f} | {workers['ready']} | "
                        f"{'yes' if workers.get('network_isolation') else 'NO'} |")
    print("\n### Start: time to /health ok and memory (server, forkserver and 3 workers: 2 + a "
          "spare, over one on-disk store)\n")
    print("| graph | triples | seconds to ok | RSS MiB | workers | network wall |")
    print("| --- | ---: | ---: | ---: | ---: | :---: |")
    print("\n".join(rows))
    sys.stdout.flush()


def _get(url: str) -> bytes:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path)
    data = conn.getresponse().read()
    conn.close()
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["throughput", "fairness", "memory", "start"], action="append",
                    help="run only these parts (repeatable)")
    ap.add_argument("--seconds", type=float, default=8.0, help="per load run")
    ap.add_argument("--load-triples", type=int, default=100_000, help="the loaded graph's size")
    ap.add_argument("--triples", type=int, default=1_000_000,
                    help="the synthetic graph of the start measurement (0: none)")
    ap.add_argument("--distinct", type=int, default=4500, help="distinct 94 KB queries sent")
    ap.add_argument("--dataset", type=Path, help="also start on this N-Quads file (e.g. HPO)")
    ap.add_argument("--store", type=Path, help="also start on this Oxigraph store directory")
    ap.add_argument("--compare-src", type=Path, help="another source tree to measure the same way")
    ap.add_argument("--release", type=Path, help="a built release (default: build one)")
    args = ap.parse_args()
    parts = set(args.only or ["throughput", "fairness", "memory", "start"])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pathokg-bench-") as folder:
        tmp = Path(folder)
        release = args.release
        if release is None:
            from pathokg.release.build import build

            release = tmp / "dist"
            build(release, reasoner=False)
        sys.path.insert(0, str(ROOT / "scripts"))
        import pyoxigraph as ox
        from bench_data import synthetic_graph

        from pathokg.rdf.store import dataset_store

        dataset = tmp / "load.nq"
        if parts - {"start"}:
            dataset_store(synthetic_graph(args.load_triples, release)).dump(
                dataset, format=ox.RdfFormat.N_QUADS)
        if "throughput" in parts:
            throughput(args, dataset, tmp)
        if "fairness" in parts:
            fairness(args, dataset)
        if "memory" in parts:
            memory(args, dataset)
        if "start" in parts:
            start(args, release, tmp)
    print(f"\n(took {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
