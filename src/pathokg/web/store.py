"""The server's one on-disk store, which every query worker opens read-only.

:func:`build_store` loads a release (asserted triples as the default graph, the entailments the
build wrote in the inferred graph) or an N-Quads dataset into an Oxigraph store on disk, in a
short-lived process of its own: the server process never holds a parse of the graph, and the
workers share the store's files instead of each holding a copy in memory. :func:`describe_store`
counts what an existing store holds (``pathokg serve --store DIR`` reuses a store loaded
beforehand, so that a large graph is loaded once). :func:`copy_spec` decides whether the workers
also share an in-memory copy of it (:mod:`pathokg.web.shared_copy`), and of what.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArgumentError, ReleaseError
from ..vocab import INFERRED_GRAPH
from .sandbox import proc_kib
from .workers import CopySpec

_INFERRED = f"<{INFERRED_GRAPH}>"


@dataclass(frozen=True)
class StoreInfo:
    """Where the store is and what it holds (for ``/health`` and the service description)."""

    path: Path
    #: quads in the store
    quads: int
    #: triples of the asserted graphs (pathokg's default graph and the HPO backbone's)
    asserted: int
    #: triples of the inferred graph
    inferred: int
    #: distinct triples of the default dataset with inference (asserted and inferred graphs)
    union: int
    #: the store's named graphs
    graphs: tuple[str, ...]


def _count(store: object, pattern: str) -> int:
    from ..querying.engine import ASSERTED_GRAPHS

    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}",  # type: ignore[attr-defined]
                            default_graph=ASSERTED_GRAPHS))
    return int(rows[0]["n"].value)


def _describe(path: str) -> StoreInfo:
    import pyoxigraph as ox

    store = ox.Store.read_only(path)
    asserted = _count(store, "?s ?p ?o")
    inferred = _count(store, f"GRAPH {_INFERRED} {{ ?s ?p ?o }}")
    both = _count(store, f"GRAPH {_INFERRED} {{ ?s ?p ?o }} ?s ?p ?o") if inferred else 0
    graphs = tuple(sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)))
    return StoreInfo(Path(path), len(store), asserted, inferred, asserted + inferred - both, graphs)


def _load(path: str, release: str | None, dataset: str | None) -> StoreInfo:
    """(in the loader process) Fill a new store at ``path`` and describe it."""
    import pyoxigraph as ox

    from ..querying.release import release_graph_files

    store = ox.Store(path)
    try:
        if dataset is not None:
            store.bulk_load(path=dataset, format=ox.RdfFormat.N_QUADS)
        else:
            assert release is not None
            for file, graph in release_graph_files(Path(release)):
                store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE, to_graph=graph)
        store.flush()
    except (SyntaxError, ValueError, OSError) as exc:
        raise ReleaseError(f"the graph cannot be loaded ({exc}); rebuild the release with "
                           "`pathokg build`") from None
    del store
    return _describe(path)


def _in_process(function, *args: object) -> StoreInfo:  # type: ignore[no-untyped-def]
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def build_store(folder: Path, *, release: Path | None = None,
                dataset: Path | None = None) -> StoreInfo:
    """Load a release folder, or an N-Quads ``dataset``, into a new store in ``folder``.

    :raises ReleaseError: the release (or dataset) cannot be read.
    """
    from ..querying.release import release_folder

    source = None if dataset is not None else str(release_folder(release))
    if dataset is not None and not Path(dataset).is_file():
        raise ReleaseError(f"{dataset} is not a file (an N-Quads dataset was expected)")
    folder.mkdir(parents=True, exist_ok=True)
    return _in_process(_load, str(folder), source, str(dataset) if dataset else None)


def describe_store(folder: Path) -> StoreInfo:
    """What an existing on-disk Oxigraph store holds.

    :raises ReleaseError: no store can be opened there.
    """
    if not (Path(folder) / "CURRENT").is_file():
        raise ReleaseError(f"{folder} holds no Oxigraph store (load one with `oxigraph load` or "
                           "let `pathokg serve` load the release)")
    try:
        return _in_process(_describe, str(folder))
    except OSError as exc:
        raise ReleaseError(f"the store {folder} cannot be opened: {exc}") from None


#: bytes of memory an in-memory Oxigraph store takes per quad (measured: 985 MiB for the 3,018,304
#: quads of a full-HPO release, pyoxigraph 0.5)
COPY_BYTES_PER_QUAD = 350
#: ``--worker-store auto`` makes the copy when it takes at most this share of the available memory
COPY_SHARE = 0.25
WORKER_STORES = ("auto", "memory", "disk")


def available_memory() -> int:
    """The memory available for new work now (``MemAvailable``), in bytes; 0 if unknown."""
    return proc_kib("/proc/meminfo", "MemAvailable:") * 1024


def copy_spec(info: StoreInfo, mode: str, *, release: Path | None = None,
              dataset: Path | None = None, store_given: bool = False,
              available: int | None = None) -> CopySpec | None:
    """The in-memory copy the workers share, or ``None`` (they read the on-disk store).

    ``mode`` is ``memory``, ``disk`` or ``auto``: a copy when it takes at most
    :data:`COPY_SHARE` of the available memory. The copy is loaded from the files the store was
    loaded from (the release's, or the N-Quads ``dataset``), or from the store itself when it was
    given (``store_given``: ``pathokg serve --store DIR``).

    >>> info = StoreInfo(Path("/s"), 3_000_000, 0, 0, 0, ())
    >>> copy_spec(info, "auto", dataset=Path("/d.nq"), available=2 * 1024**3) is None  # 1 of 2 GB
    True
    >>> copy_spec(info, "auto", dataset=Path("/d.nq"), available=16 * 1024**3)
    CopySpec(store='/s', files=(('/d.nq', 'nq', ''),))

    :raises ArgumentError: an unknown ``mode``.
    """
    import pyoxigraph as ox

    from ..querying.release import release_folder, release_graph_files

    if mode not in WORKER_STORES:
        raise ArgumentError(f"--worker-store {mode!r}: choose one of {', '.join(WORKER_STORES)}")
    if mode == "disk":
        return None
    if mode == "auto":
        free = available_memory() if available is None else available
        if info.quads * COPY_BYTES_PER_QUAD > COPY_SHARE * free:
            return None
    if store_given:
        return CopySpec(str(info.path))
    if dataset is not None:
        return CopySpec(str(info.path), ((str(dataset), "nq", ""),))
    return CopySpec(str(info.path), tuple(
        (str(file), "ttl", graph.value if isinstance(graph, ox.NamedNode) else "")
        for file, graph in release_graph_files(release_folder(release))))
