"""A real ``pathokg serve`` process on a free port of 127.0.0.1, for the server tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .triplestores import free_port


@dataclass
class ServerProcess:
    """A running server: its base URL, its process and what it has written to its log."""

    base: str
    proc: subprocess.Popen[bytes]
    lines: list[str] = field(default_factory=list)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def worker_pids(self) -> list[int]:
        """The query workers' process ids (the children of the server's forkserver)."""
        return _children_of_forkserver(self.proc.pid)

    def all_pids(self) -> list[int]:
        """The server process and every process below it."""
        return [self.proc.pid, *descendants(self.proc.pid)]

    def stop(self, sig: int = signal.SIGTERM, wait: float = 30.0) -> int:
        """Send ``sig`` and wait for the process to end; return its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _cmdline(pid: int) -> str:
    return _read(f"/proc/{pid}/cmdline").replace("\0", " ")


def _parent(pid: int) -> int:
    stat = _read(f"/proc/{pid}/stat")
    return int(stat.rsplit(")", 1)[1].split()[1]) if stat else 0


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``."""
    procs = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    parents = {p: _parent(p) for p in procs}
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current:
                found.append(child)
                todo.append(child)
    return found


def _children_of_forkserver(pid: int) -> list[int]:
    servers = [p for p in descendants(pid) if "forkserver" in _cmdline(p)]
    return [c for s in servers for c in descendants(s)]


def _sum_kib(pids: list[int], file: str, name: str) -> int:
    total = 0
    for pid in pids:
        for line in _read(f"/proc/{pid}/{file}").splitlines():
            if line.startswith(name):
                total += int(line.split()[1])
    return total


def rss_kib(pids: list[int]) -> int:
    """Resident memory of these processes together, in KiB."""
    return _sum_kib(pids, "status", "VmRSS:")


def pss_kib(pids: list[int]) -> int:
    """Proportional set size of these processes together, in KiB: each shared page counted once
    over the processes that share it (their RSS would count it in each)."""
    return _sum_kib(pids, "smaps_rollup", "Pss:")


@contextmanager
def server_process(release: Path | None = None, *, timeout: float = 10.0, workers: int = 2,
                   cwd: Path | None = None, args: tuple[str, ...] = (),
                   env: dict[str, str] | None = None, new_session: bool = False,
                   ready_timeout: float = 90.0) -> Iterator[ServerProcess]:
    """Start ``pathokg serve`` (uvicorn) on a free port; yield it; stop it."""
    port = free_port()
    cmd = [sys.executable, "-m", "pathokg", "serve", "--port", str(port), "--timeout",
           str(timeout), "--workers", str(workers), *args]
    if release is not None:
        cmd += ["--release", str(release)]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                            start_new_session=new_session)
    server = ServerProcess(f"http://127.0.0.1:{port}", proc)

    def pump() -> None:
        assert proc.stdout is not None
        for line in iter(proc.stdout.readline, b""):
            server.lines.append(line.decode("utf-8", "replace"))

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                time.sleep(0.2)
                raise RuntimeError(f"server exited: {server.log}")
            try:
                if httpx.get(server.base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"server did not become ready: {server.log}")
        yield server
    finally:
        server.stop()


@contextmanager
def running_server(release: Path, *, timeout: float = 10.0, cwd: Path | None = None) -> Iterator[str]:
    """Start ``pathokg serve`` (uvicorn) on a free port; yield its base URL; stop it."""
    with server_process(release, timeout=timeout, cwd=cwd) as server:
        yield server.base
