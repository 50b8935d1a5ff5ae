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

import yaml

from ..errors import SourceError, SourceProblem
from .model import Article, Concept, Relation, Section

ARTICLE_KEYS = {
    "id": True, "text": True, "title": True, "subtitle": False, "publisher": True,
    "reviewer": True, "reviewer_specialty": False, "published": True, "reviewed": False,
    "url": False, "language": True, "provenance": True, "body_ends_before": False,
    "sections": True,
}
SECTION_KEYS = {"heading": True, "level": True, "ends_before": False}
CONCEPT_KEYS = {
    "id": True, "label": True, "category": True, "definition": True, "synonyms": False,
    "abbreviations": False, "xrefs": False, "note": False,
}
RELATION_KEYS = {
    "subject": True, "predicate": True, "object": True, "section": True, "quote": True,
    "occurrence": False, "note": False,
}
TOP_KEYS = {"article": True, "concepts": True, "relations": True}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line and refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


# Dates stay strings: the build writes them as xsd:date itself.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Collector:
    """Collects the problems of one file so that all of them are reported at once."""

    def __init__(self, file: Path):
        self.file = str(file)
        self.problems: list[SourceProblem] = []

    def add(self, line: int | None, item: str, message: str, hint: str = "") -> None:
        self.problems.append(SourceProblem(self.file, line, item, message, hint))

    def check_keys(self, data: Any, spec: dict[str, bool], item: str, line: int | None) -> bool:
        if not isinstance(data, dict):
            self.add(line, item, f"expected a mapping of keys, found {type(data).__name__}",
                     "see graph/README.md for the format")
            return False
        ok = True
        line = data.get(LINE, line)
        for key in data:
            if key != LINE and key not in spec:
                self.add(line, item, f"unknown key {key!r}",
                         f"allowed keys: {', '.join(sorted(spec))}")
                ok = False
        for key, required in spec.items():
            if required and (data.get(key) is None or data.get(key) == ""):
                self.add(line, item, f"missing required key {key!r}", "see graph/README.md")
                ok = False
        return ok


