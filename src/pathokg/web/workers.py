"""The query worker process: what it is sent, what it answers, and its main loop.

Oxigraph cannot interrupt a running query (see ``../shared/STACK.md``), so the server runs queries
in worker processes it can kill (:mod:`pathokg.web.pool`). Each worker

* walls itself in first (:mod:`pathokg.web.sandbox`): no network, a memory ceiling, its own
  process group;
* reads the forkserver's one in-memory copy of the store, shared copy-on-write by every worker
  (:mod:`pathokg.web.shared_copy`), when the server made one; else it opens the server's one
  on-disk store read-only (every worker shares it);
* runs each :class:`Job` it is sent on a thread with a large stack, writing the result in the
  negotiated format as it is computed and stopping at the size limit, and sends back the bytes.

Jobs are checked and prepared by the server process (:func:`pathokg.querying.safety.prepare`):
a worker runs the canonical text it is given. Messages are pickles framed by a 4-byte length, over
a socket pair.
"""

from __future__ import annotations

import json
import pickle
import socket
import struct
import sys
import traceback
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import PathoKGError, QueryLimitError
from ..querying.engine import Dataset, Engine, public_message, run_with_deep_stack
from ..querying.formats import graph_format, solution_format
from ..querying.safety import QUERY_STACK_BYTES, PreparedQuery

_HEADER = struct.Struct("!I")


@dataclass(frozen=True)
class Job:
    """One query to run: the prepared (canonical) text and everything it runs with."""

    text: str
    form: str
    #: the query names its own dataset (``FROM``): no default graph is imposed
    names_dataset: bool = False
    #: variable name (without ``?``) -> term the engine binds it to (a named query's parameters)
    substitutions: dict[str, Any] = field(default_factory=dict)
    #: variables left out of the result (the parameters)
    hidden: tuple[str, ...] = ()
    inferred: bool = True
    #: graphs named by the request (``default-graph-uri``, ``named-graph-uri``), or None
    dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    #: the result format's short name (``srj``, ``ttl``, ...)
    format: str = "srj"
    #: largest result, in bytes
    limit: int = 20_000_000
    #: add the label columns of a SELECT (:mod:`pathokg.querying.labels`)
    labels: bool = False


@dataclass(frozen=True)
class Answer:
    """A serialised result."""

    form: str
    media_type: str
    body: bytes


@dataclass(frozen=True)
class WorkerConfig:
    """How a worker starts: the store it opens and the walls it puts up."""

    store: str
    #: private writable memory a worker may use for queries, in bytes (on top of what it uses
    #: when idle and of the query stack's reservation)
    memory: int = 2 * 1024**3
    isolate_network: bool = True
    #: read the forkserver's in-memory copy of the store (if it holds one of this store)
    use_copy: bool = False


#: the environment variable that tells the forkserver which copy to make (a :class:`CopySpec`)
COPY_ENV = "PATHOKG_WORKER_COPY"


@dataclass(frozen=True)
class CopySpec:
    """What the in-memory copy holds: the on-disk store it copies (whose path names it), and the
    files that store was loaded from (``(path, format extension, graph IRI or "" for the default
    graph)``); with no files the copy is read from the store itself (about three times slower)."""

    store: str
    files: tuple[tuple[str, str, str], ...] = ()

    def to_env(self) -> str:
        """
        >>> CopySpec.from_env(CopySpec("/s", (("/r.ttl", "ttl", ""),)).to_env())
        CopySpec(store='/s', files=(('/r.ttl', 'ttl', ''),))
        """
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> CopySpec:
        data = json.loads(text)
        return cls(data["store"], tuple((str(p), str(e), str(g)) for p, e, g in data["files"]))


