"""The server under stress: workers that die and come back, heavy queries next to light ones,
slow and vanishing clients, stopping, and ``pathokg serve``'s own mistakes (ports)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from pathokg.web.pool import PoolSettings, WorkerPool
from pathokg.web.store import build_store
from pathokg.web.workers import Job

from .helpers.server import ServerProcess, server_process

pytestmark = pytest.mark.server
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LOOKUP = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { "
          "<https://w3id.org/pathokg/concept/nsaids> skos:prefLabel ?label }")


def _health(srv: ServerProcess) -> dict:
    return httpx.get(srv.base + "/health", timeout=10).json()


def _wait(condition, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_killed_idle_worker_is_replaced_and_the_next_request_answered(release_dir: Path) -> None:
    with server_process(release_dir, timeout=5.0) as srv:
        assert _wait(lambda: _health(srv)["workers"]["ready"] == 3)
        for pid in srv.worker_pids():
            os.kill(pid, signal.SIGKILL)
        r = httpx.post(srv.base + "/sparql", data={"query": LOOKUP}, timeout=30)
        assert r.status_code == 200, r.text
        assert _wait(lambda: _health(srv)["workers"]["ready"] == 3)
        assert _health(srv)["status"] == "ok" and _health(srv)["workers"]["restarts"] >= 3
        assert "exited while idle" in srv.log and "Traceback" not in srv.log


def test_failing_restarts_back_off_and_health_says_degraded(release_dir: Path,
                                                           tmp_path: Path) -> None:
    store = build_store(tmp_path / "store", release=release_dir).path
    # (workers that read the store on disk: a copy in memory would never fail to open)
    with server_process(None, timeout=5.0, args=("--store", str(store), "--worker-store", "disk")) as srv:
        assert _wait(lambda: _health(srv)["workers"]["ready"] == 3)
        # new workers cannot open the store any more (RocksDB starts from CURRENT), while the
        # worker still running keeps reading its files (moving the whole folder would take the
        # files it opens lazily away from it too)
        moved = tmp_path / "CURRENT.moved"
        (store / "CURRENT").rename(moved)
        for pid in srv.worker_pids()[:2]:
            os.kill(pid, signal.SIGKILL)
        assert _wait(lambda: _health(srv)["status"] == "degraded")
        body = httpx.get(srv.base + "/health").json()
        assert body["workers"]["ready"] == 1 and body["workers"]["last_failure"]
        assert httpx.post(srv.base + "/sparql", data={"query": LOOKUP}).status_code == 200
        assert _wait(lambda: srv.log.count("failed to start") >= 2)
        assert "retrying in 0.5 s" in srv.log and "retrying in 1 s" in srv.log
        moved.rename(store / "CURRENT")
        assert _wait(lambda: _health(srv)["status"] == "ok", 60)


def test_a_lookup_is_answered_while_four_clients_run_cartesian_queries(release_dir: Path) -> None:
    """The reserved lane: four heavy queries never take the last worker from short ones."""
    with server_process(release_dir, timeout=4.0) as srv:
        results: dict[int, int] = {}
        threads = [threading.Thread(target=lambda k=k: results.setdefault(k, httpx.post(
            srv.base + "/sparql", data={"query": HEAVY + f" # {k}"}, timeout=60).status_code))
            for k in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        answers = [httpx.post(srv.base + "/sparql", data={"query": LOOKUP}, timeout=30)
                   for _ in range(5)]
        running = sum(t.is_alive() for t in threads)
        for t in threads:
            t.join(60)
        assert all(a.status_code == 200 for a in answers)
        assert running > 0, "the heavy queries ended before the lookups: nothing was shown"
        assert set(results.values()) == {503}


def test_slow_clients_are_cut_off(release_dir: Path) -> None:
    with server_process(release_dir, args=("--header-timeout", "1", "--body-timeout", "1")) as srv:
        port = int(srv.base.rsplit(":", 1)[1])
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never ends its headers
        slow.settimeout(5)
        started = time.monotonic()
        assert slow.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 4
        body = socket.create_connection(("127.0.0.1", port))
        body.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
                     b"\r\nContent-Length: 100\r\n\r\nASK")
        body.settimeout(5)
        assert b" 408 " in body.recv(200)
        gone = socket.create_connection(("127.0.0.1", port))
        gone.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
                     b"\r\nContent-Length: 100\r\n\r\nASK {")
        gone.close()
        assert _wait(lambda: "went away" in srv.log, 5)
        assert httpx.get(srv.base + "/health").status_code == 200
        for s in (slow, body):
            s.close()
        assert "Traceback" not in srv.log and "Exception in ASGI" not in srv.log


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_is_clean_and_bounded(release_dir: Path, sig: int) -> None:
    with server_process(release_dir, timeout=30.0, new_session=True,
                        args=("--shutdown-timeout", "2")) as srv:
        threading.Thread(target=lambda: httpx.post(srv.base + "/sparql", data={"query": HEAVY},
                                                   timeout=60), daemon=True).start()
        time.sleep(0.5)
        workers = srv.worker_pids()
        started = time.monotonic()
        os.killpg(srv.proc.pid, sig)  # as Ctrl-C does: the whole process group
        status = srv.proc.wait(30)
        took = time.monotonic() - started
    assert status == 0, srv.log
    assert f"stopped ({signal.Signals(sig).name})" in srv.log
    assert "Traceback" not in srv.log and "KeyboardInterrupt" not in srv.log
    assert took < 15
    assert _wait(lambda: not any(Path(f"/proc/{p}").exists() for p in workers), 10)


@pytest.mark.parametrize("port,message", [(99999, "is not a port"), (None, "already in use")])
def test_serve_fails_at_once_on_a_bad_port(release_dir: Path, port: int | None,
                                           message: str) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    chosen = port if port is not None else taken.getsockname()[1]
    try:
        out = subprocess.run([sys.executable, "-m", "pathokg", "serve", "--port", str(chosen),
                              "--release", str(release_dir)], capture_output=True, text=True,
                             timeout=30)
    finally:
        taken.close()
    assert out.returncode == 2 and message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_an_unexpected_worker_failure_is_logged_with_its_traceback(
        release_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = str(build_store(tmp_path / "store", release=release_dir).path)
    broken = Job("SELECT ?x WHERE { ?x ?p ?o }", "SELECT", substitutions={"x": object()})

    async def run() -> str:
        pool = WorkerPool(PoolSettings(store, size=1, spares=0, timeout=10))
        await pool.start()
        try:
            await pool.run(broken)
        except Exception as exc:  # the answer: a short message, no traceback
            return str(exc)
        finally:
            await pool.close()
        return ""

    with caplog.at_level(logging.ERROR, logger="pathokg.server"):
        answer = asyncio.run(run())
    assert "Traceback" not in answer and "failed" in answer
    assert any("Traceback" in r.getMessage() for r in caplog.records)


FILLER_QUADS = 300_000


@pytest.fixture(scope="module")
def filler_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N-Quads big enough (about 100 MiB in memory) that a copy per worker would show."""
    path = tmp_path_factory.mktemp("filler") / "filler.nq"
    with path.open("w", encoding="ascii") as out:
        for n in range(FILLER_QUADS):
            out.write(f'<urn:filler:s{n}> <urn:filler:p{n % 7}> "value {n} of the filler" <urn:filler:g{n % 3}> .\n')
    return path