def _text_list(value: Any, col: _Collector, line: int | None, item: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        col.add(line, item, f"{key!r} must be a list of non-empty strings")
        return []
    return list(value)


def _sections(meta: dict[str, Any], text: str, col: _Collector) -> list[Section]:
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
        found.append((start, level, heading.rstrip(":").strip(), line, inline, raw.get("ends_before")))
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


def _innermost(sections: list[Section], start: int, end: int) -> Section | None:
    best = None
    for s in sections:
        if s.start <= start and end <= s.end and (best is None or s.end - s.start < best.end - best.start):
            best = s
    return best


def _misquote_hint(quote: str, text: str) -> str:
    """Say where a quote stops matching the article, to make a misquote quick to fix."""
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo >= 12:
        pos = text.find(quote[:lo])
        return (f"the article matches up to {quote[:lo][-40:]!r}, then has "
                f"{text[pos + lo: pos + lo + 30]!r} where the quote has {quote[lo: lo + 30]!r}")
    close = difflib.get_close_matches(quote, re.split(r"(?<=[.!?])\s+", text), n=1, cutoff=0.5)
    return f"closest sentence: {close[0]!r}" if close else "copy the words exactly from the article text"


def _load_yaml(path: Path) -> Any:
    """The YAML of a source file, every mapping with its line.

    :raises SourceError: the file cannot be read or is not YAML.
    """
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError([SourceProblem(str(path), None, "file", f"cannot be read: {exc}")]) from None
    try:
        return yaml.load(raw_text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError([SourceProblem(str(path), line, "YAML", f"malformed: {problem}",
                                         "fix the YAML syntax (indentation, quotes, colons)")]) from None


def _read_text(meta: dict[str, Any], path: Path, col: _Collector) -> tuple[Path, str]:
    """The article's vendored text, byte for byte.

    :raises SourceError: the text file cannot be read (nothing else can be checked without it).
    """
    text_file = path.parent / str(meta["text"])
    try:
        return text_file, text_file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        col.add(meta[LINE], "article.text", f"cannot read the article text {text_file}: {exc}")
        raise SourceError(col.problems) from None


def _check_meta(meta: dict[str, Any], col: _Collector) -> str:
    """Check the article's id and dates; return the id."""
    article_id = str(meta["id"])
    if not SLUG.match(article_id):
        col.add(meta[LINE], "article.id", f"{article_id!r} is not a lower-case slug")
    for key in ("published", "reviewed"):
        value = meta.get(key)
        if value is not None:
            try:
                _dt.date.fromisoformat(str(value))
            except ValueError:
                col.add(meta[LINE], f"article.{key}", f"{value!r} is not a date YYYY-MM-DD")
    return article_id


def _items(data: dict[str, Any], key: str, col: _Collector) -> list[Any]:
    """The list under ``key`` (``concepts`` or ``relations``), or an empty list and a problem."""
    raw = data.get(key) or []
    if not isinstance(raw, list):
        col.add(data[LINE], key, "must be a list")
        return []
    return raw


def _xrefs(raw: dict[str, Any], col: _Collector, line: int | None,
           item: str) -> tuple[str | None, list[str] | None]:
    """A concept's ``xrefs``: a concept name of the verified table, optionally with ``only``."""
    xrefs = raw.get("xrefs")
    if xrefs is None:
        return None, None
    if isinstance(xrefs, str):
        return xrefs, None
    if isinstance(xrefs, dict) and set(xrefs) - {LINE} <= {"concept", "only"} and xrefs.get("concept"):
        return str(xrefs["concept"]), _text_list(xrefs.get("only"), col, line, item, "xrefs.only") or None
    col.add(line, item, "xrefs must be a concept name of the verified table, "
            "or {concept: NAME, only: [CURIE, ...]}")
    return None, None


class _ConceptReader:
    """Reads the concepts of one file, remembering ids and labels to catch duplicates."""

    def __init__(self, col: _Collector, path: Path, article_id: str, categories: set[str] | None):
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
            synonyms=_text_list(raw.get("synonyms"), col, line, item, "synonyms"),
            abbreviations=_text_list(raw.get("abbreviations"), col, line, item, "abbreviations"),
            xref_concept=xref_concept, xref_only=xref_only, note=raw.get("note"),
            file=str(self.path), line=line, article=self.article_id,
        )


class _RelationReader:
    """Reads the relations of one file and locates each quote in its section of the article."""

    def __init__(self, col: _Collector, path: Path, article_id: str, text: str,
                 sections: list[Section], predicates: set[str] | None):
        self.col, self.path, self.article_id, self.text = col, path, article_id, text
        self.sections, self.predicates = sections, predicates
        self.by_title: dict[str, Section] = {}
        for s in sections:
            self.by_title.setdefault(s.title, s)

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
        section = self.by_title.get(str(raw["section"]))
        if section is None:
            close = difflib.get_close_matches(str(raw["section"]), list(self.by_title), n=1)
            col.add(line, item, f"unknown section {raw['section']!r}",
                    f"did you mean {close[0]!r}?" if close else "use a title from article.sections")
            return None
        quote = str(raw["quote"])
        start = self.locate(raw, quote, section, line, item)
        if start is None:
            return None
        return Relation(
            subject=str(raw["subject"]), predicate=predicate, object=str(raw["object"]),
            section=section, quote=quote, start=start, end=start + len(quote), note=raw.get("note"),
            file=str(self.path), line=line, article=self.article_id,
        )

    def locate(self, raw: dict[str, Any], quote: str, section: Section, line: int | None,
               item: str) -> int | None:
        """Where the quote starts in the text: once in its section (or at ``occurrence``), and
        not inside an inner section; ``None`` (and a problem) otherwise."""
        col, text = self.col, self.text
        hits = [m.start() for m in re.finditer(re.escape(quote), text)]
        inside = [h for h in hits if section.start <= h and h + len(quote) <= section.end]
        if not hits:
            col.add(line, item, "quote not found verbatim in the article", _misquote_hint(quote, text))
            return None
        if not inside:
            other = _innermost(self.sections, hits[0], hits[0] + len(quote))
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
        innermost = _innermost(self.sections, start, start + len(quote))
        if innermost is not None and innermost is not section:
            col.add(line, item, f"quote stands in the inner section {innermost.title!r}",
                    f"set section: {innermost.title}")
            return None
        return start


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
    col = _Collector(path)
    data = _load_yaml(path)
    if not col.check_keys(data, TOP_KEYS, "file", 1):
        raise SourceError(col.problems)
    meta = data["article"]
    if not col.check_keys(meta, ARTICLE_KEYS, "article", 1):
        raise SourceError(col.problems)
    article_id = _check_meta(meta, col)
    text_file, text = _read_text(meta, path, col)
    sections = _sections(meta, text, col)
    concept_reader = _ConceptReader(col, path, article_id, categories)
    concepts = [c for raw in _items(data, "concepts", col) if (c := concept_reader.read(raw))]
    relation_reader = _RelationReader(col, path, article_id, text, sections, predicates)
    relations = [r for raw in _items(data, "relations", col) if (r := relation_reader.read(raw))]
    if col.problems:
        raise SourceError(col.problems)
    clean_meta = {k: v for k, v in meta.items() if k not in (LINE, "sections")}
    return Article(article_id, clean_meta, text, text_file, path, sections, concepts, relations)


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
    """A problem for every relation end that no article defines."""
    problems = []
    for a in articles:
        for r in a.relations:
            for role, cid in (("subject", r.subject), ("object", r.object)):
                if cid not in defined:
                    close = difflib.get_close_matches(cid, list(defined), n=1)
                    problems.append(SourceProblem(
                        r.file, r.line, f"relation {r.subject} {r.predicate} {r.object}",
                        f"{role} {cid!r} is referenced but not defined",
                        f"did you mean {close[0]!r}?" if close else "add it to concepts"))
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
    if problems:
        raise SourceError(problems)
    return articles
