"""SHACL validation of the assembled graph (pySHACL) against ``ontology/shapes``.

Returns :class:`~pathokg.errors.Violation` objects; an empty list means the graph conforms.
"""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..errors import SourceError, SourceProblem, Violation
from ..paths import SHAPES_FILE
from ..vocab import BASE, PKO, SH


def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    """Parse the SHACL shapes against the base IRI and declare the ``pko`` prefix for their SPARQL."""
    shapes = Graph()
    try:
        shapes.parse(path, format="turtle", publicID=BASE)
    except Exception as exc:  # rdflib raises several parser exception types
        raise SourceError([SourceProblem(str(path), None, "shapes", f"cannot be parsed: {exc}")]) from None
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
