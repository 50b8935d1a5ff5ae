"""The parts of a map around its centre concept, in the article's order: the sectors of a radial
view, the steps of its story, and the headings drawn over them.

A view file names its sectors in ``#+ sector:`` header lines, in order, each a title and the
relation families that put a concept in it (see :mod:`.views`)::

    #+ sector: Causes and risk factors = contributesTo
    #+ sector: Mechanism = ^involves, leadsTo+

``contributesTo``: a concept that contributes to the centre (``concept -> centre``); ``^involves``:
a concept the centre involves (``centre -> concept``); ``leadsTo+``: and onward from the sector's
concepts along "leads to". A relation counts for a family if it is the family or specialises it.
The first sector that claims a concept keeps it; its place in a sector follows where the article
states the link.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Edge, MapModel


@dataclass(frozen=True)
class Family:
    """A relation family of a sector: which relation, and which way it points."""

    relation: str
    #: True: the centre is the subject (``^family``); False: the centre is the object.
    outgoing: bool = False
    #: True: follow the relation onward from the sector's concepts (``family+``).
    onward: bool = False


@dataclass(frozen=True)
class Sector:
    """A titled part of a view around its centre."""

    title: str
    families: tuple[Family, ...]


@dataclass(frozen=True)
class Placement:
    """Where a concept stands in a sectored view."""

    sector: int
    #: the concept it hangs from (the centre for the first ring)
    parent: str
    depth: int
    #: where the article first states the link that placed it (character offset)
    where: int


NOWHERE = 10**9


def _ancestors(model: MapModel, predicate: str) -> frozenset[str]:
    rel = model.relation_types.get(predicate)
    return rel.ancestors if rel is not None else frozenset({predicate})


def _where(edge: Edge) -> int:
    return min((ev.start for ev in edge.evidence if ev.start is not None), default=NOWHERE)


def claims(model: MapModel, centre: str, sector: Sector, edge: Edge) -> bool:
    """Whether an edge of the centre is one of this sector's relation families (as it points)."""
    if centre not in (edge.subject, edge.object):
        return False
    outgoing = edge.subject == centre
    ancestors = _ancestors(model, edge.predicate)
    return any(f.outgoing == outgoing and f.relation in ancestors for f in sector.families)


def place(model: MapModel, centre: str, sectors: tuple[Sector, ...] | list[Sector]) -> dict[str, Placement]:
    """The sector, parent and depth of every concept the sectors claim (the centre excluded)."""
    placed: dict[str, Placement] = {}
    for e in sorted(model.edges, key=lambda e: (_where(e), e.triple)):
        if e.subject == e.object or centre not in (e.subject, e.object):
            continue
        outgoing = e.subject == centre
        other = e.object if outgoing else e.subject
        ancestors = _ancestors(model, e.predicate)
        for i, sector in enumerate(sectors):
            if any(not f.onward and f.outgoing == outgoing and f.relation in ancestors
                   for f in sector.families):
                old = placed.get(other)
                if old is None or (i, _where(e)) < (old.sector, old.where):
                    placed[other] = Placement(i, centre, 1, _where(e))
                break
    # onward: follow the chains (e.g. the mechanism's "leads to") out of each sector
    for i, sector in enumerate(sectors):
        onward = [f.relation for f in sector.families if f.onward]
        if not onward:
            continue
        frontier = sorted(k for k, p in placed.items() if p.sector == i)
        while frontier:
            grown = []
            for e in sorted(model.edges, key=lambda e: e.triple):
                if e.subject in frontier and e.object not in placed and e.object != centre and \
                        any(r in _ancestors(model, e.predicate) for r in onward):
                    parent = placed[e.subject]
                    placed[e.object] = Placement(i, e.subject, parent.depth + 1, _where(e))
                    grown.append(e.object)
            frontier = sorted(set(grown))
    return placed


def hanging(model: MapModel, centre: str, placed: dict[str, Placement]) -> dict[str, str]:
    """Concepts no sector claims that are linked to one it does (kinds, parts): concept -> the
    placed concept it hangs from (the first by relation order)."""
    out: dict[str, str] = {}
    for e in sorted(model.edges, key=lambda e: e.triple):
        for a, b in ((e.subject, e.object), (e.object, e.subject)):
            if a != centre and a not in placed and a not in out and b in placed:
                out[a] = b
    return out


def members(model: MapModel, centre: str, sectors: tuple[Sector, ...] | list[Sector]) -> list[list[str]]:
    """The concepts of each sector (claimed, then hanging from the claimed), in article order."""
    placed = place(model, centre, sectors)
    groups: dict[int, list[str]] = defaultdict(list)
    for iri, p in sorted(placed.items(), key=lambda kv: (kv[1].sector, kv[1].depth, kv[1].where, kv[0])):
        groups[p.sector].append(iri)
    for kid, parent in sorted(hanging(model, centre, placed).items()):
        groups[placed[parent].sector].append(kid)
    return [groups.get(i, []) for i in range(len(sectors))]
