"""The curation audit: every sentence of an article, and what the graph holds of it or why nothing.

:func:`audit` splits the modelled text (the sections of the source file) into sentences and pairs
each with the relations whose quotes cover it, the caveat that is it, or the ``not_modelled``
entry that says why it is left out. A sentence with none of these is a gap, which the test suite
refuses. :func:`audit_markdown` writes ``docs/curation-audit.md``; :func:`review_markdown` writes
the curator's review sheet of a release (``review.md``): every statement by section, with its
quote, relation and qualifiers, so a domain expert can sign off in one read.

>>> from pathokg.paths import SOURCES_DIR
>>> from pathokg.curation.sources import read_source
>>> article = read_source(SOURCES_DIR / "dystrophic-calcification.yaml")
>>> [s for s in audit(article) if s.gap]
[]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import CERTAINTIES, Article, Caveat, Relation, Section, Unmodelled
from .yamlio import innermost

_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z\"(])")


@dataclass
class SentenceAudit:
    """One sentence of the article and what the graph holds of it."""

    section: Section
    start: int
    end: int
    text: str
    relations: list[Relation] = field(default_factory=list)
    caveat: Caveat | None = None
    unmodelled: Unmodelled | None = None
    #: a heading (evidence only for the groupings the article's structure states)
    heading: bool = False

    @property
    def gap(self) -> bool:
        """True when the graph neither holds the sentence nor says why not (headings excepted)."""
        return not (self.heading or self.relations or self.caveat or self.unmodelled)


def sentences(article: Article) -> list[tuple[Section, int, int, str, bool]]:
    """The sentences and headings of the article's sections, in text order (the last item says
    whether it is a heading)."""
    text = article.text
    if not article.sections:
        return []
    begin = min(s.start for s in article.sections)
    end = max(s.end for s in article.sections)
    out: list[tuple[Section, int, int, str, bool]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text[begin:end]):
        p_start, p_text = begin + para.start(), para.group(0)
        section = innermost(article.sections, p_start, p_start + len(p_text))
        if section is None:
            continue
        for heading in (section.title + ":", section.title):
            if p_text == heading or (p_text.startswith(heading + " ") and heading.endswith(":")):
                out.append((section, p_start, p_start + len(heading), heading, True))
                p_text = p_text[len(heading) + 1:]
                p_start += len(heading) + 1
                break
        offset = 0
        for piece in _SENTENCE_END.split(p_text):
            at = p_text.index(piece, offset) if piece else offset
            offset = at + len(piece)
            if piece.strip():
                out.append((section, p_start + at, p_start + at + len(piece), piece, False))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def audit(article: Article) -> list[SentenceAudit]:
    """Every sentence with the relations, caveat or not-modelled entry that account for it."""
    out = []
    for section, start, end, text, heading in sentences(article):
        item = SentenceAudit(section, start, end, text, heading=heading)
        span = (start, end)
        item.relations = [r for r in article.relations if _overlaps(span, (r.start, r.end))]
        item.caveat = next((c for c in article.caveats if _overlaps(span, (c.start, c.end))), None)
        item.unmodelled = next((u for u in article.unmodelled
                                if _overlaps(span, (u.start, u.start + len(u.quote)))), None)
        out.append(item)
    return out


def statement(r: Relation, labels: dict[str, str], relation_labels: dict[str, str]) -> str:
    """A relation read as a sentence: ``chronic kidney disease — is a risk factor for → ...``."""
    return (f"{labels.get(r.subject, r.subject)} — {relation_labels.get(r.predicate, r.predicate)} → "
            f"{labels.get(r.object, r.object)}")


def qualifiers(r: Relation, labels: dict[str, str]) -> str:
    """The qualifiers of a passage in words: certainty, conditions, context."""
    parts = [r.certainty]
    for c in r.conditions:
        named = f" ({', '.join(labels.get(x, x) for x in c.concepts)})" if c.concepts else ""
        parts.append(f"{c.kind}: \u201c{c.text}\u201d{named}")
    if r.context:
        parts.append(f"within: {labels.get(r.context, r.context)}")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def concept_labels(articles: Iterable[Article]) -> dict[str, str]:
    """Concept id -> label, over every article."""
    return {c.id: c.label for a in articles for c in a.concepts}


def _counts(articles: list[Article], audits: dict[str, list[SentenceAudit]]) -> list[str]:
    relations = [r for a in articles for r in a.relations]
    by_certainty = Counter(r.certainty for r in relations)
    statements = {(r.subject, r.predicate, r.object) for r in relations}
    all_sentences = [s for a in articles for s in audits[a.id] if not s.heading]
    lines = [
        f"- sentences: {len(all_sentences)} ({sum(1 for s in all_sentences if s.relations or s.caveat)} "
        f"modelled, {sum(1 for s in all_sentences if s.unmodelled)} not modelled, "
        f"{sum(1 for s in all_sentences if s.gap)} unaccounted for)",
        f"- statements (distinct relations): {len(statements)}; passages: {len(relations)} plus "
        f"{sum(len(a.caveats) for a in articles)} caveat(s)",
        "- passages by certainty: " + ", ".join(f"{c} {by_certainty.get(c, 0)}" for c in CERTAINTIES),
        f"- passages with conditions: {sum(1 for r in relations if r.conditions)}; "
        f"with a context: {sum(1 for r in relations if r.context)}; "
        f"with a contested note: {sum(1 for r in relations if r.contested)}",
    ]
    return lines


def audit_markdown(articles: list[Article], relation_labels: dict[str, str]) -> str:
    """``docs/curation-audit.md``: the article sentence by sentence, and the notes of the curators."""
    labels = concept_labels(articles)
    audits = {a.id: audit(a) for a in articles}
    lines = ["# Curation audit", "",
             "Generated by `scripts/gen_curation_audit.py` from the curated sources in `graph/sources/`; "
             "do not edit by hand (the test suite checks it is current).", "",
             "Every sentence of the modelled text (the summary line under the title and the article "
             "body), with what the graph holds of it: each statement with its relation, how firmly "
             "the passage states it (certainty), its conditions and context; or why it is not "
             "modelled. The graph records what the article says; where that is medically "
             "contested, the note says so.", "", "## Counts", "", *_counts(articles, audits), ""]
    for a in articles:
        lines += [f"## {a.meta['title']}", ""]
        current = None
        n = 0
        for s in audits[a.id]:
            if s.section.path != current:
                current = s.section.path
                lines += ([""] if lines[-1] else []) + [f"### {current}", ""]
            if s.heading:
                if s.relations:
                    lines.append(f"- heading \u201c{_cell(s.text)}\u201d")
            else:
                n += 1
                lines.append(f"{n}. \u201c{_cell(s.text)}\u201d")
            if s.caveat:
                lines.append(f"   - a caveat of its section: evidence for every statement toward "
                             f"{labels.get(s.caveat.object, s.caveat.object)} in "
                             f"{', '.join(s.caveat.governs)}; allows only {', '.join(s.caveat.allows)}")
            for r in s.relations:
                lines.append(f"   - {statement(r, labels, relation_labels)} ({qualifiers(r, labels)})")
                if r.contested:
                    lines.append(f"     - contested: {_cell(r.contested)}")
            if s.unmodelled:
                lines.append(f"   - not modelled: {s.unmodelled.why}")
            if s.gap:
                lines.append("   - **not accounted for**")
        lines += ["", "### Curators' notes on concepts and mappings", ""]
        lines += [f"- **{c.label}**: {_cell(c.note)}" for c in sorted(a.concepts, key=lambda c: c.label)
                  if c.note]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def review_markdown(articles: list[Article], relation_labels: dict[str, str], version: str) -> str:
    """The review sheet of a release: every statement by section with its quote and qualifiers."""
    labels = concept_labels(articles)
    lines = [f"# Review sheet (pathokg {version})", "",
             "Every statement of the release by article section: the relation, how firmly the "
             "article states it, its conditions and context, and the article's own words. A domain "
             "expert signs off by reading this page once.", ""]
    for a in articles:
        lines += [f"## {a.meta['title']}", ""]
        by_path: dict[str, list[Relation]] = {}
        for r in sorted(a.relations, key=lambda r: (r.start, r.subject, r.predicate, r.object)):
            by_path.setdefault(r.section.path, []).append(r)
        caveats = {c.section.path: c for c in a.caveats}
        for path, relations in by_path.items():
            lines += [f"### {path}", "", "| statement | certainty and conditions | quote |",
                      "| --- | --- | --- |"]
            for r in relations:
                words = _cell(r.quote) + (f" *(contested: {_cell(r.contested)})*" if r.contested else "")
                lines.append(f"| {_cell(statement(r, labels, relation_labels))} | "
                             f"{_cell(qualifiers(r, labels))} | {words} |")
            if path in caveats:
                c = caveats.pop(path)
                lines += ["", f"Caveat of this section (evidence for its risk statements): "
                              f"\u201c{_cell(c.quote)}\u201d"]
            lines.append("")
        for path, c in caveats.items():
            lines += [f"### {path}", "", f"Caveat: \u201c{_cell(c.quote)}\u201d", ""]
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["SentenceAudit", "audit", "audit_markdown", "concept_labels", "qualifiers", "review_markdown",
           "sentences", "statement"]
