"""``/concept/<id>``: a page per concept, HTML for people and RDF for tools (content negotiation)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ..errors import PathoKGError
from ..paths import INTERNAL_QUERIES, QUERIES_DIR
from ..querying.formats import best_media
from ..querying.params import bind_params
from ..vocab import PK, concept, shorten
from .state import TEMPLATES, VARY, App, error_response

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: What a concept page is offered as, by preference: RDF first (``*/*`` gets Turtle), HTML for
#: browsers, which ask for it by name.
PAGE_MEDIA = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
              "text/html"]


def concept_router(state: App) -> APIRouter:
    """The concept pages over the app's worker pool."""
    router = APIRouter(tags=["concepts"])

    @router.get("/concept/{slug}", summary="A concept: HTML for people, RDF for tools")
    async def concept_page(slug: str, request: Request) -> Response:
        if not _SLUG.match(slug):
            return PlainTextResponse("not a concept id\n", 404)
        iri = str(concept(slug))
        try:
            summary = await state.rows(INTERNAL_QUERIES / "concept-summary.rq", iri)
        except PathoKGError as exc:
            return error_response(exc)
        if not summary:
            return PlainTextResponse(f"no concept {slug!r} in pathokg\n", 404)
        fmt = request.query_params.get("format")
        media = None if fmt else best_media(request.headers.get("accept"), PAGE_MEDIA)
        if media == "text/html":
            return await _html(state, slug, iri, summary[0])
        if media is None and not fmt:
            return PlainTextResponse("available: text/html, text/turtle, application/ld+json, "
                                     "application/n-triples, application/rdf+xml\n", 406,
                                     headers=VARY)
        bound = bind_params(state.query_file(INTERNAL_QUERIES / "concept-description.rq"),
                            {"concept": f"<{iri}>"})
        return await state.respond(bound, media, fmt=fmt, inferred=False)

    return router


async def _html(state: App, slug: str, iri: str, summary: dict[str, object]) -> Response:
    """The HTML page of a concept: its summary, relations and identifiers."""
    relations = await state.rows(INTERNAL_QUERIES / "concept-relations.rq", iri)
    for r in relations:
        other = r["other"] or ""
        r["href"] = ("/concept/" + other[len(str(PK)):]) if other.startswith(str(PK)) else other
    xrefs = await state.rows(QUERIES_DIR / "concept-xrefs.rq", iri)
    for x in xrefs:
        x["curie"] = shorten(x["xref"])
    html = TEMPLATES.get_template("concept.html").render(
        s=summary, iri=iri, relations=relations, xrefs=xrefs, root="/", path=f"/concept/{slug}")
    return HTMLResponse(html, headers=VARY)
