"""``/sparql``: the SPARQL 1.1 Protocol endpoint, query side (GET, form POST and direct POST), and
its service description on a GET without a query.

* The dataset: ``default-graph-uri`` and ``named-graph-uri`` (in the URL, and in a form body)
  name graphs of the served store; one the store does not hold is an empty graph. Given, they
  replace the query's own ``FROM`` and ``FROM NAMED``. ``inference=false`` leaves the inferred
  graph out of the default graph; ``labels=true`` adds a label column (``?xLabel``) after each
  IRI column of a SELECT (:mod:`pathokg.querying.labels`).
* One ``query`` at most (several: 400); an empty one: 400; an update, by ``update`` or
  ``application/sparql-update``: 403, the endpoint is read-only.
* Bodies are read with a limit counted as they arrive (chunked ones too) and a time limit.
* ``HEAD`` answers as ``GET`` without the body; ``OPTIONS`` lists the methods.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.requests import ClientDisconnect

from ..errors import PathoKGError, QueryRefused, RequestError
from ..querying.engine import Dataset
from ..querying.formats import best_media, graph_format
from ..vocab import INFERRED_GRAPH, SPARQL_PREFIXES
from .state import TEMPLATES, VARY, App, answer_response, error_response, flag
from .workers import Answer

log = logging.getLogger("pathokg.server")

METHODS = "GET, HEAD, POST, OPTIONS"
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
_POST_MEDIA = (f"a query POST needs Content-Type {_DIRECT} or {_FORM}; this endpoint is read-only, "
               f"so {_UPDATE} is refused")
#: What the service description is offered as; a browser asks for text/html and is sent to the
#: query page.
_SD_MEDIA = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
             "text/html"]


def _media(request: Request) -> tuple[str, str | None]:
    """The request's media type and charset."""
    header = request.headers.get("content-type", "")
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for p in parts[1:]:
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The request body, counted as it arrives: past ``limit`` bytes a 413, past ``timeout``
    seconds a 408 (both close the connection)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise RequestError(f"the request body is larger than {limit:,} bytes", 413)
    parts: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise RequestError(f"the request body is larger than {limit:,} bytes", 413)
                parts.append(chunk)
    except TimeoutError:
        raise RequestError(f"the request body did not arrive within {timeout:g} s", 408) from None
    return b"".join(parts)


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(f"the {what} is not UTF-8 text", 400) from None


def _form(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise RequestError("the form body is not UTF-8 once percent-decoded", 400) from None


def _dataset(fields: list[tuple[str, str]]) -> Dataset | None:
    default = tuple(v for k, v in fields if k == "default-graph-uri")
    named = tuple(v for k, v in fields if k == "named-graph-uri")
    if not default and not named:
        return None
    for iri in default + named:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise RequestError(f"{iri!r} is not an IRI (default-graph-uri, named-graph-uri)",
                               400) from None
    return Dataset(default, named)


def sparql_router(state: App) -> APIRouter:
    """The routes of ``/sparql`` over the app's worker pool."""
    router = APIRouter()

    async def handle(request: Request) -> Response:
        fields = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
        query: str | None = None
        if request.method == "POST":
            media, charset = _media(request)
            if charset not in (None, "utf-8", "utf8"):
                raise RequestError(f"charset {charset} is not supported: send UTF-8", 415)
            if media == _UPDATE:
                raise QueryRefused("updates are refused: this endpoint is read-only")
            if media not in (_FORM, _DIRECT):
                raise RequestError(_POST_MEDIA, 415)
            body = await read_body(request, state.settings.max_body_bytes,
                                   state.settings.body_timeout)
            if media == _DIRECT:
                if any(k == "query" for k, _ in fields):
                    raise RequestError("a direct POST carries its query in the body, not also "
                                        "in the URL", 400)
                query = _decode(body, "query")
            else:
                fields = fields + _form(_decode(body, "form body"))
        queries = [v for k, v in fields if k == "query"]
        updates = [v for k, v in fields if k == "update"]
        if queries and updates:
            raise RequestError("a request carries a query or an update, not both", 400)
        if updates:
            raise QueryRefused("updates are refused: this endpoint is read-only")
        if len(queries) > 1:
            raise RequestError(f"{len(queries)} query parameters: send one query per request", 400)
        if queries:
            query = queries[0]
        dataset, inferred = _dataset(fields), flag(fields, "inference", True)
        if query is None:
            return service_description(state, request, inferred)
        fmt = next((v for k, v in fields if k == "format"), None)
        prepared = state.prepare(query)
        return await state.respond(prepared, request.headers.get("accept"), fmt=fmt,
                                   inferred=inferred, dataset=dataset,
                                   labels=flag(fields, "labels", False))

    @router.api_route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS"],
                      summary="SPARQL 1.1 Protocol: query by GET or POST (no query: the service "
                              "description)")
    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": METHODS})
        try:
            return await handle(request)
        except ClientDisconnect:
            client = request.client
            log.info("client %s:%s went away while sending its request", *(client or ("?", 0)))
            return Response(status_code=400)
        except PathoKGError as exc:
            return error_response(exc)

    state.fast_routes["/sparql"] = sparql
    return router


def service_description(state: App, request: Request, inferred: bool) -> Response:
    """The SPARQL 1.1 Service Description (the default dataset as ``inference`` makes it), in a
    negotiated RDF format; a browser is sent to the query page."""
    media = best_media(request.headers.get("accept"), _SD_MEDIA) or "text/turtle"
    if media == "text/html":
        return RedirectResponse("/query", status_code=303, headers=VARY)
    store = state.store
    text = TEMPLATES.get_template("service-description.ttl").render(
        endpoint=state.settings.base_url.rstrip("/") + "/sparql", inferred=inferred,
        default_triples=(store.union if inferred else store.asserted) if store else 0,
        inferred_triples=store.inferred if store else 0, inferred_graph=str(INFERRED_GRAPH),
        graphs=[g for g in (store.graphs if store else ()) if g != str(INFERRED_GRAPH)],
        timeout=state.settings.timeout, max_result=state.settings.max_result_bytes,
        prefixes=SPARQL_PREFIXES)
    fmt = graph_format({"text/turtle": "ttl", "application/ld+json": "jsonld",
                        "application/n-triples": "nt", "application/rdf+xml": "rdfxml"}[media])
    assert fmt is not None
    body = text.encode()
    if fmt.name != "ttl":
        body = ox.serialize(ox.parse(body, format=ox.RdfFormat.TURTLE), format=fmt.ox_format)
    return answer_response(Answer("DESCRIBE", fmt.media_type, body))

