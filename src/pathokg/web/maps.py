"""HTTP routes of the concept map, mounted by the server: ``/`` (the overview) and ``/map``.

``/map?view=dc``, ``/map?focus=CKD&depth=2``, ``/map?query=neighbourhood``, ``&inferred=true``.
Each page links to the query page and the API docs, and each concept in its panel to its concept
page (``/concept/<id>``). Pages are rendered once per release and arguments, then cached.
The release is ``app.state.pathokg_release`` if the server sets it, else the default (``dist/``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ..errors import PathoKGError
from ..paths import TURTLE
from ..querying.release import release_folder, release_store

router = APIRouter()

LINKS = (("Overview map", "/"), ("SPARQL query page", "/query"), ("API docs", "/api/docs"))
_CACHE: dict[tuple[object, ...], str] = {}
_LOCK = threading.Lock()
_CACHE_SIZE = 32


def _release(request: Request) -> Path:
    folder = getattr(request.app.state, "pathokg_release", None)
    return release_folder(Path(folder) if folder else None)


def _page(request: Request, **kwargs: object) -> Response:
    """The map page for these arguments, rendered once per release and arguments, then cached."""
    from ..conceptmap import make_map  # pyvis and networkx load with the first map, not the app

    try:
        folder = _release(request)
        key = (str(folder), (folder / TURTLE).stat().st_mtime, *sorted(kwargs.items()))
        with _LOCK:
            page = _CACHE.get(key)
        if page is None:
            page = make_map(release_store(folder), links=LINKS, concept_pages="/",
                            **kwargs).html  # type: ignore[arg-type]
            with _LOCK:
                if len(_CACHE) >= _CACHE_SIZE:
                    _CACHE.clear()
                _CACHE[key] = page
    except PathoKGError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=exc.http_status)
    return HTMLResponse(page)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> Response:
    """The overview concept map, with links to the query page and the API."""
    return _page(request)


@router.get("/map", response_class=HTMLResponse, tags=["concept map"],
            summary="The concept map: a view, a concept's neighbourhood or a named query's result")
def concept_map(
    request: Request,
    view: Annotated[str, Query(description="overview, dc, mechanism or ckd")] = "overview",
    focus: Annotated[str | None, Query(description="a concept: label, synonym, id or IRI")] = None,
    depth: Annotated[int, Query(ge=0, le=5, description="relations away from focus")] = 1,
    query: Annotated[str | None, Query(description="a named CONSTRUCT query")] = None,
    inferred: Annotated[bool, Query(description="add inferred relations (dashed)")] = False,
) -> Response:
    """One self-contained HTML page; the same page ``pathokg map`` writes."""
    return _page(request, view=view, focus=focus, depth=depth, query=query, inferred=inferred)
