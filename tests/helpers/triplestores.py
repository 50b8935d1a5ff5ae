"""Start and stop real triplestore servers on 127.0.0.1 (free ports, private data folders): an
Oxigraph server and a Virtuoso 7 instance. Used by the tests, the integrators' notebook and the
benchmarks; every server started here is stopped when its ``with`` block ends.

>>> with OxigraphServer() as server:                    # doctest: +SKIP
...     pathokg.release.publish.publish(server.store_url)
"""

from __future__ import annotations

import configparser
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

from pathokg.errors import ToolMissing

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
#: the DBA account a fresh Debian Virtuoso database has
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "dba", "dba"


#: A server program is not installed or did not start.
ServerUnavailable = ToolMissing


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    """A server process with its own temporary folder, stopped (and the folder removed) on exit."""

    name = "server"

    def __init__(self, folder: Path | None = None, *, start_timeout: float = 60.0):
        self._own_folder = folder is None
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix=f"pathokg-{self.name}-"))
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.port = free_port()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def ready(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def start(self) -> _Server:
        """Start the server and wait until it answers.

        :raises ServerUnavailable: if the program is missing, exits, or does not answer in time.
        """
        log = (self.folder / f"{self.name}.log").open("wb")
        try:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                            cwd=self.folder, start_new_session=True)
        except OSError as exc:
            raise ServerUnavailable(f"cannot start {self.name}: {exc}") from None
        finally:
            log.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise ServerUnavailable(f"{self.name} exited at start; see {self.log_tail()}")
            if self.ready():
                return self
            time.sleep(0.2)
        tail = self.log_tail()
        self.stop()
        raise ServerUnavailable(f"{self.name} did not answer within {self.start_timeout:.0f} s: {tail}")

    def log_tail(self) -> str:
        path = self.folder / f"{self.name}.log"
        return path.read_text(errors="replace")[-800:] if path.exists() else "(no log)"

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 20 s) and remove a folder we created."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        if self._own_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> _Server:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2.0).status_code < 500
    except httpx.HTTPError:
        return False


def oxigraph_executable() -> str | None:
    """The ``oxigraph`` server binary (PyPI package ``oxigraph``), next to this Python or on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.is_file() else shutil.which("oxigraph")


class OxigraphServer(_Server):
    """``oxigraph serve`` on a free port: Graph Store Protocol at ``/store``, queries at ``/query``."""

    name = "oxigraph"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    def command(self) -> list[str]:
        exe = oxigraph_executable()
        if exe is None:
            raise ServerUnavailable("the oxigraph server binary was not found (pip install oxigraph)")
        return [exe, "serve", "--location", str(self.folder / "data"), "--bind", f"127.0.0.1:{self.port}"]

    def ready(self) -> bool:
        return _answers(f"{self.base_url}/query?query=ASK%7B%7D")


class VirtuosoServer(_Server):
    """A private Virtuoso 7 instance (Debian ``virtuoso-opensource``) from a copy of the system
    ini file with its database in a temporary folder and both ports free.

    Graph Store Protocol with digest auth at ``/sparql-graph-crud-auth``, queries at ``/sparql``;
    user ``dba``, password ``dba`` (a fresh database).
    """

    name = "virtuoso"

    def __init__(self, folder: Path | None = None, *, start_timeout: float = 90.0):
        super().__init__(folder, start_timeout=start_timeout)
        self.sql_port = free_port()
        while self.sql_port == self.port:
            self.sql_port = free_port()

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/sparql-graph-crud-auth"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    def command(self) -> list[str]:
        exe = shutil.which("virtuoso-t")
        if exe is None or not VIRTUOSO_INI.is_file():
            raise ServerUnavailable("Virtuoso was not found (Debian: apt-get install virtuoso-opensource)")
        ini = configparser.ConfigParser(strict=False, interpolation=None, inline_comment_prefixes=None)
        ini.optionxform = str  # type: ignore[assignment,method-assign]
        ini.read(VIRTUOSO_INI)
        db = self.folder
        for key, name in (("DatabaseFile", "virtuoso.db"), ("ErrorLogFile", "virtuoso.log"),
                          ("LockFile", "virtuoso.lck"), ("TransactionFile", "virtuoso.trx"),
                          ("xa_persistent_file", "virtuoso.pxa")):
            ini["Database"][key] = str(db / name)
        ini["TempDatabase"]["DatabaseFile"] = str(db / "virtuoso-temp.db")
        ini["TempDatabase"]["TransactionFile"] = str(db / "virtuoso-temp.trx")
        ini["Parameters"]["ServerPort"] = f"127.0.0.1:{self.sql_port}"
        ini["Parameters"]["DirsAllowed"] = f"., {db}, /usr/share/virtuoso-opensource-7/vad"
        ini["HTTPServer"]["ServerPort"] = f"127.0.0.1:{self.port}"
        path = db / "virtuoso.ini"
        with path.open("w") as fh:
            ini.write(fh)
        return [exe, "+foreground", "+configfile", str(path)]

    def ready(self) -> bool:
        return _answers(f"{self.query_url}?query=ASK%7B%7D")
