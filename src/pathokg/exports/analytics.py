"""Network analytics on the concept graph: central concepts, connecting paths explained hop by hop
with their evidence, and groups of closely linked concepts.

Everything is plain data (frozen dataclasses), so it prints as a table in the terminal
(``pathokg analyze``) and is easy to use in Python:

>>> from pathokg.exports import analytics
>>> g = analytics.concept_graph()
>>> analytics.central_concepts(g, top=3)[0].label        # doctest: +SKIP
'dystrophic calcification'
>>> for path in analytics.connecting_paths(g, "radiation therapy", "joint replacement"):
...     print(path.explain())                              # doctest: +SKIP

Paths and groups treat relations as links in either direction (a path may follow a relation
backwards, and says so); centrality is computed on the same undirected view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice, pairwise
from pathlib import Path

import networkx as nx

from ..errors import ConceptNotFound, PathoKGError
from ..querying.concepts import ConceptIndex, ConceptName
from ..querying.release import release_store
from .projection import project

#: seed of the community detection, so groups are the same on every run
GROUP_SEED = 42


@dataclass(frozen=True)
class Centrality:
    """How central one concept is."""

    iri: str
    label: str
    category: str
    degree: int
    in_degree: int
    out_degree: int
    betweenness: float


@dataclass(frozen=True)
class Quote:
    """One piece of evidence for a relation."""

    quote: str
    section: str
    source: str


@dataclass(frozen=True)
class Statement:
    """A relation between the two concepts of a hop, as the graph states it."""

    subject: str
    relation: str
    object: str
    inferred: bool
    evidence: tuple[Quote, ...]

    def sentence(self) -> str:
        """The relation read as a sentence: ``radiation therapy causes tissue injury``."""
        return f"{self.subject} {self.relation} {self.object}"


@dataclass(frozen=True)
class Hop:
    """One step of a path: from one concept to the next, with every relation that links them."""

    source_iri: str
    source: str
    target_iri: str
    target: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class ConceptPath:
    """A path between two concepts, hop by hop."""

    hops: tuple[Hop, ...]

    @property
    def concepts(self) -> list[str]:
        """The labels along the path, ends included."""
        return [self.hops[0].source, *(h.target for h in self.hops)] if self.hops else []

    def explain(self) -> str:
        """A readable account: one line per hop with the article's words for it."""
        lines = [" -> ".join(self.concepts)]
        for n, hop in enumerate(self.hops, start=1):
            for st in hop.statements:
                tag = " (inferred)" if st.inferred else ""
                lines.append(f"  {n}. {st.sentence()}{tag}")
                lines += [f'       "{q.quote}" ({q.section})' for q in st.evidence]
        return "\n".join(lines)


@dataclass(frozen=True)
class ConceptGroup:
    """A group of concepts more linked to each other than to the rest."""

    number: int
    labels: tuple[str, ...]
    iris: tuple[str, ...]
    internal_links: int


def concept_graph(release: Path | str | None = None, *, inferred: bool = False) -> nx.MultiDiGraph:
    """The concept graph of a release (default ``dist/``); see :func:`pathokg.exports.project`.

    :raises ReleaseError: there is no release there.
    """
    return project(release_store(release), inferred=inferred)


def concept_index(graph: nx.MultiDiGraph) -> ConceptIndex:
    """The names of the concept graph's nodes (labels, synonyms, ids) for :func:`resolve`."""
    return ConceptIndex(ConceptName(n, d.get("label", ""), tuple(d.get("synonyms", ())))
                        for n, d in graph.nodes(data=True))


def resolve(graph: nx.MultiDiGraph, name: str) -> str:
    """The IRI of the concept called ``name``: an IRI, CURIE, id, label or synonym (any case).

    :raises ConceptNotFound: no concept has that name (the message lists close matches) or
        several do (the message lists them).
    """
    return concept_index(graph).resolve(name)


