"""What the routes share: the settings, the worker pool, the checked-query cache, and turning
queries into jobs and answers and errors into responses."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.responses import PlainTextResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import PathoKGError, QueryError, QueryLimitError, QuerySyntaxError, RequestError
from ..querying.engine import Dataset
from ..querying.files import QueryFile, get_query, read_query_file
from ..querying.formats import Format, graph_format, negotiate, solution_format
from ..querying.params import BoundQuery, bind_params
from ..querying.results import QueryResult
from ..querying.safety import MAX_QUERY_CHARS, PreparedQuery, prepare
from ..querying.values import NAMES_QUERIES, Names
from .pool import WorkerPool
from .store import StoreInfo
from .workers import Answer, Job

log = logging.getLogger("pathokg.server")

#: The server's page templates (``pathokg/web/templates``).
TEMPLATES = Environment(loader=PackageLoader("pathokg.web", "templates"),
                        autoescape=select_autoescape(["html"]))
#: Responses negotiated on ``Accept`` say so, for caches.
VARY = {"Vary": "Accept"}


@dataclass
class ServerSettings:
    """How to serve: what (a release, an N-Quads dataset, or a store loaded beforehand), with how
    many workers, under which limits, and under which public address."""

    release: Path | None = None
    dataset: Path | None = None
    store: Path | None = None
    workers: int = 2
    timeout: float = 10.0
    #: the server's public address; the service description names ``{base_url}/sparql``
    base_url: str = "http://127.0.0.1:8000"
    #: origins allowed to read answers from a browser (CORS, never with credentials); () for none
    cors_origins: tuple[str, ...] = ("*",)
    max_result_bytes: int = 20_000_000
    max_body_bytes: int = 4 * MAX_QUERY_CHARS
    #: memory a query may use in a worker, in MiB
    worker_memory_mb: int = 2048
    isolate_network: bool = True
    #: seconds a query counts as short (see :mod:`pathokg.web.pool`)
    short_budget: float = 0.25
    #: seconds a client has to send a request's body
    body_timeout: float = 30.0
    #: bytes of answers kept for repeated requests (the data never changes while the server
    #: runs); 0 turns the cache off
    result_cache_bytes: int = 64 * 2**20
    #: what the workers read: ``memory`` (one in-memory copy they share copy-on-write: fastest),
    #: ``disk`` (the on-disk store: least memory) or ``auto`` (memory when the copy fits; see
    #: :func:`pathokg.web.store.copy_spec`)
    worker_store: str = "auto"


class BoundedCache:
    """An LRU cache bounded in bytes (of the keys and values it holds, roughly).

    >>> cache = BoundedCache(max_bytes=10, max_entry=6)
    >>> cache.put("abc", "x", 6); cache.put("defg", "y", 5); cache.get("abc") is None
    True
    """

    def __init__(self, max_bytes: int, max_entry: int):
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self.size = 0
        self._items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()

    def get(self, key: Any) -> Any:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: Any, value: Any, size: int) -> None:
        if size > self.max_entry or size > self.max_bytes or key in self._items:
            return
        self._items[key] = (value, size)
        self.size += size
        while self.size > self.max_bytes:
            _, (_, gone) = self._items.popitem(last=False)
            self.size -= gone

    def __len__(self) -> int:
        return len(self._items)


_TRUE = {"", "true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def flag(fields: list[tuple[str, str]], name: str, default: bool) -> bool:
    """A yes/no request parameter (``true``/``false``, ``1``/``0``, ...; absent: ``default``).

    >>> flag([("labels", "TRUE")], "labels", False), flag([], "labels", False)
    (True, False)

    :raises RequestError: (400) given twice, or neither yes nor no.
    """
    values = [v.strip().lower() for k, v in fields if k == name]
    if len(values) > 1:
        raise RequestError(f"give the {name} parameter once", 400)
    if not values:
        return default
    if values[0] in _TRUE:
        return True
    if values[0] in _FALSE:
        return False
    raise RequestError(f"{name}={values[0]!r}: use true or false", 400)


def error_response(exc: PathoKGError) -> Response:
    """A plain-text answer with the status the error's type maps to."""
    headers = {"Connection": "close"} if exc.http_status in (408, 413, 415) else None
    return PlainTextResponse(f"{exc}\n", status_code=exc.http_status, headers=headers)


def answer_response(answer: Answer, headers: dict[str, str] | None = None) -> Response:
    """A serialised result, with a charset for text media types."""
    media = answer.media_type
    if media.startswith("text/") or media.endswith("+xml"):
        media += "; charset=utf-8"
    return Response(answer.body, media_type=media, headers=headers or VARY)


