"""(imported by the workers' forkserver only) One in-memory copy of the store, made once before
the forkserver forks any worker, and shared by all of them copy-on-write.

The workers' shared on-disk store is small in memory but slow at full-HPO scale: at 3 million
quads a query does 4-9 times the work it does on Oxigraph's in-memory store
(``scripts/bench_hpo.py``). A copy per worker would cost its memory (about 1 GB at 3 million
quads) and a 10 s load at every start, a worker stopped for running too long included. So the
forkserver, which forks every worker (:mod:`pathokg.web.pool`), loads the copy once: each worker
starts in milliseconds with the copy in its address space, and the pages stay shared while they
are only read (measured: a worker that ran every named query three times had 44 MiB of the copy's
985 MiB as its own).

The pool says what to copy in the environment (:data:`~pathokg.web.workers.COPY_ENV`) before the
forkserver starts, and has the forkserver import this module first (``set_forkserver_preload``):
the import loads. The server process never imports it; a worker finds it in ``sys.modules``
(:func:`pathokg.web.workers.shared_copy`).
"""

from __future__ import annotations

import os

from .workers import COPY_ENV, CopySpec, load_copy

#: the copy, the on-disk store it copies, and why there is none (if the load failed)
COPY = None
COPY_OF: str | None = None
PROBLEM: str | None = None

if os.environ.get(COPY_ENV):
    try:
        _spec = CopySpec.from_env(os.environ[COPY_ENV])
        COPY, COPY_OF = load_copy(_spec), _spec.store
    except (OSError, ValueError, SyntaxError, KeyError, MemoryError) as _exc:
        PROBLEM = f"the in-memory copy could not be made ({type(_exc).__name__}: {_exc})"
