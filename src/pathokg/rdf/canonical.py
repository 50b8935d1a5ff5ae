"""Canonical, byte-stable serialisations: the same graph always gives the same bytes.

Blank nodes get labels from a hash of what they say, triples are added in sorted order before
serialising (rdflib's Turtle writer then follows that order), N-Triples lines are sorted and JSON
is written with sorted keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Graph

from ..vocab import PREFIXES
from .store import new_graph

__all__ = ["canonical", "jsonld", "ntriples", "rdfxml", "turtle", "write_turtle"]


def _bnode_labels(graph: Graph) -> dict[BNode, BNode]:
    """Label each blank node by a hash of what it says (recursively), so labels are stable.

    pathokg's blank nodes (axiom annotations, OWL lists and class expressions) form trees, so a
    content hash identifies them; this replaces rdflib's general canonicalisation, which took
    seconds on the release.
    """
    labels: dict[BNode, BNode] = {}
    visiting: set[BNode] = set()

    def label(node: BNode) -> BNode:
        if node in labels:
            return labels[node]
        if node in visiting:  # a cycle: fall back to the node's own id
            return node
        visiting.add(node)
        parts = sorted(
            f"{p.n3()} {label(o).n3() if isinstance(o, BNode) else o.n3()}"
            for p, o in graph.predicate_objects(node)
        )
        visiting.discard(node)
        labels[node] = BNode("b" + hashlib.sha1("\n".join(parts).encode()).hexdigest()[:20])
        return labels[node]

    for node in {n for t in graph for n in (t[0], t[2]) if isinstance(n, BNode)}:
        label(node)
    return labels


def canonical(graph: Graph) -> Graph:
    """A copy of the graph with stable blank-node labels, its triples added in sorted order."""
    labels = _bnode_labels(graph)

    def relabel(node: object) -> object:
        return labels.get(node, node) if isinstance(node, BNode) else node

    out = new_graph()
    triples = {(relabel(s), p, relabel(o)) for s, p, o in graph}
    for triple in sorted(triples, key=lambda t: tuple(n.n3() for n in t)):
        out.add(triple)
    return out


def ntriples(graph: Graph) -> str:
    """Sorted N-Triples of a graph whose blank nodes are already labelled by :func:`canonical`."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + "\n"


def jsonld(graph: Graph) -> str:
    """JSON-LD with an inline context of pathokg's prefixes (no remote context), sorted."""
    context = {prefix: ns for prefix, ns in sorted(PREFIXES.items())}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data])

    def norm(value: object, ordered: bool = False) -> object:
        if isinstance(value, list):
            items = [norm(v) for v in value]
            return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, dict):
            return {k: norm(v, ordered=(k == "@list")) for k, v in value.items()}
        return value

    nodes = sorted((norm(n) for n in nodes), key=lambda n: json.dumps(n, sort_keys=True))
    return json.dumps({"@context": context, "@graph": nodes}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def turtle(graph: Graph) -> bytes:
    """Turtle of a graph made by :func:`canonical` (rdflib's Turtle writer keeps its order)."""
    return graph.serialize(format="turtle", encoding="utf-8")


def rdfxml(graph: Graph) -> bytes:
    """RDF/XML of a graph made by :func:`canonical`: Oxigraph's writer over the sorted triples,
    one element per subject (rdflib's RDF/XML writers follow hash order, so their bytes vary)."""
    quads = ox.parse(ntriples(graph).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    triples = sorted((q.triple for q in quads), key=str)
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)


class _AfterPrefixes:
    """A binary writer that drops the ``@prefix`` lines Oxigraph writes first (their order is its
    hash map's, so :func:`write_turtle` writes them itself, sorted)."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.pending = b""
        self.started = False

    def write(self, data: bytes) -> int:
        if self.started:
            return self.out.write(data)
        self.pending += data
        while not self.started and b"\n" in self.pending:
            line, rest = self.pending.split(b"\n", 1)
            if line.startswith(b"@prefix "):
                self.pending = rest
            else:
                self.started = True
                self.out.write(self.pending)
        return len(data)

    def flush(self) -> None:
        if not self.started:
            self.out.write(b"" if self.pending.startswith(b"@prefix ") else self.pending)
            self.pending = b""
        self.out.flush()


def write_turtle(path: Path, triples: Iterable[ox.Triple], prefixes: dict[str, str],
                 comment: Iterable[str] = ()) -> None:
    """Stream triples as Turtle into ``path`` in the order given (Oxigraph's writer; memory stays
    flat at millions of triples), after ``#`` comment lines and the prefixes (sorted). The same
    triples in the same order give the same bytes: callers produce them in a deterministic order
    instead of sorting millions of triples."""
    with path.open("wb") as out:
        for line in comment:
            out.write(f"# {line}\n".encode())
        for prefix, ns in sorted(prefixes.items()):
            out.write(f"@prefix {prefix}: <{ns}> .\n".encode())
        body = _AfterPrefixes(out)
        ox.serialize(triples, body, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        body.flush()