def _private_kib(pid: int) -> int:
    """Memory only this process holds (its pages not shared with another), in KiB."""
    fields = {line.split()[0]: int(line.split()[1]) for line in
              Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:] if line.split()[-1] == "kB"}
    return fields["Private_Clean:"] + fields["Private_Dirty:"]


def _store_files(pid: int) -> set[str]:
    files = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if "pathokg-serve-" in target and target.endswith(".sst"):
                files.add(str(Path(target).parent))
    return files


COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.mark.parametrize("worker_store", ["memory", "disk"])
def test_the_store_is_shared_not_copied(filler_dataset: Path, worker_store: str) -> None:
    """memory: the forkserver's one in-memory copy, shared copy-on-write (each worker's own
    memory is far below the copy's size, and no worker opens the store on disk); disk: every
    worker opens the one read-only store on disk. Both answer alike."""
    with server_process(None, workers=2, args=("--dataset", str(filler_dataset),
                                               "--worker-store", worker_store)) as srv:
        workers = _health(srv)["workers"]
        assert (workers["store"], workers["store_problem"]) == (worker_store, None)
        pids = srv.worker_pids()
        assert len(pids) == 3
        opened = set().union(*(_store_files(pid) for pid in pids))
        if worker_store == "disk":
            assert len(opened) == 1, opened
        else:
            assert opened == set()
            copy_kib = FILLER_QUADS * 350 // 1024
            assert all(_private_kib(pid) < copy_kib / 4 for pid in pids), \
                [(_private_kib(pid), copy_kib) for pid in pids]
        for _ in range(3):
            answer = httpx.post(srv.base + "/sparql", data={"query": COUNT_ALL},
                                headers={"Accept": "text/csv"}, timeout=60)
            assert answer.text.split() == ["n", str(FILLER_QUADS)]


def test_a_store_loaded_beforehand_is_copied_from_itself(filler_dataset: Path, tmp_path: Path) -> None:
    """``--store DIR`` has no files to load the copy from: the forkserver reads the store."""
    store = build_store(tmp_path / "store", dataset=filler_dataset).path
    with server_process(None, args=("--store", str(store), "--worker-store", "memory")) as srv:
        assert _health(srv)["workers"]["store"] == "memory"
        assert not set().union(*(_store_files(pid) for pid in srv.worker_pids()))
        answer = httpx.post(srv.base + "/sparql", data={"query": COUNT_ALL},
                            headers={"Accept": "text/csv"}, timeout=60)
        assert answer.text.split() == ["n", str(FILLER_QUADS)]


def test_auto_chooses_the_on_disk_store_when_the_copy_would_not_fit(filler_dataset: Path) -> None:
    from pathokg.web.store import COPY_SHARE, StoreInfo, copy_spec

    info = StoreInfo(Path("/store"), FILLER_QUADS, FILLER_QUADS, 0, FILLER_QUADS, ())
    need = FILLER_QUADS * 350
    assert copy_spec(info, "auto", dataset=filler_dataset, available=int(need / COPY_SHARE) - 1) is None
    assert copy_spec(info, "auto", dataset=filler_dataset, available=int(need / COPY_SHARE) + 1) is not None
    assert copy_spec(info, "disk", dataset=filler_dataset) is None


def test_the_server_process_never_makes_a_copy_itself() -> None:
    """Only the forkserver imports the module whose import loads the copy (the server would
    otherwise hold a second one)."""
    code = ("import sys, pathokg.cli, pathokg.web.app, pathokg.web.pool, pathokg.web.workers; "
            "print('pathokg.web.shared_copy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_cors_origins_are_configurable(release_dir: Path) -> None:
    with server_process(release_dir, args=("--cors-origins", "https://teach.example")) as srv:
        allowed = httpx.get(srv.base + "/sparql", params={"query": "ASK {}"},
                            headers={"Origin": "https://teach.example"})
        other = httpx.get(srv.base + "/sparql", params={"query": "ASK {}"},
                          headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://teach.example"
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-credentials" not in allowed.headers
