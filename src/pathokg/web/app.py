"""The pathokg server: SPARQL 1.1 Protocol endpoint, query page, REST API, concept pages, the map.

``create_app(settings)`` is the app factory; ``pathokg serve`` runs it with uvicorn. Every query,
from any route, goes through a :class:`~pathokg.web.workers.WorkerPool` (checked, time-limited,
size-limited). The routes live in their own modules: :mod:`.sparql`, :mod:`.api`,
:mod:`.concepts` and :mod:`.maps`.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from ..errors import PathoKGError
from ..paths import STATIC_DIR
from ..querying.files import list_queries
from ..querying.params import bind_params
from ..querying.release import release_store
from .api import api_router
from .concepts import concept_router
from .maps import router as map_router
from .sparql import sparql_router
from .state import TEMPLATES, App, ServerSettings, error_response
from .workers import WorkerPool

__all__ = ["ServerSettings", "create_app"]


def _prepare_dataset(settings: ServerSettings, folder: Path) -> Path:
    """The N-Quads file the workers load: the release plus its inferred named graph."""
    if settings.dataset is not None:
        return settings.dataset
    path = folder / "dataset.nq"
    release_store(settings.release).dump(path, format=ox.RdfFormat.N_QUADS)
    return path


def _lifespan(state: App):
    settings = state.settings

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

    return lifespan


def _add_pages(app: FastAPI, state: App) -> None:
    """The query page and the health check."""

    @app.get("/query", response_class=HTMLResponse, include_in_schema=False)
    def query_page() -> str:
        examples = [{"name": q.name, "summary": q.summary, "description": q.description,
                     "query": bind_params(q, {})} for q in list_queries()]
        return TEMPLATES.get_template("query.html").render(
            endpoint="/sparql", static="/static", root="/", queries=examples,
            queries_json=json.dumps(examples).replace("</", "<\\/"))

    @app.get("/health", tags=["health"], summary="Is the server ready to answer queries?")
    def health() -> JSONResponse:
        pool = state.pool
        ready = pool is not None
        return JSONResponse({"status": "ok" if ready else "starting",
                             "triples": pool.triples if pool else 0,
                             "workers": pool.size if pool else 0,
                             "timeout_seconds": state.settings.timeout},
                            status_code=200 if ready else 503)


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the FastAPI app; the worker pool starts with the app and stops with it."""
    state = App(settings or ServerSettings())
    app = FastAPI(title="pathokg", summary="Pathology knowledge graph: SPARQL, named queries, "
                  "concepts", lifespan=_lifespan(state), docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    # the concept map routes (/ and /map) draw the release this server serves
    app.state.pathokg_release = state.settings.release

    @app.exception_handler(Exception)
    async def no_traces(_request: Request, exc: Exception) -> Response:
        return PlainTextResponse(f"internal error ({type(exc).__name__}); the server keeps "
                                 "running\n", 500)

    @app.exception_handler(PathoKGError)
    async def known(_request: Request, exc: PathoKGError) -> Response:
        return error_response(exc)

    app.include_router(sparql_router(state))
    app.include_router(api_router(state))
    app.include_router(concept_router(state))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_pages(app, state)
    app.include_router(map_router)
    return app
