"""Graph exports for the tools users already have: GraphML, GEXF (Gephi), Cytoscape.js JSON,
Neo4j CSV files with a Cypher loader, and KGX (Biolink Model) nodes and edges.

>>> from pathokg.querying.release import release_store
>>> from pathokg.exports import project, export
>>> graph = project(release_store())                    # a networkx MultiDiGraph
>>> export(release_store(), "graphml", "pathokg.graphml")  # doctest: +SKIP

Every release gets the same files (:data:`RELEASE_FILES`), written by the release stage.

This module imports networkx only when a graph is projected or written, so that a command that
only needs the format names (``pathokg export --help``) starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExportError

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox
    from rdflib import Graph

#: format name -> default file (or folder, for neo4j) name
FORMATS: dict[str, str] = {
    "graphml": "pathokg.graphml",
    "gexf": "pathokg.gexf",
    "cyjs": "pathokg.cyjs",
    "neo4j": "neo4j",
    "kgx": "kgx",
}
#: the formats written as a folder of files
FOLDER_FORMATS = ("neo4j", "kgx")
#: how a folder format is named in messages
FOLDER_WHAT = {"neo4j": "Neo4j", "kgx": "KGX"}
#: what every release folder holds from this module
RELEASE_FILES = [*(name for fmt, name in FORMATS.items() if fmt not in FOLDER_FORMATS), "neo4j/nodes.csv",
                 "neo4j/relationships.csv", "neo4j/load.cypher",
                 *(f"kgx/{name}" for name in ("pathokg_nodes.tsv", "pathokg_edges.tsv", "pathokg_nodes.jsonl",
                                              "pathokg_edges.jsonl", "biolink-mapping.yaml",
                                              "pathokg_metadata.json"))]


def write_graph(graph: nx.MultiDiGraph, fmt: str, out: Path | str, *, force: bool = False) -> Path:
    """Write an already projected concept graph in one format; files are replaced atomically.

    :param force: replace ``out`` even if pathokg did not write it (see :mod:`pathokg.rdf.atomic`).
    :raises ExportError: for an unknown format, or for ``kgx`` (which reads the RDF: use :func:`export`).
    :raises OutputError: ``out`` is not pathokg's to replace, or cannot be written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "kgx":
        raise ExportError("the kgx export reads the RDF graph itself (synonym scopes, exact matches, "
                          "conditions): use pathokg.exports.export(store, 'kgx', folder)")
    from ..rdf.atomic import write_file
    from .formats import cyjs_text, gexf_text, graphml_text
    from .neo4j import write_neo4j

    out = Path(out)
    if fmt == "neo4j":
        return write_neo4j(graph, out, force=force)
    text = {"graphml": graphml_text, "gexf": gexf_text, "cyjs": cyjs_text}[fmt](graph)
    return write_file(out, text, force=force)


def export(source: Graph | ox.Store, fmt: str, out: Path | str | None = None, *,
           inferred: bool = False, force: bool = False) -> Path:
    """Project an RDF graph and write it in ``fmt`` to ``out`` (default: :data:`FORMATS` name).

    :param source: a release store (asserted default graph, entailments in the inferred graph) or
        an rdflib graph (which has no entailments).
    :param inferred: include the relations the ontology entails, marked ``inferred``.
    :param force: replace ``out`` even if pathokg did not write it.
    :returns: the file (or, for ``neo4j`` and ``kgx``, the folder) written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    from ..paths import EXPORT_MARKER
    from ..rdf.atomic import check_file, check_replaceable
    from .projection import project

    target = Path(out or FORMATS[fmt])
    if fmt in FOLDER_FORMATS:  # checked before the work, so a refusal costs nothing
        check_replaceable(target, EXPORT_MARKER, what=f"pathokg {FOLDER_WHAT[fmt]} export",
                          force=force)
    else:
        check_file(target, force=force)
    if fmt == "kgx":
        from ..rdf.store import as_store
        from .kgx import write_kgx

        return write_kgx(as_store(source), target, inferred=inferred, force=force)
    return write_graph(project(source, inferred=inferred), fmt, target, force=force)


def __getattr__(name: str) -> Any:
    if name == "project":  # the projection, imported with networkx on first use
        from .projection import project

        return project
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FORMATS", "RELEASE_FILES", "ExportError", "export", "project", "write_graph"]
