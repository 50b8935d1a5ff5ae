"""What the query page (``/query``) needs beyond YASGUI: its examples as a researcher would write
them, and the terms it completes and draws, read from the served graph.

An example is a named query without its ``#+`` header lines, without the ``PREFIX`` lines the
endpoint predeclares anyway, and with each parameter's default written where the engine would bind
it, as a value to edit (``BIND(pk:chronic-kidney-disease AS ?concept)``):

>>> from pathokg.querying.files import get_query
>>> text = example_text(get_query("evidence"))
>>> text.startswith("#+") or "PREFIX pk:" in text or "?_subject" in text
False
>>> "BIND(pk:chronic-kidney-disease AS ?subject)" in text, "engine binds" in text
(True, False)

``/query/terms.json`` holds the prefixes, pathokg's classes and properties, and every concept
(label, synonyms, CURIE, category and the concept map's style of that category), in a stable
order, so the page completes and draws offline.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from ..conceptmap.style import style_for
from ..errors import PathoKGError
from ..paths import EXPORT_QUERIES, INTERNAL_QUERIES
from ..querying.files import QueryFile
from ..querying.params import bind_params
from ..vocab import BASE, PK, SPARQL_PREFIXES, shorten
from .state import App, error_response

_PREFIX_LINE = re.compile(r"^PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*$", re.I)
#: the engine binding idiom with the value written in (docs/sparql.md, "Named queries")
_IDIOM = re.compile(r"BIND\(COALESCE\((<[^>]+>|\"(?:[^\"\\]|\\.)*\"), <urn:pathokg:no-value>\) AS (\?\w+)\)")
_CURIE_LOCAL = re.compile(r"^[A-Za-z0-9_][\w.-]*(?<!\.)$")


def _short(term: str) -> str:
    """A written IRI as a predeclared CURIE where it reads as one (``pk:burn``)."""
    if not term.startswith("<"):
        return term
    curie = shorten(term[1:-1])
    prefix, _, local = curie.partition(":")
    if curie != term[1:-1] and prefix in SPARQL_PREFIXES and _CURIE_LOCAL.match(local):
        return curie
    return term


def example_text(query: QueryFile) -> str:
    """A named query as the query page shows it (see the module docstring)."""
    defaults = {p.name: p.default for p in query.params if p.default is not None}
    text = bind_params(query, defaults).text if defaults else query.text
    text = text.removeprefix(f"BASE <{BASE}> ")
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            continue
        declared = _PREFIX_LINE.match(line.strip())
        if declared:
            iri = declared[2] if ":" in declared[2] else f"{BASE}{declared[2]}"
            if SPARQL_PREFIXES.get(declared[1] or "") == iri:
                continue
        lines.append(_IDIOM.sub(lambda m: f"BIND({_short(m[1])} AS {m[2]})", line))
    return "\n".join(_without_idiom_notes(lines)).strip("\n") + "\n"


def _without_idiom_notes(lines: list[str]) -> list[str]:
    """The lines without the comments that explain the engine's binding idiom (a block of
    comment lines that names a ``?_`` variable): the example shows values, not the idiom."""
    kept: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip().startswith("#"):
            block.append(line)
            continue
        if not any("?_" in b for b in block):
            kept += block
        block = []
        kept.append(line)
    return kept[:-1]


def query_page_router(state: App) -> APIRouter:
    """``/query/terms.json`` over the app's worker pool (read once: the data never changes while
    the server runs)."""
    router = APIRouter(tags=["query page"])
    cache: dict[str, bytes] = {}

    @router.get("/query/terms.json", include_in_schema=False)
    async def terms() -> Response:
        if "terms" not in cache:
            try:
                ontology = await state.lexical_rows(INTERNAL_QUERIES / "query-page-terms.rq")
                categories = await state.lexical_rows(EXPORT_QUERIES / "concept-categories.rq")
                index = (await state.names("concept")).index("concept")
            except PathoKGError as exc:
                return error_response(exc)
            cache["terms"] = JSONResponse(terms_data(ontology, categories, index)).body
        return Response(cache["terms"], media_type="application/json")

    return router


def terms_data(ontology: list[dict[str, Any]], categories: list[dict[str, Any]],
               index: Any) -> dict[str, Any]:
    """The page's data: prefixes, classes, properties, concepts (with the map's category styles)."""
    category_of: dict[str, str] = {}
    for row in categories:  # the first most specific category, as the concept map takes it
        category_of.setdefault(row["concept"], row["category"])
    keys = sorted({c.rsplit("/", 1)[-1] for c in category_of.values()})
    styles = {}
    for n, key in enumerate(keys):
        style = style_for(key, n)
        styles[key] = {"color": style.color, "shape": style.shape, "border": style.border,
                       "dashed": style.dashed}
    terms = [{"kind": r["kind"], "curie": shorten(r["term"]), "iri": r["term"],
              "label": r["label"] or ""} for r in ontology]
    concepts = [{"iri": c.iri, "curie": shorten(c.iri), "label": c.label,
                 "synonyms": list(c.synonyms),
                 "category": category_of.get(c.iri, "").rsplit("/", 1)[-1],
                 "page": "/concept/" + c.iri[len(str(PK)):]}
                for c in index.concepts.values() if c.iri.startswith(str(PK))]
    return {"prefixes": dict(sorted(SPARQL_PREFIXES.items())),
            "classes": [t for t in terms if t["kind"] == "class"],
            "properties": [t for t in terms if t["kind"] == "property"],
            "concepts": concepts, "styles": styles}
