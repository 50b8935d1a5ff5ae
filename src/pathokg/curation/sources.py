"""Read and check the curated source files (``graph/sources/*.yaml``), one per article.

The format is documented in ``graph/README.md``. Every problem is reported with the file, the line,
the item and what to do, and all problems of a file are reported together.

>>> from pathokg.paths import SOURCES_DIR
>>> article = read_source(SOURCES_DIR / "dystrophic-calcification.yaml")
>>> article.id
'dystrophic-calcification'
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from pathlib import Path
from typing import Any

from ..errors import SourceError, SourceProblem
from .model import Article, Concept, Section
from .statements import QuoteLocator, RelationReader, read_caveat, read_unmodelled
from .yamlio import LINE, SLUG, Collector, items, load_yaml, text_list

ARTICLE_KEYS = {
    "id": True, "text": True, "title": True, "subtitle": False, "publisher": True,
    "reviewer": True, "reviewer_specialty": False, "published": True, "reviewed": False,
    "url": False, "retrieved": False, "language": True, "provenance": True,
    "body_ends_before": False, "sections": True,
}
SECTION_KEYS = {"heading": True, "level": True, "ends_before": False, "title": False}
CONCEPT_KEYS = {
    "id": True, "label": True, "category": True, "definition": True, "synonyms": False,
    "abbreviations": False, "related_synonyms": False, "broad_synonyms": False,
    "narrow_synonyms": False, "xrefs": False, "note": False,
}
TOP_KEYS = {"article": True, "caveats": False, "not_modelled": False, "concepts": True,
            "relations": True}


def _sections(meta: dict[str, Any], text: str, col: Collector) -> list[Section]:
    """Locate each heading in the text and compute the span of its section."""
    body_end = len(text)
    marker = meta.get("body_ends_before")
    if marker:
        pos = text.find(str(marker))
        if pos < 0:
            col.add(meta.get(LINE), "article.body_ends_before", f"text {marker!r} not found in the article")
        else:
            body_end = pos
    found: list[tuple[int, int, str, int, bool, Any]] = []
    cursor = 0
    for raw in meta.get("sections") or []:
        line = raw.get(LINE) if isinstance(raw, dict) else meta.get(LINE)
        if not col.check_keys(raw, SECTION_KEYS, "article.sections", line):
            continue
        heading, level = str(raw["heading"]), raw["level"]
        if not isinstance(level, int) or level < 1:
            col.add(line, f"section {heading!r}", "level must be a whole number from 1")
            continue
        match = re.compile(r"(?m)^" + re.escape(heading)).search(text, cursor)
        if not match:
            col.add(line, f"section {heading!r}", "heading not found at the start of a line "
                    "after the previous heading", "copy the heading exactly from the article text")
            continue
        start = match.start()
        line_end = text.find("\n", match.end())
        inline = bool(text[match.end(): line_end if line_end >= 0 else len(text)].strip())
        title = str(raw.get("title") or heading.rstrip(":").strip())
        found.append((start, level, title, line, inline, raw.get("ends_before")))
        cursor = match.end()
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for i, (start, level, title, line, inline, ends_before) in enumerate(found):
        if inline:
            para_end = text.find("\n\n", start)
            end = para_end if para_end >= 0 else body_end
        else:
            end = body_end
            for later in found[i + 1:]:
                if later[1] <= level:
                    end = later[0]
                    break
        if ends_before:
            pos = text.find(str(ends_before), start)
            if pos < 0:
                col.add(line, f"section {title!r}", f"ends_before text {ends_before!r} not found")
            else:
                end = min(end, pos)
        end = min(end, body_end)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        sections.append(Section(title, level, start, end, " > ".join(t for _, t in stack)))
    return sections


def _read_text(meta: dict[str, Any], path: Path, col: Collector) -> tuple[Path, str]:
    """The article's vendored text, byte for byte.

    :raises SourceError: the text file cannot be read (nothing else can be checked without it).
    """
    text_file = path.parent / str(meta["text"])
    try:
        return text_file, text_file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        col.add(meta[LINE], "article.text", f"cannot read the article text {text_file}: {exc}")
        raise SourceError(col.problems) from None


def _check_meta(meta: dict[str, Any], col: Collector) -> str:
    """Check the article's id and dates; return the id."""
    article_id = str(meta["id"])
    if not SLUG.match(article_id):
        col.add(meta[LINE], "article.id", f"{article_id!r} is not a lower-case slug")
    for key in ("published", "reviewed", "retrieved"):
        value = meta.get(key)
        if value is not None:
            try:
                _dt.date.fromisoformat(str(value))
            except ValueError:
                col.add(meta[LINE], f"article.{key}", f"{value!r} is not a date YYYY-MM-DD")
    return article_id


