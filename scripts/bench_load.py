"""Load generation for the benchmarks: N clients in threads, each on one keep-alive HTTP
connection (stdlib ``http.client``, so that the client costs little of the machine's CPU), posting
SPARQL queries in a loop for a fixed time.

    result = load_test("http://127.0.0.1:8000", sparql_posts("/sparql", [query]), seconds=5)
    result = load_test("http://127.0.0.1:8000", [("/api/queries/evidence?subject=...", None)], 5)
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


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
                      _percentile(latencies, 0.5), _percentile(latencies, 0.95), failures)
