"""Project the RDF graph onto a networkx concept graph: concepts as nodes, relations as edges.

The projection reads the graph only through the SPARQL files of ``queries/export/`` (run by
pyoxigraph), so the same code projects the release, a two-article release or a synthetic
million-triple graph.

Node attributes (every concept): ``iri``, ``curie`` (``pk:...``), ``label``, ``synonyms``
(list), ``category`` (label of the most specific category), ``category_iri``, ``definition``,
``xrefs`` (list of CURIEs, or IRIs where no prefix is known).

Edge attributes (key = the relation's CURIE): ``relation`` (IRI), ``label`` (the relation's label),
``inferred`` (bool), ``evidence`` (list of dicts with ``quote``, ``section``, ``section_path``,
``source``, ``source_title``, ``start``, ``end``, ``iri``, in text order) and ``evidence_count``.

Nodes and edges are inserted in sorted order, so every serialisation of the projection is
deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from ..paths import QUERIES_DIR
from ..queryfiles import QueryFile, read_query_file
from ..store import as_store
from ..vocab import curie_for

EXPORT_QUERIES = QUERIES_DIR / "export"

Row = dict[str, str]


@cache
def export_query(name: str) -> QueryFile:
    """The export query ``queries/export/<name>.rq``."""
    return read_query_file(Path(EXPORT_QUERIES) / f"{name}.rq")


def select(store: ox.Store, name: str) -> list[Row]:
    """Run an export query on a pyoxigraph store; each row maps variable names to plain strings."""
    solutions = store.query(export_query(name).text_with_base())
    names = [v.value for v in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for var in names:
            term = solution[var]
            if term is not None:
                row[var] = term.value
        rows.append(row)
    return rows


def short(iri: str) -> str:
    """A CURIE for an IRI when a prefix is known, else the IRI itself."""
    return curie_for(iri) or iri


@dataclass(frozen=True)
class EdgeKey:
    """One relation between two concepts."""

    source: str
    relation: str
    target: str



def _inferred_edges(source: Graph | ox.Store) -> set[EdgeKey]:
    """Relations entailed by the ontology (from :func:`pathokg.inference.inferred_triples`)."""
    try:
        from ..inference import inferred_triples  # the SPARQL layer (issue 3)
    except ImportError as exc:  # pragma: no cover - only before the inference module exists
        from . import ExportError

        raise ExportError(f"inferred edges need pathokg.inference, which is not available: {exc}") from None
    graph = source if isinstance(source, Graph) else _to_rdflib(source)
    return {EdgeKey(str(s), str(p), str(o)) for s, p, o in inferred_triples(graph)}


def _to_rdflib(store: ox.Store) -> Graph:
    data = store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data, format="nt")


def project(source: Graph | ox.Store, *, inferred: bool = False) -> nx.MultiDiGraph:
    """Return the concept graph of an RDF graph.

    :param source: the RDF graph (rdflib) or a pyoxigraph store holding it in its default graph.
    :param inferred: also add the relations the ontology entails (inverse relations, ...), marked
        ``inferred=True`` and without evidence.
    :returns: a :class:`networkx.MultiDiGraph` with the attributes listed in the module docstring.
    """
    store = as_store(source)
    concepts = select(store, "concepts")
    categories: dict[str, list[Row]] = {}
    for row in select(store, "concept-categories"):
        categories.setdefault(row["concept"], []).append(row)
    synonyms: dict[str, set[str]] = {}
    for row in select(store, "concept-synonyms"):
        synonyms.setdefault(row["concept"], set()).add(row["synonym"])
    xrefs: dict[str, set[str]] = {}
    for row in select(store, "concept-xrefs"):
        xrefs.setdefault(row["concept"], set()).add(short(row["xref"]))
    relation_labels = {r["relation"]: r.get("label", short(r["relation"]))
                       for r in select(store, "relation-labels")}

    g = nx.MultiDiGraph()
    for row in sorted(concepts, key=lambda r: r["concept"]):
        iri = row["concept"]
        cats = sorted(categories.get(iri, []), key=lambda r: r["category"])
        g.add_node(
            iri,
            iri=iri,
            curie=short(iri),
            label=row["label"],
            synonyms=sorted(synonyms.get(iri, set()) - {row["label"]}),
            category="; ".join(c.get("categoryLabel", short(c["category"])) for c in cats),
            category_iri="; ".join(c["category"] for c in cats),
            definition=row.get("definition", ""),
            xrefs=sorted(xrefs.get(iri, set())),
        )

    evidence: dict[EdgeKey, list[dict[str, Any]]] = {}
    for row in select(store, "relation-evidence"):
        key = EdgeKey(row["source"], row["relation"], row["target"])
        evidence.setdefault(key, []).append({
            "iri": row["evidence"],
            "quote": row.get("quote", ""),
            "section": row.get("section", ""),
            "section_path": row.get("sectionPath", ""),
            "source": row["article"],
            "source_title": row.get("articleTitle", ""),
            "start": int(row["start"]) if "start" in row else -1,
            "end": int(row["end"]) if "end" in row else -1,
        })
    asserted = {EdgeKey(r["source"], r["relation"], r["target"]) for r in select(store, "relations")}
    edges = {key: False for key in asserted}
    if inferred:
        for key in _inferred_edges(source):
            if key not in edges and key.relation in relation_labels and key.source in g and key.target in g:
                edges[key] = True
    for key in sorted(edges, key=lambda k: (k.source, k.target, k.relation)):
        if key.source not in g or key.target not in g:
            continue
        found = sorted(evidence.get(key, []), key=lambda e: (e["source"], e["start"], e["iri"]))
        g.add_edge(
            key.source, key.target, key=short(key.relation),
            relation=key.relation,
            label=relation_labels.get(key.relation, short(key.relation)),
            inferred=edges[key],
            evidence=found,
            evidence_count=len(found),
        )
    return g
