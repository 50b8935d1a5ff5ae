"""Views that teach: named maps, each a CONSTRUCT query in ``queries/map/view-<name>.rq``.

A view file's header says what it draws (``#+ draws: hpo``: HPO's content too, see :mod:`.hpo`;
such a view takes its concept as a ``#+ param``), how to lay it out (``#+ layout: radial|pathway|force``), which concept
stands at its centre (``#+ centre:``, relative to the base IRI) and, for a radial view, its sectors
in order (``#+ sector: Title = family, ...``, one line each, see :mod:`.sectors`: they are also the
headings drawn on the map and the steps of its story) or, for a pathway, the relation that orders
its steps (``#+ backbone:``). The overview is the whole graph.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import QueryError, UnknownViewError
from ..paths import MAP_QUERIES
from ..querying.files import QueryFile, read_query_file
from ..vocab import BASE, PKO
from .sectors import Family, Sector

OVERVIEW = "overview"
#: The view whose sectors tell the article's story (in every map that holds its centre).
STORY_VIEW = "dc"


@dataclass(frozen=True)
class View:
    """A named map: its query (none for the overview) and how to lay it out."""

    name: str
    summary: str
    layout: str = "force"
    query: QueryFile | None = None
    centre: str | None = None
    sectors: tuple[Sector, ...] = ()
    backbone: str | None = None
    #: ``hpo``: the view draws HPO's content too (:mod:`.hpo`); by default only pathokg's concepts
    draws: str | None = None


def view_names() -> list[str]:
    """The names of every view, the overview first."""
    return [OVERVIEW, *sorted(p.stem[len("view-"):] for p in MAP_QUERIES.glob("view-*.rq"))]


def layout_hints(query: QueryFile) -> dict[str, str]:
    """The ``#+ layout/centre/backbone/draws`` header lines of a query file."""
    return {key: value for key in ("layout", "centre", "backbone", "draws")
            if (value := query.header(key)) is not None}


def parse_sector(line: str, where: str = "a view") -> Sector:
    """One ``#+ sector:`` line: ``Title = family, ^family, family+``.

    >>> parse_sector("Mechanism = ^involves, leadsTo+").families[1].onward
    True

    :raises QueryError: the line has no title or no family.
    """
    title, sep, families = line.rpartition("=")
    names = [f.strip() for f in families.split(",") if f.strip()]
    if not sep or not title.strip() or not names:
        raise QueryError(f"{where}: malformed '#+ sector: {line}' (use 'Title = family, ^family, family+')")
    return Sector(title.strip(), tuple(
        Family(str(PKO[n.strip("^+")]), outgoing=n.startswith("^"), onward=n.endswith("+"))
        for n in names))


def view_of_query(query: QueryFile) -> View:
    """A view for any query file: its layout hints if it has them, else a force layout."""
    hints = layout_hints(query)
    return View(
        name=query.name, summary=query.summary, layout=hints.get("layout", "force"), query=query,
        centre=BASE + hints["centre"] if "centre" in hints else None,
        sectors=tuple(parse_sector(v, str(query.path)) for k, v in query.headers if k == "sector"),
        backbone=str(PKO[hints["backbone"]]) if "backbone" in hints else None,
        draws=hints.get("draws"),
    )


def get_view(name: str) -> View:
    """The view of this name.

    :raises UnknownViewError: naming the views that exist.
    """
    if name == OVERVIEW:
        return View(OVERVIEW, "Every concept of the graph and every relation between them.")
    path = MAP_QUERIES / f"view-{name}.rq"
    if not path.is_file():
        raise UnknownViewError(f"unknown view {name!r}; views: {', '.join(view_names())}")
    return replace(view_of_query(read_query_file(path)), name=name)


def view_has_params(name: str) -> bool:
    """Whether a view takes parameters (``#+ param`` lines, e.g. the HPO view's concept); an
    unknown view takes none.

    >>> view_has_params("hpo"), view_has_params("dc"), view_has_params("nonesuch")
    (True, False, False)
    """
    try:
        chosen = get_view(name)
    except UnknownViewError:
        return False
    return chosen.query is not None and bool(chosen.query.params)
