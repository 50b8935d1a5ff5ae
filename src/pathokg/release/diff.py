"""What changed between two releases: the library behind ``pathokg diff OLD NEW``.

Each release (a release folder, or one RDF file of it) is read into sections keyed by what a user
would name: concepts and ontology terms by IRI, statements and mappings by their triple, passages
by their evidence IRI. A passage's qualifiers (certainty, conditions, context, notes) are their own
section, so that "the same quote is now conditional" is not lost among the evidence. Every other
triple is compared too, counted by predicate, so nothing that changed goes unreported; the
release's own version, version IRI and date are shown but are not a change.

>>> ReleaseDiff({}, {}, {}, {}).has_changes
False
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import ReleaseError
from ..paths import DIFF_QUERIES, EXPORT_QUERIES, NTRIPLES, TURTLE
from ..querying.files import read_query_file
from ..querying.rows import select
from ..rdf.canonical import canonical, ntriples
from ..rdf.store import to_oxigraph
from ..vocab import ONTOLOGY_IRI, shorten

#: the sections a diff reports, in order, with the query that reads each
SECTIONS = {"concepts": "concepts", "ontology terms": "terms", "statements": "statements",
            "evidence": "evidence", "qualifiers": "evidence", "mappings": "mappings"}
#: the passage fields that are qualifiers (the others locate the passage)
QUALIFIER_FIELDS = {"certainty", "conditions", "context", "certainty note", "contested note",
                    "causal wording", "note"}
#: the ontology header's release triples, reported as the release, not as changes
_RELEASE_PREDICATES = ("http://www.w3.org/2002/07/owl#versionIRI", "http://www.w3.org/2002/07/owl#versionInfo",
                       "http://purl.org/dc/terms/issued")
_FORMATS = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".rdf": "xml", ".jsonld": "json-ld"}

Record = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Snapshot:
    """One release as the diff sees it."""

    release: dict[str, str]
    sections: dict[str, dict[str, Record]]
    triples: frozenset[str]


@dataclass
class SectionDiff:
    """Keys added and removed, and for keys in both, each field that changed (old values, new values)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class ReleaseDiff:
    """The difference between two snapshots."""

    old: dict[str, str]
    new: dict[str, str]
    sections: dict[str, SectionDiff]
    #: predicate -> (triples added, triples removed), over every triple of the graphs
    triples: dict[str, tuple[int, int]]

    @property
    def has_changes(self) -> bool:
        return any(self.sections.values()) or bool(self.triples)

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable form (what ``--format json`` prints)."""
        return {
            "old": self.old, "new": self.new, "changed": self.has_changes,
            "sections": {name: {"added": d.added, "removed": d.removed,
                                "changed": {k: {f: {"old": list(o), "new": list(n)} for f, (o, n) in fields.items()}
                                            for k, fields in d.changed.items()}}
                         for name, d in self.sections.items()},
            "triples": {p: {"added": a, "removed": r} for p, (a, r) in self.triples.items()},
        }


def _graph_file(path: Path) -> Path:
    if path.is_dir():
        for name in (NTRIPLES, TURTLE):
            if (path / name).is_file():
                return path / name
        raise ReleaseError(f"{path} holds no pathokg release ({TURTLE} or {NTRIPLES}); give a release "
                           "folder or one of its RDF files")
    if not path.is_file():
        raise ReleaseError(f"{path} does not exist; give a release folder or one of its RDF files")
    if path.suffix.lower() not in _FORMATS:
        raise ReleaseError(f"{path}: not an RDF file pathokg writes ({', '.join(sorted(_FORMATS))})")
    return path


def _records(rows: list[dict[str, str]], key_columns: tuple[str, ...]) -> dict[str, Record]:
    values: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        key = " ".join(shorten(row[c]) for c in key_columns)
        values.setdefault(key, {}).setdefault(row["field"], set()).add(shorten(row.get("value", "")))
    return {k: {f: tuple(sorted(v)) for f, v in fields.items()} for k, fields in values.items()}


def read_snapshot(path: Path | str) -> Snapshot:
    """Read a release folder (its N-Triples, or Turtle) or one RDF file of a release.

    :raises ReleaseError: nothing readable there.
    """
    source = _graph_file(Path(path))
    graph = Graph()
    try:
        graph.parse(source, format=_FORMATS.get(source.suffix.lower(), "turtle"))
    except Exception as exc:  # rdflib raises several parser exception types
        raise ReleaseError(f"{source} cannot be read as RDF ({exc})") from None
    store: ox.Store = to_oxigraph(graph)
    release = next(iter(select(store, read_query_file(EXPORT_QUERIES / "release.rq"))), {})
    sections = {}
    for name, query in SECTIONS.items():
        rows = select(store, read_query_file(DIFF_QUERIES / f"{query}.rq"))
        keys = ("subject", "predicate", "object") if query in ("statements", "mappings") else ("key",)
        records = _records(rows, keys)
        if query == "evidence":
            keep = (lambda f: f in QUALIFIER_FIELDS) if name == "qualifiers" else (lambda f: f not in QUALIFIER_FIELDS)
            records = {k: {f: v for f, v in r.items() if keep(f)} for k, r in records.items()}
        sections[name] = records
    header = f"<{ONTOLOGY_IRI}> "
    lines = frozenset(line for line in ntriples(canonical(graph)).splitlines()
                      if not (line.startswith(header) and line.split(" ", 2)[1][1:-1] in _RELEASE_PREDICATES))
    return Snapshot(release, sections, lines)


def _compare(old: dict[str, Record], new: dict[str, Record], *, keys_only: bool = False) -> SectionDiff:
    diff = SectionDiff(sorted(new.keys() - old.keys()), sorted(old.keys() - new.keys()))
    for key in sorted(old.keys() & new.keys()):
        fields = {f: (old[key].get(f, ()), new[key].get(f, ()))
                  for f in sorted(old[key].keys() | new[key].keys())
                  if old[key].get(f, ()) != new[key].get(f, ())}
        if fields and not keys_only:
            diff.changed[key] = fields
    return diff


def _predicate(line: str) -> str:
    return shorten(line.split(" ", 2)[1][1:-1])


def compare(old: Snapshot, new: Snapshot) -> ReleaseDiff:
    """The difference between two snapshots."""
    sections = {}
    for name in SECTIONS:
        diff = _compare(old.sections[name], new.sections[name])
        if name == "qualifiers":  # passages added or removed are reported under evidence
            diff.added, diff.removed = [], []
        sections[name] = diff
    added = Counter(_predicate(t) for t in new.triples - old.triples)
    removed = Counter(_predicate(t) for t in old.triples - new.triples)
    triples = {p: (added[p], removed[p]) for p in sorted(added.keys() | removed.keys())}
    return ReleaseDiff(old.release, new.release, sections, triples)


def diff_releases(old: Path | str, new: Path | str) -> ReleaseDiff:
    """Compare two releases (folders or RDF files of them)."""
    return compare(read_snapshot(old), read_snapshot(new))


def _release_name(info: dict[str, str]) -> str:
    if not info:
        return "a release without version"
    date = info.get("date")
    return f"{info.get('version', '?')} ({date})" if date else f"{info.get('version', '?')} (no release date)"


def _values(values: tuple[str, ...]) -> str:
    return "; ".join(f"“{v}”" for v in values) if values else "(none)"


def to_markdown(diff: ReleaseDiff, *, limit: int = 200) -> str:
    """A Markdown report: a summary table, then each section's additions, removals and changes
    (at most ``limit`` items per list; the JSON form has them all)."""
    lines = [f"# pathokg diff: {_release_name(diff.old)} → {_release_name(diff.new)}", ""]
    if diff.old.get("versionIRI") != diff.new.get("versionIRI"):
        lines += [f"Version IRI: {diff.old.get('versionIRI', '(none)')} → {diff.new.get('versionIRI', '(none)')}", ""]
    lines += ["| section | added | removed | changed |", "| --- | ---: | ---: | ---: |"]
    for name, d in diff.sections.items():
        lines.append(f"| {name} | {len(d.added)} | {len(d.removed)} | {len(d.changed)} |")
    total_added = sum(a for a, _ in diff.triples.values())
    total_removed = sum(r for _, r in diff.triples.values())
    lines += [f"| triples (every one, by predicate below) | {total_added} | {total_removed} | |", ""]
    if not diff.has_changes:
        return "\n".join([*lines, "No change.", ""])
    for name, d in diff.sections.items():
        if not d:
            continue
        lines += [f"## {name.capitalize()}", ""]
        for title, keys in (("Added", d.added), ("Removed", d.removed)):
            if keys:
                lines += [f"{title} ({len(keys)}):", ""]
                lines += [f"- `{k}`" for k in keys[:limit]]
                lines += [f"- … and {len(keys) - limit} more"] if len(keys) > limit else []
                lines.append("")
        if d.changed:
            lines += [f"Changed ({len(d.changed)}):", ""]
            for key, fields in list(d.changed.items())[:limit]:
                for f, (o, n) in fields.items():
                    lines.append(f"- `{key}` {f}: {_values(o)} → {_values(n)}")
            lines += [f"- … and {len(d.changed) - limit} more"] if len(d.changed) > limit else []
            lines.append("")
    if diff.triples:
        lines += ["## Triples by predicate", "", "| predicate | added | removed |", "| --- | ---: | ---: |"]
        lines += [f"| `{p}` | {a} | {r} |" for p, (a, r) in diff.triples.items()]
        lines.append("")
    return "\n".join(lines)


def to_json(diff: ReleaseDiff) -> str:
    """The machine-readable report: JSON with sorted keys."""
    return json.dumps(diff.to_dict(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
