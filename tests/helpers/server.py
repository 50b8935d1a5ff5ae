"""A real ``pathokg serve`` process on a free port of 127.0.0.1, for the server tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from .triplestores import free_port


@contextmanager
def running_server(release: Path, *, timeout: float = 10.0, cwd: Path | None = None) -> Iterator[str]:
    """Start ``pathokg serve`` (uvicorn) on a free port; yield its base URL; stop it."""
    port = free_port()
    cmd = [sys.executable, "-m", "pathokg", "serve", "--port", str(port), "--release", str(release),
           "--timeout", str(timeout), "--workers", "2"]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stdout.read().decode() if proc.stdout else ''}")
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("server did not become ready")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
