"""The whole map as one SVG picture: every concept and relation of the view (not the part on
screen), with a title, the legend and a source line, for slides and handouts.

Drawn here from the laid-out model, with the page's visual language (:mod:`.style`) and label
boxes (:mod:`.labels`), so it needs no browser and gives the same bytes for the same map. A
relation's label is printed at the middle of its arrow, or a little to either side, where it
overlaps no concept and no other label (with a white halo, so the line never runs through it);
where no such place exists it is left out and the footer says how many. PDF and PNG are rendered
from this SVG (:mod:`.printing`).
"""

from __future__ import annotations

import math
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .labels import DEFAULT_SHAPE_SIZE, FONT_BELOW, FONT_INSIDE, INSIDE, SHAPE_SIZE, box_size, text_width, wrap
from .layout import Positions
from .model import MapModel

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
EDGE_FONT = 13
HEADING_FONT = 26
LEGEND_WIDTH = 430
HEADER = 96
MARGIN = 40
#: Edge colours by style (inferred edges are dashed grey, as on the page).
EDGE_STYLES = {"stated": ("#5b5b5b", ""), "inferred": ("#8a8a8a", "10 8"),
               "hedged": ("#7a5a00", "2 5"), "conditional": ("#7a3e9d", "12 4 2 4"),
               "investigational": ("#b03a2e", "4 4"),
               "hpo": ("#00798c", "1 4"), "mapping": ("#3d5a80", "8 3 1 3")}
#: What each edge style means, for the legends of the SVG and the page.
EDGE_STYLE_TEXT = {"stated": "stated in the article", "inferred": "inferred by reasoning",
                   "hedged": "stated with a hedge (typical, possible, promising)",
                   "conditional": "stated under a condition",
                   "investigational": "under investigation",
                   "hpo": "the Human Phenotype Ontology's (HPO's), not the article's",
                   "mapping": "pathokg's mapping to HPO, not the article's"}

Rect = tuple[float, float, float, float]  # left, top, right, bottom


def _overlap(a: Rect, b: Rect, gap: float = 2.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def node_rects(model: MapModel, positions: Positions, shapes: dict[str, str]) -> dict[str, Rect]:
    """Each concept's box (shape and label) in map coordinates."""
    out = {}
    for iri, c in model.concepts.items():
        x, y = positions.get(iri, (0.0, 0.0))
        w, h, off = box_size(c.label, shapes[iri])
        out[iri] = (x - w / 2, y + off - h / 2, x + w / 2, y + off + h / 2)
    return out


def _clip(x: float, y: float, tx: float, ty: float, shape: str, w: float, h: float) -> tuple[float, float]:
    """Where the line from the node centre (x, y) towards (tx, ty) leaves the node's shape."""
    dx, dy = tx - x, ty - y
    d = math.hypot(dx, dy) or 1.0
    if shape in INSIDE:
        if shape == "box":
            t = min((w / 2) / abs(dx) if dx else math.inf, (h / 2) / abs(dy) if dy else math.inf)
        else:
            t = 1 / math.sqrt((dx / (w / 2)) ** 2 + (dy / (h / 2)) ** 2)
        return x + dx * min(t, 1.0), y + dy * min(t, 1.0)
    r = SHAPE_SIZE.get(shape, DEFAULT_SHAPE_SIZE) + 2
    return x + dx / d * r, y + dy / d * r


def place_edge_labels(segments: list[tuple[int, str, float, float, float, float]],
                      obstacles: list[Rect], size: float = EDGE_FONT) -> dict[int, tuple[float, float, Rect]]:
    """Greedy placement of relation labels: for each segment ``(key, text, x1, y1, x2, y2)``, the
    first of the middle, 40 % and 60 % of the way (then 30 % and 70 %) where the label's box
    overlaps no obstacle and no label placed before it. Returns ``key -> (x, y, box)``."""
    placed: dict[int, tuple[float, float, Rect]] = {}
    taken: list[Rect] = []
    for key, text, x1, y1, x2, y2 in segments:
        w, h = text_width(text, size) + 6, size + 4
        if math.hypot(x2 - x1, y2 - y1) < w * 0.6:
            continue
        for t in (0.5, 0.4, 0.6, 0.3, 0.7):
            cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if not any(_overlap(box, o) for o in obstacles) and not any(_overlap(box, o) for o in taken):
                placed[key] = (cx, cy, box)
                taken.append(box)
                break
    return placed


def _shape(shape: str, x: float, y: float, w: float, h: float, fill: str, stroke: str, dashed: bool) -> str:
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="2"{dash}'
    s = SHAPE_SIZE.get(shape, DEFAULT_SHAPE_SIZE)
    if shape == "box":
        return f'<rect x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" {paint}/>'
    if shape in INSIDE:
        return f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{w / 2:.1f}" ry="{h / 2:.1f}" {paint}/>'
    if shape in ("dot", "circle"):
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" {paint}/>'
    if shape == "square":
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s}" height="{2 * s}" {paint}/>'
    unit = {"diamond": [(0, -1), (1, 0), (0, 1), (-1, 0)],
            "triangle": [(0, -1), (1, 0.8), (-1, 0.8)],
            "triangleDown": [(-1, -0.8), (1, -0.8), (0, 1)],
            "hexagon": [(-0.5, -0.87), (0.5, -0.87), (1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0)],
            "star": [(math.cos(a) * r, math.sin(a) * r) for k in range(10)
                     for a, r in [(-math.pi / 2 + k * math.pi / 5, 1.0 if k % 2 == 0 else 0.45)]]}
    pts = " ".join(f"{x + px * s:.1f},{y + py * s:.1f}" for px, py in unit.get(shape, unit["diamond"]))
    return f'<polygon points="{pts}" {paint}/>'


