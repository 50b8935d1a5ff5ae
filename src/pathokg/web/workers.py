"""Worker processes that run queries with a time limit that really stops them.

Oxigraph cannot interrupt a running query (see ``../shared/STACK.md``), so the server runs queries
in a small pool of processes, each holding the dataset in its own in-memory store. A query that
runs past the limit has its process killed and replaced; the other workers keep serving.

Each job is checked (:mod:`pathokg.querying.safety`) in the worker before it runs, and its result is
serialised there in the negotiated format, so the web process only moves bytes. The web process
waits for an answer on the event loop (the pipe's file descriptor), with no thread hand-off.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import PathoKGError, QueryError, QueryFailed, QueryLimitError

#: Largest serialised result sent back, in bytes.
MAX_RESULT_BYTES = 20_000_000


@dataclass(frozen=True)
class Job:
    """One query to run: text, inference, and the formats negotiated for each result kind."""

    text: str
    inferred: bool = True
    solution_format: str | None = "srj"
    graph_format: str | None = "ttl"
    #: the form already found by :func:`~pathokg.querying.safety.check_query` for this text's template
    #: (a named query whose parameters were bound as terms); ``None``: check the text here
    checked_form: str | None = None


@dataclass(frozen=True)
class Answer:
    """A serialised result."""

    form: str
    media_type: str
    body: bytes


def _worker_main(dataset: str, conn: Connection, max_bytes: int) -> None:
    """Load the dataset, then answer jobs until the pipe closes."""
    import pyoxigraph as ox

    from ..querying.engine import Engine
    from ..querying.formats import graph_format, solution_format

    store = ox.Store()
    store.bulk_load(path=dataset, format=ox.RdfFormat.N_QUADS)
    engine = Engine(store)
    conn.send(("ready", len(store)))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = engine.execute(job.text, inferred=job.inferred,
                                    checked_form=job.checked_form)
            name = job.graph_format if result.is_graph else job.solution_format
            fmt = (graph_format if result.is_graph else solution_format)(name) if name else None
            if fmt is None:
                kind = "an RDF graph" if result.is_graph else "SPARQL results"
                raise QueryLimitError(f"a {result.form} query gives {kind}, which none of the "
                                      "accepted media types can hold", 406)
            body = result.serialize(fmt)
            if len(body) > max_bytes:
                raise QueryLimitError(f"the result is {len(body)} bytes; the limit is {max_bytes} "
                                      "(add a LIMIT)", 413)
            conn.send(("ok", Answer(result.form, fmt.media_type, body)))
        except PathoKGError as exc:
            conn.send(("error", type(exc).__name__, getattr(exc, "http_status", 400), str(exc)))
        except Exception as exc:  # never let one query take the worker down
            conn.send(("error", "QueryFailed", 500, f"the query failed: {type(exc).__name__}"))


class _Worker:
    def __init__(self, ctx: Any, dataset: Path, max_bytes: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(str(dataset), child, max_bytes),
                                   daemon=True, name="pathokg-query-worker")
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> int:
        try:
            if not self.conn.poll(timeout):
                raise PathoKGError("a query worker did not start in time")
            message = self.conn.recv()
        except (EOFError, OSError):
            raise PathoKGError("a query worker exited while loading the dataset") from None
        return int(message[1])

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _error(name: str, status: int, message: str) -> QueryError:
    from .. import errors

    cls = getattr(errors, name, QueryError)
    if cls is QueryLimitError:
        return QueryLimitError(message, status)
    ok = isinstance(cls, type) and issubclass(cls, QueryError)
    exc = cls(message) if ok else QueryError(message)
    exc.http_status = status  # type: ignore[attr-defined]
    return exc


class WorkerPool:
    """A fixed number of query processes over one dataset file (N-Quads).

    :meth:`start` and :meth:`run` are coroutines of the server's event loop; a replacement worker
    is started in a thread and handed back to the loop when it is ready.
    """

    def __init__(self, dataset: Path, size: int = 2, timeout: float = 10.0,
                 max_result_bytes: int = MAX_RESULT_BYTES, start_timeout: float = 120.0):
        self.dataset, self.size, self.timeout = dataset, max(1, size), timeout
        self.max_result_bytes, self.start_timeout = max_result_bytes, start_timeout
        self._ctx = mp.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._draining: set[asyncio.Task[None]] = set()
        self.triples = 0

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the dataset."""
        self._loop = asyncio.get_running_loop()
        workers = [self._spawn() for _ in range(self.size)]
        for w in workers:
            self.triples = await asyncio.to_thread(w.wait_ready, self.start_timeout)
            self._idle.put_nowait(w)

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.dataset, self.max_result_bytes)
        with self._lock:
            self._all.append(w)
        return w

    def _replace(self, dead: _Worker) -> None:
        """Kill a worker and start another (in a thread: loading the dataset takes a while)."""
        def work() -> None:
            dead.kill()
            with self._lock:
                if dead in self._all:
                    self._all.remove(dead)
            fresh = self._spawn()
            try:
                fresh.wait_ready(self.start_timeout)
            except PathoKGError:
                fresh.kill()
                return
            if self._loop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._idle.put_nowait, fresh)

        threading.Thread(target=work, daemon=True, name="pathokg-worker-replace").start()

    async def _readable(self, worker: _Worker, timeout: float) -> bool:
        """Wait until the worker's answer starts to arrive; False past ``timeout`` seconds."""
        if worker.conn.poll():
            return True
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await asyncio.wait_for(ready, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(fd)
            # add_reader made the pipe non-blocking: an answer larger than the pipe's buffer
            # (64 KiB) would then fail half-read (BlockingIOError) and look like a dead worker
            os.set_blocking(fd, True)

    async def _drain(self, worker: _Worker, deadline: float) -> None:
        """Take back a worker whose caller went away: wait for its answer, then reuse it."""
        loop = asyncio.get_running_loop()
        try:
            if await self._readable(worker, max(deadline - loop.time(), 0.05)):
                worker.conn.recv()
                self._idle.put_nowait(worker)
                return
        except (EOFError, OSError):
            pass
        self._replace(worker)

    async def run(self, job: Job) -> Answer:
        """Run a job on a free worker; raise a QueryError subclass on failure.

        :raises QueryLimitError: with status 503 past the time limit (the worker is replaced).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise QueryLimitError("all query workers are busy; try again shortly", 503) from None
        try:
            worker.conn.send(job)
            if not await self._readable(worker, max(deadline - loop.time(), 0.05)):
                self._replace(worker)
                raise QueryLimitError(f"the query ran longer than the time limit of "
                                      f"{self.timeout:g} s and was stopped", 503)
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise QueryFailed(f"the query worker failed ({type(exc).__name__}); the query was "
                              "not answered") from None
        except asyncio.CancelledError:  # the client went away: the answer still has to be read
            task = loop.create_task(self._drain(worker, deadline))
            self._draining.add(task)
            task.add_done_callback(self._draining.discard)
            raise
        self._idle.put_nowait(worker)
        if message[0] == "ok":
            return message[1]
        _, name, status, text = message
        raise _error(name, status, text)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers, self._all = list(self._all), []
        for w in workers:
            w.kill()
