"""The concept map for educators: one self-contained, offline HTML page with evidence on every edge.

>>> import pathokg.conceptmap as cm
>>> page = cm.make_map(view="ckd")                     # doctest: +SKIP
>>> cm.write_map("ckd.html", view="ckd")               # doctest: +SKIP
>>> cm.show(focus="CKD", depth=1)                      # doctest: +ELLIPSIS
Embedded(page='<!DOCTYPE html>...

:func:`make_map` builds the model from the graph (:mod:`.model`), picks the concepts and edges
(a view, a query, a neighbourhood), lays them out (:mod:`.layout`) and renders the page
(:mod:`.render`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import ConceptNotFound, ExportError, PathoKGError, QueryError, UnknownViewError
from ..querying.engine import Engine
from ..querying.release import release_store
from ..rdf.atomic import check_file, write_file
from ..rdf.store import as_store
from .layout import Positions, force_layout, pathway_layout, radial_layout, sector_headings
from .model import MapModel, model_from_graph
from .quiz import questions
from .render import EDGE_LABEL_LIMIT, Extras, PageOptions, legend_rows, render_html
from .source import Drawn, concepts_named, construct, draws, find_query, inferred_triples, run_for_map, run_named
from .story import story_steps
from .svg import render_svg
from .views import OVERVIEW, View, get_view, view_has_params, view_names, view_of_query

__all__ = [
    "ConceptMap",
    "ConceptNotFound",
    "MapModel",
    "UnknownViewError",
    "draws",
    "make_map",
    "show",
    "view_has_params",
    "view_names",
    "write_map",
]

DEFAULT_TITLE = "Dystrophic calcification: concept map"
#: Up to this many relations a map carries a quiz (beyond, a class would not get through it, and
#: finding plausible wrong answers costs more than drawing the map).
QUIZ_LIMIT = 3000


@dataclass
class ConceptMap:
    """A rendered map: its page, the model it draws, and (:attr:`svg`) the whole map as SVG."""

    html: str
    model: MapModel
    view: str
    _svg: Callable[[], str] | None = None

    def _repr_html_(self) -> str:
        return embed(self.html)

    @cached_property
    def svg(self) -> str:
        """The whole map as one SVG picture with title, legend and source (drawn on first use)."""
        return self._svg() if self._svg is not None else ""

    @property
    def file_stem(self) -> str:
        """A file name that says what the map shows: ``pathokg-dc-map``."""
        return f"pathokg-{self.view}-map"


def lay_out(model: MapModel, view: View | None) -> Positions:
    """Positions for the model, as the view asks (force layout by default)."""
    if view is not None and view.layout == "radial" and view.centre in model.concepts:
        return radial_layout(model, view.centre, list(view.sectors))
    if view is not None and view.layout == "pathway" and view.backbone:
        return pathway_layout(model, view.backbone)
    return force_layout(model)


def make_map(graph: Graph | ox.Store | None = None, *, view: str = OVERVIEW,
             focus: str | None = None, depth: int = 1, query: str | None = None,
             sparql: str | None = None, inferred: bool = False, title: str | None = None,
             params: dict[str, str] | None = None, links: tuple[tuple[str, str], ...] = (),
             concept_pages: str | None = None, reader: str | None = None, embed: bool = False,
             views: tuple[tuple[str, str], ...] = ()) -> ConceptMap:
    """Build a concept map.

    :param graph: a release store (:func:`pathokg.querying.release.release_store`, the default) or
        an rdflib graph (without entailments, so without ``inferred``).
    :param view: ``overview``, ``dc``, ``mechanism``, ``ckd`` (see :func:`view_names`).
    :param focus: a concept (label, synonym, id or IRI): draw its neighbourhood instead.
    :param depth: how many relations away from ``focus`` to go.
    :param query: a named query: draw its result (a CONSTRUCT's triples, or the concepts a
        SELECT's rows hold and the relations among them).
    :param sparql: any such query text: draw its result (pathokg's prefixes need no PREFIX line).
    :param inferred: add inferred relations, drawn dashed and grey.
    :param title: the page title.
    :param reader: the article page's address (each quote links to its passage there).
    :param embed: the page for a notebook cell: only the map and a compact toolbar.
    :raises ConceptNotFound: ``focus`` names no concept (the message lists close matches).
    :raises UnknownViewError: no such view.
    :raises QueryError: the query is unknown, malformed, an ASK, or draws no concept.
    """
    if sum(x is not None for x in (query, sparql, focus)) > 1:
        raise PathoKGError("choose one of a query, a SPARQL text, or a focus concept")
    store = release_store() if graph is None else as_store(graph)
    engine = Engine(store)
    full = model_from_graph(store, inferred=inferred_triples(store) if inferred else None)
    model, chosen, subtitle = _select(full, engine, get_view(view), focus=focus, depth=depth,
                                      query=query, sparql=sparql, params=params, inferred=inferred)
    name = chosen.name if chosen is not None else ("query" if sparql or query else "neighbourhood")
    if focus is not None:
        name = f"{full.find(focus).iri.rstrip('/').rsplit('/', 1)[-1]}-neighbourhood"
    positions = lay_out(model, chosen)
    extras = teaching_extras(full, model, positions, chosen)
    page_title = title or DEFAULT_TITLE
    sources = sorted({ev.source_title for e in model.edges for ev in e.evidence if ev.source_title})

    def svg() -> str:
        return render_svg(model, positions, legend_rows(model, full), title=page_title, subtitle=subtitle,
                          source=_source_line(sources, name), headings=extras.headings)

    if len(model.edges) <= EDGE_LABEL_LIMIT:  # the page saves and prints the whole map from it
        extras.svg = svg()
    page = render_html(model, positions, PageOptions(
        title=page_title, subtitle=subtitle, view=name, links=links, concept_pages=concept_pages,
        reader=reader, embed=embed, views=views,
        centre=full.find(focus).iri if focus is not None else chosen.centre if chosen else None), extras)
    result = ConceptMap(page, model, name, svg)
    if extras.svg is not None:
        result.__dict__["svg"] = extras.svg
    return result


def _source_line(titles: list[str], view: str) -> str:
    said = "; ".join(f"\u201c{t}\u201d" for t in titles)
    return (f"Source: {said} \u00b7 " if said else "") + f"pathokg concept map, view: {view} \u00b7 CC BY 4.0"


def teaching_extras(full: MapModel, model: MapModel, positions: Positions,
                    view: View | None) -> Extras:
    """The story, the quiz, the sector headings and the rest of the graph for one map."""
    from .story import story_view

    headings = []
    if view is not None and view.layout == "radial" and view.centre in model.concepts and view.sectors:
        headings = sector_headings(model, positions, view.centre, list(view.sectors))
    return Extras(full=full, headings=headings,
                  steps=story_steps(model, story_view()) if view is None or not view.sectors
                  else story_steps(model, view),
                  quiz=questions(model) if len(model.edges) <= QUIZ_LIMIT else [])


def _select(full: MapModel, engine: Engine, chosen: View, *, focus: str | None, depth: int,
            query: str | None, sparql: str | None, params: dict[str, str] | None,
            inferred: bool) -> tuple[MapModel, View | None, str]:
    """The part of the model a map draws (a view, a neighbourhood or a query's result), the view
    that lays it out (``None``: a force layout) and the subtitle that says what it is."""
    if focus is not None:
        centre = full.find(focus)
        subtitle = (f"The neighbourhood of {centre.label}: every concept within {depth} "
                    f"relation{'s' if depth != 1 else ''}.")
        return full.neighbourhood(centre.iri, depth), None, subtitle
    if query is not None:
        named = find_query(query)
        return _drawn(full, run_named(engine, named, params, inferred=inferred), query), \
            view_of_query(named), named.summary
    if sparql is not None:
        return _drawn(full, run_for_map(engine, sparql, inferred=inferred), "the query"), None, \
            "The result of a SPARQL query."
    if chosen.query is None:
        return full, chosen, chosen.summary
    if chosen.draws == "hpo":
        from .hpo import hpo_view

        model, centre, subtitle = hpo_view(full, engine, chosen.query, params)
        return model, replace(chosen, centre=centre), subtitle
    if params:
        raise QueryError(f"the view {chosen.name!r} takes no parameters; parameters "
                         f"{sorted(params)} go with a query (--query NAME) or a view that has them")
    model = full.from_triples(construct(engine, chosen.query.text))
    if inferred:
        drawn = {e.triple for e in model.edges}
        model.edges += [e for e in full.edges if e.inferred and e.subject in model.concepts
                        and e.object in model.concepts and e.triple not in drawn]
    return model, chosen, chosen.summary


def _drawn(full: MapModel, drawn: Drawn, what: str) -> MapModel:
    """The model a query's result draws; a result without concepts is an error, not an empty map."""
    model = full.from_triples(drawn.triples) if drawn.graph else full.restrict(concepts_named(full, drawn))
    if not model.concepts:
        raise QueryError(f"{what} returned no concept to draw (a map draws the concepts a "
                         "CONSTRUCT's triples or a SELECT's rows name)")
    return model


#: What ``write_map`` writes, by file extension.
FORMATS = (".html", ".svg", ".pdf", ".png")


def write_map(path: Path | str, graph: Graph | ox.Store | None = None, *, force: bool = False,
              **kwargs: Any) -> ConceptMap:
    """Build a map (see :func:`make_map`) and write it to ``path`` atomically: the page (``.html``)
    or the whole map as a picture with title, legend and source (``.svg``; ``.pdf``, one page, and
    ``.png``, at twice the map's size, rendered by Chromium: see :mod:`.printing`).

    :param force: replace ``path`` even if pathokg did not write it (see :mod:`pathokg.rdf.atomic`).
    :raises ExportError: an extension other than these.
    :raises OutputError: ``path`` is not pathokg's to replace, or cannot be written.
    :raises ToolMissing: a PDF or PNG without Chromium on the machine (exit code 3).
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{out.name}: write the map as {', '.join(FORMATS)} (by the file's extension)")
    check_file(out, force=force)  # before the work, so a refusal costs nothing
    if suffix in (".pdf", ".png"):
        from .printing import find_browser

        find_browser()  # before any work: a missing browser is said at once
    result = make_map(graph, **kwargs)
    if suffix == ".html":
        write_file(out, result.html, force=force)
    elif suffix == ".svg":
        write_file(out, result.svg, force=force)
    else:
        from .printing import render_file

        render_file(result.svg, out, suffix[1:], force=force)
    return result


def embed(page: str, height: int = 640) -> str:
    """The page inside an ``<iframe srcdoc>``: embedded in the notebook, no file, no server."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="pathokg concept map" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd;display:block" '
            'sandbox="allow-scripts allow-downloads allow-popups"></iframe>')


@dataclass
class Embedded:
    """A map shown inline by Jupyter and VS Code (``_repr_html_``): no IPython import, no warning."""

    page: str
    height: int = 640

    def _repr_html_(self) -> str:
        return embed(self.page, self.height)


def show(graph: Graph | ox.Store | None = None, *, height: int = 640, **kwargs: Any) -> Embedded:
    """Display a map inline in Jupyter or VS Code notebooks (the page embedded, not a file): only
    the map and a compact toolbar, sized to the cell, labels legible at the opening view.

    Takes the arguments of :func:`make_map`.
    """
    return Embedded(make_map(graph, embed=True, **kwargs).html, height)
