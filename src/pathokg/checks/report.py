"""A ROBOT-style report: the rules of ROBOT's report profile (labels, definitions, synonyms,
cross-references, ontology header, deprecation) as SPARQL in ``queries/report/``, one rule per
file named as ROBOT names it, its level (ERROR, WARN, INFO) in the ``#+ level:`` header.

The build fails on an ERROR; warnings and information are listed, not fatal (as in ROBOT and the
ODK). :func:`report_tsv` writes ROBOT's own TSV layout (Level, Rule Name, Subject, Property, Value).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import Violation
from ..paths import REPORT_QUERIES
from ..querying.files import read_query_dir
from ..querying.rows import select
from ..rdf.store import as_store

LEVELS = ("ERROR", "WARN", "INFO")


@dataclass(frozen=True, order=True)
class ReportRow:
    """One problem a rule found: its level, the rule's name and the triple it is about."""

    level: str
    rule: str
    entity: str
    property: str
    value: str


def run_report(graph: Graph | ox.Store, folder: Path = REPORT_QUERIES) -> list[ReportRow]:
    """Run every report rule on the graph (a store: its default graph), most severe first."""
    store = as_store(graph)
    rows = []
    for query in read_query_dir(folder):
        level = (query.header("level") or "").upper()
        if level not in LEVELS:
            raise ValueError(f"{query.path}: '#+ level:' must be one of {', '.join(LEVELS)}")
        rows += [ReportRow(level, query.name, r.get("entity", ""), r.get("property", ""),
                           r.get("value", "")) for r in select(store, query)]
    return sorted(rows, key=lambda r: (LEVELS.index(r.level), r.rule, r.entity, r.property, r.value))


def report_violations(rows: list[ReportRow]) -> list[Violation]:
    """The ERROR rows as build violations."""
    return [Violation(r.entity, f"report:{r.rule}", f"{r.property} {r.value}".strip())
            for r in rows if r.level == "ERROR"]


def report_tsv(rows: list[ReportRow]) -> str:
    """ROBOT's report TSV: ``Level``, ``Rule Name``, ``Subject``, ``Property``, ``Value``."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["Level", "Rule Name", "Subject", "Property", "Value"])
    writer.writerows([r.level, r.rule, r.entity, r.property, r.value] for r in rows)
    return buf.getvalue()
