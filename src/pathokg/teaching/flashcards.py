"""Flashcards from the graph: an Anki deck (genanki) and a CSV for Quizlet.

Two kinds of card, each with its source (article title and section):

* a **question** per pair of related concepts: "What does chronic kidney disease have to do with
  dystrophic calcification?"; the answer is every relation between them as a sentence (the
  relation labels read as verbs) with the article's quotes;
* a **cloze** per passage and concept: the article's own sentence with the concept's name, as the
  sentence writes it, to fill in.

Nothing is written by hand: the words are the graph's labels and the article's quotes. A statement
the article qualifies keeps its qualifier on the card (its own field, and in the answer), so a
hedge is never learnt as a fact. The deck is byte-identical for the same graph: fixed model and
deck ids, note ids from a fixed timestamp, GUIDs from the card's content, zip entries with fixed dates.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..conceptmap.model import Edge, Evidence, MapModel
from ..conceptmap.story import story_steps
from .kinds import kind_key, step_of

#: Fixed ids (Anki wants them random once, then stable, so updated decks replace their cards).
DECK_ID = 1702944019
QUESTION_MODEL_ID = 1702944021
CLOZE_MODEL_ID = 1702944023
#: Note ids count up from this moment (the article's publication date), not from "now".
TIMESTAMP = 1702944000.0
DECK_NAME = "pathokg::Dystrophic calcification"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Card:
    """One card: ``front`` (a question, or a cloze text with ``{{c1::...}}``), ``back``, the
    qualifier the article states it with (empty for a plain statement), the quotes and the source."""

    kind: str
    key: str
    front: str
    back: str
    qualifier: str
    quote: str
    source: str
    tags: tuple[str, ...]


def _sentence(model: MapModel, e: Edge) -> str:
    rel = model.relation_types.get(e.predicate)
    return f"{model.concepts[e.subject].label} {rel.label if rel else e.predicate} {model.concepts[e.object].label}"


def qualifier(ev: Evidence) -> str:
    """The qualifier and conditions of a passage, in words (empty for a plain statement)."""
    words = []
    if ev.certainty is not None and not ev.certainty.plain:
        words.append(ev.certainty.label)
    words += [f"if {c}" for c in ev.conditions]
    return "; ".join(words)


def _source(ev: Evidence) -> str:
    where = ev.section_path or ev.section
    return f"\u201c{ev.source_title}\u201d" + (f", section: {where}" if where else "")


def _tag(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")


def question_cards(model: MapModel) -> list[Card]:
    """One question per pair of concepts the article relates (in either direction)."""
    pairs: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for e in model.edges:
        if not e.inferred and e.evidence and e.subject != e.object:
            pairs[(e.subject, e.object) if (e.object, e.subject) not in pairs else (e.object, e.subject)].append(e)
    where = step_of(model)
    cards = []
    for (a, b), edges in sorted(pairs.items()):
        edges = sorted(edges, key=lambda e: e.triple)
        lines, quotes, sources, quals = [], [], [], []
        for e in edges:
            # plain if one passage states it plainly; else the qualifiers travel with the sentence
            plain = any(not qualifier(ev) for ev in e.evidence)
            q = "; ".join(dict.fromkeys(qualifier(ev) for ev in e.evidence if qualifier(ev)))
            lines.append(_sentence(model, e) + ("." if plain else f" (the article: {q})."))
            if not plain:
                quals.append(q)
            for ev in e.evidence:
                if ev.quote not in quotes:
                    quotes.append(ev.quote)
                    sources.append(_source(ev))
        tags = {"pathokg", "question", *(kind_key(where[e.triple]) for e in edges if e.triple in where)}
        tags |= {_tag(model.relation_types[e.predicate].label) for e in edges if e.predicate in model.relation_types}
        cards.append(Card(
            "question", f"q|{a}|{b}",
            f"What does {model.concepts[a].label} have to do with {model.concepts[b].label}?",
            " ".join(lines), "; ".join(dict.fromkeys(quals)), " | ".join(f"\u201c{q}\u201d" for q in quotes),
            "; ".join(dict.fromkeys(sources)), tuple(sorted(tags))))
    return cards


def _names(model: MapModel) -> dict[str, list[str]]:
    return {iri: sorted({c.label, *c.synonyms}, key=len, reverse=True) for iri, c in model.concepts.items()}


def _spans(quote: str, names: dict[str, list[str]]) -> dict[str, list[tuple[int, int]]]:
    """Where each concept's name stands in the quote; a name inside a longer one of another
    concept (``calcification`` in ``dystrophic calcification``) does not count."""
    found = []
    for iri, variants in names.items():
        for name in variants:
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", quote, re.IGNORECASE):
                found.append((m.start(), m.end(), iri))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0], f[2]))
    taken: list[tuple[int, int]] = []
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a, b, iri in found:
        if all(b <= x or a >= y for x, y in taken):
            taken.append((a, b))
            out[iri].append((a, b))
    return out


def cloze_cards(model: MapModel) -> list[Card]:
    """Per passage, one cloze card for each concept of its relations whose name the sentence
    writes; the article's main subject (the concept its passages name most) is left to the others."""
    passages: dict[tuple[str, int | None, str], tuple[Evidence, list[Edge]]] = {}
    for e in sorted(model.edges, key=lambda e: e.triple):
        for ev in e.evidence:
            key = (ev.source, ev.start, ev.quote)
            passages.setdefault(key, (ev, []))[1].append(e)
    names = _names(model)
    spans = {k: _spans(ev.quote, names) for k, (ev, _) in passages.items()}
    named = Counter(iri for s in spans.values() for iri in s)
    topic = named.most_common(1)[0][0] if named else None
    where = step_of(model, story_steps(model))
    cards = []
    for key, (ev, edges) in sorted(passages.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])):
        concepts = {c for e in edges for c in (e.subject, e.object) if c in spans[key]}
        if len(concepts) > 1:
            concepts.discard(topic)  # type: ignore[arg-type]
        for iri in sorted(concepts):
            text = ev.quote
            for a, b in sorted(spans[key][iri], reverse=True):
                text = f"{text[:a]}{{{{c1::{text[a:b]}}}}}{text[b:]}"
            tags = {"pathokg", "cloze", *(kind_key(where[e.triple]) for e in edges if e.triple in where)}
            cards.append(Card("cloze", f"c|{ev.source}|{ev.start}|{iri}", text, model.concepts[iri].label,
                              qualifier(ev), f"\u201c{ev.quote}\u201d", _source(ev), tuple(sorted(tags))))
    return cards


