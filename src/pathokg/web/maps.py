"""HTTP routes of the concept map and the article page, mounted by the server: ``/`` (the
overview), ``/map`` and ``/reader``.

``/map?view=dc``, ``/map?focus=CKD&depth=2``, ``/map?query=neighbourhood&concept=pk:tissue-injury``
(any other parameter is a parameter of the named query), ``&inferred=true``. Each page links to
the query page and the API docs, each concept in its panel to its concept page (``/concept/<id>``),
each quote to its passage in ``/reader``, whose passages link back to the map. Pages are rendered
once per release and arguments, then cached. The release is ``app.state.pathokg_release`` if the
server sets it, else the default (``dist/``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ..errors import PathoKGError, QueryError
from ..paths import TURTLE
from ..querying.release import release_folder, release_store

router = APIRouter()

LINKS = (("Overview map", "/"), ("The article with its evidence", "/reader"),
         ("SPARQL query page", "/query"), ("API docs", "/api/docs"))
#: The arguments of /map itself; any other parameter belongs to the named query.
MAP_ARGUMENTS = frozenset({"view", "focus", "depth", "query", "inferred"})
_CACHE: dict[tuple[object, ...], str] = {}
_LOCK = threading.Lock()
_CACHE_SIZE = 32


def _release(request: Request) -> Path:
    folder = getattr(request.app.state, "pathokg_release", None)
    return release_folder(Path(folder) if folder else None)


def _cached(request: Request, key: tuple[object, ...], render: Callable[[Path], str]) -> Response:
    """A page rendered once per release and key, then cached; a user mistake is a plain-text
    answer with its status (400, 404)."""
    try:
        folder = _release(request)
        full_key = (str(folder), (folder / TURTLE).stat().st_mtime, *key)
        with _LOCK:
            page = _CACHE.get(full_key)
        if page is None:
            page = render(folder)
            with _LOCK:
                if len(_CACHE) >= _CACHE_SIZE:
                    _CACHE.clear()
                _CACHE[full_key] = page
    except PathoKGError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=exc.http_status)
    return HTMLResponse(page)


def _page(request: Request, params: dict[str, str] | None = None, **kwargs: object) -> Response:
    """The map page for these arguments."""
    from ..conceptmap import make_map, view_names  # pyvis and networkx load with the first map

    def render(folder: Path) -> str:
        views = tuple((name, "/" if name == "overview" else f"/map?view={name}") for name in view_names())
        return make_map(release_store(folder), links=LINKS, concept_pages="/", reader="/reader",
                        views=views, params=params or None, **kwargs).html  # type: ignore[arg-type]

    return _cached(request, (*sorted(kwargs.items()), *sorted((params or {}).items())), render)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> Response:
    """The overview concept map, with links to the article, the query page and the API."""
    return _page(request)


@router.get("/map", response_class=HTMLResponse, tags=["concept map"],
            summary="The concept map: a view, a concept's neighbourhood or a named query's result")
def concept_map(
    request: Request,
    view: Annotated[str, Query(description="overview, dc, mechanism, ckd or hpo (hpo takes "
                                           "concept=...)")] = "overview",
    focus: Annotated[str | None, Query(description="a concept: label, synonym, id or IRI")] = None,
    depth: Annotated[int, Query(ge=0, le=5, description="relations away from focus")] = 1,
    query: Annotated[str | None, Query(description="a named query whose result to draw; its "
                                                    "parameters are further query parameters")] = None,
    inferred: Annotated[bool, Query(description="add inferred relations (dashed)")] = False,
) -> Response:
    """One self-contained HTML page; the same page ``pathokg map`` writes."""
    from ..conceptmap.views import view_has_params

    params = {k: v for k, v in request.query_params.items() if k not in MAP_ARGUMENTS}
    if params and query is None and not view_has_params(view):
        refused = QueryError(f"parameters {sorted(params)} need ?query=NAME or a view with parameters")
        return PlainTextResponse(f"{refused}\n",
                                 status_code=QueryError.http_status)
    return _page(request, params, view=view, focus=focus, depth=depth, query=query, inferred=inferred)


@router.get("/reader", response_class=HTMLResponse, tags=["concept map"],
            summary="The article with every evidence passage highlighted, linked to the map")
def reader(request: Request) -> Response:
    """The article page of the release (the same page as ``reader.html`` in the release), its
    passages linking to the overview map ``/``."""
    from ..teaching import reader_page

    return _cached(request, ("reader",), lambda folder: reader_page(release_store(folder), folder,
                                                                    map_href="/"))
