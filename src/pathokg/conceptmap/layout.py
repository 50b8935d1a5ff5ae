"""Deterministic layouts, computed in Python so the browser draws the map at once (physics off).

* :func:`force_layout`: a seeded spring layout (networkx) for maps up to a few hundred concepts,
  and for larger ones a clustered layout in linear time: one disc per category, concepts on a
  sunflower spiral inside it, best connected first.
* :func:`radial_layout`: one concept at the centre, its neighbours in sectors around it.
* :func:`pathway_layout`: the steps of a pathway in order from left to right.

Every function returns ``{iri: (x, y)}`` in screen pixels; the same model gives the same positions.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from ..exports.analytics import undirected
from .labels import Box, box_size, separate
from .model import MapModel
from .sectors import NOWHERE, Sector, hanging, members, place
from .style import STYLES

Positions = dict[str, tuple[float, float]]

SEED = 20231219
#: Above this many concepts the spring layout is replaced by the clustered one.
SPRING_LIMIT = 400
SPACING = 150.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _rounded(pos: Positions) -> Positions:
    return {k: (round(x, 1), round(y, 1)) for k, (x, y) in sorted(pos.items())}


def boxes(model: MapModel) -> dict[str, Box]:
    """The estimated size of each concept's node, label included (see :mod:`.labels`)."""
    out = {}
    for iri, c in model.concepts.items():
        cat = model.categories.get(c.category)
        style = STYLES.get(cat.key if cat else "")
        out[iri] = box_size(c.label, style.shape if style else "dot")
    return out


def untangle(model: MapModel, pos: Positions, *, fixed: frozenset[str] = frozenset(),
             vertical_only: bool = False) -> Positions:
    """Move nodes apart until no two labels overlap (maps up to :data:`SPRING_LIMIT` concepts;
    at the scale that fits a larger map, labels are below drawing size anyway)."""
    if len(pos) > SPRING_LIMIT:
        return pos
    return separate(pos, boxes(model), fixed=fixed, vertical_only=vertical_only)


def force_layout(model: MapModel) -> Positions:
    """A seeded spring layout for small maps, the clustered layout for large ones."""
    n = len(model.concepts)
    if n == 0:
        return {}
    if n > SPRING_LIMIT:
        return clustered_layout(model)
    pairs = sorted({(min(e.subject, e.object), max(e.subject, e.object)) for e in model.edges})
    g = undirected(sorted(model.concepts), pairs)
    raw = nx.spring_layout(g, seed=SEED, iterations=300, k=1.6 / math.sqrt(n), weight=None)
    scale = SPACING * math.sqrt(n) * 0.75
    return untangle(model, {k: (float(v[0]) * scale * 1.3, float(v[1]) * scale * 0.8)
                            for k, v in raw.items()})


def _spiral(count: int, spacing: float) -> list[tuple[float, float]]:
    """Points of a sunflower (Vogel) spiral: evenly spread, densest nowhere."""
    return [(spacing * math.sqrt(i + 0.5) * math.cos(i * GOLDEN_ANGLE),
             spacing * math.sqrt(i + 0.5) * math.sin(i * GOLDEN_ANGLE)) for i in range(count)]


def clustered_layout(model: MapModel, spacing: float = 60.0) -> Positions:
    """One disc per category, laid out on a spiral; concepts inside by degree then label. O(n)."""
    degree: dict[str, int] = defaultdict(int)
    for e in model.edges:
        degree[e.subject] += 1
        degree[e.object] += 1
    groups: dict[str, list[str]] = defaultdict(list)
    for iri, c in model.concepts.items():
        groups[c.category].append(iri)
    order = sorted(groups, key=lambda k: (-len(groups[k]), k))
    radii = {k: spacing * math.sqrt(len(groups[k]) + 1) for k in order}
    pos: Positions = {}
    placed: list[tuple[float, float, float]] = []
    for k in order:
        r = radii[k]
        cx = cy = 0.0
        step = 0
        while True:  # walk out along a spiral until the disc overlaps no earlier one
            ang = step * GOLDEN_ANGLE
            dist = (spacing * 4) * math.sqrt(step)
            cx, cy = dist * math.cos(ang), dist * math.sin(ang)
            if all(math.hypot(cx - px, cy - py) > r + pr + spacing for px, py, pr in placed):
                break
            step += 1
        placed.append((cx, cy, r))
        members = sorted(groups[k], key=lambda i: (-degree[i], model.concepts[i].label, i))
        for iri, (dx, dy) in zip(members, _spiral(len(members), spacing), strict=True):
            pos[iri] = (cx + dx, cy + dy)
    return _rounded(pos)