def flashcards(model: MapModel) -> list[Card]:
    """Every card: the questions, then the clozes."""
    return question_cards(model) + cloze_cards(model)


def quizlet_csv(cards: list[Card]) -> str:
    """Two columns, term and definition, one card a row (Quizlet's import: comma between term and
    definition, new line between cards); a cloze's gap is written as ``_____``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for c in cards:
        term = re.sub(r"\{\{c1::(.*?)\}\}", "_____", c.front) if c.kind == "cloze" else c.front
        parts = [c.back, f"({c.qualifier})" if c.qualifier else "",
                 c.quote if c.kind == "question" else "", f"Source: {c.source}"]
        writer.writerow([term, " ".join(p for p in parts if p)])
    return out.getvalue()


def _models() -> tuple[object, object]:
    import genanki  # only when a deck is written

    css = (".card { font-family: system-ui, Arial, sans-serif; font-size: 20px; text-align: left; color: #161616; }"
           " .qualifier { color: #5a3d00; font-weight: bold; } .quote { font-style: italic; }"
           " .source { color: #555; font-size: 15px; }")
    extra = ('{{#Qualifier}}<p class="qualifier">The article says it with a qualifier: {{Qualifier}}</p>{{/Qualifier}}'
             '<p class="quote">{{Quote}}</p><p class="source">{{Source}}</p>')
    question = genanki.Model(
        QUESTION_MODEL_ID, "pathokg question",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Qualifier"}, {"name": "Quote"},
                {"name": "Source"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}",
                    "afmt": '{{FrontSide}}<hr id="answer"><p>{{Answer}}</p>' + extra}], css=css)
    cloze = genanki.Model(
        CLOZE_MODEL_ID, "pathokg cloze", model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Answer"}, {"name": "Qualifier"}, {"name": "Quote"},
                {"name": "Source"}],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}<br>" + extra.replace("{{Quote}}", "")}], css=css)
    return question, cloze


def anki_package(cards: list[Card]) -> bytes:
    """The ``.apkg`` bytes of a deck with one note per card (a cloze note has one gap, one card)."""
    import html

    import genanki

    question, cloze = _models()
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Made by pathokg from the graph's labels and "
                        "the article's own words; every card names its source.")
    for c in cards:
        fields = [html.escape(c.front), html.escape(c.back), html.escape(c.qualifier),
                  html.escape(c.quote), html.escape(c.source)]
        deck.add_note(genanki.Note(model=question if c.kind == "question" else cloze, fields=fields,
                                   tags=list(c.tags), guid=genanki.guid_for(c.key)))
    raw = io.BytesIO()
    genanki.Package(deck).write_to_file(raw, timestamp=TIMESTAMP)
    return _fixed_dates(raw.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every entry dated :data:`ZIP_DATE` (genanki stamps them with "now")."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
