"""The embedded query engine: a pyoxigraph store and the way every query runs on it.

The asserted triples of a release are the store's default graph; the entailments the build wrote
(``pathokg-inferred.ttl``) are the named graph :data:`~pathokg.vocab.INFERRED_GRAPH`, the HPO backbone
(``hpo-import.ttl``, ``hpo-annotations.ttl``) the graphs :data:`~pathokg.vocab.HPO_GRAPH` and
:data:`~pathokg.vocab.HPO_ANNOTATIONS_GRAPH`. A query sees them all by default (``inferred=True``)
or the asserted triples only, pathokg's and HPO's (``inferred=False``), unless it
names its own dataset (``FROM``) or the caller gives one (:class:`Dataset`, the protocol's
``default-graph-uri`` and ``named-graph-uri``): graphs are taken from the store, and an IRI that
names none of them is an empty graph.

Every query is checked and prepared by :mod:`pathokg.querying.safety`, and what Oxigraph parses is
the prepared (canonical) text; a named query's parameters are bound by Oxigraph
(``substitutions``), never written into the text. Queries run on a thread with a large stack
(:data:`~pathokg.querying.safety.QUERY_STACK_BYTES`), so that the deepest query the check accepts
cannot overflow it.

>>> engine = Engine.from_release()
>>> engine.execute("ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

import re
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from ..errors import QueryError, QueryFailed, QueryLimitError, QuerySyntaxError
from ..rdf.store import inferred_graph
from ..vocab import BASE, HPO_ANNOTATIONS_GRAPH, HPO_GRAPH
from .files import read_query_file
from .formats import Format, solution_format
from .labels import LABELS_QUERY, LabelIndex, needs_labels, with_labels
from .params import BoundQuery
from .release import release_store
from .results import QueryResult, write_limited
from .rows import select
from .safety import QUERY_STACK_BYTES, PreparedQuery, Window, prepare, with_window

#: The asserted triples: pathokg's (the default graph) and the HPO backbone's named graphs, which
#: are asserted by HPO (empty in a release built with ``--hpo none``).
ASSERTED_GRAPHS = [ox.DefaultGraph(), *(ox.NamedNode(str(g)) for g in (HPO_GRAPH, HPO_ANNOTATIONS_GRAPH))]
ALL_GRAPHS = [*ASSERTED_GRAPHS, inferred_graph()]
_SRJ = solution_format("srj")
#: Engine messages about the query itself (safe to show to whoever sent it); any other message
#: of a failure while the query runs is kept out of answers (see :func:`public_message`).
_CLIENT_ERRORS = re.compile(r"^(The custom function <[^>\s]*> is not supported"
                            r"|The SPARQL query does not contains variable \?\w+ in its SELECT "
                            r"projection)$")
_DEEP = threading.local()
T = TypeVar("T")

#: What :meth:`Engine.execute` takes: a text, a prepared query or a bound named query.
Query = str | PreparedQuery | BoundQuery


@dataclass(frozen=True)
class Dataset:
    """The graphs a request names (SPARQL 1.1 Protocol): default graphs (merged) and named graphs.

    Given, it replaces the query's own ``FROM``/``FROM NAMED``; a graph the store does not hold
    is empty.
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


def _on_deep_stack(fn: Callable[[], T], timeout: float | None = None) -> T:
    """Run ``fn`` on a thread with a :data:`QUERY_STACK_BYTES` stack (or here, if this thread has
    one); past ``timeout`` seconds raise, leaving the thread to end on its own."""
    if getattr(_DEEP, "deep", False):
        return fn()
    box: dict[str, Any] = {}

    def target() -> None:
        _DEEP.deep = True
        try:
            box["result"] = fn()
        except BaseException as exc:  # handed to the caller's thread, without the frames'
            traceback.clear_frames(exc.__traceback__)  # locals: Oxigraph's results must be
            box["error"] = exc  # dropped on the thread that made them

    old = threading.stack_size(QUERY_STACK_BYTES)
    try:
        thread = threading.Thread(target=target, daemon=True, name="pathokg-query")
        thread.start()
    finally:
        threading.stack_size(old)
    thread.join(timeout)
    if thread.is_alive():
        raise QueryLimitError(f"the query ran longer than the time limit of {timeout:g} s", 503)
    if "error" in box:
        raise box["error"]
    return box["result"]


def run_with_deep_stack(fn: Callable[[], T]) -> T:
    """Run ``fn`` (a loop that runs queries, in a worker) on a deep-stack thread and wait for it."""
    return _on_deep_stack(fn)


def public_message(exc: QueryError) -> str:
    """What an answer may say about an error: its message, unless the engine failed while the
    query ran (such a message could carry another host's answer, were a query ever to reach
    one); then only the kind of failure."""
    return getattr(exc, "public", None) or str(exc)


def _resolve(query: Query) -> tuple[PreparedQuery, dict[ox.Variable, Any], tuple[str, ...]]:
    if isinstance(query, BoundQuery):
        return query.prepared, query.substitutions, query.hidden
    if isinstance(query, PreparedQuery):
        return query, {}, ()
    return prepare(query), {}, ()


