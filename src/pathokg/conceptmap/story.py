"""Story mode: the map told in the article's order, one sector of the story view at a time.

The steps are the sectors of the story view (``queries/map/view-dc.rq``: what dystrophic
calcification is, causes and risk factors, mechanism, diagnosis, treatment, prevention,
prognosis), so the story, the sector headings of the radial view and its layout all come from one
header. Each step names its part, focuses its concepts and shows its quotes; nothing is written by
hand: the titles are the view's, the sentences are the graph's labels, the quotes the article's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Edge, MapModel
from .sectors import claims, members
from .views import STORY_VIEW, View, get_view


@dataclass(frozen=True)
class Step:
    """One step of the story: its title, its concepts and the relations among them (with the centre)."""

    number: int
    title: str
    concepts: tuple[str, ...]
    edges: tuple[Edge, ...]

    @property
    def passages(self) -> list[tuple[int | None, str, tuple[Edge, ...]]]:
        """The step's quotes in article order, each with the relations it states."""
        by_passage: dict[tuple[int | None, str], list[Edge]] = {}
        for e in self.edges:
            for ev in e.evidence:
                by_passage.setdefault((ev.start, ev.quote), []).append(e)
        return [(start, quote, tuple(edges)) for (start, quote), edges in
                sorted(by_passage.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, kv[0][1]))]


def story_view() -> View:
    """The view whose sectors are the story's steps."""
    return get_view(STORY_VIEW)


def story_steps(model: MapModel, view: View | None = None) -> list[Step]:
    """The story's steps over the concepts this model holds (none if it lacks the centre).

    A step's edges are the edges between the centre and its concepts that belong to the step's
    relation families, and the edges among its concepts; a step with no concept in this model is
    left out.

    >>> from pathokg.querying.release import release_store
    >>> from pathokg.conceptmap.model import model_from_graph
    >>> [s.title.split(",")[0] for s in story_steps(model_from_graph(release_store()))][:3]
    ['What it is', 'Causes and risk factors', 'Mechanism']
    """
    view = view or story_view()
    centre = view.centre
    if centre is None or centre not in model.concepts or not view.sectors:
        return []
    steps = []
    for i, (sector, iris) in enumerate(zip(view.sectors, members(model, centre, view.sectors),
                                           strict=True)):
        mine = tuple(k for k in iris if k in model.concepts)
        if not mine:
            continue
        keep = {centre, *mine}
        edges = tuple(e for e in model.edges if e.subject in keep and e.object in keep
                      and not e.inferred and (claims(model, centre, sector, e)
                                              or (e.subject in mine and e.object in mine)))
        steps.append(Step(i + 1, sector.title, mine, edges))
    return steps