def _xrefs(raw: dict[str, Any], col: Collector, line: int | None,
           item: str) -> tuple[str | None, list[str] | None]:
    """A concept's ``xrefs``: a concept name of the verified table, optionally with ``only``."""
    xrefs = raw.get("xrefs")
    if xrefs is None:
        return None, None
    if isinstance(xrefs, str):
        return xrefs, None
    if isinstance(xrefs, dict) and set(xrefs) - {LINE} <= {"concept", "only"} and xrefs.get("concept"):
        return str(xrefs["concept"]), text_list(xrefs.get("only"), col, line, item, "xrefs.only") or None
    col.add(line, item, "xrefs must be a concept name of the verified table, "
            "or {concept: NAME, only: [CURIE, ...]}")
    return None, None


class _ConceptReader:
    """Reads the concepts of one file, remembering ids and labels to catch duplicates."""

    def __init__(self, col: Collector, path: Path, article_id: str, categories: set[str] | None):
        self.col, self.path, self.article_id, self.categories = col, path, article_id, categories
        self.ids: dict[str, int | None] = {}
        self.labels: dict[str, str] = {}

    def read(self, raw: Any) -> Concept | None:
        col = self.col
        line = raw.get(LINE) if isinstance(raw, dict) else None
        item = f"concept {raw.get('id')!r}" if isinstance(raw, dict) else "concept"
        if not col.check_keys(raw, CONCEPT_KEYS, item, line):
            return None
        cid = str(raw["id"])
        if not SLUG.match(cid):
            col.add(line, item, "id is not a lower-case slug (letters, digits, single hyphens)")
        if cid in self.ids:
            col.add(line, item, f"duplicate id (also defined on line {self.ids[cid]})",
                    "merge the two definitions or rename one")
            return None
        self.ids[cid] = line
        label = str(raw["label"]).strip()
        if label.lower() in self.labels:
            col.add(line, item, f"duplicate label {label!r} (also used by {self.labels[label.lower()]!r})",
                    "two concepts need two different preferred labels")
        self.labels[label.lower()] = cid
        category = str(raw["category"])
        if self.categories is not None and category not in self.categories:
            close = difflib.get_close_matches(category, sorted(self.categories), n=1)
            col.add(line, item, f"unknown category {category!r}",
                    f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(sorted(self.categories))}")
        xref_concept, xref_only = _xrefs(raw, col, line, item)
        return Concept(
            id=cid, label=label, category=category, definition=str(raw["definition"]).strip(),
            synonyms=text_list(raw.get("synonyms"), col, line, item, "synonyms"),
            abbreviations=text_list(raw.get("abbreviations"), col, line, item, "abbreviations"),
            related_synonyms=text_list(raw.get("related_synonyms"), col, line, item, "related_synonyms"),
            broad_synonyms=text_list(raw.get("broad_synonyms"), col, line, item, "broad_synonyms"),
            narrow_synonyms=text_list(raw.get("narrow_synonyms"), col, line, item, "narrow_synonyms"),
            xref_concept=xref_concept, xref_only=xref_only, note=raw.get("note"),
            file=str(self.path), line=line, article=self.article_id,
        )


def read_source(path: Path | str, *, categories: set[str] | None = None,
                predicates: set[str] | None = None) -> Article:
    """Read one source file, check it, and locate every quote in its article.

    :param path: the YAML file.
    :param categories: allowed category names (default: no check here, the build passes the ontology's).
    :param predicates: allowed relation names (likewise).
    :returns: the article with its sections, concepts and located relations.
    :raises SourceError: listing every problem with its file, line and item.
    """
    path = Path(path)
    col = Collector(path)
    data = load_yaml(path)
    if not col.check_keys(data, TOP_KEYS, "file", 1):
        raise SourceError(col.problems)
    meta = data["article"]
    if not col.check_keys(meta, ARTICLE_KEYS, "article", 1):
        raise SourceError(col.problems)
    article_id = _check_meta(meta, col)
    text_file, text = _read_text(meta, path, col)
    sections = _sections(meta, text, col)
    concept_reader = _ConceptReader(col, path, article_id, categories)
    concepts = [c for raw in items(data, "concepts", col) if (c := concept_reader.read(raw))]
    locator = QuoteLocator(col, text, sections)
    relation_reader = RelationReader(col, locator, str(path), article_id, predicates)
    relations = [r for raw in items(data, "relations", col) if (r := relation_reader.read(raw))]
    caveats = [c for raw in items(data, "caveats", col)
               if (c := read_caveat(raw, col, locator, str(path), article_id, predicates))]
    unmodelled = [u for raw in items(data, "not_modelled", col)
                  if (u := read_unmodelled(raw, col, locator))]
    if col.problems:
        raise SourceError(col.problems)
    clean_meta = {k: v for k, v in meta.items() if k not in (LINE, "sections")}
    return Article(article_id, clean_meta, text, text_file, path, sections, concepts, relations,
                   caveats, unmodelled)


