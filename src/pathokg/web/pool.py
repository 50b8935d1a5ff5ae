"""The server's query workers: a reserved lane for short queries, time limits that stop a query,
and workers that come back.

**Scheduling** (a two-level feedback queue): every query starts as *short*. One that runs past
:attr:`PoolSettings.short_budget` becomes *long*. At most ``size - 1`` long queries run at once,
so one worker always takes short ones: a lookup waits at most for the short query before it (a
quarter of a second by default), never for a cartesian product. A query that turns long while
the long lane is full is stopped (its worker is replaced at once by a warm spare) and queued again
as long; it then runs from the start when a long slot frees. Long queries wait in arrival order.

**Limits.** A query that runs past the time limit has its worker killed (Oxigraph cannot be
interrupted; see ``../shared/STACK.md``) and the client gets a 503; one that waits that long for
a worker gets a 503 too.

**Recovery.** A worker that dies is replaced (a spare takes its place at once, and a new spare
starts); a request that found its worker dead before the worker took it is sent to another, once.
A worker that fails to start is retried with backoff (0.5 s, doubling, at most 30 s), each failure
logged. :meth:`WorkerPool.health` says how many workers are ready, and ``degraded`` when fewer than
configured.

Workers are forked from a forkserver (fast, clean starts; it holds the in-memory copy of the store
the workers share, when there is one: :mod:`pathokg.web.shared_copy`); each is one socket pair away
(:mod:`pathokg.web.workers`), read by the event loop with no thread hand-off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import pickle
import signal
import socket
import struct
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..errors import PathoKGError, QueryError, QueryFailed, QueryLimitError
from .workers import COPY_ENV, Answer, CopySpec, Job, WorkerConfig, frame, worker_main

log = logging.getLogger("pathokg.server")
_HEADER = struct.Struct("!I")
_CRASH_SIGNALS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE}


@dataclass
class PoolSettings:
    """How many workers, and the limits they work under."""

    store: str
    size: int = 2
    timeout: float = 10.0
    #: seconds a query counts as short
    short_budget: float = 0.25
    #: warm workers kept ready to replace a killed one at once
    spares: int = 1
    start_timeout: float = 120.0
    #: bytes of memory a query may use in a worker
    memory: int = 2 * 1024**3
    isolate_network: bool = True
    #: the in-memory copy of the store the forkserver makes and the workers share (None: the
    #: workers read the on-disk store)
    copy: CopySpec | None = None


@dataclass(eq=False)
class _Request:
    job: Job
    future: asyncio.Future[Answer]
    deadline: float
    long: bool = False
    retried: bool = False
    abandoned: bool = False
    worker: _Worker | None = None
    timers: list[asyncio.TimerHandle] = field(default_factory=list)

    def cancel_timers(self) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()


class _Link(asyncio.Protocol):
    """The server's end of a worker's socket: frames in, messages to the pool."""

    def __init__(self, pool: WorkerPool, worker: _Worker):
        self.pool, self.worker, self.buffer = pool, worker, bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= _HEADER.size:
            size = _HEADER.unpack_from(self.buffer)[0]
            if len(self.buffer) < _HEADER.size + size:
                return
            message = pickle.loads(self.buffer[_HEADER.size:_HEADER.size + size])
            del self.buffer[:_HEADER.size + size]
            self.pool._message(self.worker, message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool._lost(self.worker)


@dataclass(eq=False)
class _Worker:
    number: int
    process: Any
    transport: asyncio.Transport | None = None
    state: str = "starting"  # starting, idle, busy, dead
    request: _Request | None = None
    killed: bool = False
    pid: int = 0
    ready: asyncio.Future[str | None] | None = None

    def alive(self) -> bool:
        return self.state != "dead" and self.process.is_alive()

    def kill(self) -> None:
        self.killed = True
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        if self.transport is not None:
            self.transport.close()


def _exit_reason(process: Any) -> str:
    code = process.exitcode
    if code is None:
        return "it stopped answering"
    if code < 0:
        try:
            return f"it was stopped by {signal.Signals(-code).name}"
        except ValueError:
            return f"it was stopped by signal {-code}"
    return f"it exited with status {code}"


class WorkerPool:
    """Query worker processes over one store (see the module description).

    :meth:`start`, :meth:`run` and :meth:`close` are coroutines of the server's event loop.
    """

    def __init__(self, settings: PoolSettings):
        self.settings = settings
        self.size = max(1, settings.size)
        #: long queries that may run at once: all but one worker (one, with a single worker)
        self.max_long = max(1, self.size - 1)
        self._ctx = mp.get_context("forkserver")
        if settings.copy is not None:  # read by the forkserver when it starts (first worker)
            os.environ[COPY_ENV] = settings.copy.to_env()
        self._ctx.set_forkserver_preload(["pathokg.web.shared_copy", "pathokg.web.workers"]
                                         if settings.copy is not None else ["pathokg.web.workers"])
        self._config = WorkerConfig(settings.store, settings.memory, settings.isolate_network,
                                    use_copy=settings.copy is not None)
        self._workers: list[_Worker] = []
        self._short: deque[_Request] = deque()
        self._long: deque[_Request] = deque()
        self._numbers = 0
        self._wanted = asyncio.Event()
        self._keeper: asyncio.Task[None] | None = None
        self._closing = False
        self.isolation_problem: str | None = None
        self.memory_problem: str | None = None
        #: what the workers read ("memory": the shared copy, "disk": the on-disk store), and why
        #: not the copy the settings asked for
        self.reads = "memory" if settings.copy is not None else "disk"
        self.copy_problem: str | None = None
        self.last_failure: str | None = None
        self.started = 0

    # ------------------------------------------------------------------ workers
    async def _spawn(self) -> _Worker:
        """Start one worker and wait until it is ready (or raise why it is not)."""
        loop = asyncio.get_running_loop()
        self._numbers += 1
        parent, child = socket.socketpair()
        process = self._ctx.Process(target=worker_main, args=(child, self._config), daemon=True,
                                    name=f"pathokg-query-worker-{self._numbers}")
        await asyncio.to_thread(process.start)
        child.close()
        worker = _Worker(self._numbers, process, ready=loop.create_future())
        self._workers.append(worker)
        transport, _ = await loop.create_unix_connection(lambda: _Link(self, worker), sock=parent)
        worker.transport = transport  # type: ignore[assignment]
        assert worker.ready is not None
        try:
            problem = await asyncio.wait_for(worker.ready, self.settings.start_timeout)
        except TimeoutError:
            worker.kill()
            raise PathoKGError(f"a query worker did not start within "
                               f"{self.settings.start_timeout:g} s") from None
        except PathoKGError:
            worker.kill()
            raise
        if problem and problem != self.isolation_problem:
            log.warning("query workers are NOT cut off from the network: %s; the query check is "
                        "then the only wall against SERVICE", problem)
        self.isolation_problem = problem
        return worker

    async def start(self) -> None:
        """Start the workers; return once they are all ready, or once starting them failed (then
        the pool keeps trying, with backoff, and :meth:`health` says so)."""
        self._ready_loop = asyncio.get_running_loop()
        self._settled = asyncio.Event()
        self._keeper = self._ready_loop.create_task(self._keep_workers())
        await self._settled.wait()

    def _live(self) -> list[_Worker]:
        return [w for w in self._workers if w.state in ("idle", "busy")]

    async def _keep_workers(self) -> None:
        """Start workers until there are ``size + spares``; back off while starts fail."""
        backoff = 0.5
        first = True
        while not self._closing:
            want = self.size + self.settings.spares
            missing = want - len([w for w in self._workers if w.state != "dead"])
            if missing <= 0:
                self._settled.set()
                self._wanted.clear()
                await self._wanted.wait()
                continue
            count = 1 if first else missing  # one alone first: it also starts the forkserver
            first = False
            results = await asyncio.gather(*(self._spawn() for _ in range(count)),
                                           return_exceptions=True)
            failures = [r for r in results if isinstance(r, BaseException)]
            started = len(results) - len(failures)
            self.started += started
            if started:
                backoff = 0.5
                self._dispatch()
            if failures:
                self.last_failure = str(failures[0])
                log.error("a query worker failed to start (%s); retrying in %g s", failures[0],
                          backoff)
                self._settled.set()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    def _forget(self, worker: _Worker) -> None:
        worker.state = "dead"
        if worker in self._workers:
            self._workers.remove(worker)
        self._wanted.set()

    def _message(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.pid, problem, memory = message[1], message[2], message[3]
            if memory and memory != self.memory_problem:
                log.warning("query workers have no memory ceiling: %s", memory)
            self.memory_problem = memory
            self.reads, problem_of_copy = message[4], message[5]
            if problem_of_copy and problem_of_copy != self.copy_problem:
                log.warning("query workers read the on-disk store, not an in-memory copy: %s",
                            problem_of_copy)
            self.copy_problem = problem_of_copy
            worker.state = "idle"
            if worker.ready is not None and not worker.ready.done():
                worker.ready.set_result(problem)
            self._dispatch()
            return
        if kind == "failed":
            if worker.ready is not None and not worker.ready.done():
                worker.ready.set_exception(PathoKGError(message[1]))
            return
        request = worker.request
        worker.request = None
        worker.state = "idle"
        if request is not None:
            request.cancel_timers()
            if not request.future.done():
                if kind == "ok":
                    request.future.set_result(message[1])
                else:
                    _, name, status, text, detail = message
                    if detail:
                        log.error("query failed in worker %d: %s\n%s", worker.number, text, detail)
                    request.future.set_exception(_error(name, status, text))
        self._dispatch()

    def _lost(self, worker: _Worker) -> None:
        """A worker's socket closed: it died or was killed."""
        was = worker.state
        request = worker.request
        worker.request = None
        self._forget(worker)
        if worker.ready is not None and not worker.ready.done():
            worker.ready.set_exception(PathoKGError(
                "a query worker exited while it was starting (see the server log)"))
        if self._closing:
            return
        asyncio.get_running_loop().run_in_executor(None, self._report, worker, was, request)
        self._dispatch()

    def _report(self, worker: _Worker, was: str, request: _Request | None) -> None:
        """(in a thread) Reap a lost worker, log why it went, and settle its request."""
        worker.process.join(2.0)
        reason = _exit_reason(worker.process)
        loop = self._loop
        if worker.killed:
            return
        if was == "idle":
            log.warning("query worker %d exited while idle (%s); it is replaced", worker.number,
                        reason)
            return
        log.error("query worker %d exited while running a query (%s); it is replaced",
                  worker.number, reason)
        if request is not None:
            loop.call_soon_threadsafe(self._after_crash, request, worker, reason)

    def _after_crash(self, request: _Request, worker: _Worker, reason: str) -> None:
        code = worker.process.exitcode
        crashed = code is not None and code < 0 and -code in {s.value for s in _CRASH_SIGNALS}
        if request.future.done():
            return
        if not crashed and not request.retried:
            request.retried, request.worker = True, None
            request.cancel_timers()
            self._arm_deadline(request)
            self._short.appendleft(request)
            self._dispatch()
            return
        request.cancel_timers()
        if code == -signal.SIGABRT:  # what an allocation past RLIMIT_DATA ends in (Rust aborts)
            request.future.set_exception(QueryLimitError(
                f"the query needed more than the {self.settings.memory // 2**20:,} MiB of memory "
                "a query may use on this server (its worker was stopped and replaced)", 413))
            return
        request.future.set_exception(QueryFailed(
            f"the query worker stopped while answering ({reason}); it was replaced"))

    # ---------------------------------------------------------------- scheduling
    @property
    def _loop(self) -> asyncio.AbstractEventLoop:
        return self._ready_loop

    def _free_worker(self) -> _Worker | None:
        busy = 0
        free = None
        for w in self._workers:
            if w.state == "busy":
                busy += 1
            elif w.state == "idle" and free is None:
                free = w
        return free if busy < self.size else None

    def _running_long(self) -> int:
        return sum(1 for w in self._workers if w.state == "busy" and w.request is not None
                   and w.request.long)

    def _dispatch(self) -> None:
        while self._short or self._long:
            worker = self._free_worker()
            if worker is None:
                return
            if self._short:
                request = self._short.popleft()
            elif self._running_long() < self.max_long:
                request = self._long.popleft()
            else:
                return
            if request.future.done():
                continue
            if not worker.alive():
                self._forget(worker)
                (self._long if request.long else self._short).appendleft(request)
                continue
            self._begin(worker, request)

    def _begin(self, worker: _Worker, request: _Request) -> None:
        worker.state, worker.request, request.worker = "busy", request, worker
        assert worker.transport is not None
        worker.transport.write(frame(request.job))
        if not request.long:
            request.timers.append(self._loop.call_later(
                self.settings.short_budget, self._budget_spent, request))

    def _budget_spent(self, request: _Request) -> None:
        """A short query ran past its budget: it is long now (stopped and queued again as long
        if that would leave no worker for short queries)."""
        worker = request.worker
        if worker is None or worker.request is not request or request.future.done():
            return
        request.long = True
        if self._running_long() <= self.max_long:
            return
        worker.request, request.worker = None, None
        worker.kill()
        self._forget(worker)
        self._long.appendleft(request)
        self._dispatch()

    def _arm_deadline(self, request: _Request) -> None:
        delay = max(request.deadline - self._loop.time(), 0.0)
        request.timers.append(self._loop.call_later(delay, self._expired, request))

    def _expired(self, request: _Request) -> None:
        if request.future.done():
            return
        request.cancel_timers()
        worker = request.worker
        if worker is not None and worker.request is request:
            worker.request = None
            worker.kill()
            self._forget(worker)
            request.future.set_exception(QueryLimitError(
                f"the query ran longer than the time limit of {self.settings.timeout:g} s and "
                "was stopped", 503))
        else:
            for queue in (self._short, self._long):
                if request in queue:
                    queue.remove(request)
            request.future.set_exception(QueryLimitError(
                "every query worker is busy with long queries; try again shortly", 503))
        self._dispatch()

    async def run(self, job: Job) -> Answer:
        """Run a job; raise a :class:`~pathokg.errors.QueryError` on failure.

        :raises QueryLimitError: 503 past the time limit (running or waiting).
        """
        loop = asyncio.get_running_loop()
        if self._closing:
            raise QueryLimitError("the server is stopping", 503)
        request = _Request(job, loop.create_future(), loop.time() + self.settings.timeout)
        self._arm_deadline(request)
        self._short.append(request)
        self._dispatch()
        try:
            return await request.future
        except asyncio.CancelledError:  # the client went away: the query ends or times out
            request.abandoned = True
            for queue in (self._short, self._long):
                if request in queue:
                    queue.remove(request)
                    request.cancel_timers()
            raise

    # -------------------------------------------------------------------- state
    def health(self) -> dict[str, Any]:
        """Workers by state, and whether the pool is whole."""
        ready = [w for w in self._workers if w.state in ("idle", "busy")]
        busy = sum(1 for w in ready if w.state == "busy")
        starting = sum(1 for w in self._workers if w.state == "starting")
        status = ("ok" if len(ready) >= self.size else "degraded" if ready else "down")
        return {"status": status, "configured": self.size, "ready": len(ready), "busy": busy,
                "spare": max(len(ready) - self.size, 0), "starting": starting,
                "waiting": len(self._short) + len(self._long),
                "long_running": self._running_long(),
                "restarts": max(self.started - self.size - self.settings.spares, 0),
                "last_failure": self.last_failure,
                "network_isolation": self.isolation_problem is None,
                "network_isolation_problem": self.isolation_problem,
                "memory_limit": self.memory_problem is None,
                "store": self.reads, "store_problem": self.copy_problem}

    async def close(self) -> None:
        """Stop every worker; waiting requests get a 503."""
        self._closing = True
        if self._keeper is not None:
            self._keeper.cancel()
        for queue in (self._short, self._long):
            while queue:
                request = queue.popleft()
                request.cancel_timers()
                if not request.future.done():
                    request.future.set_exception(QueryLimitError("the server is stopping", 503))
        for worker in list(self._workers):
            worker.kill()
        for worker in list(self._workers):
            await asyncio.to_thread(worker.process.join, 2.0)
        self._workers.clear()

    def pids(self) -> list[int]:
        """Process ids of the live workers (for measurements and tests)."""
        return [w.pid for w in self._live() if w.pid]


def _error(name: str, status: int, message: str) -> QueryError:
    from .. import errors

    cls = getattr(errors, name, QueryError)
    if not (isinstance(cls, type) and issubclass(cls, QueryError)):
        cls = QueryError
    if cls is QueryLimitError:
        return QueryLimitError(message, status)
    exc = cls(message)
    exc.http_status = status  # type: ignore[attr-defined]
    return exc


