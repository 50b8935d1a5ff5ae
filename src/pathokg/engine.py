"""Run SPARQL on the release: the embedded engine behind ``pathokg.query`` and ``pathokg sparql``.

The engine is Oxigraph (pyoxigraph) in memory. The asserted triples of the release are its default
graph; the entailments of :mod:`pathokg.inference` are the named graph
:data:`~pathokg.vocab.INFERRED_GRAPH`. A query sees both by default (``inferred=True``) or the
asserted triples only (``inferred=False``). Every query is checked by :mod:`pathokg.safety` first.

>>> import pathokg
>>> result = pathokg.query("concept-lookup", text="kidney")
>>> result.rows[0]["label"]
'chronic kidney disease'
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from .build import load
from .errors import QueryError, QueryLimitError
from .inference import inferred_triples
from .paths import QUERIES_DIR, default_out_dir
from .queryfiles import QueryFile, bind_params, read_query_dir, read_query_file, with_base
from .release import TURTLE
from .results import QueryResult
from .safety import check_query
from .store import to_oxigraph
from .vocab import INFERRED_GRAPH

_UNION = [ox.DefaultGraph(), ox.NamedNode(str(INFERRED_GRAPH))]
_QUERY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def dataset_store(graph: Graph, *, inference: bool = True) -> ox.Store:
    """An in-memory store with ``graph`` as default graph and its entailments as a named graph."""
    store = to_oxigraph(graph)
    if inference:
        to_oxigraph(inferred_triples(graph), store, named_graph=str(INFERRED_GRAPH))
    return store


@dataclass
class Engine:
    """A store over one release, and the way every query runs on it."""

    store: ox.Store

    @classmethod
    def from_graph(cls, graph: Graph, *, inference: bool = True) -> Engine:
        """An engine over an rdflib graph (its entailments computed here)."""
        return cls(dataset_store(graph, inference=inference))

    @classmethod
    def from_release(cls, out_dir: Path | str | None = None) -> Engine:
        """An engine over the release in ``out_dir`` (default ``dist/``; built if missing)."""
        return cls.from_graph(load(out_dir))

    def execute(self, text: str, *, inferred: bool = True,
                checked_form: str | None = None) -> QueryResult:
        """Check and run a query; return its result.

        :param text: SPARQL; pathokg's relative IRIs resolve against the base.
        :param inferred: include the entailed triples (default) or only the asserted ones.
        :param checked_form: the form :func:`~pathokg.safety.check_query` returned, if known.
        :raises QueryError: refused, malformed or failed.
        """
        form = checked_form or check_query(text)
        default_graph: Any = _UNION if inferred else ox.DefaultGraph()
        try:
            raw = self.store.query(with_base(text), default_graph=default_graph)
            result = QueryResult.from_oxigraph(form, raw)
            del raw  # Oxigraph's result objects must be dropped on the thread that made them
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from None
        return result

    def run(self, text: str, *, inferred: bool = True, timeout: float | None = None) -> QueryResult:
        """Like :meth:`execute`, with an optional time limit in seconds.

        Oxigraph cannot interrupt a running query: past the limit this raises and the query keeps
        its thread until it ends. The CLI exits after such an error; the server runs queries in
        worker processes that it kills instead (:mod:`pathokg.workers`).
        """
        if timeout is None:
            return self.execute(text, inferred=inferred)
        box: dict[str, Any] = {}

        def target() -> None:
            try:
                box["result"] = self.execute(text, inferred=inferred)
            except QueryError as exc:
                box["error"] = exc

        thread = threading.Thread(target=target, daemon=True, name="pathokg-query")
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise QueryLimitError(f"the query ran longer than the time limit of {timeout:g} s", 503)
        if "error" in box:
            raise box["error"]
        return box["result"]


_ENGINES: dict[tuple[str, float], Engine] = {}


def default_engine(out_dir: Path | str | None = None) -> Engine:
    """The engine over the release in ``out_dir`` (default ``dist/``), reused until it changes."""
    folder = Path(out_dir) if out_dir is not None else default_out_dir()
    ttl = folder / TURTLE
    key = (str(folder.resolve()), ttl.stat().st_mtime if ttl.is_file() else 0.0)
    if key not in _ENGINES:
        _ENGINES.clear()
        _ENGINES[key] = Engine.from_release(folder)
    return _ENGINES[key]


def list_queries(folder: Path = QUERIES_DIR) -> list[QueryFile]:
    """The named queries (``queries/*.rq``) with their metadata, sorted by name."""
    return read_query_dir(folder)


def get_query(name: str, folder: Path = QUERIES_DIR) -> QueryFile:
    """The named query ``name``.

    :raises QueryError: naming the queries that exist when there is none of that name.
    """
    path = folder / f"{name}.rq"
    if _QUERY_NAME.match(name) and path.is_file():
        return read_query_file(path)
    names = ", ".join(q.name for q in list_queries(folder))
    raise QueryError(f"no named query {name!r}; the named queries are: {names} "
                     "(see `pathokg queries`)")


def sparql(text: str, *, endpoint: str | None = None, inferred: bool = True,
           timeout: float | None = None, release: Path | str | None = None) -> QueryResult:
    """Run any SPARQL query on the release (or on a remote SPARQL 1.1 endpoint).

    :param endpoint: URL of a SPARQL endpoint to send the query to instead of the embedded graph.
    :param inferred: see entailed triples too (embedded engine only).
    :param timeout: seconds before giving up (embedded engine: see :meth:`Engine.run`).
    :param release: the release folder (default ``dist/``).
    """
    if endpoint:
        from .remote import run_remote

        return run_remote(endpoint, text, timeout=timeout)
    return default_engine(release).run(text, inferred=inferred, timeout=timeout)


def query(name: str, *, endpoint: str | None = None, inferred: bool = True,
          timeout: float | None = None, release: Path | str | None = None,
          **params: str) -> QueryResult:
    """Run the named query ``name`` with parameters.

    ``pathokg.query("concept-lookup", text="ckd")`` replaces ``?_text`` in the query.
    """
    text = bind_params(get_query(name), {k: str(v) for k, v in params.items()})
    return sparql(text, endpoint=endpoint, inferred=inferred, timeout=timeout, release=release)


def construct_graph(query_text: str, *, inferred: bool = False,
                    release: Path | str | None = None) -> Graph:
    """Run a CONSTRUCT or DESCRIBE query on the release and return the triples as an rdflib Graph.

    :raises QueryError: if the query is not CONSTRUCT/DESCRIBE, or is refused or malformed.
    """
    result = default_engine(release).execute(query_text, inferred=inferred)
    if not result.is_graph:
        raise QueryError(f"construct_graph needs a CONSTRUCT or DESCRIBE query, not {result.form}")
    return result.graph()
