"""Render a concept map as one self-contained HTML page.

The nodes and the vis-network options are held in pyvis's network model
(:class:`pyvis.network.Network`), filled directly rather than through ``add_node``; the edges,
the bulk of a large map, bypass it (pyvis's ``add_edge`` scans a list of node ids per edge and
keeps a dict per edge) and go into the page as one flat array of ``[from, to, relation]`` index
triples. Our own Jinja template inlines vis-network, the page's script and style: the page loads
nothing from anywhere. Data goes into the page as JSON in a ``<script type="application/json">``
element and is only ever inserted as text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..paths import STATIC_DIR
from ..vocab import BASE
from .labels import DEFAULT_SHAPE_SIZE, FONT_BELOW, FONT_INSIDE, INSIDE, MARGIN, SHAPE_SIZE, WRAP
from .layout import Positions
from .model import Annotation, Concept, Edge, Evidence, MapModel, evidence_anchor, paused_gc
from .quiz import Question
from .story import Step
from .style import STYLES, style_for
from .svg import EDGE_STYLE_TEXT

#: The page's scripts, inlined in this order (each adds a part to ``window.pathokgMap``).
SCRIPTS = ("concept-map.js", "edge-labels.js", "modes.js", "state.js")
#: Up to this many relations in the whole graph, every page also carries the rest of it, so the
#: search finds every concept and can add one to the drawing.
EXTRAS_LIMIT = 3000
#: Above this many edges, edge labels are left out of the drawing (the panel still shows them).
EDGE_LABEL_LIMIT = 600
#: Above this many edges, hovering an edge shows no tooltip (saves memory and time).
TOOLTIP_LIMIT = 5000
#: Above this many edges, arrowheads are drawn only once the view is zoomed in far enough to see
#: them (at the scale that fits a map this large they are specks, and cost half the first draw).
ARROW_LIMIT = 20000


@dataclass(frozen=True)
class PageOptions:
    """What the page says around the map, and where its links go."""

    title: str = "pathokg concept map"
    subtitle: str = ""
    view: str = "overview"
    #: links shown in the header when a server serves the page: (text, href) pairs.
    links: tuple[tuple[str, str], ...] = ()
    #: if set, the panel links each concept to its page: this prefix + the concept's IRI path.
    concept_pages: str | None = None
    #: if set, each quote links to its passage in the article page: this href + ``#`` + anchor.
    reader: str | None = None
    #: the page inside a notebook cell: only the map and a compact toolbar.
    embed: bool = False
    #: where the other views are (served pages): (view name, href) pairs, for the view menu.
    views: tuple[tuple[str, str], ...] = ()
    #: the concept the map opens on when the whole map is too small to read (the view's centre,
    #: a neighbourhood's concept); by default the best-connected one.
    centre: str | None = None


@dataclass
class Extras:
    """What a page carries besides its drawing: the rest of the graph (for search across every
    concept), the sector headings, the story, the quiz and the SVG of the whole map."""

    full: MapModel | None = None
    headings: list[dict[str, Any]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    quiz: list[Question] = field(default_factory=list)
    svg: str | None = None


@cache
def _asset(*parts: str) -> str:
    text = STATIC_DIR.joinpath(*parts).read_text(encoding="utf-8")
    # drop source-map comments: a browser's developer tools would try to fetch them.
    return "\n".join(line for line in text.splitlines() if "sourceMappingURL=" not in line)


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("pathokg.conceptmap", "templates"),
                       autoescape=select_autoescape(["html", "j2"]),
                       keep_trailing_newline=True)


def json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` characters).

    Keys keep their (deterministic) insertion order.

    >>> json_for_script({"a": "</script>"})
    '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _category_order(model: MapModel, full: MapModel | None = None) -> list[str]:
    known = list(STYLES)
    used = {c.category for c in model.concepts.values()}
    if full is not None:
        used |= {c.category for c in full.concepts.values()}

    def key(iri: str) -> tuple[int, str]:
        local = model.categories[iri].key if iri in model.categories else iri
        return (known.index(local) if local in known else len(known), local)

    return sorted(used, key=key)


def _categories(model: MapModel, order: list[str]) -> list[dict[str, Any]]:
    """The legend: one row per category drawn, with its style and how many concepts it has."""
    counts = dict.fromkeys(order, 0)
    for c in model.concepts.values():
        counts[c.category] += 1
    rows = []
    fallback = 0
    for iri in order:
        cat = model.categories.get(iri)
        key = cat.key if cat else iri.rsplit("/", 1)[-1]
        if key not in STYLES:
            fallback += 1
        style = style_for(key, fallback - 1)
        rows.append({"key": key, "iri": iri, "label": cat.label if cat else key,
                     "definition": cat.definition if cat else "", "color": style.color,
                     "border": style.border, "shape": style.shape, "count": counts[iri],
                     "inside": style.shape in INSIDE, "dashed": style.dashed})
    return rows


def legend_rows(model: MapModel, full: MapModel | None = None) -> list[dict[str, Any]]:
    """The legend of a map: a row per category (drawn first by the style table's order)."""
    return _categories(model, _category_order(model, full))


def _relation_rows(relation_types: dict[str, Any], relations: list[str]) -> list[dict[str, str]]:
    """The relations drawn, with the label and definition the panel shows."""
    rows = []
    for iri in relations:
        rel = relation_types.get(iri)
        rows.append({"iri": iri, "label": rel.label if rel else iri.rsplit("/", 1)[-1],
                     "definition": rel.definition if rel else ""})
    return rows


def _evidence_tables(edges: list[Edge]) -> tuple[list[dict[str, Any]], list[list[int]]]:
    """Each passage once (``evidence``), and per edge with evidence ``[edge, passage, ...]``."""
    evidence_rows: list[dict[str, Any]] = []
    evidence_index: dict[Evidence, int] = {}
    edge_evidence: list[list[int]] = []
    for i, e in enumerate(edges):
        if not e.evidence:
            continue
        row = [i]
        for ev in e.evidence:
            if ev not in evidence_index:
                evidence_index[ev] = len(evidence_rows)
                passage = {"iri": ev.iri, "quote": ev.quote, "section": ev.section,
                        "path": ev.section_path, "source": ev.source,
                        "sourceTitle": ev.source_title, "start": ev.start, "end": ev.end,
                        "anchor": evidence_anchor(ev.iri), "style": ev.style}
                if ev.certainty is not None:
                    passage["certainty"] = {"key": ev.certainty.key, "label": ev.certainty.label}
                if ev.conditions:
                    passage["conditions"] = list(ev.conditions)
                evidence_rows.append(passage)
            row.append(evidence_index[ev])
        edge_evidence.append(row)
    return evidence_rows, edge_evidence


def network(model: MapModel, positions: Positions,
            extras: Extras | None = None) -> tuple[Any, dict[str, Any]]:
    """Fill a pyvis Network with the model, and build the page data that goes with it.

    Concepts and edges that are drawn come first; the rest of the graph (``extras.full``, for the
    search) follows them in the same arrays, after ``nodes``/``edgeCount`` entries.
    """
    from pyvis.network import Network  # imported here: it pulls in IPython

    extras = extras or Extras()
    full = extras.full if extras.full is not None and len(extras.full.edges) <= EXTRAS_LIMIT else None
    net = Network(directed=True, height="100%", width="100%")
    order = _category_order(model, full)
    cat_index = {iri: i for i, iri in enumerate(order)}
    categories = _categories(model, order)
    concepts: list[Concept] = sorted(model.concepts.values(), key=lambda c: c.iri)
    more: list[Concept] = sorted((c for c in full.concepts.values() if c.iri not in model.concepts),
                                 key=lambda c: c.iri) if full is not None else []
    node_index = {c.iri: i for i, c in enumerate([*concepts, *more])}
    edges = sorted(model.edges, key=attrgetter("subject", "predicate", "object", "inferred"))
    drawn = {e.triple for e in edges}
    more_edges = sorted((e for e in full.edges if e.triple not in drawn and not e.inferred
                         and (e.subject not in model.concepts or e.object not in model.concepts)),
                        key=attrgetter("subject", "predicate", "object")) if full is not None else []
    all_edges = [*edges, *more_edges]
    relations = sorted({e.predicate for e in all_edges})
    rel_index = {iri: i for i, iri in enumerate(relations)}
    relation_types = {**(full.relation_types if full else {}), **model.relation_types}

    net.node_ids = list(range(len(concepts)))
    net.node_map = {}
    for i, c in enumerate(concepts):
        x, y = positions.get(c.iri, (0.0, 0.0))
        node = {"id": i, "label": c.label, "group": f"c{cat_index[c.category]}", "x": x, "y": y}
        net.node_map[i] = node
        net.nodes.append(node)
    # Edges are the bulk of a large map: one flat array of [from, to, relation] triples (no
    # per-edge objects or repeated strings); the few inferred edges and the edges with evidence
    # are listed apart, by edge index.
    flat = [k for e in all_edges
            for k in (node_index[e.subject], node_index[e.object], rel_index[e.predicate])]
    evidence_rows, edge_evidence = _evidence_tables(all_edges)
    node_meta = [{"iri": c.iri, "c": cat_index[c.category], "d": c.definition,
                  "s": list(c.synonyms),
                  "x": [[x.curie, x.iri, x.match] for x in c.identifiers]} for c in [*concepts, *more]]
    for meta, c in zip(node_meta[len(concepts):], more, strict=True):
        meta["l"] = c.label
    for meta, c in zip(node_meta, [*concepts, *more], strict=True):
        if c.source:
            meta["src"] = c.source
    net.options = _options(categories, len(edges))
    edge_ids = {e.triple: i for i, e in enumerate(all_edges)}
    data = {"categories": categories, "relations": _relation_rows(relation_types, relations),
            "nodeMeta": node_meta, "edges": flat, "edgeCount": len(edges),
            "edgeTotal": len(all_edges),
            "inferred": [i for i, e in enumerate(edges) if e.inferred],
            "edgeStyles": [[i, e.style] for i, e in enumerate(all_edges)
                           if e.style not in ("stated", "inferred")],
            "styleText": EDGE_STYLE_TEXT,
            "edgeEvidence": edge_evidence, "evidence": evidence_rows,
            "annotations": [[i, [_annotation_row(a) for a in e.annotations]]
                            for i, e in enumerate(all_edges) if e.annotations],
            "edgeLabels": len(edges) <= EDGE_LABEL_LIMIT, "tooltips": len(edges) <= TOOLTIP_LIMIT,
            "deferArrows": len(edges) > ARROW_LIMIT,
            "headings": extras.headings,
            "story": [_step_row(s, node_index, edge_ids) for s in extras.steps],
            "quiz": [_question_row(q, node_index, rel_index, edge_ids) for q in extras.quiz
                     if q.edge.triple in edge_ids and edge_ids[q.edge.triple] < len(edges)],
            "svg": extras.svg}
    return net, data


def _annotation_row(a: Annotation) -> dict[str, Any]:
    """One of HPO's annotations as the panel shows it."""
    return {"id": a.phenotype_id, "label": a.phenotype_label, "evidence": a.evidence_code,
            "references": list(a.references), "frequency": a.frequency, "onset": a.onset}


def _step_row(step: Step, node_index: dict[str, int], edge_ids: dict[Any, int]) -> dict[str, Any]:
    return {"n": step.number, "title": step.title,
            "nodes": [node_index[k] for k in step.concepts if k in node_index],
            "edges": sorted(edge_ids[e.triple] for e in step.edges if e.triple in edge_ids)}


def _question_row(q: Question, node_index: dict[str, int], rel_index: dict[str, int],
                  edge_ids: dict[Any, int]) -> list[Any]:
    """``[edge, hidden ("s", "p" or "o"), [choices], answer]``: choices are relation indices when
    the relation is hidden, else concept indices."""
    table = rel_index if q.hidden == "relation" else node_index
    return [edge_ids[q.edge.triple], q.hidden[0] if q.hidden != "relation" else "p",
            [table[c] for c in q.choices], table[q.answer]]


def _options(categories: list[dict[str, Any]], edge_count: int) -> dict[str, Any]:
    """vis-network options, set once for all nodes (per category) and all edges: a large map
    passes no option per edge (vis-network merges per-edge options edge by edge). Relation labels
    are drawn by the page itself (``edge-labels.js``), above the concepts and where they fit."""
    big = edge_count > 3000
    edges: dict[str, Any] = {
        "arrows": {"to": {"enabled": edge_count <= ARROW_LIMIT, "scaleFactor": 0.7}},
        "color": {"color": "#5b5b5b", "highlight": "#111111", "hover": "#111111", "inherit": False},
        "smooth": False, "width": 1 if big else 1.6, "selectionWidth": 2, "hoverWidth": 1.5,
    }
    groups = {}
    for i, cat in enumerate(categories):
        groups[f"c{i}"] = {
            "shape": cat["shape"],
            "color": {"background": cat["color"], "border": cat["border"],
                      "highlight": {"background": cat["color"], "border": "#111111"},
                      "hover": {"background": cat["color"], "border": "#111111"}},
            "font": {"color": "#111111", "size": FONT_INSIDE if cat["inside"] else FONT_BELOW,
                     "strokeWidth": 0 if cat["inside"] else 5, "strokeColor": "#ffffff"},
            "borderWidth": 2, "size": SHAPE_SIZE.get(cat["shape"], DEFAULT_SHAPE_SIZE),
            "shapeProperties": {"borderDashes": [5, 3] if cat["dashed"] else False},
        }
    return {
        "autoResize": True,
        "groups": groups,
        # wrapping long labels measures every word of every label: only on maps small enough to
        # read whole (at the scale that fits a large map, labels are below drawing size anyway).
        "nodes": {"font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"},
                  "widthConstraint": False if big else {"maximum": WRAP}, "margin": MARGIN,
                  "shadow": False},
        "edges": edges,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": not big, "tooltipDelay": 150, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnDrag": big, "hideEdgesOnZoom": big, "multiselect": False},
    }


