"""The concept map for educators: one self-contained, offline HTML page with evidence on every edge.

>>> import pathokg.conceptmap as cm
>>> page = cm.make_map(view="ckd")                     # doctest: +SKIP
>>> cm.write_map("ckd.html", view="ckd")               # doctest: +SKIP
>>> cm.show(focus="CKD", depth=1)                      # in a notebook: the map, embedded
<IPython.core.display.HTML object>

:func:`make_map` builds the model from the graph (:mod:`.model`), picks the concepts and edges
(a view, a query, a neighbourhood), lays them out (:mod:`.layout`) and renders the page
(:mod:`.render`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import ConceptNotFound, PathoKGError, UnknownViewError
from ..querying.engine import Engine
from ..querying.release import release_store
from ..rdf.atomic import check_file, write_file
from ..rdf.store import as_store
from .layout import Positions, force_layout, pathway_layout, radial_layout
from .model import MapModel, model_from_graph
from .render import PageOptions, render_html
from .source import construct, find_query, inferred_triples, named_construct
from .views import OVERVIEW, View, get_view, view_names, view_of_query

__all__ = [
    "ConceptMap",
    "ConceptNotFound",
    "MapModel",
    "UnknownViewError",
    "make_map",
    "show",
    "view_names",
    "write_map",
]

DEFAULT_TITLE = "Dystrophic calcification: concept map"


@dataclass
class ConceptMap:
    """A rendered map: its page, and the model it draws."""

    html: str
    model: MapModel
    view: str

    def _repr_html_(self) -> str:
        return embed(self.html)


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
             concept_pages: str | None = None) -> ConceptMap:
    """Build a concept map.

    :param graph: a release store (:func:`pathokg.querying.release.release_store`, the default) or
        an rdflib graph (without entailments, so without ``inferred``).
    :param view: ``overview``, ``dc``, ``mechanism``, ``ckd`` (see :func:`view_names`).
    :param focus: a concept (label, synonym, id or IRI): draw its neighbourhood instead.
    :param depth: how many relations away from ``focus`` to go.
    :param query: a named CONSTRUCT query: draw its result.
    :param sparql: any CONSTRUCT query text: draw its result.
    :param inferred: add inferred relations, drawn dashed and grey.
    :param title: the page title.
    :raises ConceptNotFound: ``focus`` names no concept (the message lists close matches).
    :raises UnknownViewError: no such view.
    :raises QueryError: the query is unknown, malformed or not a CONSTRUCT.
    """
    if sum(x is not None for x in (query, sparql, focus)) > 1:
        raise PathoKGError("choose one of a query, a SPARQL text, or a focus concept")
    store = release_store() if graph is None else as_store(graph)
    engine = Engine(store)
    full = model_from_graph(store, inferred=inferred_triples(store) if inferred else None)
    model, chosen, subtitle = _select(full, engine, get_view(view), focus=focus, depth=depth,
                                      query=query, sparql=sparql, params=params, inferred=inferred)
    name = chosen.name if chosen is not None else ("query" if sparql or query else "neighbourhood")
    page = render_html(model, lay_out(model, chosen), PageOptions(
        title=title or DEFAULT_TITLE, subtitle=subtitle, view=name, links=links,
        concept_pages=concept_pages))
    return ConceptMap(page, model, name)


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
        model = full.from_triples(named_construct(engine, named, params, inferred=inferred))
        return model, view_of_query(named), named.summary
    if sparql is not None:
        model = full.from_triples(construct(engine, sparql, inferred=inferred))
        return model, None, "The result of a SPARQL query."
    if chosen.query is None:
        return full, chosen, chosen.summary
    model = full.from_triples(construct(engine, chosen.query.text))
    if inferred:
        drawn = {e.triple for e in model.edges}
        model.edges += [e for e in full.edges if e.inferred and e.subject in model.concepts
                        and e.object in model.concepts and e.triple not in drawn]
    return model, chosen, chosen.summary


def write_map(path: Path | str, graph: Graph | ox.Store | None = None, *, force: bool = False,
              **kwargs: Any) -> ConceptMap:
    """Build a map (see :func:`make_map`) and write it to ``path`` atomically.

    :param force: replace ``path`` even if pathokg did not write it (see :mod:`pathokg.rdf.atomic`).
    :raises OutputError: ``path`` is not pathokg's to replace, or cannot be written.
    """
    check_file(path, force=force)  # before the work, so a refusal costs nothing
    result = make_map(graph, **kwargs)
    write_file(path, result.html, force=force)
    return result


def embed(page: str, height: int = 720) -> str:
    """The page inside an ``<iframe srcdoc>``: embedded in the notebook, no file, no server."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="pathokg concept map" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
            'sandbox="allow-scripts allow-downloads allow-popups"></iframe>')


def show(graph: Graph | ox.Store | None = None, *, height: int = 720, **kwargs: Any) -> Any:
    """Display a map inline in Jupyter or VS Code notebooks (the page embedded, not a file).

    Takes the arguments of :func:`make_map`; returns an ``IPython.display.HTML`` object.
    """
    from IPython.display import HTML

    return HTML(embed(make_map(graph, **kwargs).html, height))
