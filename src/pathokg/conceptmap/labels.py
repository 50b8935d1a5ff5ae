"""Legible maps: the size of each node's box (shape and label) and moving boxes apart until none overlap.

The sizes are estimated from the label text alone (a width per character class, the page's font
sizes, vis-network's word wrapping at the label width limit and its shape geometry), so the same
map always gives the same positions on any machine; the browser test measures the real boxes.

>>> box_size("dystrophic calcification", "hexagon")[0] > box_size("bone", "hexagon")[0]
True
"""

from __future__ import annotations

#: The page's label sizes (px): inside a box or an ellipse, and under the other shapes.
FONT_INSIDE = 20
FONT_BELOW = 20
#: vis-network wraps labels wider than this (px): ``nodes.widthConstraint.maximum``.
WRAP = 220
#: ... minus the node margin on either side, which vis-network takes off the text's width.
TEXT_WRAP = WRAP - 20
#: Padding inside a box shape (``nodes.margin``).
MARGIN = 10
#: Half the height of the shapes that print their label below them (``size`` in vis-network).
SHAPE_SIZE = {"hexagon": 22}
DEFAULT_SHAPE_SIZE = 16
INSIDE = frozenset({"box", "ellipse", "circle", "database", "text"})

_NARROW = set("ijlrtf.,:;'!|()[] -")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float) -> float:
    """Estimated width (px) of ``text`` in the page's sans-serif font at ``size`` px.

    Rounded up on purpose: a box a little too large costs a little space, one too small an overlap.
    """
    units = 0.0
    for ch in text:
        if ch in _NARROW:
            units += 0.36
        elif ch in _WIDE:
            units += 0.92
        elif ch.isupper() or ch.isdigit():
            units += 0.68
        else:
            units += 0.57
    return units * size


def wrap(text: str, size: float, limit: float = WRAP) -> list[str]:
    """Greedy word wrap, as vis-network does it: a line grows while it fits within ``limit``."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


#: A node's box: width, height, and how far below the node's position the box's centre is (a
#: label printed under its shape makes the box hang down).
Box = tuple[float, float, float]


def box_size(label: str, shape: str) -> Box:
    """Width, height (px) and centre offset of a node drawn with this label and shape.

    A label close to the wrapping limit may wrap one way or the other in the browser: the box is
    the larger of both, so it is never too small.
    """
    a = _box(label, shape, TEXT_WRAP * 0.92)
    b = _box(label, shape, TEXT_WRAP * 1.08)
    height = max(a[1], b[1])
    half = SHAPE_SIZE.get(shape, DEFAULT_SHAPE_SIZE)
    offset = 0.0 if shape in INSIDE else height / 2 - half
    return max(a[0], b[0]) * 1.04, height, offset


def _box(label: str, shape: str, limit: float) -> tuple[float, float]:
    inside = shape in INSIDE
    size = FONT_INSIDE if inside else FONT_BELOW
    lines = wrap(label, size, limit)
    tw = max(text_width(line, size) for line in lines)
    th = len(lines) * size
    if shape == "box":  # margin on each side, and the border (measured in Chromium)
        return tw + 2 * MARGIN + 12, th + 2 * MARGIN + 12
    if inside:  # ellipse and friends: vis-network makes them (text width + height) x 2 heights
        return tw + th, 2 * th
    half = SHAPE_SIZE.get(shape, DEFAULT_SHAPE_SIZE)
    return max(tw, 2 * half), 2 * half + 4 + th


def separate(pos: dict[str, tuple[float, float]], boxes: dict[str, Box], *,
             fixed: frozenset[str] = frozenset(), gap: float = 18.0, vertical_only: bool = False,
             rounds: int = 400) -> dict[str, tuple[float, float]]:
    """Move boxes (centred at ``pos``) apart until no two overlap (with ``gap`` px between them).

    Each round pushes every overlapping pair apart along the axis where they overlap least (only
    vertically with ``vertical_only``, which keeps the columns of a pathway), each moving half the
    way, or all of it when the other is ``fixed``. Pairs are visited in a fixed order: the same
    input gives the same output.
    """
    keys = sorted(pos)
    xy = {k: list(pos[k]) for k in keys}
    widest = max((b[0] for b in boxes.values()), default=0.0)
    for _ in range(rounds):
        moved = False
        # sweep from left to right: only boxes that can reach each other horizontally are compared
        order = sorted(keys, key=lambda k: (xy[k][0], k))
        for i, a in enumerate(order):
            for b in order[i + 1:]:
                if xy[b][0] - xy[a][0] >= widest + gap:
                    break
                if a in fixed and b in fixed:
                    continue
                (ax, ay), (bx, by) = xy[a], xy[b]
                dx, dy = bx - ax, (by + boxes[b][2]) - (ay + boxes[a][2])
                ox = (boxes[a][0] + boxes[b][0]) / 2 + gap - abs(dx)
                oy = (boxes[a][1] + boxes[b][1]) / 2 + gap - abs(dy)
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                share_a = 0.0 if a in fixed else 1.0 if b in fixed else 0.5
                if not vertical_only and ox < oy:
                    step = (ox + 0.5) * (1 if dx > 0 or (dx == 0 and a < b) else -1)
                    xy[a][0] -= step * share_a
                    xy[b][0] += step * (1 - share_a)
                else:
                    step = (oy + 0.5) * (1 if dy > 0 or (dy == 0 and a < b) else -1)
                    xy[a][1] -= step * share_a
                    xy[b][1] += step * (1 - share_a)
        if not moved:
            break
    return {k: (round(v[0], 1), round(v[1], 1)) for k, v in xy.items()}


def overlaps(pos: dict[str, tuple[float, float]], boxes: dict[str, Box],
             gap: float = 0.0) -> list[tuple[str, str]]:
    """The pairs of boxes that overlap (closer than ``gap``)."""
    keys = sorted(pos)
    out = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            dy = (pos[a][1] + boxes[a][2]) - (pos[b][1] + boxes[b][2])
            if abs(pos[a][0] - pos[b][0]) < (boxes[a][0] + boxes[b][0]) / 2 + gap - 1e-6 and \
                    abs(dy) < (boxes[a][1] + boxes[b][1]) / 2 + gap - 1e-6:
                out.append((a, b))
    return out
