"""``/api/queries``: the named queries as a REST API (OpenAPI at ``/api/docs``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from ..errors import QueryError
from ..querying.files import QueryFile, get_query, list_queries, read_query_file
from ..querying.params import bind_params
from ..querying.results import QueryResult
from ..querying.safety import MAX_QUERY_CHARS
from ..querying.values import NAMES_QUERIES, Names, resolve_values
from .state import App, error_response
from .workers import Job


def api_router(state: App) -> APIRouter:
    """The routes of ``/api/queries`` over the app's worker pool."""
    router = APIRouter(prefix="/api", tags=["named queries"])
    names_rows: dict[Path, list[dict[str, str | None]]] = {}  # the names queries' rows, read once

    async def checked(query: QueryFile, params: dict[str, str]) -> dict[str, str]:
        """The values checked for their parameters' kinds (a value that names nothing: 400)."""
        for p in query.params:
            path = NAMES_QUERIES.get(p.kind)
            if p.name in params and path is not None and path not in names_rows:
                answer = await state.run(Job(read_query_file(path).text_with_base(), False, "srj", None))
                names_rows[path] = QueryResult(answer.form, srj=answer.body).rows
        return resolve_values(query, params, Names(lambda q: names_rows[q.path], "the server's graph"))

    @router.get("/queries", summary="The named queries with their parameters")
    def queries() -> list[dict[str, Any]]:
        return [{"name": q.name, "summary": q.summary, "description": q.description,
                 "tags": list(q.tags),
                 "parameters": [{"name": p.name, "kind": p.kind, "default": p.default,
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
            text = bind_params(query, await checked(query, params))
            form = state.template_form(query)
        except QueryError as exc:
            return error_response(exc)
        if len(text) > MAX_QUERY_CHARS:
            return PlainTextResponse(f"the query is longer than {MAX_QUERY_CHARS} characters\n",
                                     413)
        inferred = request.query_params.get("inferred", "true").lower() not in {"false", "0"}
        return await state.run_negotiated(text, request.headers.get("accept"), inferred=inferred,
                                          fmt=request.query_params.get("format"),
                                          checked_form=form)

    return router