def render_html(model: MapModel, positions: Positions, options: PageOptions | None = None,
                extras: Extras | None = None) -> str:
    """The complete, self-contained HTML page of a concept map (same input, same bytes)."""
    options = options or PageOptions()
    with paused_gc():
        net, data = network(model, positions, extras)
    nodes, _edges, _heading, _height, _width, vis_options = net.get_network_data()
    sources = sorted({(ev["source"], ev["sourceTitle"]) for ev in data["evidence"] if ev["source"]})
    page = {
        **data, "nodes": nodes, "options": json.loads(vis_options),
        "title": options.title, "subtitle": options.subtitle, "view": options.view,
        "conceptPages": options.concept_pages, "reader": options.reader, "embed": options.embed,
        "views": [list(v) for v in options.views], "base": BASE,
        "centre": sorted(model.concepts).index(options.centre) if options.centre in model.concepts else None,
        "sources": [{"iri": s, "title": t} for s, t in sources],
        "acknowledgements": list(model.acknowledgements),
    }
    template = _environment().get_template("concept-map.html.j2")
    return template.render(
        title=options.title, subtitle=options.subtitle, links=options.links, embed=options.embed,
        sources=page["sources"], counts=(len(nodes), data["edgeCount"]),
        acknowledgements=model.acknowledgements,
        data_json=json_for_script(page),
        vis_js=_asset("vis-network", "vis-network.min.js"),
        map_js="\n".join(_asset("conceptmap", name) for name in SCRIPTS),
        map_css=_asset("conceptmap", "concept-map.css"),
    )
