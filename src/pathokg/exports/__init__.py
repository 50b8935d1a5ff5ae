"""Graph exports for the tools users already have: GraphML, GEXF (Gephi), Cytoscape.js JSON and
Neo4j CSV files with a Cypher loader.

>>> import pathokg
>>> from pathokg.exports import project, export
>>> graph = project(pathokg.load())                     # a networkx MultiDiGraph
>>> export(pathokg.load(), "graphml", "pathokg.graphml")  # doctest: +SKIP

Every release gets the same files (:data:`RELEASE_FILES`), written by :func:`write_release_exports`.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from ..assemble import Assembly
from ..errors import PathoKGError
from .formats import cyjs_text, gexf_text, graphml_text, write_atomically
from .neo4j import write_neo4j
from .projection import project


class ExportError(PathoKGError):
    """An export cannot be written faithfully (e.g. a value would be split by the Neo4j importer)."""

    exit_code = 2


#: format name -> default file (or folder, for neo4j) name
FORMATS: dict[str, str] = {
    "graphml": "pathokg.graphml",
    "gexf": "pathokg.gexf",
    "cyjs": "pathokg.cyjs",
    "neo4j": "neo4j",
}
_TEXT = {"graphml": graphml_text, "gexf": gexf_text, "cyjs": cyjs_text}
#: what every release folder holds from this module
RELEASE_FILES = [*(FORMATS[f] for f in _TEXT), "neo4j/nodes.csv", "neo4j/relationships.csv",
                 "neo4j/load.cypher"]


def write_graph(graph: nx.MultiDiGraph, fmt: str, out: Path | str) -> Path:
    """Write an already projected concept graph in one format; files are replaced atomically.

    :raises ExportError: for an unknown format.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "neo4j":
        return write_neo4j(graph, out)
    text = _TEXT[fmt](graph)
    return write_atomically(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def export(source: Graph | ox.Store, fmt: str, out: Path | str | None = None, *,
           inferred: bool = False) -> Path:
    """Project an RDF graph and write it in ``fmt`` to ``out`` (default: :data:`FORMATS` name).

    :param inferred: include the relations the ontology entails, marked ``inferred``.
    :returns: the file (or, for ``neo4j``, the folder) written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return write_graph(project(source, inferred=inferred), fmt, out or FORMATS[fmt])


def write_release_exports(assembly: Assembly, folder: Path) -> None:
    """Release writer: the asserted concept graph in every export format."""
    graph = project(assembly.store)
    for fmt, name in FORMATS.items():
        write_graph(graph, fmt, folder / name)


__all__ = ["FORMATS", "RELEASE_FILES", "ExportError", "export", "project", "write_graph",
           "write_release_exports"]
