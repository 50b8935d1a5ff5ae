"""rdflib for the benchmarks: query medians on rdflib's memory store with a time cap, and an
rdflib-endpoint server over the same dataset (from a separate venv, never the project's).

rdflib cannot be interrupted, so each query runs in a forked child of a process that loaded the
dataset once; past the cap the child is killed and the time is reported as "> cap".
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

_ENDPOINT_APP = """
import sys
import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint

ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
app = SparqlEndpoint(graph=ds, enable_update=False)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def _timed_child(ds: object, text: str, repeat: int, conn: Connection) -> None:
    times = []
    for _ in range(repeat + 1):  # the first run is a warm-up
        t = time.perf_counter()
        list(ds.query(text))  # type: ignore[attr-defined]
        times.append(time.perf_counter() - t)
    conn.send(statistics.median(times[1:]) * 1000)


def _server(nquads: str, queries: dict[str, str], repeat: int, cap: float,
            conn: Connection) -> None:
    """Load the dataset, then time each query in a forked child (killed past ``cap``)."""
    import multiprocessing as mp

    from rdflib import Dataset

    ds = Dataset(default_union=True)
    t = time.perf_counter()
    ds.parse(nquads, format="nquads")
    conn.send(("loaded", time.perf_counter() - t))
    fork = mp.get_context("fork")
    for name, text in queries.items():
        parent, child = fork.Pipe()
        proc = fork.Process(target=_timed_child, args=(ds, text, repeat, child), daemon=True)
        proc.start()
        if parent.poll(cap * (repeat + 1)):
            conn.send((name, parent.recv()))
        else:
            os.kill(proc.pid, signal.SIGKILL)
            conn.send((name, None))
        proc.join(5)
    conn.send(("done", 0.0))


def rdflib_medians(nquads: Path, queries: dict[str, str], *, repeat: int = 3,
                   cap: float = 5.0) -> tuple[float, dict[str, float | None]]:
    """Load time (s) and each query's median (ms, ``None`` past ``cap`` seconds a run)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_server, args=(str(nquads), queries, repeat, cap, child))
    proc.start()
    child.close()
    load = 0.0
    medians: dict[str, float | None] = {}
    while True:
        try:
            key, value = parent.recv()
        except EOFError:  # the loader died (out of memory?): what was measured stands
            break
        if key == "loaded":
            load = value
        elif key == "done":
            break
        else:
            medians[key] = value
    proc.join(10)
    if proc.is_alive():
        proc.kill()
    return load, medians


class RdflibEndpoint:
    """rdflib-endpoint serving an N-Quads file (union default graph) on 127.0.0.1:port."""

    def __init__(self, python: Path, nquads: Path, port: int):
        self.python, self.nquads, self.port = python, nquads, port
        self.proc: subprocess.Popen[bytes] | None = None
        self._script = Path(tempfile.mkstemp(suffix=".py", prefix="rdflib-endpoint-")[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> RdflibEndpoint:
        self._script.write_text(_ENDPOINT_APP)
        self.proc = subprocess.Popen([str(self.python), str(self._script), str(self.nquads),
                                      str(self.port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("rdflib-endpoint exited at start")
            try:
                r = httpx.post(self.url, data={"query": "ASK {}"}, timeout=2,
                               headers={"Accept": "application/sparql-results+json"})
                if r.status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("rdflib-endpoint did not answer")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._script.unlink(missing_ok=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("a helper of scripts/bench_queries.py")
