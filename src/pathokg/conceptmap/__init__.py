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
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import PathoKGError
from .layout import Positions, force_layout, pathway_layout, radial_layout
from .model import ConceptNotFound, MapModel, model_from_graph
from .render import PageOptions, render_html
from .source import construct, engine_for, find_query, inferred_triples, named_construct
from .views import OVERVIEW, UnknownViewError, View, get_view, view_names, view_of_query

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

    :param graph: the graph (default: the release, :func:`pathokg.load`).
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
    if graph is None:
        from ..build import load

        graph = load()
    engine = engine_for(graph, inferred=inferred)
    full = model_from_graph(engine.store,
                            inferred=inferred_triples(engine) if inferred else None)
    chosen: View | None = get_view(view)
    subtitle = chosen.summary
    if focus is not None:
        centre = full.find(focus)
        model = full.neighbourhood(centre.iri, depth)
        chosen = None
        subtitle = (f"The neighbourhood of {centre.label}: every concept within {depth} "
                    f"relation{'s' if depth != 1 else ''}.")
    elif query is not None:
        named = find_query(query)
        model = full.from_triples(named_construct(engine, named, params, inferred=inferred))
        chosen = view_of_query(named)
        subtitle = named.summary
    elif sparql is not None:
        model = full.from_triples(construct(engine, sparql, inferred=inferred))
        chosen = None
        subtitle = "The result of a SPARQL query."
    elif chosen.query is not None:
        model = full.from_triples(construct(engine, chosen.query.text))
    else:
        model = full
    if inferred and (query is None and sparql is None) and chosen is not None \
            and chosen.query is not None:
        drawn = {e.triple for e in model.edges}
        model.edges += [e for e in full.edges if e.inferred and e.subject in model.concepts
                        and e.object in model.concepts and e.triple not in drawn]
    name = chosen.name if chosen is not None else ("query" if sparql or query else "neighbourhood")
    page = render_html(model, lay_out(model, chosen), PageOptions(
        title=title or DEFAULT_TITLE, subtitle=subtitle, view=name, links=links,
        concept_pages=concept_pages))
    return ConceptMap(page, model, name)


def write_atomically(path: Path | str, text: str) -> Path:
    """Write a file through a temporary sibling and a rename: never a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_map(path: Path | str, graph: Graph | ox.Store | None = None, **kwargs: Any) -> ConceptMap:
    """Build a map (see :func:`make_map`) and write it to ``path`` atomically."""
    result = make_map(graph, **kwargs)
    write_atomically(path, result.html)
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
