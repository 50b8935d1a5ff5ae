"""The pathokg server: SPARQL 1.1 Protocol endpoint, query page, REST API, concept pages, health.

``create_app(settings)`` is the app factory; ``pathokg serve`` runs it with uvicorn. Every query,
from any route, goes through a :class:`~pathokg.workers.WorkerPool` (checked, time-limited,
size-limited). The concept map's router (:mod:`pathokg.conceptmap_routes`) is mounted at ``/``.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from .build import load
from .engine import dataset_store, get_query, list_queries
from .errors import PathoKGError, QueryError, QueryLimitError
from .formats import graph_format, negotiate, solution_format
from .paths import QUERIES_DIR
from .queryfiles import QueryFile, bind_params
from .safety import MAX_QUERY_CHARS, check_query
from .vocab import INFERRED_GRAPH, PK, concept, curie_for
from .workers import Answer, Job, WorkerPool

_PACKAGE = Path(__file__).resolve().parent
_TEMPLATES = Environment(loader=FileSystemLoader(_PACKAGE / "templates"),
                         autoescape=select_autoescape(["html"]))
_INTERNAL = QUERIES_DIR / "internal"
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: How many checked query texts the server remembers.
CHECKED_TEXTS = 4096
#: Largest request body accepted on /sparql, in bytes.
MAX_BODY_BYTES = 4 * MAX_QUERY_CHARS


@dataclass
class ServerSettings:
    """How to serve: which release (or a prepared N-Quads dataset), workers and limits."""

    release: Path | None = None
    dataset: Path | None = None
    workers: int = 2
    timeout: float = 10.0


def _prepare_dataset(settings: ServerSettings, folder: Path) -> Path:
    """The N-Quads file the workers load: the release plus its inferred named graph."""
    if settings.dataset is not None:
        return settings.dataset
    path = folder / "dataset.nq"
    dataset_store(load(settings.release)).dump(path, format=ox.RdfFormat.N_QUADS)
    return path


def _error_response(exc: PathoKGError) -> Response:
    status = getattr(exc, "http_status", 400)
    return PlainTextResponse(f"{exc}\n", status_code=status)


def _answer_response(answer: Answer) -> Response:
    media = answer.media_type
    if media.startswith("text/") or media.endswith("+xml"):
        media += "; charset=utf-8"
    return Response(answer.body, media_type=media)


class App:
    """The state behind the routes: the worker pool and the settings."""

    def __init__(self, settings: ServerSettings):
        self.settings = settings
        self.pool: WorkerPool | None = None
        self._template_forms: dict[str, str] = {}
        #: query text -> form, for texts a worker has checked and answered (bounded LRU): the
        #: other workers then skip rdflib's parse of the same text (10 to 40 ms a query)
        self._checked: OrderedDict[str, str] = OrderedDict()

    def template_form(self, query: QueryFile) -> str:
        """The form of a named query, checked once with its parameters unbound.

        A named query's text is the project's own; a request only binds its parameters, as IRIs
        or escaped literals (:func:`~pathokg.queryfiles.param_term`) that cannot change the
        query's structure. So the check of the template holds for every binding, and the worker
        need not parse each bound text again (rdflib's parser takes 10 to 40 ms a query).

        :raises QueryError: if the template itself is refused or malformed.
        """
        form = self._template_forms.get(query.name)
        if form is None:
            form = self._template_forms[query.name] = check_query(query.text_with_base())
        return form

    async def run(self, job: Job) -> Answer:
        if self.pool is None:
            raise QueryError("the server is starting; try again in a moment")
        return await self.pool.run(job)

    async def run_negotiated(self, text: str, accept: str | None, *, inferred: bool = True,
                             fmt: str | None = None, checked_form: str | None = None) -> Response:
        """Run a query and answer in the format asked for (``fmt``) or negotiated (``accept``).

        ``checked_form``: the form of a named query's template (:meth:`template_form`).
        """
        if fmt:
            sol, graph = solution_format(fmt), graph_format(fmt)
            if sol is None and graph is None:
                return PlainTextResponse(f"unknown format {fmt!r}\n", status_code=400)
        else:
            sol, graph = negotiate(accept, graph=False), negotiate(accept, graph=True)
            if sol is None and graph is None:
                return PlainTextResponse(
                    f"none of the accepted media types ({accept}) can be produced\n", 406)
        known = checked_form or self._checked.get(text)
        job = Job(text, inferred, sol.name if sol else None, graph.name if graph else None, known)
        try:
            answer = await self.run(job)
        except PathoKGError as exc:
            return _error_response(exc)
        if known is None:
            self._checked[text] = answer.form
            if len(self._checked) > CHECKED_TEXTS:
                self._checked.popitem(last=False)
        elif text in self._checked:
            self._checked.move_to_end(text)
        return _answer_response(answer)

    async def rows(self, query_file: Path, concept_iri: str) -> list[dict[str, Any]]:
        """Rows of an internal query about a concept, as dicts of lexical values."""
        from .queryfiles import read_query_file

        text = bind_params(read_query_file(query_file), {"concept": f"<{concept_iri}>"})
        answer = await self.run(Job(text, True, "srj", None))
        data = json.loads(answer.body)
        names = data["head"]["vars"]
        return [{v: b[v]["value"] if v in b else None for v in names}
                for b in data["results"]["bindings"]]


def _sparql_router(state: App) -> APIRouter:
    router = APIRouter()

    async def handle(request: Request, query: str | None, update: bool) -> Response:
        if update:
            return PlainTextResponse("updates are refused: this endpoint is read-only\n", 403)
        params = request.query_params
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return PlainTextResponse("default-graph-uri and named-graph-uri are not supported: "
                                     "queries run on the served dataset\n", 400)
        if query is None:
            return await service_description(request)
        if len(query) > MAX_QUERY_CHARS:
            return PlainTextResponse(f"the query is longer than {MAX_QUERY_CHARS} characters\n",
                                     413)
        inferred = params.get("inference", "true").lower() not in {"false", "0", "no"}
        return await state.run_negotiated(query, request.headers.get("accept"), inferred=inferred)

    async def service_description(request: Request) -> Response:
        endpoint = str(request.url).split("?")[0]
        triples = state.pool.triples if state.pool else 0
        text = _TEMPLATES.get_template("service-description.ttl").render(
            endpoint=endpoint, triples=triples, inferred_graph=str(INFERRED_GRAPH))
        fmt = negotiate(request.headers.get("accept"), graph=True) or graph_format("ttl")
        assert fmt is not None
        body = text.encode()
        if fmt.name != "ttl":
            body = ox.serialize(ox.parse(body, format=ox.RdfFormat.TURTLE), format=fmt.ox_format)
        return _answer_response(Answer("DESCRIBE", fmt.media_type, body))

    @router.get("/sparql", summary="SPARQL 1.1 Protocol: query by GET (no query: service description)")
    async def sparql_get(request: Request) -> Response:
        return await handle(request, request.query_params.get("query"),
                            "update" in request.query_params)

    @router.post("/sparql", summary="SPARQL 1.1 Protocol: query by POST (form or direct)")
    async def sparql_post(request: Request) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:
            return PlainTextResponse(f"the request body is larger than {MAX_BODY_BYTES} bytes\n",
                                     413)
        if media == "application/sparql-update":
            return await handle(request, None, True)
        if media == "application/sparql-query":
            body = await request.body()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return PlainTextResponse("the query is not UTF-8\n", 400)
            return await handle(request, text, False)
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qs((await request.body()).decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                return PlainTextResponse("the form is not UTF-8\n", 400)
            if "update" in form:
                return await handle(request, None, True)
            query = form.get("query", [None])[0]
            if not isinstance(query, str):
                return PlainTextResponse("a form POST needs a 'query' field\n", 400)
            return await handle(request, query, False)
        return PlainTextResponse(
            "POST needs Content-Type application/sparql-query or "
            "application/x-www-form-urlencoded\n", 415)

    return router


def _api_router(state: App) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["named queries"])

    @router.get("/queries", summary="The named queries with their parameters")
    def queries() -> list[dict[str, Any]]:
        return [{"name": q.name, "summary": q.summary, "description": q.description,
                 "tags": list(q.tags),
                 "parameters": [{"name": p.name, "default": p.default,
                                 "description": p.description} for p in q.params],
                 "url": f"/api/queries/{q.name}"} for q in list_queries()]

    @router.get("/queries/{name}", summary="Run a named query",
                description="Query parameters of the URL fill the query's parameters (defaults "
                            "otherwise); `format` (srj, srx, csv, tsv, ttl, nt, jsonld) or the "
                            "Accept header chooses the result format; `inferred=false` leaves "
                            "out inferred triples.")
    async def run_query(name: str, request: Request) -> Response:
        params = {k: v for k, v in request.query_params.items() if k not in {"format", "inferred"}}
        try:
            query = get_query(name)
            text = bind_params(query, params)
            form = state.template_form(query)
        except QueryError as exc:
            status = 404 if "no named query" in str(exc) else 400
            return PlainTextResponse(f"{exc}\n", status)
        if len(text) > MAX_QUERY_CHARS:
            return PlainTextResponse(f"the query is longer than {MAX_QUERY_CHARS} characters\n",
                                     413)
        inferred = request.query_params.get("inferred", "true").lower() not in {"false", "0"}
        return await state.run_negotiated(text, request.headers.get("accept"), inferred=inferred,
                                          fmt=request.query_params.get("format"),
                                          checked_form=form)

    return router


def _concept_router(state: App) -> APIRouter:
    router = APIRouter(tags=["concepts"])

    @router.get("/concept/{slug}", summary="A concept: HTML for people, RDF for tools")
    async def concept_page(slug: str, request: Request) -> Response:
        if not _SLUG.match(slug):
            return PlainTextResponse("not a concept id\n", 404)
        iri = str(concept(slug))
        try:
            summary = await state.rows(_INTERNAL / "concept-summary.rq", iri)
        except PathoKGError as exc:
            return _error_response(exc)
        if not summary:
            return PlainTextResponse(f"no concept {slug!r} in pathokg\n", 404)
        fmt = request.query_params.get("format")
        accept = request.headers.get("accept") or "*/*"
        wants_html = not fmt and _prefers_html(accept)
        if not wants_html:
            from .queryfiles import read_query_file

            text = bind_params(read_query_file(_INTERNAL / "concept-description.rq"),
                               {"concept": f"<{iri}>"})
            graph_fmt = graph_format(fmt) if fmt else negotiate(accept, graph=True)
            if graph_fmt is None:
                return PlainTextResponse("available: text/html, text/turtle, "
                                         "application/ld+json, application/n-triples\n", 406)
            try:
                answer = await state.run(Job(text, False, None, graph_fmt.name))
            except PathoKGError as exc:
                return _error_response(exc)
            return _answer_response(answer)
        relations = await state.rows(_INTERNAL / "concept-relations.rq", iri)
        for r in relations:
            other = r["other"] or ""
            r["href"] = ("/concept/" + other[len(str(PK)):]) if other.startswith(str(PK)) else other
        xrefs = await state.rows(QUERIES_DIR / "concept-xrefs.rq", iri)
        for x in xrefs:
            x["curie"] = curie_for(x["xref"]) or x["xref"]
        html = _TEMPLATES.get_template("concept.html").render(
            s=summary[0], iri=iri, relations=relations, xrefs=xrefs, root="/",
            path=f"/concept/{slug}")
        return HTMLResponse(html, headers={"Vary": "Accept"})

    return router


def _prefers_html(accept: str) -> bool:
    html = negotiate_rank(accept, "text/html")
    rdf = max(negotiate_rank(accept, m) for m in
              ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"))
    return html > 0 and html >= rdf


def negotiate_rank(accept: str, media: str) -> float:
    """The q value an Accept header gives a media type (exact match only; 0 if absent)."""
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if fields[0].lower() == media:
            for f in fields[1:]:
                if f.startswith("q="):
                    try:
                        return float(f[2:])
                    except ValueError:
                        return 0.0
            return 1.0
    return 0.0


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the FastAPI app; the worker pool starts with the app and stops with it."""
    settings = settings or ServerSettings()
    state = App(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with tempfile.TemporaryDirectory(prefix="pathokg-serve-") as tmp:
            dataset = await run_in_threadpool(_prepare_dataset, settings, Path(tmp))
            pool = WorkerPool(dataset, settings.workers, settings.timeout)
            await pool.start()
            state.pool = pool
            try:
                yield
            finally:
                state.pool = None
                pool.close()

    app = FastAPI(title="pathokg", summary="Pathology knowledge graph: SPARQL, named queries, "
                  "concepts", lifespan=lifespan, docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    # the concept map routes (/ and /map) draw the release this server serves
    app.state.pathokg_release = settings.release

    @app.exception_handler(Exception)
    async def no_traces(_request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"internal error ({type(exc).__name__}); the server keeps "
                                 "running\n", 500)

    @app.exception_handler(QueryLimitError)
    async def limits(_request: Request, exc: QueryLimitError) -> Response:
        return _error_response(exc)

    app.include_router(_sparql_router(state))
    app.include_router(_api_router(state))
    app.include_router(_concept_router(state))
    app.mount("/static", StaticFiles(directory=_PACKAGE / "static"), name="static")

    @app.get("/query", response_class=HTMLResponse, include_in_schema=False)
    def query_page() -> str:
        examples = [{"name": q.name, "summary": q.summary, "description": q.description,
                     "query": bind_params(q, {})} for q in list_queries()]
        return _TEMPLATES.get_template("query.html").render(
            endpoint="/sparql", static="/static", root="/", queries=examples,
            queries_json=json.dumps(examples).replace("</", "<\\/"))

    @app.get("/health", tags=["health"], summary="Is the server ready to answer queries?")
    def health() -> JSONResponse:
        pool = state.pool
        ready = pool is not None
        return JSONResponse({"status": "ok" if ready else "starting",
                             "triples": pool.triples if pool else 0,
                             "workers": pool.size if pool else 0,
                             "timeout_seconds": settings.timeout},
                            status_code=200 if ready else 503)

    from .conceptmap_routes import router as conceptmap_router

    app.include_router(conceptmap_router)
    return app
