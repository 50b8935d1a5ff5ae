"""Validation of the assembled graph: SHACL shapes (pySHACL) and the SPARQL QC checks in ``queries/qc``.

Each check returns :class:`~pathokg.errors.Violation` objects; an empty list means it passed. The
QC checks share one projection, ``?entity ?property ?value ?message`` (as Mondo's do), so their
rows read as one report.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..errors import Violation
from ..paths import QC_DIR, SHAPES_FILE
from ..querying.files import read_query_dir
from ..querying.rows import select
from ..rdf.store import as_store, read_project_turtle
from ..vocab import BASE, PKO, SH


def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    """Parse the SHACL shapes against the base IRI and declare the ``pko`` prefix for their SPARQL."""
    shapes = read_project_turtle(path, "shapes")
    declaration = BNode("pko-prefix-declaration")
    shapes.add((URIRef(BASE + "shapes/prefixes"), SH.declare, declaration))
    shapes.add((declaration, SH.prefix, Literal("pko")))
    shapes.add((declaration, SH.namespace, Literal(str(PKO), datatype=XSD.anyURI)))
    return shapes


def check_shacl(graph: Graph, shapes: Graph | None = None) -> list[Violation]:
    """Validate the graph against the SHACL shapes; return one violation per result."""
    shapes = shapes if shapes is not None else load_shapes()
    conforms, report, _ = shacl_validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
    )
    if conforms:
        return []
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        component = report.value(result, SH.sourceConstraintComponent)
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        rule = str(shape) if isinstance(shape, URIRef) else str(component).rsplit("#", 1)[-1]
        if path is not None and not isinstance(path, BNode):
            rule += f" on {path}"
        violations.append(Violation(str(focus), rule, str(message or "does not conform")))
    return sorted(violations, key=lambda v: (v.focus, v.rule, v.message))


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