@dataclass
class Engine:
    """A store over one release, and the way every query runs on it."""

    store: ox.Store
    _labels: LabelIndex | None = field(default=None, init=False, repr=False, compare=False)

    def label_index(self) -> LabelIndex:
        """The labels of the store's IRIs (read once: the store does not change)."""
        if self._labels is None:
            self._labels = LabelIndex(select(self.store, read_query_file(LABELS_QUERY),
                                             default_graph=ASSERTED_GRAPHS))
        return self._labels

    @classmethod
    def from_release(cls, out_dir: Path | str | None = None) -> Engine:
        """An engine over the release in ``out_dir`` (default ``dist/``, or ``$PATHOKG_DIST``).

        :raises ReleaseError: there is no release there.
        """
        return cls(release_store(out_dir))

    def _query(self, prepared: PreparedQuery, substitutions: dict[ox.Variable, Any],
               inferred: bool, dataset: Dataset | None) -> Any:
        options: dict[str, Any] = {"base_iri": BASE}
        if dataset is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default]
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named]
        elif not prepared.names_dataset:
            options["default_graph"] = ALL_GRAPHS if inferred else ASSERTED_GRAPHS
        if substitutions:
            options["substitutions"] = substitutions
        try:
            return self.store.query(prepared.text, **options)
        except SyntaxError as exc:  # pointed into the text the user wrote, when it is known
            if prepared.source:
                raise prepared.syntax_error(str(exc)) from None
            raise QuerySyntaxError(str(exc)) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise _failure(exc) from None

    def execute(self, query: Query, *, inferred: bool = True, dataset: Dataset | None = None,
                labels: bool = False, window: Window | None = None) -> QueryResult:
        """Check and run a query; return its result.

        :param query: SPARQL text (pathokg's relative IRIs resolve against the base), a prepared
            query, or a named query with its parameters bound (:func:`~pathokg.querying.params.bind_params`).
        :param inferred: include the entailed triples (default) or only the asserted ones.
        :param dataset: the graphs to query instead of the default dataset.
        :param labels: add a label column beside each IRI column of a SELECT
            (:mod:`pathokg.querying.labels`).
        :param window: keep only these solutions (the query's LIMIT and OFFSET, rewritten).
        :raises QueryError: refused, malformed or failed.
        """
        prepared, substitutions, hidden = _resolve(query)
        prepared = with_window(prepared, window)

        def work() -> QueryResult:
            raw = self._query(prepared, substitutions, inferred, dataset)
            try:
                return QueryResult.from_oxigraph(prepared.form, raw, hidden)
            except (OSError, ValueError, RuntimeError) as exc:
                raise _failure(exc) from None

        result = _on_deep_stack(work)
        return with_labels(result, self.label_index()) if labels and needs_labels(result) else result

    def run(self, query: Query, *, inferred: bool = True, timeout: float | None = None,
            labels: bool = False, window: Window | None = None) -> QueryResult:
        """Like :meth:`execute`, with an optional time limit in seconds.

        Oxigraph cannot interrupt a running query: past the limit this raises and the query keeps
        its thread until it ends. The CLI exits after such an error; the server runs queries in
        worker processes that it kills instead (:mod:`pathokg.web.workers`).
        """
        def go() -> QueryResult:
            return self.execute(query, inferred=inferred, labels=labels, window=window)

        return go() if timeout is None else _on_deep_stack(go, timeout)

    def write(self, query: Query, fmt: Format, limit: int, *, inferred: bool = True,
              dataset: Dataset | None = None, substitutions: dict[ox.Variable, Any] | None = None,
              hidden: tuple[str, ...] = (), labels: bool = False) -> bytes:
        """Run a query and write its result in ``fmt`` as it is computed, up to ``limit`` bytes.

        ``substitutions`` and ``hidden`` go with a prepared query (a bound named query has its own);
        ``labels`` adds the label columns of a SELECT (:meth:`execute`).

        :raises QueryLimitError: (413) the result is larger than ``limit``.
        """
        prepared, bound, own_hidden = _resolve(query)
        substitutions = substitutions or bound
        hidden = hidden or own_hidden
        labels = labels and prepared.form == "SELECT"
        if labels:
            self.label_index()  # read before the query's own time is counted

        def work() -> bytes:
            raw = self._query(prepared, substitutions, inferred, dataset)
            try:
                if not labels:
                    return write_limited(prepared.form, raw, fmt, limit, hidden)
                srj = write_limited(prepared.form, raw, _SRJ, limit, hidden)
                body = with_labels(QueryResult(prepared.form, srj=srj), self.label_index()).serialize(fmt)
            except (OSError, ValueError, RuntimeError) as exc:
                raise _failure(exc) from None
            if len(body) > limit:
                raise QueryLimitError(f"the result is larger than the limit of {limit:,} bytes "
                                      "(add a LIMIT, or select fewer variables)", 413)
            return body

        return _on_deep_stack(work)


def _failure(exc: Exception) -> QueryError:
    """The error for a failure while a query runs (see :func:`public_message`)."""
    message = str(exc)
    if _CLIENT_ERRORS.match(message):
        return QueryError(message)
    error = QueryFailed(f"the query failed while it ran: {message}")
    error.public = f"the query failed while it ran ({type(exc).__name__})"  # type: ignore[attr-defined]
    return error
