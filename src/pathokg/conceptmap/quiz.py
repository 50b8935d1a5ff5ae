"""Quiz mode: hide a relation or a concept of an edge the article states, and offer plausible
answers of the same kind; the reveal shows the article's quote.

Questions are made here, in Python, so the same map always asks the same questions in the same
order (seeded), and a test can check that no wrong answer is in fact true:

* **concept hidden**: the other choices are concepts of the same category (or, if there are too
  few, of the same parent category) that the graph does not link to the other end at all;
* **relation hidden**: the other choices are relations drawn on the map that do not hold between
  the two concepts (nor any relation broader or narrower than the answer).

Only asserted edges with evidence are asked (an inferred edge has no quote to reveal). An edge
stated with a qualifier keeps it: the question shows the qualifier and the conditions, so a hedge
is never asked as a plain fact.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from .model import Edge, MapModel

SEED = 20231219
#: How many choices a question offers (the answer included), at most.
CHOICES = 4


@dataclass(frozen=True)
class Question:
    """One quiz question: the edge, what is hidden (``subject``, ``relation`` or ``object``), the
    choices (concept IRIs, or relation IRIs when the relation is hidden) and the answer."""

    edge: Edge
    hidden: str
    choices: tuple[str, ...]
    answer: str


def _related(model: MapModel) -> dict[tuple[str, str], set[str]]:
    """For each ordered pair of concepts, every relation (with its ancestors) the graph states or
    entails between them."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in model.edges:
        rel = model.relation_types.get(e.predicate)
        out[(e.subject, e.object)] |= set(rel.ancestors) if rel else {e.predicate}
        if rel is not None and rel.inverse:
            out[(e.object, e.subject)].add(rel.inverse)
        if rel is not None and rel.symmetric:
            out[(e.object, e.subject)] |= set(rel.ancestors)
    return out


def _near(model: MapModel, predicate: str) -> set[str]:
    """The relation, the ones it specialises and the ones that specialise it."""
    rel = model.relation_types.get(predicate)
    mine = set(rel.ancestors) if rel else {predicate}
    return mine | {p for p, r in model.relation_types.items() if predicate in r.ancestors}


def questions(model: MapModel, edges: list[Edge] | None = None, seed: int = SEED) -> list[Question]:
    """The quiz over these edges (default: the model's), shuffled with a fixed seed.

    >>> from pathokg.querying.release import release_store
    >>> from pathokg.conceptmap.model import model_from_graph
    >>> qs = questions(model_from_graph(release_store()))
    >>> all(q.answer in q.choices and len(set(q.choices)) == len(q.choices) for q in qs)
    True
    """
    rng = random.Random(seed)
    related = _related(model)
    by_category: dict[str, list[str]] = defaultdict(list)
    by_parent: dict[str, list[str]] = defaultdict(list)
    for iri, c in model.concepts.items():
        by_category[c.category].append(iri)
        cat = model.categories.get(c.category)
        by_parent[cat.parent if cat and cat.parent else c.category].append(iri)
    degree: dict[str, int] = defaultdict(int)
    for e in model.edges:
        degree[e.subject] += 1
        degree[e.object] += 1
    used_relations = sorted({e.predicate for e in model.edges if not e.inferred})
    out = []
    for e in sorted(edges if edges is not None else model.edges, key=lambda e: e.triple):
        if e.inferred or not e.evidence or e.subject == e.object:
            continue
        near = _near(model, e.predicate)
        # hide the less connected end: the hub is what the question is about
        hide_subject = degree[e.subject] <= degree[e.object]
        hidden, other = (e.subject, e.object) if hide_subject else (e.object, e.subject)

        def wrong(candidate: str, hidden: str = hidden, other: str = other) -> bool:
            # a choice that the graph links to the other end in any way is not offered as wrong
            return candidate not in (hidden, other) and (candidate, other) not in related \
                and (other, candidate) not in related

        category = model.concepts[hidden].category
        pool = [c for c in by_category[category] if wrong(c)]
        if len(pool) < CHOICES - 1:
            cat = model.categories.get(category)
            family = by_parent[cat.parent if cat and cat.parent else category]
            pool += [c for c in family if c not in pool and wrong(c)]
        # a relation the graph states between the two ends, either way, is not offered as wrong
        between = related.get((e.subject, e.object), set()) | related.get((e.object, e.subject), set())
        relation_pool = [p for p in used_relations if p not in near and not (between & _near(model, p))]
        ask_relation = rng.random() < 0.4 or len(pool) < 2
        if ask_relation and len(relation_pool) >= 2:
            choices = [e.predicate, *rng.sample(relation_pool, min(CHOICES - 1, len(relation_pool)))]
            rng.shuffle(choices)
            out.append(Question(e, "relation", tuple(choices), e.predicate))
        elif len(pool) >= 2:
            choices = [hidden, *rng.sample(sorted(pool), min(CHOICES - 1, len(pool)))]
            rng.shuffle(choices)
            out.append(Question(e, "subject" if hide_subject else "object", tuple(choices), hidden))
    rng.shuffle(out)
    return out