class App:
    """The state behind the routes."""

    def __init__(self, settings: ServerSettings):
        self.settings = settings
        self.pool: WorkerPool | None = None
        self.store: StoreInfo | None = None
        #: texts already checked, and their canonical form (64 MB at most; no entry over 256 KB)
        self.prepared = BoundedCache(max_bytes=64 * 2**20, max_entry=256 * 2**10)
        #: answers of requests already answered (no entry over 1 MB)
        self.answers = BoundedCache(max_bytes=settings.result_cache_bytes, max_entry=2**20)
        self.answer_hits = 0
        self._negotiated: dict[tuple[str | None, str | None, bool], Format | None] = {}
        self._queries: dict[Path, tuple[float, QueryFile]] = {}
        #: the handlers of the busiest routes, which :class:`pathokg.web.app.FastPath` calls
        #: without FastAPI's routing: ``/sparql`` and ``/api/queries/`` (its name follows)
        self.fast_routes: dict[str, Any] = {}
        #: the rows of the names queries (concepts, categories), read once from the workers
        self._names_rows: dict[Path, list[dict[str, str | None]]] = {}

    def prepare(self, text: str) -> PreparedQuery:
        """Check a query (or take the check of the same text from the cache).

        :raises QueryError: refused, malformed or too large.
        """
        prepared = self.prepared.get(text)
        if prepared is None:
            prepared = prepare(text)
            self.prepared.put(text, prepared, 2 * (len(text) + len(prepared.text)) + 200)
        return prepared

    def query_file(self, path: Path) -> QueryFile:
        """A query file, read again only when it changes."""
        mtime = path.stat().st_mtime
        known = self._queries.get(path)
        if known is None or known[0] != mtime:
            known = self._queries[path] = (mtime, read_query_file(path))
        return known[1]

    def named_query(self, name: str) -> QueryFile:
        """A named query by name (:func:`~pathokg.querying.files.get_query`), cached.

        :raises QueryNotFound: naming the queries that exist.
        """
        from ..paths import QUERIES_DIR

        path = QUERIES_DIR / f"{name}.rq"
        if path.parent == QUERIES_DIR and path.is_file() and name.replace("-", "").replace("_", "").isalnum():
            return self.query_file(path)
        return get_query(name)

    def format_for(self, is_graph: bool, accept: str | None, name: str | None) -> Format:
        """The result format: the ``format`` parameter's, or the one ``Accept`` prefers.

        :raises QueryLimitError: 406 when nothing accepted fits; 400 for an unknown ``format``.
        """
        key = (accept, name, is_graph)
        if key in self._negotiated:
            fmt = self._negotiated[key]
        else:
            if name:
                fmt = graph_format(name) if is_graph else solution_format(name)
            else:
                fmt = negotiate(accept, graph=is_graph)
            if len(self._negotiated) < 1024:
                self._negotiated[key] = fmt
        if fmt is not None:
            return fmt
        if name:
            kinds = "ttl, nt, jsonld, rdfxml" if is_graph else "srj, srx, csv, tsv"
            raise QueryLimitError(f"format {name!r} does not fit this query's result ({kinds})", 400)
        kinds = ("an RDF graph (text/turtle, application/n-triples, application/ld+json, "
                 "application/rdf+xml)" if is_graph else "SPARQL results (application/sparql-"
                 "results+json or +xml, text/csv, text/tab-separated-values)")
        raise QueryLimitError(f"none of the accepted media types ({accept}) can hold this "
                              f"query's result, which is {kinds}", 406)

    async def run(self, job: Job) -> Answer:
        """Run a job on the pool."""
        if self.pool is None:
            raise QueryError("the server is starting; try again in a moment")
        return await self.pool.run(job)

    def job(self, query: PreparedQuery | BoundQuery, fmt: Format, *, inferred: bool = True,
            dataset: Dataset | None = None, labels: bool = False) -> Job:
        """The job that runs a checked query (or a bound named query) in ``fmt``."""
        if isinstance(query, BoundQuery):
            prepared = query.prepared
            substitutions: dict[str, Any] = {f"_{k}": v for k, v in query.values.items()}
            hidden = query.hidden
        else:
            prepared, substitutions, hidden = query, {}, ()
        return Job(prepared.text, prepared.form, prepared.names_dataset, substitutions, hidden,
                   inferred, (dataset.default, dataset.named) if dataset is not None else None,
                   fmt.name, self.settings.max_result_bytes, labels)

    async def respond(self, query: PreparedQuery | BoundQuery, accept: str | None, *,
                      fmt: str | None = None, inferred: bool = True,
                      dataset: Dataset | None = None, labels: bool = False) -> Response:
        """Run a query and answer in the negotiated format, or with the error's status
        (``labels``: with the label columns of a SELECT)."""
        prepared = query.prepared if isinstance(query, BoundQuery) else query
        try:
            chosen = self.format_for(prepared.is_graph, accept, fmt)
            job = self.job(query, chosen, inferred=inferred, dataset=dataset, labels=labels)
            key = (job.text, tuple(job.substitutions.items()), job.inferred, job.dataset, job.format,
                   job.labels)
            answer = self.answers.get(key)  # type: ignore[arg-type]
            if answer is None:
                answer = await self.run(job)
                self.answers.put(key, answer, len(answer.body) + len(job.text) + 200)  # type: ignore[arg-type]
            else:
                self.answer_hits += 1
        except QueryError as exc:
            if isinstance(exc, QuerySyntaxError) and str(exc).startswith("error at "):
                exc = prepared.syntax_error(str(exc))  # the engine's position, in the user's text
            return error_response(exc)
        return answer_response(answer)

    async def rows(self, query_file: Path, concept_iri: str) -> list[dict[str, Any]]:
        """Rows of an internal query about a concept, as dicts of lexical values."""
        bound = bind_params(self.query_file(query_file), {"concept": f"<{concept_iri}>"})
        fmt = solution_format("srj")
        assert fmt is not None
        answer = await self.run(self.job(bound, fmt))
        return QueryResult(answer.form, srj=answer.body).rows

    async def names(self, *kinds: str) -> Names:
        """The names of the served graph's concepts or categories (the resolver of
        :mod:`pathokg.querying.values`), read from the workers once per kind."""
        for kind in kinds:
            path = NAMES_QUERIES[kind]
            if path not in self._names_rows:
                self._names_rows[path] = await self.lexical_rows(path)
        return Names(lambda q: self._names_rows[q.path], "the server's graph")

    async def lexical_rows(self, query_file: Path) -> list[dict[str, str | None]]:
        """The rows of a query file without parameters (over the asserted triples), as texts."""
        fmt = solution_format("srj")
        assert fmt is not None
        answer = await self.run(self.job(self.prepare(self.query_file(query_file).text), fmt,
                                         inferred=False))
        return QueryResult(answer.form, srj=answer.body).lexical_rows
