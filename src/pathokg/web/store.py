"""The server's one on-disk store, which every query worker opens read-only.

:func:`build_store` loads a release (asserted triples as the default graph, the entailments the
build wrote in the inferred graph) or an N-Quads dataset into an Oxigraph store on disk, in a
short-lived process of its own: the server process never holds a parse of the graph, and the
workers share the store's files instead of each holding a copy in memory. :func:`describe_store`
counts what an existing store holds (``pathokg serve --store DIR`` reuses a store loaded
beforehand, so that a large graph is loaded once).
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReleaseError
from ..vocab import INFERRED_GRAPH

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
