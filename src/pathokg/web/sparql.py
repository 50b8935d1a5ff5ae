"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query by GET, form POST and direct POST), and
its service description on a GET without a query."""

from __future__ import annotations

from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from ..querying.formats import graph_format, negotiate
from ..querying.safety import MAX_QUERY_CHARS
from ..vocab import INFERRED_GRAPH
from .state import TEMPLATES, App, answer_response
from .workers import Answer

#: Largest request body accepted on /sparql, in bytes.
MAX_BODY_BYTES = 4 * MAX_QUERY_CHARS

_POST_MEDIA = "POST needs Content-Type application/sparql-query or application/x-www-form-urlencoded\n"


def sparql_router(state: App) -> APIRouter:
    """The routes of ``/sparql`` over the app's worker pool."""
    router = APIRouter()

    async def handle(request: Request, query: str | None, update: bool) -> Response:
        if update:
            return PlainTextResponse("updates are refused: this endpoint is read-only\n", 403)
        params = request.query_params
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return PlainTextResponse("default-graph-uri and named-graph-uri are not supported: "
                                     "queries run on the served dataset\n", 400)
        if query is None:
            return service_description(state, request)
        if len(query) > MAX_QUERY_CHARS:
            return PlainTextResponse(f"the query is longer than {MAX_QUERY_CHARS} characters\n",
                                     413)
        inferred = params.get("inference", "true").lower() not in {"false", "0", "no"}
        return await state.run_negotiated(query, request.headers.get("accept"), inferred=inferred)

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
        if media not in {"application/sparql-query", "application/x-www-form-urlencoded"}:
            return PlainTextResponse(_POST_MEDIA, 415)
        try:
            body = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            return PlainTextResponse("the request body is not UTF-8\n", 400)
        if media == "application/sparql-query":
            return await handle(request, body, False)
        form = parse_qs(body, keep_blank_values=True)
        if "update" in form:
            return await handle(request, None, True)
        query = form.get("query", [None])[0]
        if not isinstance(query, str):
            return PlainTextResponse("a form POST needs a 'query' field\n", 400)
        return await handle(request, query, False)

    return router


def service_description(state: App, request: Request) -> Response:
    """The SPARQL 1.1 Service Description of the endpoint, in a negotiated RDF format."""
    endpoint = str(request.url).split("?")[0]
    triples = state.pool.triples if state.pool else 0
    text = TEMPLATES.get_template("service-description.ttl").render(
        endpoint=endpoint, triples=triples, inferred_graph=str(INFERRED_GRAPH))
    fmt = negotiate(request.headers.get("accept"), graph=True) or graph_format("ttl")
    assert fmt is not None
    body = text.encode()
    if fmt.name != "ttl":
        body = ox.serialize(ox.parse(body, format=ox.RdfFormat.TURTLE), format=fmt.ox_format)
    return answer_response(Answer("DESCRIBE", fmt.media_type, body))