def _text(lines: list[str], x: float, y: float, size: float, **attrs: str) -> str:
    extra = "".join(f" {k.rstrip('_').replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * 1.15:.1f}">{escape(t)}</tspan>'
                    for i, t in enumerate(lines))
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{spans}</text>'


def render_svg(model: MapModel, positions: Positions, categories: list[dict[str, Any]], *,
               title: str, subtitle: str = "", source: str = "",
               headings: list[dict[str, Any]] | None = None) -> str:
    """The SVG document of the whole map (see the module docstring)."""
    style_of = {row["iri"]: row for row in categories}
    shapes = {iri: style_of[c.category]["shape"] for iri, c in model.concepts.items()}
    rects = node_rects(model, positions, shapes)
    heads = headings or []
    head_rects = [(h["x"] - text_width(str(h["text"]), HEADING_FONT) / 2, h["y"] - HEADING_FONT,
                   h["x"] + text_width(str(h["text"]), HEADING_FONT) / 2, h["y"] + 6) for h in heads]
    every = list(rects.values()) + head_rects or [(0.0, 0.0, 1.0, 1.0)]
    left, top = min(r[0] for r in every) - MARGIN, min(r[1] for r in every) - MARGIN
    right, bottom = max(r[2] for r in every) + MARGIN, max(r[3] for r in every) + MARGIN
    legend_rows = len([c for c in categories if c["count"]]) + 8
    width = right - left + LEGEND_WIDTH
    height = max(bottom - top, legend_rows * 26.0) + HEADER + 50
    ox, oy = -left, -top + HEADER  # map coordinates -> picture coordinates
    edges = sorted(model.edges, key=lambda e: (e.subject, e.predicate, e.object))
    segments = []
    lines = []
    for k, e in enumerate(edges):
        (x1, y1), (x2, y2) = positions.get(e.subject, (0, 0)), positions.get(e.object, (0, 0))
        r1, r2 = rects[e.subject], rects[e.object]
        a = _clip(x1, y1, x2, y2, shapes[e.subject], r1[2] - r1[0], r1[3] - r1[1])
        b = _clip(x2, y2, x1, y1, shapes[e.object], r2[2] - r2[0], r2[3] - r2[1])
        rel = model.relation_types.get(e.predicate)
        segments.append((k, rel.label if rel else e.predicate.rsplit("/", 1)[-1], *a, *b))
        lines.append((e, a, b))
    # a map too dense to read its relation labels in print gets none (the page has them on hover)
    labels = place_edge_labels(segments, list(rects.values()) + head_rects) if len(segments) <= 600 else {}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family={quoteattr(FONT)}>',
           f"<title>{escape(title)}</title>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 Z" fill="#5b5b5b"/>'
           "</marker></defs>",
           f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
           _text([title], 24, 40, 28, font_weight="700", fill="#161616")]
    if subtitle:
        out.append(_text(wrap(subtitle, 16, width - 60)[:2], 24, 66, 16, fill="#555555"))
    out.append(f'<g transform="translate({ox:.1f},{oy:.1f})">')
    for h in heads:
        out.append(_text([str(h["text"])], float(h["x"]), float(h["y"]), HEADING_FONT, font_weight="700",
                         fill="#3d3d3d", text_anchor="middle", class_="heading"))
    out.append('<g class="edges">')
    for e, a, b in lines:
        colour, dash = EDGE_STYLES.get(e.style, EDGE_STYLES["stated"])
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
                   f'stroke="{colour}" stroke-width="1.6"{dashes} marker-end="url(#arrow)"/>')
    out.append("</g><g class=\"edge-labels\">")
    for k, (x, y, _box) in sorted(labels.items()):
        out.append(_text([segments[k][1]], x, y + EDGE_FONT * 0.35, EDGE_FONT, fill="#333333",
                         text_anchor="middle", stroke="#ffffff", stroke_width="4",
                         paint_order="stroke", stroke_linejoin="round"))
    out.append('</g><g class="concepts">')
    for iri, c in model.concepts.items():
        x, y = positions.get(iri, (0.0, 0.0))
        row = style_of[c.category]
        shape = shapes[iri]
        r = rects[iri]
        inside = shape in INSIDE
        size = FONT_INSIDE if inside else FONT_BELOW
        label = wrap(c.label, size)
        out.append(f"<g class=\"concept\"><title>{escape(c.label)}</title>")
        out.append(_shape(shape, x, y, r[2] - r[0], r[3] - r[1], row["color"], row["border"], row["dashed"]))
        if inside:
            y0 = y - (len(label) - 1) * size * 1.15 / 2 + size * 0.35
        else:
            y0 = y + SHAPE_SIZE.get(shape, DEFAULT_SHAPE_SIZE) + 4 + size * 0.8
        attrs = {"fill": "#111111", "text_anchor": "middle"}
        if not inside:
            attrs.update(stroke="#ffffff", stroke_width="5", paint_order="stroke", stroke_linejoin="round")
        out.append(_text(label, x, y0, size, **attrs) + "</g>")
    out.append("</g></g>")
    out += _legend(categories, {e.style for e in edges}, width - LEGEND_WIDTH + 16, HEADER + 10)
    left_out = len(edges) - len(labels)
    foot = source + "".join(f" · {a}" for a in model.acknowledgements)
    foot += (f" · {left_out} relation labels left out where they would overlap (the HTML map "
                     "shows every one)" if left_out else "")
    out.append(_text([foot], 24, height - 18, 14, fill="#555555"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend(categories: list[dict[str, Any]], styles: set[str], x: float, y: float) -> list[str]:
    out = [_text(["Categories"], x, y + 14, 16, font_weight="700", fill="#333333")]
    y += 34
    for row in categories:
        if not row["count"]:
            continue
        s = SHAPE_SIZE.get(row["shape"], DEFAULT_SHAPE_SIZE)
        scale = 9 / s
        out.append(f'<g transform="translate({x + 12:.1f},{y:.1f}) scale({scale:.3f})">'
                   + _shape(row["shape"], 0, 0, 2.4 * s, 1.5 * s, row["color"], row["border"], row["dashed"])
                   + "</g>")
        out.append(_text([str(row["label"])], x + 30, y + 5, 15, fill="#161616"))
        y += 26
    y += 10
    out.append(_text(["Relations (read subject — relation → object)"], x, y + 14, 16, font_weight="700",
                     fill="#333333"))
    y += 34
    for key in EDGE_STYLES:
        if key not in styles:
            continue
        colour, dash = EDGE_STYLES[key]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 36:.1f}" y2="{y:.1f}" stroke="{colour}" '
                   f'stroke-width="2.5"{dashes} marker-end="url(#arrow)"/>')
        out.append(_text([EDGE_STYLE_TEXT[key]], x + 46, y + 5, 15, fill="#161616"))
        y += 26
    return out
