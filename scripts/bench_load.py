"""Load generation for the benchmarks: N clients in threads, each on one keep-alive HTTP
connection (stdlib ``http.client``, so that the client costs little of the machine's CPU), posting
SPARQL queries in a loop for a fixed time.

    result = load_test("http://127.0.0.1:8000", sparql_posts("/sparql", [query]), seconds=5)
    result = load_test("http://127.0.0.1:8000", [("/api/queries/evidence?subject=...", None)], 5)
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit


@dataclass
class LoadResult:
    """Throughput and latency of one load run."""

    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))] * 1000


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
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(k: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        mine: list[float] = []
        bad = 0
        i = k
        start.wait()
        while time.monotonic() < stop_at[0]:
            t = time.perf_counter()
            try:
                path, body = requests[i % len(requests)]
                conn.request("GET" if body is None else "POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
                ok = False
            if ok:
                mine.append(time.perf_counter() - t)
            else:
                bad += 1
            i += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

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
    return LoadResult(len(latencies), errors[0], elapsed, _percentile(latencies, 0.5),
                      _percentile(latencies, 0.95))
