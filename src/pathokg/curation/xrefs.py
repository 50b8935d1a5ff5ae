"""Verified cross-references: the project's copy of the verified table.

Every external identifier in the graph comes from ``graph/mappings/verified-xrefs.tsv``, which holds
rows of the shared verified table unchanged.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError, SourceProblem
from ..vocab import MATCH_PROPERTIES, XREF_BASES

COLUMNS = ["concept", "curie", "label_in_source", "match_type", "evidence"]


@dataclass(frozen=True)
class XrefRow:
    """One row of the verified table."""

    concept: str
    curie: str
    label_in_source: str
    match_type: str
    evidence: str
    line: int


def read_table(path: Path) -> list[XrefRow]:
    """Read a verified cross-reference table (TSV with the five columns).

    :raises SourceError: if the header, a match type or a prefix is wrong.
    """
    problems: list[SourceProblem] = []
    rows: list[XrefRow] = []
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise SourceError([SourceProblem(str(path), None, "file", f"cannot be read: {exc}")]) from None
    with handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if header != COLUMNS:
            raise SourceError([SourceProblem(str(path), 1, "header", f"expected columns {COLUMNS}, found {header}")])
        for number, cols in enumerate(reader, start=2):
            if not cols:
                continue
            if len(cols) != len(COLUMNS):
                problems.append(SourceProblem(str(path), number, "row", f"expected 5 columns, found {len(cols)}"))
                continue
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


def rows_for(table: list[XrefRow], concept_name: str, only: list[str] | None) -> list[XrefRow]:
    """Return the table rows of a concept name, restricted to ``only`` if given."""
    rows = [r for r in table if r.concept == concept_name]
    if only is not None:
        rows = [r for r in rows if r.curie in only]
    return rows