def load_copy(spec: CopySpec) -> Any:
    """A new in-memory Oxigraph store holding what ``spec`` names."""
    import pyoxigraph as ox

    copy = ox.Store()
    if not spec.files:
        disk = ox.Store.read_only(spec.store)
        copy.bulk_load(disk.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    for path, extension, graph in spec.files:
        copy.bulk_load(path=path, format=ox.RdfFormat.from_extension(extension),
                       to_graph=ox.NamedNode(graph) if graph else ox.DefaultGraph())
    return copy


def shared_copy(store: str) -> tuple[Any, str | None]:
    """(in a worker) The forkserver's in-memory copy of ``store``, or ``None`` and why not.

    Looked up in ``sys.modules``, never imported: importing :mod:`pathokg.web.shared_copy` here
    would make a copy of this worker's own.
    """
    made = sys.modules.get("pathokg.web.shared_copy")
    if made is None:
        return None, "the forkserver made no in-memory copy"
    if made.COPY is None:
        return None, made.PROBLEM or "the forkserver made no in-memory copy"
    if store != made.COPY_OF:
        return None, f"the forkserver's copy is of another store ({made.COPY_OF})"
    return made.COPY, None


def frame(message: object) -> bytes:
    """A message as it goes over the socket: its pickle, after the pickle's length."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            return None
        got += n
    return bytes(buffer)


def read_message(sock: socket.socket) -> Any:
    """The next message on a blocking socket, or ``None`` once the other side has closed it."""
    header = _read_exactly(sock, _HEADER.size)
    if header is None:
        return None
    data = _read_exactly(sock, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def answer(engine: Engine, job: Job) -> Answer:
    """Run a job on the engine (on the calling thread, which must have a deep stack)."""
    import pyoxigraph as ox

    fmt = (graph_format if job.form in ("CONSTRUCT", "DESCRIBE") else solution_format)(job.format)
    if fmt is None:
        raise QueryLimitError(f"format {job.format!r} cannot hold a {job.form} result", 406)
    prepared = PreparedQuery(job.text, job.form, "", job.names_dataset)
    dataset = Dataset(*job.dataset) if job.dataset is not None else None
    substitutions = {ox.Variable(name): term for name, term in job.substitutions.items()}
    body = engine.write(prepared, fmt, job.limit, inferred=job.inferred, dataset=dataset,
                        substitutions=substitutions, hidden=job.hidden, labels=job.labels)
    return Answer(job.form, fmt.media_type, body)


def _serve(sock: socket.socket, engine: Engine) -> None:
    """Answer jobs until the server closes the socket."""
    while True:
        job = read_message(sock)
        if job is None:
            return
        try:
            reply: tuple[Any, ...] = ("ok", answer(engine, job))
        except PathoKGError as exc:
            status = getattr(exc, "http_status", 400)
            detail = str(exc) if getattr(exc, "public", None) else ""
            reply = ("error", type(exc).__name__, status, public_message(exc), detail)  # type: ignore[arg-type]
        except MemoryError:
            reply = ("error", "QueryLimitError", 413, "the query needed more memory than a query "
                     "may use on this server", "")
        except Exception as exc:  # never let one query take the worker down; the server logs it
            reply = ("error", "QueryFailed", 500, f"the query failed ({type(exc).__name__})",
                     traceback.format_exc())
        sock.sendall(frame(reply))


def worker_main(sock: socket.socket, config: WorkerConfig) -> None:
    """The worker process: walls, store, then jobs until the socket closes."""
    from . import sandbox

    sandbox.detach_from_terminal()
    isolation = sandbox.cut_network() if config.isolate_network else "network isolation is off"
    import pyoxigraph as ox

    copy, no_copy = shared_copy(config.store) if config.use_copy else (None, None)
    store = copy
    if store is None:
        try:
            store = ox.Store.read_only(config.store)
        except OSError as exc:
            sock.sendall(frame(("failed", f"the store {config.store} cannot be opened: {exc}")))
            return
    # the copy's pages count as this process's data: the ceiling is on top of them
    memory = sandbox.limit_memory(sandbox.data_in_use() + QUERY_STACK_BYTES + config.memory)
    import os

    reads = "disk" if copy is None else "memory"
    sock.sendall(frame(("ready", os.getpid(), isolation, memory, reads, no_copy)))
    run_with_deep_stack(lambda: _serve(sock, Engine(store)))