def _shared_concepts(articles: list[Article], problems: list[SourceProblem]) -> dict[str, Concept]:
    """Concepts by id across articles (the first definition of each); a concept defined in two
    articles must agree on label and category, and two concepts may not share a label."""
    defined: dict[str, Concept] = {}
    for a in articles:
        for c in a.concepts:
            first = defined.setdefault(c.id, c)
            if first is not c and (first.label != c.label or first.category != c.category):
                problems.append(SourceProblem(
                    c.file, c.line, f"concept {c.id!r}",
                    f"defined differently in {first.file}:{first.line} "
                    f"(label {first.label!r}/{c.label!r}, category {first.category}/{c.category})",
                    "a shared concept needs the same label and category in every article"))
    labels: dict[str, str] = {}
    for c in defined.values():
        other = labels.setdefault(c.label.lower(), c.id)
        if other != c.id:
            problems.append(SourceProblem(c.file, c.line, f"concept {c.id!r}",
                                          f"label {c.label!r} is also the label of {other!r}"))
    return defined


def _undefined_references(articles: list[Article], defined: dict[str, Concept]) -> list[SourceProblem]:
    """A problem for every concept a relation, condition, context or caveat names that no article
    defines."""
    problems = []

    def check(file: str, line: int | None, item: str, role: str, cid: str) -> None:
        if cid not in defined:
            close = difflib.get_close_matches(cid, list(defined), n=1)
            problems.append(SourceProblem(file, line, item, f"{role} {cid!r} is referenced but not defined",
                                          f"did you mean {close[0]!r}?" if close else "add it to concepts"))

    for a in articles:
        for r in a.relations:
            item = f"relation {r.subject} {r.predicate} {r.object}"
            named = [("subject", r.subject), ("object", r.object)]
            named += [("context", r.context)] if r.context else []
            named += [("condition concept", c) for cond in r.conditions for c in cond.concepts]
            for role, cid in named:
                check(r.file, r.line, item, role, cid)
        for cav in a.caveats:
            check(cav.file, cav.line, f"caveat {cav.id!r}", "object", cav.object)
    return problems


def _caveat_problems(articles: list[Article]) -> list[SourceProblem]:
    """Under a caveat, a statement about its object may not use a relation stronger than the
    caveat allows, unless the quote's causal wording is recorded."""
    problems = []
    for a in articles:
        for cav in a.caveats:
            for r in a.relations:
                if r.section.title not in cav.governs or r.object != cav.object:
                    continue
                if r.predicate not in cav.allows and r.causal_wording is None:
                    problems.append(SourceProblem(
                        r.file, r.line, f"relation {r.subject} {r.predicate} {r.object}",
                        f"the caveat {cav.id!r} of section {r.section.title!r} allows only "
                        f"{', '.join(cav.allows)} toward {cav.object!r}",
                        "use one of those, or record the quote's causal words in causal_wording"))
    return problems


def read_sources(paths: list[Path], *, categories: set[str] | None = None,
                 predicates: set[str] | None = None) -> list[Article]:
    """Read several source files and check what spans them: references and shared concepts.

    A concept defined in several articles is merged by id; its label and category must agree.

    :raises SourceError: with every problem of every file.
    """
    problems: list[SourceProblem] = []
    articles: list[Article] = []
    for path in paths:
        try:
            articles.append(read_source(path, categories=categories, predicates=predicates))
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SourceError(problems)
    ids = [a.id for a in articles]
    problems += [SourceProblem(str(a.file), 1, "article.id", f"{a.id!r} is used by two source files")
                 for a in articles if ids.count(a.id) > 1]
    defined = _shared_concepts(articles, problems)
    problems += _undefined_references(articles, defined)
    problems += _caveat_problems(articles)
    if problems:
        raise SourceError(problems)
    return articles
