"""The article with its evidence: the text of each source article, byte for byte, with every
passage that states a relation highlighted by kind (the story's steps), and marked when the
article says it with a qualifier. Each passage links to its relations on the map
(``concept-map.html#ev=<anchor>``); each quote on the map links back here (``reader.html#<anchor>``).

>>> from pathokg.querying.release import release_folder, release_store
>>> page = reader_page(release_store(), release_folder())
>>> 'id="ev-dystrophic-calcification/chronic-kidney-disease--isRiskFactorFor--dystrophic-calcification"' in page
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape

from ..conceptmap.model import Edge, Evidence, MapModel, evidence_anchor, model_from_graph, sentence
from ..conceptmap.story import Step, story_steps
from ..errors import ReleaseError
from ..paths import MAP_FILE, MAP_QUERIES
from ..querying.files import read_query_file
from ..querying.rows import select
from ..rdf.store import as_store
from .kinds import OTHER, kind_key, step_of

#: The colours of the kinds (a colour-blind-safe light set; every passage is also underlined, and
#: a qualified one dashed, so nothing rests on colour alone).
KIND_COLOURS = ("#cfe3f7", "#f9d8b0", "#f6efb0", "#d5ecd0", "#e6d7ef", "#cdebea", "#f7d0d6")
OTHER_COLOUR = "#e4e4e4"


@dataclass(frozen=True)
class Passage:
    """A passage of an article and the relations it states."""

    evidence: Evidence
    edges: tuple[Edge, ...]
    kind: str


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("pathokg.teaching", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True)


def _passages(model: MapModel, steps: list[Step]) -> dict[str, list[Passage]]:
    """Every passage with offsets, by source, with its relations and kind (its first step)."""
    where = step_of(model, steps)
    by_evidence: dict[Evidence, list[Edge]] = defaultdict(list)
    for e in model.edges:
        for ev in e.evidence:
            if ev.start is not None and ev.end is not None:
                by_evidence[ev].append(e)
    out: dict[str, list[Passage]] = defaultdict(list)
    for ev, edges in sorted(by_evidence.items(), key=lambda kv: (kv[0].source, kv[0].start or 0, kv[0].iri)):
        found = sorted((where[e.triple] for e in edges if e.triple in where), key=lambda s: s.number)
        out[ev.source].append(Passage(ev, tuple(edges), kind_key(found[0] if found else None)))
    return out


def _segments(text: str, passages: list[Passage]) -> list[tuple[str, list[Passage]]]:
    """The text cut at every passage boundary: each piece with the passages that cover it."""
    cuts = sorted({0, len(text), *(p.evidence.start for p in passages), *(p.evidence.end for p in passages)})
    pieces = []
    for a, b in pairwise(cuts):
        covering = [p for p in passages if p.evidence.start <= a and b <= p.evidence.end]  # type: ignore[operator]
        pieces.append((text[a:b], sorted(covering, key=lambda p: (p.evidence.end - p.evidence.start,  # type: ignore[operator]
                                                                   p.evidence.iri))))
    return pieces


def _article(model: MapModel, text: str, passages: list[Passage], map_href: str) -> list[dict[str, object]]:
    """The pieces the template writes: plain text, anchors, and highlighted runs with their link."""
    starts: dict[int, list[Passage]] = defaultdict(list)
    for p in passages:
        starts[p.evidence.start].append(p)  # type: ignore[index]
    out: list[dict[str, object]] = []
    pos = 0
    for piece, covering in _segments(text, passages):
        for p in starts.get(pos, []):
            out.append({"anchor": evidence_anchor(p.evidence.iri)})
        if covering:
            inner = covering[0]
            style = min((p.evidence.style for p in covering), key=lambda s: s != "stated")
            out.append({
                "text": piece, "kind": inner.kind, "style": style,
                "href": f"{map_href}#ev={evidence_anchor(inner.evidence.iri)}",
                "passages": " ".join(evidence_anchor(p.evidence.iri) for p in covering),
                "title": "; ".join(dict.fromkeys(sentence(model, e) for p in covering for e in p.edges)),
            })
        else:
            out.append({"text": piece})
        pos += len(piece)
    return out


def reader_page(store: ox.Store, folder: Path, *, map_href: str = MAP_FILE,
                title: str = "The article with its evidence") -> str:
    """The article page of a release: ``folder`` holds the texts (``sources/``), ``store`` the graph.

    :param map_href: the map each passage links to (``concept-map.html`` in a release, ``/`` served).
    :raises ReleaseError: an article's text is missing from the release.
    """
    store = as_store(store)
    model = model_from_graph(store)
    steps = story_steps(model)
    by_source = _passages(model, steps)
    articles = []
    for row in select(store, read_query_file(MAP_QUERIES / "sources.rq")):
        path = folder / row["text"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ReleaseError(f"{path}: the article's text is missing from the release ({exc.strerror}); "
                               "rebuild it with `pathokg build`") from None
        passages = by_source.get(row["source"], [])
        articles.append({"title": row.get("title", row["source"]), "publisher": row.get("publisher", ""),
                         "issued": row.get("issued", ""), "iri": row["source"], "count": len(passages),
                         "pieces": _article(model, text, passages, map_href)})
    counts: dict[str, int] = defaultdict(int)
    for passages in by_source.values():
        for p in passages:
            counts[p.kind] += 1
    kinds = [{"key": kind_key(s), "title": f"{s.number} · {s.title}", "colour": KIND_COLOURS[(s.number - 1) % 7],
              "count": counts[kind_key(s)]} for s in steps]
    kinds.append({"key": OTHER, "title": "other relations", "colour": OTHER_COLOUR, "count": counts[OTHER]})
    styles = sorted({p.evidence.style for ps in by_source.values() for p in ps})
    return _environment().get_template("reader.html.j2").render(
        title=title, articles=articles, kinds=kinds, styles=styles, map_href=map_href)
