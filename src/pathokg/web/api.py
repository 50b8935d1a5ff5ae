"""``/api/queries``: the named queries as a REST API (OpenAPI at ``/api/docs``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from ..errors import QueryError
from ..querying.files import QueryFile, list_queries
from ..querying.params import bind_params
from ..querying.values import NAMES_QUERIES, resolve_values
from .state import App, error_response


def api_router(state: App) -> APIRouter:
    """The routes of ``/api/queries`` over the app's worker pool."""
    router = APIRouter(prefix="/api", tags=["named queries"])

    async def checked(query: QueryFile, params: dict[str, str]) -> dict[str, str]:
        """The values checked for their parameters' kinds (a value that names nothing: 400)."""
        kinds = {p.kind for p in query.params if p.name in params and p.kind in NAMES_QUERIES}
        return resolve_values(query, params, await state.names(*sorted(kinds)))

    @router.get("/queries", summary="The named queries with their parameters")
    def queries() -> list[dict[str, Any]]:
        return [{"name": q.name, "summary": q.summary, "description": q.description,
                 "tags": list(q.tags),
                 "parameters": [{"name": p.name, "kind": p.kind, "default": p.default,
                                 "description": p.description} for p in q.params],
                 "url": f"/api/queries/{q.name}"} for q in list_queries()]

    @router.api_route("/queries/{name}", methods=["GET", "HEAD"], summary="Run a named query",
                      description="Query parameters of the URL give the query's parameters "
                                  "(defaults otherwise); the engine binds each to its value, the "
                                  "query text never changes. `format` (srj, srx, csv, tsv, ttl, "
                                  "nt, jsonld, rdfxml) or the Accept header chooses the result "
                                  "format; `inferred=false` leaves out inferred triples.")
    async def run_query(name: str, request: Request) -> Response:
        fields = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
        given = [k for k, _ in fields]
        repeated = sorted({k for k in given if given.count(k) > 1})
        if repeated:
            return PlainTextResponse(f"give each parameter once ({', '.join(repeated)})\n", 400)
        params = {k: v for k, v in fields if k not in {"format", "inferred"}}
        try:
            query = state.named_query(name)
            bound = bind_params(query, await checked(query, params))
        except QueryError as exc:
            return error_response(exc)
        inferred = dict(fields).get("inferred", "true").lower() not in {"false", "0", "no"}
        return await state.respond(bound, request.headers.get("accept"),
                                   fmt=dict(fields).get("format"), inferred=inferred)

    state.fast_routes["/api/queries/"] = run_query
    return router
