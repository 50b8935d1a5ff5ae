"""Read a release folder: the asserted graph and its precomputed entailments, never a build.

A release is what ``pathokg build`` writes (:mod:`pathokg.release`). Reading one is a low-level
operation: a missing or damaged release is a :class:`~pathokg.errors.ReleaseError` that says which
command makes one, and nothing here ever builds.

>>> import pathokg
>>> graph = pathokg.load()           # the release in dist/ (or $PATHOKG_DIST) as an rdflib Graph
>>> len(graph) > 1000
True
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import ReleaseError
from ..paths import INFERRED, TURTLE, default_out_dir
from ..rdf.store import inferred_graph


def release_folder(folder: Path | str | None = None) -> Path:
    """The release folder to read (default ``dist/``, or ``$PATHOKG_DIST``), checked to hold a release.

    :raises ReleaseError: the folder holds no release (the message names the command that makes one).
    """
    default = folder is None
    out = default_out_dir() if default else Path(folder)
    missing = [name for name in (TURTLE, INFERRED) if not (out / name).is_file()]
    if missing:
        command = "pathokg build" if default else f"pathokg build --out {out}"
        what = "no pathokg release" if len(missing) == 2 else f"an incomplete release (no {missing[0]})"
        raise ReleaseError(f"{out} holds {what}; run `{command}` first")
    return out


def _parse_into(store: ox.Store, path: Path, graph: ox.NamedNode | ox.DefaultGraph) -> None:
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
    except (SyntaxError, ValueError, OSError) as exc:
        raise ReleaseError(f"{path} cannot be read ({exc}); rebuild the release with "
                           "`pathokg build`") from None


def release_store(folder: Path | str | None = None) -> ox.Store:
    """The release in an in-memory store: asserted triples as the default graph, the precomputed
    entailments (``pathokg-inferred.ttl``) in the inferred graph.

    :raises ReleaseError: no release there, or a file that does not parse.
    """
    out = release_folder(folder)
    store = ox.Store()
    _parse_into(store, out / TURTLE, ox.DefaultGraph())
    _parse_into(store, out / INFERRED, inferred_graph())
    return store


def load(folder: Path | str | None = None) -> Graph:
    """The release's asserted graph (ontology and knowledge) as an rdflib Graph.

    :param folder: the release folder (default ``dist/``, or ``$PATHOKG_DIST``).
    :raises ReleaseError: no release there, or a file that does not parse.
    """
    path = release_folder(folder) / TURTLE
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise ReleaseError(f"{path} cannot be read ({exc}); rebuild the release with "
                           "`pathokg build`") from None
