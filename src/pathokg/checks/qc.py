"""The SPARQL quality checks of ``queries/qc``: every ``*-violation.rq`` must return no rows.

The checks share one projection, ``?entity ?property ?value ?message`` (as Mondo's do), so their
rows read as one report.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import Violation
from ..paths import QC_DIR
from ..querying.files import read_query_dir
from ..querying.rows import select
from ..rdf.store import as_store


def check_qc(graph: Graph | ox.Store, qc_dir: Path = QC_DIR) -> list[Violation]:
    """Run every ``*-violation.rq`` check on the graph (a store: its default graph); each row is
    a violation."""
    store = as_store(graph)
    violations = []
    for query in read_query_dir(qc_dir):
        if not query.name.endswith("-violation"):
            continue
        for row in select(store, query):
            detail = f"{row.get('property', '')} {row.get('value', '')}".strip()
            message = row.get("message") or "violation"
            violations.append(Violation(row.get("entity", ""), query.name,
                                        f"{message}: {detail}" if detail else message))
    return violations
