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
from .safety import Window
from .values import Names, StoreNames, resolve_values

#: Whether a query sees the entailed triples when the caller does not say: the same for
#: :func:`query`, :func:`sparql` and :func:`construct_graph` (and the CLI, ``/sparql`` and the REST
#: API), so one question gets one answer however it is asked.
INFERRED_BY_DEFAULT = True

_ENGINES: dict[tuple[str, float], tuple[Engine, Names]] = {}


def _current(out_dir: Path | str | None) -> tuple[Engine, Names]:
    folder = release_folder(out_dir)
    ttl = folder / TURTLE
    key = (str(folder.resolve()), ttl.stat().st_mtime if ttl.is_file() else 0.0)
    if key not in _ENGINES:
        _ENGINES.clear()
        engine = Engine.from_release(folder)
        _ENGINES[key] = (engine, StoreNames(engine.store, f"the release in {folder}"))
    return _ENGINES[key]


def default_engine(out_dir: Path | str | None = None) -> Engine:
    """The engine over the release in ``out_dir`` (default ``dist/``), reused until it changes."""
    return _current(out_dir)[0]


def names_for(endpoint: str | None = None, *, release: Path | str | None = None,
              timeout: float | None = None) -> Names:
    """The names of the concepts and categories the query will run on: the release's, or those
    an endpoint holds."""
    if endpoint:
        from .remote import remote_rows

        return Names(remote_rows(endpoint, timeout=timeout), f"the SPARQL endpoint {endpoint}")
    return _current(release)[1]


def window(limit: int | None = None, offset: int | None = None) -> Window | None:
    """The window of solutions ``limit`` and ``offset`` ask for (``None``: the whole answer).

    >>> window(10, 20)
    Window(limit=10, offset=20)
    >>> window(-1)
    Traceback (most recent call last):
    pathokg.errors.QueryError: limit must be a whole number >= 0, not -1
    """
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise QueryError(f"{name} must be a whole number >= 0, not {value!r}")
    return None if limit is None and not offset else Window(limit, offset or 0)


def sparql(text: str | BoundQuery, *, endpoint: str | None = None,
           inferred: bool = INFERRED_BY_DEFAULT,
           timeout: float | None = None, release: Path | str | None = None,
           labels: bool = False, limit: int | None = None,
           offset: int | None = None) -> QueryResult:
    """Run any SPARQL query on the release (or on a remote SPARQL 1.1 endpoint).

    ``text`` may also be a named query bound to its values (:func:`~pathokg.querying.params.bind_params`).

    :param endpoint: URL of a SPARQL endpoint to send the query to instead of the embedded graph
        (one that holds the release, in its default graph or as ``pathokg publish`` wrote it:
        see :mod:`pathokg.querying.remote`).
    :param inferred: see entailed triples too.
    :param timeout: seconds before giving up (embedded engine: see :meth:`Engine.run`).
    :param release: the release folder (default ``dist/``).
    :param labels: add a label column (``?xLabel``) after each IRI column of a SELECT
        (:mod:`pathokg.querying.labels`).
    :param limit: keep at most this many solutions (applied by the engine: the query's own
        LIMIT is rewritten, so the rest is never computed or sent).
    :param offset: skip this many solutions first (after the query's own OFFSET).
    """
    chosen = window(limit, offset)
    if endpoint:
        from .remote import run_remote  # httpx is imported only for remote queries

        return run_remote(endpoint, text, timeout=timeout, inferred=inferred, labels=labels,
                          window=chosen)
    return default_engine(release).run(text, inferred=inferred, timeout=timeout, labels=labels,
                                       window=chosen)


def query(name: str, *, endpoint: str | None = None, inferred: bool = INFERRED_BY_DEFAULT,
          timeout: float | None = None, release: Path | str | None = None,
          labels: bool = False, limit: int | None = None, offset: int | None = None,
          **params: str) -> QueryResult:
    """Run the named query ``name`` with parameters.

    ``pathokg.query("concept-lookup", text="ckd")`` binds ``?_text`` to ``"ckd"`` (the engine binds
    it; the query text is not edited). A concept parameter takes any name of a concept
    (``pathokg.query("evidence", subject="CKD")``). ``labels``, ``limit`` and ``offset`` are
    those of :func:`sparql`.

    :raises QueryError: an unknown query or parameter, or a value that names nothing of its kind
        (the message lists close matches; see :mod:`pathokg.querying.values`).
    """
    named = get_query(name)
    given = {k: str(v) for k, v in params.items()}
    values = resolve_values(named, given, names_for(endpoint, release=release, timeout=timeout))
    bound = bind_params(named, values)
    return sparql(bound, endpoint=endpoint, inferred=inferred, timeout=timeout, release=release,
                  labels=labels, limit=limit, offset=offset)


def construct_graph(query_text: str | BoundQuery, *, inferred: bool = INFERRED_BY_DEFAULT,
                    release: Path | str | None = None) -> Graph:
    """Run a CONSTRUCT or DESCRIBE query on the release and return the triples as an rdflib Graph.

    Like :func:`sparql`, it sees the entailed triples unless ``inferred=False``.

    :raises QueryError: if the query is not CONSTRUCT/DESCRIBE, or is refused or malformed.
    """
    result = default_engine(release).execute(query_text, inferred=inferred)
    if not result.is_graph:
        raise QueryError(f"construct_graph needs a CONSTRUCT or DESCRIBE query, not {result.form}")
    return result.graph()
