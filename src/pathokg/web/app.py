"""The pathokg server: SPARQL 1.1 Protocol endpoint, query page, REST API, concept pages, the map.

``create_app(settings)`` is the app factory; ``pathokg serve`` runs it (:mod:`pathokg.web.server`).
At start the graph is loaded into one on-disk store (:mod:`pathokg.web.store`) that the query
workers open read-only; every query, from any route, is checked here and runs in a worker
(:mod:`pathokg.web.pool`), time-limited, size-limited, cut off from the network. The routes live
in their own modules: :mod:`.sparql`, :mod:`.api`, :mod:`.concepts` and :mod:`.maps`.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from ..errors import PathoKGError
from ..paths import STATIC_DIR
from ..querying.files import list_queries
from ..vocab import SPARQL_PREFIXES
from .api import api_router
from .concepts import concept_router
from .maps import router as map_router
from .paths import paths_router
from .pool import PoolSettings, WorkerPool
from .querypage import example_text, query_page_router
from .sparql import sparql_router
from .state import TEMPLATES, App, ServerSettings, error_response
from .store import StoreInfo, build_store, copy_spec, describe_store

__all__ = ["ServerSettings", "create_app", "load_store"]

log = logging.getLogger("pathokg.server")


def _load(settings: ServerSettings, folder: Path) -> StoreInfo:
    if settings.store is not None:
        return describe_store(settings.store)
    return build_store(folder / "store", release=settings.release, dataset=settings.dataset)


def _lifespan(state: App):
    settings = state.settings

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with tempfile.TemporaryDirectory(prefix="pathokg-serve-") as tmp:
            if state.store is None:  # ``pathokg serve`` loads it before it listens
                state.store = await run_in_threadpool(_load, settings, Path(tmp))
            copy = copy_spec(state.store, settings.worker_store, release=settings.release,
                             dataset=settings.dataset, store_given=settings.store is not None)
            pool = WorkerPool(PoolSettings(
                str(state.store.path), size=settings.workers, timeout=settings.timeout,
                short_budget=settings.short_budget, memory=settings.worker_memory_mb * 2**20,
                isolate_network=settings.isolate_network, copy=copy))
            state.pool = pool
            await pool.start()  # never raises: a pool that cannot start says so in /health
            try:
                yield
            finally:
                state.pool = None
                await pool.close()

    return lifespan


def load_store(settings: ServerSettings, folder: Path) -> StoreInfo:
    """The store the server will serve: loaded into ``folder`` (or the one ``settings.store``
    names), before the server listens.

    :raises ReleaseError: nothing to serve there.
    """
    return _load(settings, folder)


def _add_pages(app: FastAPI, state: App) -> None:
    """The query page, the API docs (offline) and the health check."""

    @app.get("/query", response_class=HTMLResponse, include_in_schema=False)
    def query_page() -> str:
        examples = [{"name": q.name, "summary": q.summary, "description": q.description,
                     "query": example_text(q)} for q in list_queries()]
        return TEMPLATES.get_template("query.html").render(
            endpoint="/sparql", static="/static", root="/", queries=examples,
            queries_json=json.dumps(examples).replace("</", "<\\/"),
            prefixes_json=json.dumps(dict(sorted(SPARQL_PREFIXES.items()))))

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json", title="pathokg API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None})

    @app.api_route("/health", methods=["GET", "HEAD"], tags=["health"],
                   summary="Is the server ready to answer queries, and with how many workers?")
    def health() -> JSONResponse:
        pool, store = state.pool, state.store
        workers = pool.health() if pool is not None else {"status": "starting"}
        status = workers["status"]
        body = {"status": status, "triples": store.quads if store else 0,
                "timeout_seconds": state.settings.timeout, "workers": workers,
                "caches": {"checked_queries": len(state.prepared),
                           "checked_bytes": state.prepared.size,
                           "answers": len(state.answers), "answer_bytes": state.answers.size,
                           "answer_hits": state.answer_hits}}
        return JSONResponse(body, status_code=503 if status in ("starting", "down") else 200)


class FastPath:
    """ASGI: ``/sparql`` and ``/api/queries/NAME`` go straight to their handlers, the very ones
    FastAPI registers (and describes in the OpenAPI document); FastAPI's routing and parameter
    resolution took about a third of a lookup's time in the web process. Everything else goes on
    to FastAPI."""

    def __init__(self, app: Any, state: App):
        self.app, self.state = app, state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            routes = self.state.fast_routes
            handler, args = None, ()
            if path == "/sparql" and scope["method"] in ("GET", "HEAD", "POST", "OPTIONS"):
                handler = routes.get("/sparql")
            elif path.startswith("/api/queries/") and scope["method"] in ("GET", "HEAD"):
                name = path[len("/api/queries/"):]
                if name and "/" not in name:
                    handler, args = routes.get("/api/queries/"), (name,)
            if handler is not None:
                request = Request(scope, receive, send)
                try:
                    response = await handler(*args, request)
                except Exception as exc:  # as FastAPI's handler below: logged, never shown
                    log.error("unexpected error answering %s %s", scope["method"], path,
                              exc_info=exc)
                    response = PlainTextResponse(f"internal error ({type(exc).__name__}); the "
                                                 "server keeps running\n", 500)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the FastAPI app; the store and the worker pool start with the app, stop with it."""
    state = App(settings or ServerSettings())
    app = FastAPI(title="pathokg", summary="Pathology knowledge graph: SPARQL, named queries, "
                  "concepts", lifespan=_lifespan(state), docs_url=None,
                  openapi_url="/api/openapi.json", redoc_url=None)
    # the concept map routes (/ and /map) draw the release this server serves
    app.state.pathokg_release = state.settings.release
    app.state.pathokg = state
    app.add_middleware(FastPath, state=state)  # inside CORS (added next, so outside it)
    if state.settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(state.settings.cors_origins),
                           allow_credentials=False, allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                           allow_headers=["Accept", "Content-Type"], max_age=3600)

    @app.exception_handler(Exception)
    async def no_traces(request: Request, exc: Exception) -> Response:
        log.error("unexpected error answering %s %s", request.method, request.url.path,
                  exc_info=exc)
        return PlainTextResponse(f"internal error ({type(exc).__name__}); the server keeps "
                                 "running\n", 500)

    @app.exception_handler(PathoKGError)
    async def known(_request: Request, exc: PathoKGError) -> Response:
        return error_response(exc)

    app.include_router(sparql_router(state))
    app.include_router(api_router(state))
    app.include_router(concept_router(state))
    app.include_router(paths_router(state))
    app.include_router(query_page_router(state))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_pages(app, state)
    app.include_router(map_router)
    return app
