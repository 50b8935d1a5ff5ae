"""Verified cross-references: the project's copy of the verified table.

Every external identifier in the graph comes from ``graph/mappings/verified-xrefs.tsv``, which holds
rows of the shared verified table unchanged. ``graph/mappings/no-term-found.tsv`` records the
concepts the verifier checked and found no standard term for, in the verifier's words.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError, SourceProblem
from ..vocab import MATCH_PROPERTIES, XREF_BASES

COLUMNS = ["concept", "curie", "label_in_source", "match_type", "evidence"]
#: the columns of the table of concepts checked without a standard term (graph/mappings/no-term-found.tsv)
NO_TERM_COLUMNS = ["concept", "match_type", "note", "evidence"]


@dataclass(frozen=True)
class XrefRow:
    """One row of the verified table."""

    concept: str
    curie: str
    label_in_source: str
    match_type: str
    evidence: str
    line: int


def _read_tsv(path: Path, columns: list[str]) -> tuple[list[tuple[int, list[str]]], list[SourceProblem]]:
    """The data rows of a TSV file with the header ``columns``: (line number, cells), and the
    problems of rows with another number of cells.

    :raises SourceError: the file cannot be read or its header is not ``columns``.
    """
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise SourceError([SourceProblem(str(path), None, "file", f"cannot be read: {exc}")]) from None
    rows: list[tuple[int, list[str]]] = []
    problems: list[SourceProblem] = []
    with handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if header != columns:
            raise SourceError([SourceProblem(str(path), 1, "header", f"expected columns {columns}, found {header}")])
        for number, cols in enumerate(reader, start=2):
            if not cols:
                continue
            if len(cols) != len(columns):
                problems.append(SourceProblem(str(path), number, "row",
                                              f"expected {len(columns)} columns, found {len(cols)}"))
                continue
            rows.append((number, cols))
    return rows, problems


def read_table(path: Path) -> list[XrefRow]:
    """Read a verified cross-reference table (TSV with the five columns).

    :raises SourceError: if the header, a match type or a prefix is wrong.
    """
    cells, problems = _read_tsv(path, COLUMNS)
    rows: list[XrefRow] = []
    for number, cols in cells:
        row = XrefRow(*cols, line=number)
        prefix = row.curie.partition(":")[0].upper()
        if prefix not in XREF_BASES:
            problems.append(SourceProblem(str(path), number, row.curie, f"unknown prefix {prefix!r}"))
        if row.match_type not in MATCH_PROPERTIES:
            problems.append(SourceProblem(str(path), number, row.curie,
                                          f"unknown match type {row.match_type!r}"))
        rows.append(row)
    if problems:
        raise SourceError(problems)
    return rows


@dataclass(frozen=True)
class NoTermRow:
    """A concept for which the verifier looked for a standard term of one match type and found
    none: its absence of mappings of that type is a finding, not a gap (SSSOM's
    ``sssom:NoTermFound``). ``note`` is the verifier's own words, ``evidence`` where they stand."""

    concept: str
    match_type: str
    note: str
    evidence: str
    line: int


def read_no_term_table(path: Path) -> list[NoTermRow]:
    """Read the table of concepts checked without a standard term (TSV with
    :data:`NO_TERM_COLUMNS`).

    :raises SourceError: if the header or a match type is wrong.
    """
    cells, problems = _read_tsv(path, NO_TERM_COLUMNS)
    rows = [NoTermRow(*cols, line=number) for number, cols in cells]
    problems += [SourceProblem(str(path), r.line, r.concept, f"unknown match type {r.match_type!r}")
                 for r in rows if r.match_type not in MATCH_PROPERTIES]
    if problems:
        raise SourceError(problems)
    return rows


def rows_for(table: list[XrefRow], concept_name: str, only: list[str] | None) -> list[XrefRow]:
    """Return the table rows of a concept name, restricted to ``only`` if given."""
    rows = [r for r in table if r.concept == concept_name]
    if only is not None:
        rows = [r for r in rows if r.curie in only]
    return rows


#: a final parenthesis that says the label seen belongs to another source's term
#: ("HP label", "UBERON label; SNOMED FSN not seen", "HP & MONDO labels", "MAXO label; NCIT ...")
_OTHER_SOURCE = re.compile(r"^(?P<sources>[A-Z]+(?: & [A-Z]+)*) labels?\b")
#: SNOMED CT semantic tags, part of a fully specified name
_SEMANTIC_TAGS = {"procedure", "disorder", "finding", "body structure", "substance", "qualifier value"}


def _final_parenthesis(text: str) -> tuple[str, str] | None:
    """Split ``"name (note)"`` at its last balanced parenthesis: (name, note), or ``None``."""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return (text[:i].rstrip(), text[i + 1:-1]) if i > 0 else None
    return None


def source_label(row: XrefRow) -> tuple[str, str]:
    """The label the identifier's own source gives it, and the verifier's note, from
    ``label_in_source`` (which holds both: ``"Calcinosis (entry term: Pathologic Calcification)"``).

    The label is empty when the verifier saw the identifier only as a cross-reference on another
    ontology's term, whose label the column then holds (``"Calcinosis (HP label; SNOMED FSN not
    seen)"``). A SNOMED CT semantic tag such as ``(procedure)`` is part of the name. Of two names
    seen (``"A / B"``) the first is the label and the second goes to the note.

    >>> row = XrefRow("c", "SNOMEDCT:6595006", "Calcinosis (HP label; SNOMED FSN not seen)", "exact", "", 0)
    >>> source_label(row)
    ('', 'the label seen, Calcinosis, comes from the HP term it is a cross-reference on; SNOMED FSN not seen')
    >>> source_label(XrefRow("c", "MESH:D002114", "Calcinosis (entry term: Pathologic Calcification)", "exact", "", 0))
    ('Calcinosis', 'entry term: Pathologic Calcification')
    >>> source_label(XrefRow("c", "SNOMEDCT:77477000", "Computed tomography (procedure)", "exact", "", 0))
    ('Computed tomography (procedure)', '')
    """
    text, note = row.label_in_source.strip(), ""
    split = _final_parenthesis(text)
    if split and split[1] not in _SEMANTIC_TAGS:
        text, note = split
        other = _OTHER_SOURCE.match(note)
        if other and row.curie.partition(":")[0].upper() not in other["sources"].split(" & "):
            rest = note[other.end():].lstrip("; ").strip()
            seen = f"the label seen, {text}, comes from the {other['sources']} term it is a cross-reference on"
            return "", f"{seen}; {rest}" if rest else seen
    if " / " in text:
        text, also = text.split(" / ", 1)
        note = "; ".join(n for n in (f"also seen: {also}", note) if n)
    return text, note