def radial_layout(model: MapModel, centre: str, sectors: list[Sector]) -> Positions:
    """``centre`` in the middle; the concepts of each sector (see :mod:`.sectors`) around it in
    order, clockwise from the top, each sector's concepts ordered by where the article states
    their link; concepts that hang from those (kinds, parts, the next steps of a chain) stand
    further out, next to the concept they hang from.
    """
    pos: Positions = {centre: (0.0, 0.0)}
    placed = place(model, centre, sectors)
    parent = {k: p.parent for k, p in placed.items() if p.depth > 1}
    parent.update(hanging(model, centre, placed))
    inner = sorted((k for k, p in placed.items() if p.depth == 1),
                   key=lambda i: (placed[i].sector, placed[i].where, model.concepts[i].label))
    children: dict[str, list[str]] = defaultdict(list)
    for kid, up in sorted(parent.items(), key=lambda kv: (placed[kv[0]].where if kv[0] in placed
                                                          else NOWHERE, kv[0])):
        children[up].append(kid)

    def subtree(node: str) -> list[tuple[str, int]]:
        out, frontier, depth = [], [node], 1
        while frontier:
            frontier = [k for f in frontier for k in children.get(f, []) if k not in pos]
            depth += 1
            out += [(k, depth) for k in frontier]
        return out

    trees = {i: subtree(i) for i in inner}
    # angular slots: each inner concept gets room for itself and what hangs from it
    weights = [1 + 0.8 * max((sum(1 for _, d in trees[i] if d == level)
                              for level in {d for _, d in trees[i]}), default=0) for i in inner]
    sector_of = [placed[i].sector for i in inner]
    gaps = [0.0] + [1.2 if sector_of[j] != sector_of[j - 1] else 0.0 for j in range(1, len(inner))]
    total = sum(weights) + sum(gaps) + (1.2 if inner else 0)
    r1 = max(170.0, 9.0 * len(inner))
    ring = 160.0
    # an ellipse wider than tall: labels are wide, screens too (the untangling does the rest)
    sx, sy = 1.9, 0.65
    acc = 0.0
    for iri, w, gap in zip(inner, weights, gaps, strict=True):
        acc += gap
        mid = (acc + w / 2) / total * 2 * math.pi - math.pi / 2
        pos[iri] = (sx * r1 * math.cos(mid), sy * r1 * math.sin(mid))
        levels: dict[int, list[str]] = defaultdict(list)
        for kid, depth in trees[iri]:
            levels[depth].append(kid)
        for depth, kids in levels.items():
            for k, kid in enumerate(kids):
                a = (acc + (k + 0.5) * w / len(kids)) / total * 2 * math.pi - math.pi / 2
                rk = r1 + (depth - 1) * ring + (k % 2) * 60
                pos[kid] = (sx * rk * math.cos(a), sy * rk * math.sin(a))
        acc += w
    rest = [i for i in model.concepts if i not in pos]
    far = r1 + ring * (1 + max((d for t in trees.values() for _, d in t), default=1))
    for iri, (dx, dy) in zip(rest, _spiral(len(rest), 90.0), strict=True):
        pos[iri] = (sx * far + 200 + dx, dy)
    return untangle(model, _rounded(pos), fixed=frozenset({centre}))


def sector_headings(model: MapModel, positions: Positions, centre: str,
                    sectors: list[Sector]) -> list[dict[str, object]]:
    """Where each sector's heading goes: beyond its concepts, in the direction they stand in.

    Returns one ``{"text", "x", "y", "step"}`` per sector that has concepts (``step`` from 1, in
    the sectors' order); the headings are drawn on the map and numbered like the story's steps.
    """
    out: list[dict[str, object]] = []
    cx, cy = positions.get(centre, (0.0, 0.0))
    for i, (sector, iris) in enumerate(zip(sectors, members(model, centre, sectors), strict=True)):
        pts = [positions[k] for k in iris if k in positions]
        if not pts:
            continue
        ux = sum((x - cx) / (math.hypot(x - cx, y - cy) or 1) for x, y in pts)
        uy = sum((y - cy) / (math.hypot(x - cx, y - cy) or 1) for x, y in pts)
        angle = math.atan2(uy, ux)
        reach = max(abs((x - cx) * math.cos(angle) + (y - cy) * math.sin(angle)) for x, y in pts)
        dist = reach + 150
        out.append({"text": f"{i + 1} · {sector.title}", "step": i + 1,
                    "x": round(cx + dist * math.cos(angle), 1),
                    "y": round(cy + dist * math.sin(angle), 1)})
    return out


def pathway_layout(model: MapModel, backbone: str) -> Positions:
    """The steps linked by ``backbone`` (e.g. leads to) in columns from left to right.

    A step's column is its longest distance from a first step; concepts linked to a step by other
    relations stand above and below it, and a concept that points at a first step stands before it.
    """
    g = nx.DiGraph()
    g.add_edges_from(sorted((e.subject, e.object) for e in model.edges if e.predicate == backbone))
    column: dict[str, int] = {}
    if g.number_of_nodes() and nx.is_directed_acyclic_graph(g):
        for node in nx.topological_sort(g):
            preds = list(g.predecessors(node))
            column[node] = max((column[p] + 1 for p in preds), default=0)
    else:
        for i, node in enumerate(sorted(g.nodes)):
            column[node] = i
    row: dict[str, int] = {n: 0 for n in column}
    by_col: dict[int, list[str]] = defaultdict(list)
    for n in sorted(column, key=lambda n: (column[n], n)):
        by_col[column[n]].append(n)
    for steps in by_col.values():
        for k, n in enumerate(steps):
            row[n] = 2 * k - (len(steps) - 1)  # centre parallel steps around the main row
    used: dict[int, set[int]] = defaultdict(set)
    for n in column:
        used[column[n]].add(row[n])
    ends = {n for n in column if g.out_degree(n) == 0}
    changed = True
    while changed:
        changed = False
        for e in sorted(model.edges, key=lambda e: e.triple):
            for other, anchor, before in ((e.subject, e.object, True), (e.object, e.subject, False)):
                if other in column or anchor not in column:
                    continue
                col = column[anchor]
                if before and col == min(column.values()) and 0 not in used[col - 1]:
                    col -= 1  # what points at the first step stands before it
                elif not before and anchor in ends:
                    col += 1  # what the last step leads to or involves stands after it
                r = next(c for k in range(0, 99) for c in ((0,) if k == 0 else (-k, k))
                         if c not in used[col])
                column[other], row[other] = col, r
                used[col].add(r)
                changed = True
    rest = sorted(i for i in model.concepts if i not in column)
    last = max(column.values(), default=0)
    for k, iri in enumerate(rest):
        column[iri], row[iri] = last + 1, 2 * k
    return untangle(model, {n: (column[n] * 300.0, row[n] * 115.0) for n in model.concepts},
                    vertical_only=True)
