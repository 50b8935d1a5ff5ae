"""Read the statements of a source file: relations with their qualifiers (certainty, conditions,
context), the caveats that qualify groups of them, and the sentences left unmodelled.

Every quote is located in its section of the vendored text (the build computes the offsets); a
condition's words and a causal wording must stand in their quote, verbatim.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from .model import CERTAINTIES, CONDITION_KINDS, Caveat, Condition, Relation, Section, Unmodelled
from .yamlio import LINE, Collector, innermost, misquote_hint, text_list

RELATION_KEYS = {
    "subject": True, "predicate": True, "object": True, "section": True, "quote": True,
    "occurrence": False, "note": False, "certainty": False, "certainty_note": False,
    "conditions": False, "context": False, "causal_wording": False, "contested": False,
}
CONDITION_KEYS = {"kind": True, "text": True, "concepts": False}
CAVEAT_KEYS = {"id": True, "section": True, "quote": True, "object": True, "governs": True,
               "allows": True, "occurrence": False}
UNMODELLED_KEYS = {"quote": True, "why": True, "occurrence": False}


class QuoteLocator:
    """Finds quotes in the article text and the section they stand in."""

    def __init__(self, col: Collector, text: str, sections: list[Section]):
        self.col, self.text, self.sections = col, text, sections
        self.by_title: dict[str, Section] = {}
        for s in sections:
            self.by_title.setdefault(s.title, s)

    def section(self, title: Any, line: int | None, item: str) -> Section | None:
        """The section of this title, or ``None`` (and a problem with the closest title)."""
        section = self.by_title.get(str(title))
        if section is None:
            close = difflib.get_close_matches(str(title), list(self.by_title), n=1)
            self.col.add(line, item, f"unknown section {title!r}",
                         f"did you mean {close[0]!r}?" if close else "use a title from article.sections")
        return section

    def locate(self, raw: dict[str, Any], quote: str, section: Section, line: int | None,
               item: str) -> int | None:
        """Where the quote starts in the text: once in its section (or at ``occurrence``), and
        not inside an inner section; ``None`` (and a problem) otherwise."""
        col, text = self.col, self.text
        hits = [m.start() for m in re.finditer(re.escape(quote), text)]
        inside = [h for h in hits if section.start <= h and h + len(quote) <= section.end]
        if not hits:
            col.add(line, item, "quote not found verbatim in the article", misquote_hint(quote, text))
            return None
        if not inside:
            other = innermost(self.sections, hits[0], hits[0] + len(quote))
            col.add(line, item, f"quote is not in section {section.title!r}",
                    f"it stands in section {other.title!r}" if other else "it is outside the article body")
            return None
        occurrence = raw.get("occurrence", 1)
        if len(inside) > 1 and "occurrence" not in raw:
            col.add(line, item, f"quote occurs {len(inside)} times in its section",
                    "lengthen the quote or add occurrence: N")
            return None
        if not isinstance(occurrence, int) or not 1 <= occurrence <= len(inside):
            col.add(line, item, f"occurrence must be a number from 1 to {len(inside)}")
            return None
        start = inside[occurrence - 1]
        inner = innermost(self.sections, start, start + len(quote))
        if inner is not None and inner is not section:
            col.add(line, item, f"quote stands in the inner section {inner.title!r}",
                    f"set section: {inner.title}")
            return None
        return start

    def anywhere(self, raw: dict[str, Any], quote: str, line: int | None, item: str) -> int | None:
        """Where a quote starts in the text, in whatever section it stands (at ``occurrence``)."""
        hits = [m.start() for m in re.finditer(re.escape(quote), self.text)]
        if not hits:
            self.col.add(line, item, "quote not found verbatim in the article",
                         misquote_hint(quote, self.text))
            return None
        occurrence = raw.get("occurrence", 1)
        if not isinstance(occurrence, int) or not 1 <= occurrence <= len(hits):
            self.col.add(line, item, f"occurrence must be a number from 1 to {len(hits)}")
            return None
        return hits[occurrence - 1]


def _within(col: Collector, line: int | None, item: str, what: str, words: str, quote: str) -> bool:
    if words and words in quote:
        return True
    col.add(line, item, f"{what} {words!r} is not in the quote",
            "copy the words of the condition from the quote, verbatim")
    return False


class RelationReader:
    """Reads the relations of one file with their qualifiers."""

    def __init__(self, col: Collector, locator: QuoteLocator, path: str, article_id: str,
                 predicates: set[str] | None):
        self.col, self.locator, self.path, self.article_id = col, locator, path, article_id
        self.predicates = predicates

    def read(self, raw: Any) -> Relation | None:
        col = self.col
        line = raw.get(LINE) if isinstance(raw, dict) else None
        item = (f"relation {raw.get('subject')} {raw.get('predicate')} {raw.get('object')}"
                if isinstance(raw, dict) else "relation")
        if not col.check_keys(raw, RELATION_KEYS, item, line):
            return None
        predicate = str(raw["predicate"])
        if self.predicates is not None and predicate not in self.predicates:
            close = difflib.get_close_matches(predicate, sorted(self.predicates), n=1)
            col.add(line, item, f"unknown predicate {predicate!r}",
                    f"did you mean {close[0]!r}?" if close else "see graph/README.md")
        section = self.locator.section(raw["section"], line, item)
        if section is None:
            return None
        quote = str(raw["quote"])
        start = self.locator.locate(raw, quote, section, line, item)
        if start is None:
            return None
        certainty = str(raw.get("certainty", "stated"))
        if certainty not in CERTAINTIES:
            close = difflib.get_close_matches(certainty, CERTAINTIES, n=1)
            col.add(line, item, f"unknown certainty {certainty!r}",
                    f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(CERTAINTIES)}")
        causal = raw.get("causal_wording")
        if causal is not None:
            _within(col, line, item, "causal_wording", str(causal), quote)
        return Relation(
            subject=str(raw["subject"]), predicate=predicate, object=str(raw["object"]),
            section=section, quote=quote, start=start, end=start + len(quote), note=raw.get("note"),
            certainty=certainty, certainty_note=raw.get("certainty_note"),
            conditions=self.conditions(raw.get("conditions"), quote, line, item),
            context=str(raw["context"]) if raw.get("context") else None,
            causal_wording=str(causal) if causal is not None else None,
            contested=raw.get("contested"), file=self.path, line=line, article=self.article_id,
        )

    def conditions(self, raw: Any, quote: str, line: int | None, item: str) -> tuple[Condition, ...]:
        """The ``conditions`` of a relation: each with a kind, verbatim words of the quote and
        optionally the concepts it names."""
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.col.add(line, item, "conditions must be a list of {kind, text, concepts}")
            return ()
        out = []
        for entry in raw:
            if not self.col.check_keys(entry, CONDITION_KEYS, f"{item} condition", line):
                continue
            kind = str(entry["kind"])
            if kind not in CONDITION_KINDS:
                self.col.add(line, item, f"unknown condition kind {kind!r}",
                             f"one of: {', '.join(CONDITION_KINDS)}")
                continue
            text = str(entry["text"])
            if _within(self.col, line, item, "condition", text, quote):
                concepts = text_list(entry.get("concepts"), self.col, line, item, "concepts")
                out.append(Condition(kind, text, tuple(concepts)))
        return tuple(out)


def read_caveat(raw: Any, col: Collector, locator: QuoteLocator, path: str, article_id: str,
                predicates: set[str] | None) -> Caveat | None:
    """One entry of ``caveats``: a qualifying passage, the sections it governs, its object and the
    relations it allows toward that object."""
    line = raw.get(LINE) if isinstance(raw, dict) else None
    item = f"caveat {raw.get('id')!r}" if isinstance(raw, dict) else "caveat"
    if not col.check_keys(raw, CAVEAT_KEYS, item, line):
        return None
    section = locator.section(raw["section"], line, item)
    if section is None:
        return None
    quote = str(raw["quote"])
    start = locator.locate(raw, quote, section, line, item)
    governs = text_list(raw.get("governs"), col, line, item, "governs")
    for title in governs:
        locator.section(title, line, item)
    allows = text_list(raw.get("allows"), col, line, item, "allows")
    for predicate in allows:
        if predicates is not None and predicate not in predicates:
            col.add(line, item, f"unknown predicate {predicate!r} in allows")
    if start is None:
        return None
    return Caveat(str(raw["id"]), section, quote, start, start + len(quote), str(raw["object"]),
                  tuple(governs), tuple(allows), path, line, article_id)


def read_unmodelled(raw: Any, col: Collector, locator: QuoteLocator) -> Unmodelled | None:
    """One entry of ``not_modelled``: a sentence of the article and why the graph does not hold it."""
    line = raw.get(LINE) if isinstance(raw, dict) else None
    if not col.check_keys(raw, UNMODELLED_KEYS, "not_modelled", line):
        return None
    quote = str(raw["quote"])
    start = locator.anywhere(raw, quote, line, f"not_modelled {quote[:40]!r}")
    return Unmodelled(quote, " ".join(str(raw["why"]).split()), start) if start is not None else None
