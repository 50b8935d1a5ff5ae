"""Project the RDF graph onto a networkx concept graph: concepts as nodes, relations as edges.

The projection reads the graph only through the SPARQL files of ``queries/export/`` (run by
pyoxigraph), so the same code projects the release, a two-article release or a synthetic
million-triple graph.

Node attributes (every concept): ``iri``, ``curie`` (``pk:...``), ``label``, ``synonyms``
(list), ``category`` (label of the most specific category), ``category_iri``, ``definition``,
``xrefs`` (list of CURIEs, or IRIs where no prefix is known).

Edge attributes (key = the relation's CURIE): ``relation`` (IRI), ``label`` (the relation's label),
``inferred`` (bool), ``certainty`` (the firmest certainty of its passages: stated, typical,
possible, conditional, promising or investigational; for an inferred edge, the entailment's),
``evidence`` (list of dicts with ``quote``, ``section``, ``section_path``, ``source``,
``source_title``, ``start``, ``end``, ``iri``, ``certainty``, ``conditions`` (the words of the
passage's conditions, in text order) and ``context`` (the IRI of the process it holds within, or
""), in text order) and ``evidence_count``.

Graph attributes: ``name``, and the release's ``version``, ``release_date`` and ``version_iri``
(from the ontology header) where the graph has them.

Nodes and edges are inserted in sorted order, so every serialisation of the projection is
deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from ..paths import EXPORT_QUERIES
from ..querying.files import QueryFile, read_query_file
from ..querying.rows import Row, select
from ..rdf.store import as_store, inferred_graph
from ..vocab import shorten


@cache
def export_query(name: str) -> QueryFile:
    """The export query ``queries/export/<name>.rq``."""
    return read_query_file(EXPORT_QUERIES / f"{name}.rq")


def rows(store: ox.Store, name: str) -> list[Row]:
    """The rows of the export query ``name`` on the store's default graph."""
    return select(store, export_query(name))


@dataclass(frozen=True)
class EdgeKey:
    """One relation between two concepts."""

    source: str
    relation: str
    target: str


def _inferred_edges(store: ox.Store) -> set[EdgeKey]:
    """The entailed triples between IRIs in the store's inferred graph (a release store has one;
    the entailments are computed once, by the build)."""
    return {EdgeKey(q.subject.value, q.predicate.value, q.object.value)
            for q in store.quads_for_pattern(None, None, None, inferred_graph())
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)}


def _grouped(store: ox.Store, name: str, value: str, convert: Any = str) -> dict[str, set[str]]:
    """concept IRI -> the values of one column of an export query."""
    out: dict[str, set[str]] = {}
    for row in rows(store, name):
        out.setdefault(row["concept"], set()).add(convert(row[value]))
    return out


def _add_concepts(g: nx.MultiDiGraph, store: ox.Store) -> None:
    categories: dict[str, list[Row]] = {}
    for row in rows(store, "concept-categories"):
        categories.setdefault(row["concept"], []).append(row)
    synonyms = _grouped(store, "concept-synonyms", "synonym")
    xrefs = _grouped(store, "concept-xrefs", "xref", shorten)
    for row in sorted(rows(store, "concepts"), key=lambda r: r["concept"]):
        iri = row["concept"]
        cats = sorted(categories.get(iri, []), key=lambda r: r["category"])
        g.add_node(
            iri,
            iri=iri,
            curie=shorten(iri),
            label=row["label"],
            synonyms=sorted(synonyms.get(iri, set()) - {row["label"]}),
            category="; ".join(c.get("categoryLabel", shorten(c["category"])) for c in cats),
            category_iri="; ".join(c["category"] for c in cats),
            definition=row.get("definition", ""),
            xrefs=sorted(xrefs.get(iri, set())),
        )


def _evidence(store: ox.Store) -> dict[EdgeKey, list[dict[str, Any]]]:
    evidence: dict[EdgeKey, list[dict[str, Any]]] = {}
    for row in rows(store, "relation-evidence"):
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
            "certainty": row.get("certainty", ""),
            "conditions": [c for c in row.get("conditions", "").split(" | ") if c],
            "context": row.get("context", ""),
        })
    return evidence


def _statement_certainties(store: ox.Store) -> dict[EdgeKey, str]:
    """The certainty of every asserted relation (its axiom's) and of every entailed one (its record's)."""
    out = {EdgeKey(r["source"], r["relation"], r["target"]): r["statementCertainty"]
           for r in rows(store, "relation-evidence") if "statementCertainty" in r}
    for r in rows(store, "inferred-certainty"):
        out.setdefault(EdgeKey(r["source"], r["relation"], r["target"]), r["certainty"])
    return out


def project(source: Graph | ox.Store, *, inferred: bool = False) -> nx.MultiDiGraph:
    """Return the concept graph of an RDF graph.

    :param source: a release store (asserted triples in the default graph, entailments in the
        inferred graph) or an rdflib graph (asserted only).
    :param inferred: also add the relations the ontology entails (inverse relations, ...), marked
        ``inferred=True`` and without evidence.
    :returns: a :class:`networkx.MultiDiGraph` with the attributes listed in the module docstring.
    """
    store = as_store(source)
    g = nx.MultiDiGraph()
    g.graph["name"] = "pathokg concept graph"
    for row in rows(store, "release"):
        g.graph.update({key: row[column] for key, column in
                        (("version", "version"), ("release_date", "date"), ("version_iri", "versionIRI"))
                        if column in row})
    _add_concepts(g, store)
    relation_labels = {r["relation"]: r.get("label", shorten(r["relation"]))
                       for r in rows(store, "relation-labels")}
    evidence = _evidence(store)
    certainty = _statement_certainties(store)
    asserted = {EdgeKey(r["source"], r["relation"], r["target"]) for r in rows(store, "relations")}
    edges = {key: False for key in asserted}
    if inferred:
        for key in _inferred_edges(store):
            if key not in edges and key.relation in relation_labels and key.source in g and key.target in g:
                edges[key] = True
    for key in sorted(edges, key=lambda k: (k.source, k.target, k.relation)):
        if key.source not in g or key.target not in g:
            continue
        found = sorted(evidence.get(key, []), key=lambda e: (e["source"], e["start"], e["iri"]))
        g.add_edge(
            key.source, key.target, key=shorten(key.relation),
            relation=key.relation,
            label=relation_labels.get(key.relation, shorten(key.relation)),
            inferred=edges[key],
            certainty=certainty.get(key, ""),
            evidence=found,
            evidence_count=len(found),
        )
    return g
