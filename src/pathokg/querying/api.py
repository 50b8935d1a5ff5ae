"""The query functions of the public API: named and ad-hoc queries on the release or a remote endpoint.

>>> import pathokg
>>> result = pathokg.query("concept-lookup", text="kidney")
>>> result.rows[0]["label"]
'chronic kidney disease'
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..errors import QueryError
from ..paths import TURTLE
from .engine import Engine
from .files import get_query
from .params import BoundQuery, bind_params
from .release import release_folder
from .results import QueryResult

_ENGINES: dict[tuple[str, float], Engine] = {}


def default_engine(out_dir: Path | str | None = None) -> Engine:
    """The engine over the release in ``out_dir`` (default ``dist/``), reused until it changes."""
    folder = release_folder(out_dir)
    ttl = folder / TURTLE
    key = (str(folder.resolve()), ttl.stat().st_mtime if ttl.is_file() else 0.0)
    if key not in _ENGINES:
        _ENGINES.clear()
        _ENGINES[key] = Engine.from_release(folder)
    return _ENGINES[key]


def sparql(text: str | BoundQuery, *, endpoint: str | None = None, inferred: bool = True,
           timeout: float | None = None, release: Path | str | None = None) -> QueryResult:
    """Run any SPARQL query on the release (or on a remote SPARQL 1.1 endpoint).

    ``text`` may also be a named query bound to its values (:func:`~pathokg.querying.params.bind_params`).

    :param endpoint: URL of a SPARQL endpoint to send the query to instead of the embedded graph.
    :param inferred: see entailed triples too (embedded engine only).
    :param timeout: seconds before giving up (embedded engine: see :meth:`Engine.run`).
    :param release: the release folder (default ``dist/``).
    """
    if endpoint:
        from .remote import run_remote  # httpx is imported only for remote queries

        return run_remote(endpoint, text, timeout=timeout)
    return default_engine(release).run(text, inferred=inferred, timeout=timeout)


def query(name: str, *, endpoint: str | None = None, inferred: bool = True,
          timeout: float | None = None, release: Path | str | None = None,
          **params: str) -> QueryResult:
    """Run the named query ``name`` with parameters.

    ``pathokg.query("concept-lookup", text="ckd")`` binds ``?_text`` to ``"ckd"`` (the engine binds
    it; the query text is not edited).
    """
    bound = bind_params(get_query(name), {k: str(v) for k, v in params.items()})
    return sparql(bound, endpoint=endpoint, inferred=inferred, timeout=timeout, release=release)


def construct_graph(query_text: str | BoundQuery, *, inferred: bool = False,
                    release: Path | str | None = None) -> Graph:
    """Run a CONSTRUCT or DESCRIBE query on the release and return the triples as an rdflib Graph.

    :raises QueryError: if the query is not CONSTRUCT/DESCRIBE, or is refused or malformed.
    """
    result = default_engine(release).execute(query_text, inferred=inferred)
    if not result.is_graph:
        raise QueryError(f"construct_graph needs a CONSTRUCT or DESCRIBE query, not {result.form}")
    return result.graph()
