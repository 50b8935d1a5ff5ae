"""``/concept/<name>``: a page per concept, HTML for people and RDF for tools (content negotiation).

The page tells everything the graph says about the concept: its stated relations both ways, each
with the passages that state it (a hedged or conditional passage shows its certainty and
conditions, never reads as a plain fact), its inferred relations (marked, with the rule and the
premises), and its mappings with their match type and source. Any other name of a concept (label,
synonym, abbreviation, CURIE, an external id it matches exactly) answers ``303 See Other`` to the
concept's page; a name several concepts share answers ``300 Multiple Choices`` listing them; an
unknown name ``404`` with close matches. The names are those of the one resolver
(:class:`~pathokg.querying.concepts.ConceptIndex`), read from the workers like every query.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from ..errors import PathoKGError
from ..paths import INTERNAL_QUERIES, QUERIES_DIR
from ..querying.concepts import ConceptIndex
from ..querying.formats import best_media
from ..querying.params import bind_params
from ..vocab import PK, shorten
from .state import TEMPLATES, VARY, App, error_response

#: What a concept page is offered as, by preference: RDF first (``*/*`` gets Turtle), HTML for
#: browsers, which ask for it by name.
PAGE_MEDIA = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
              "text/html"]


def concept_href(iri: str) -> str:
    """The local page of a pathokg concept, or the IRI itself for anything else.

    >>> concept_href("https://w3id.org/pathokg/concept/burn"), concept_href("http://x.org/a")
    ('/concept/burn', 'http://x.org/a')
    """
    return "/concept/" + iri[len(str(PK)):] if iri.startswith(str(PK)) else iri


def concept_router(state: App) -> APIRouter:
    """The concept pages over the app's worker pool."""
    router = APIRouter(tags=["concepts"])

    @router.get("/concept/{name}", summary="A concept: HTML for people, RDF for tools",
                description="`name` is the concept's id, or any other name of it (label, synonym, "
                            "abbreviation, CURIE, an external id it matches exactly), which "
                            "answers 303 to the concept's page (300 listing the concepts when "
                            "several share it, 404 with close matches when none has it). The "
                            "Accept header or `format` (ttl, jsonld, nt, rdfxml) chooses RDF; "
                            "browsers get HTML.")
    async def concept_page(name: str, request: Request) -> Response:
        try:
            index = (await state.names("concept")).index("concept")
        except PathoKGError as exc:
            return error_response(exc)
        iri = str(PK) + name
        if iri not in index:
            return _elsewhere(index, name, request)
        try:
            summary = await state.rows(INTERNAL_QUERIES / "concept-summary.rq", iri)
        except PathoKGError as exc:
            return error_response(exc)
        if not summary:
            return PlainTextResponse(f"no concept {name!r} in pathokg\n", 404)
        fmt = request.query_params.get("format")
        media = None if fmt else best_media(request.headers.get("accept"), PAGE_MEDIA)
        if media == "text/html":
            return await _html(state, name, iri, summary[0])
        if media is None and not fmt:
            return PlainTextResponse("available: text/html, text/turtle, application/ld+json, "
                                     "application/n-triples, application/rdf+xml\n", 406,
                                     headers=VARY)
        bound = bind_params(state.query_file(INTERNAL_QUERIES / "concept-description.rq"),
                            {"concept": f"<{iri}>"})
        return await state.respond(bound, media, fmt=fmt, inferred=True)

    return router


def _elsewhere(index: ConceptIndex, name: str, request: Request) -> Response:
    """A name that is not a concept id: 303 to the concept it names, 300 when several concepts
    share it, 404 with close matches when none has it (HTML for browsers, text otherwise)."""
    found = index.candidates(name)
    query = f"?{request.url.query}" if request.url.query else ""
    if len(found) == 1:
        return RedirectResponse(concept_href(found[0]) + query, status_code=303)
    choices = found or tuple(index.close_matches(name))
    status = 300 if found else 404
    listed = [{"label": index.concepts[i].label, "curie": shorten(i), "href": concept_href(i) + query}
              for i in choices]
    if best_media(request.headers.get("accept"), ["text/plain", "text/html"]) == "text/html":
        html = TEMPLATES.get_template("concept-choices.html").render(
            name=name, ambiguous=bool(found), choices=listed, root="/")
        return HTMLResponse(html, status_code=status, headers=VARY)
    if found:
        text = f"{name!r} names several concepts; choose one:\n"
    elif listed:
        text = f"no concept {name!r} in pathokg; did you mean:\n"
    else:
        text = (f"no concept {name!r} in pathokg; try a label, a synonym such as an abbreviation, "
                "or a pathokg id\n")
    text += "".join(f"  {c['label']} ({c['curie']}): {c['href']}\n" for c in listed)
    headers = {**VARY, "Link": ", ".join(f'<{quote(c["href"], safe="/?=&")}>; rel="alternate"'
                                         for c in listed)} if listed else VARY
    return PlainTextResponse(text, status_code=status, headers=headers)


async def _html(state: App, slug: str, iri: str, summary: dict[str, object]) -> Response:
    """The HTML page of a concept: its summary, stated and inferred relations, identifiers."""
    relations = _linked(await state.rows(INTERNAL_QUERIES / "concept-relations.rq", iri))
    for r in relations:
        r["conditionList"] = (r["conditions"] or "").split(" | ") if r["conditions"] else []
        r["contextHref"] = concept_href(r["context"]) if r["context"] else None
    inferred = _linked(await state.rows(INTERNAL_QUERIES / "concept-inferred.rq", iri))
    for r in inferred:
        r["premiseList"] = (r["premises"] or "").split(" | ")
    xrefs = await state.rows(QUERIES_DIR / "concept-xrefs.rq", iri)
    for x in xrefs:
        x["curie"] = shorten(x["xref"])
    html = TEMPLATES.get_template("concept.html").render(
        s=summary, iri=iri, relations=relations, inferred=inferred, xrefs=xrefs, root="/",
        path=f"/concept/{slug}")
    return HTMLResponse(html, headers=VARY)


def _linked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the local page of the concept at the other end (``href``)."""
    for r in rows:
        r["href"] = concept_href(r["other"] or "")
    return rows
