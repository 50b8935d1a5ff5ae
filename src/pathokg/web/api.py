"""``/api/queries``: the named queries as a REST API (OpenAPI at ``/api/docs``).

The OpenAPI document describes each named query on a path of its own
(``/api/queries/risk-factors``), made from the query's headers: each parameter with its kind,
default, description and (when the query lists them) its choices, and the options every query
takes (:data:`OPTIONS`): ``format``, ``inferred`` and ``labels``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from ..errors import PathoKGError
from ..querying.files import QueryFile, list_queries
from ..querying.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from ..querying.params import bind_params
from ..querying.values import NAMES_QUERIES, resolve_values
from .state import App, error_response, flag

#: The request parameters every named query takes besides its own (a query may not name a
#: parameter so: :data:`pathokg.querying.files.RESERVED_PARAMS`).
OPTIONS = ("format", "inferred", "labels")


def openapi_parameters(query: QueryFile) -> list[dict[str, Any]]:
    """The OpenAPI parameters of a named query: its own (from its ``#+ param`` and ``#+ choices``
    headers), then ``format``, ``inferred`` and ``labels``."""
    graph = bind_params(query, {}).prepared.is_graph
    formats = sorted(GRAPH_FORMATS if graph else SOLUTION_FORMATS)
    own = [{"name": p.name, "in": "query", "required": False,
            "description": f"{p.description} (kind: {p.kind})",
            "schema": {"type": "string", "default": p.default, "x-pathokg-kind": p.kind,
                       **({"enum": list(p.choices)} if p.choices else {})}}
           for p in query.params]
    options = [
        {"name": "format", "in": "query", "required": False,
         "description": "The result format (default: the one the Accept header prefers).",
         "schema": {"type": "string", "enum": formats}},
        {"name": "inferred", "in": "query", "required": False,
         "description": "Include the triples the ontology entails (true) or only the asserted "
                        "ones (false).", "schema": {"type": "boolean", "default": True}},
        {"name": "labels", "in": "query", "required": False,
         "description": "Add a label column (?xLabel) after each IRI column of a SELECT.",
         "schema": {"type": "boolean", "default": False}}]
    return [*own, *options]


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
                                 "description": p.description,
                                 **({"choices": list(p.choices)} if p.choices else {})}
                                for p in q.params],
                 "url": f"/api/queries/{q.name}"} for q in list_queries()]

    @router.api_route("/queries/{name}", methods=["GET", "HEAD"], summary="Run a named query",
                      description="Query parameters of the URL give the query's parameters "
                                  "(defaults otherwise); the engine binds each to its value, the "
                                  "query text never changes. `format` (srj, srx, csv, tsv, ttl, "
                                  "nt, jsonld, rdfxml) or the Accept header chooses the result "
                                  "format; `inferred=false` leaves out inferred triples; "
                                  "`labels=true` adds a label column after each IRI column. Each "
                                  "named query is also described on its own path, with its "
                                  "parameters. An unknown name is a 404 naming the closest ones.")
    async def run_query(name: str, request: Request) -> Response:
        fields = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
        given = [k for k, _ in fields]
        repeated = sorted({k for k in given if given.count(k) > 1})
        if repeated:
            return PlainTextResponse(f"give each parameter once ({', '.join(repeated)})\n", 400)
        params = {k: v for k, v in fields if k not in OPTIONS}
        try:
            query = state.named_query(name)
            bound = bind_params(query, await checked(query, params))
            inferred, labels = flag(fields, "inferred", True), flag(fields, "labels", False)
        except PathoKGError as exc:
            return error_response(exc)
        return await state.respond(bound, request.headers.get("accept"),
                                   fmt=dict(fields).get("format"), inferred=inferred, labels=labels)

    for named in list_queries():  # documented one by one; served by run_query (FastPath)
        router.add_api_route(
            f"/queries/{named.name}", _documented(run_query, named.name), methods=["GET"],
            summary=named.summary, description=named.description, tags=["named queries"],
            openapi_extra={"parameters": openapi_parameters(named)}, name=f"query-{named.name}",
            response_class=Response)
    state.fast_routes["/api/queries/"] = run_query
    return router


def _documented(run: Any, name: str) -> Any:
    """The handler of one named query's documented path (the same as ``/api/queries/{name}``)."""

    async def run_named(request: Request) -> Response:
        return await run(name, request)

    return run_named
