"""Reading curated YAML: a loader that keeps each mapping's line, and a collector that gathers every
problem of a file so that all of them are reported together."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError, SourceProblem
from .model import Section

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINE = "__line__"


class LineLoader(yaml.SafeLoader):
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
LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Collector:
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


def text_list(value: Any, col: Collector, line: int | None, item: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        col.add(line, item, f"{key!r} must be a list of non-empty strings")
        return []
    return list(value)


def load_yaml(path: Path) -> Any:
    """The YAML of a source file, every mapping with its line.

    :raises SourceError: the file cannot be read or is not YAML.
    """
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError([SourceProblem(str(path), None, "file", f"cannot be read: {exc}")]) from None
    try:
        return yaml.load(raw_text, Loader=LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError([SourceProblem(str(path), line, "YAML", f"malformed: {problem}",
                                         "fix the YAML syntax (indentation, quotes, colons)")]) from None


def items(data: dict[str, Any], key: str, col: Collector) -> list[Any]:
    """The list under ``key`` (``concepts`` or ``relations``), or an empty list and a problem."""
    raw = data.get(key) or []
    if not isinstance(raw, list):
        col.add(data[LINE], key, "must be a list")
        return []
    return raw


def innermost(sections: list[Section], start: int, end: int) -> Section | None:
    best = None
    for s in sections:
        if s.start <= start and end <= s.end and (best is None or s.end - s.start < best.end - best.start):
            best = s
    return best


def misquote_hint(quote: str, text: str) -> str:
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