def undirected(nodes: Iterable[str], pairs: Iterable[tuple[str, str]]) -> nx.Graph:
    """A simple undirected graph of ``pairs`` (self-links dropped); an edge's ``weight`` is the
    number of pairs that link its two nodes. Nodes and edges keep the order they are given in."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    for u, v in pairs:
        if u != v:
            w = g.edges[u, v]["weight"] + 1 if g.has_edge(u, v) else 1
            g.add_edge(u, v, weight=w)
    return g


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    return undirected(graph.nodes, graph.edges())


def central_concepts(graph: nx.MultiDiGraph, *, top: int = 10, by: str = "degree") -> list[Centrality]:
    """The ``top`` most central concepts by ``degree`` (relations) or ``betweenness``
    (normalised, on the undirected view); ties are broken by label."""
    if by not in {"degree", "betweenness"}:
        raise PathoKGError(f"unknown centrality {by!r}; use degree or betweenness")
    between = nx.betweenness_centrality(_undirected(graph), normalized=True)
    rows = [Centrality(n, d["label"], d["category"], graph.degree(n), graph.in_degree(n),
                       graph.out_degree(n), round(between[n], 6))
            for n, d in graph.nodes(data=True)]
    rows.sort(key=lambda r: (-(r.degree if by == "degree" else r.betweenness), r.label))
    return rows[:top]


def _statements(graph: nx.MultiDiGraph, u: str, v: str) -> tuple[Statement, ...]:
    out = []
    for s, o in ((u, v), (v, u)):
        for _, data in sorted(graph.get_edge_data(s, o, default={}).items()):
            out.append(Statement(
                graph.nodes[s]["label"], data["label"], graph.nodes[o]["label"], data["inferred"],
                tuple(Quote(e["quote"], e["section"], e["source"]) for e in data["evidence"])))
    return tuple(out)


def connecting_paths(graph: nx.MultiDiGraph, start: str, end: str, *, max_paths: int = 3,
                     max_hops: int | None = None) -> list[ConceptPath]:
    """The shortest paths between two concepts (names as :func:`resolve` accepts), shortest first.

    :param max_paths: at most this many paths.
    :param max_hops: leave out paths longer than this.
    :raises ConceptNotFound: for an unknown concept name.
    """
    a, b = resolve(graph, start), resolve(graph, end)
    if a == b:
        return []
    simple = _undirected(graph)
    try:
        found = list(islice(nx.shortest_simple_paths(simple, a, b), max_paths))
    except nx.NetworkXNoPath:
        return []
    paths = []
    for nodes in found:
        if max_hops is not None and len(nodes) - 1 > max_hops:
            break
        hops = tuple(Hop(u, graph.nodes[u]["label"], v, graph.nodes[v]["label"], _statements(graph, u, v))
                     for u, v in pairwise(nodes))
        paths.append(ConceptPath(hops))
    return paths


def concept_groups(graph: nx.MultiDiGraph, *, seed: int = GROUP_SEED,
                   resolution: float = 1.0) -> list[ConceptGroup]:
    """Groups of closely linked concepts (Louvain modularity communities, seeded), largest first."""
    simple = _undirected(graph)
    communities = nx.community.louvain_communities(simple, weight="weight", seed=seed,
                                                   resolution=resolution)
    ordered = sorted((sorted(c, key=lambda n: graph.nodes[n]["label"]) for c in communities),
                     key=lambda c: (-len(c), graph.nodes[c[0]]["label"]))
    groups = []
    for number, members in enumerate(ordered, start=1):
        links = simple.subgraph(members).size(weight="weight")
        groups.append(ConceptGroup(number, tuple(graph.nodes[n]["label"] for n in members),
                                   tuple(members), int(links)))
    return groups


__all__ = ["Centrality", "ConceptGroup", "ConceptNotFound", "ConceptPath", "Hop", "Quote",
           "Statement", "central_concepts", "concept_graph", "concept_groups", "connecting_paths",
           "resolve"]
