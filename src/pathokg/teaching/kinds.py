"""What kind of statement a relation is, as a teacher reads the article: the story's steps (what
it is, causes and risk factors, mechanism, diagnosis, treatment, prevention, prognosis), or
*other* for a relation no step holds. The reader colours passages by it; cards are tagged by it."""

from __future__ import annotations

from ..conceptmap.model import MapModel, Triple
from ..conceptmap.story import Step, story_steps

OTHER = "other"


def step_of(model: MapModel, steps: list[Step] | None = None) -> dict[Triple, Step]:
    """The first story step each edge belongs to."""
    out: dict[Triple, Step] = {}
    for step in steps if steps is not None else story_steps(model):
        for e in step.edges:
            out.setdefault(e.triple, step)
    return out


def kind_key(step: Step | None) -> str:
    """A short key for a step (``step-2``), or :data:`OTHER`."""
    return f"step-{step.number}" if step is not None else OTHER
