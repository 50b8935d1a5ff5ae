"""The mapping-consistency report: where the curated hierarchy and the match types disagree with
HPO's hierarchy, with HPO's paths of both terms and what would make them agree.

The rows are the named query ``hpo-mapping-disagreements`` (one definition of a disagreement,
answered the same by every engine); this module adds HPO's paths and the ways out, and writes the
report as Markdown. It is a warning for the curator, never a build failure.

>>> parents = {"HP:3": ("HP:2",), "HP:2": ("HP:1",), "HP:4": ("HP:1",), "HP:1": ()}
>>> paths_to_root("HP:3", parents)
[['HP:3', 'HP:2', 'HP:1']]
>>> nearest_common_ancestors("HP:3", "HP:4", parents)
['HP:1']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ..paths import INTERNAL_QUERIES
from ..querying.engine import Engine
from ..querying.files import get_query, read_query_file
from ..querying.rows import select
from ..vocab import HPO_GRAPH, shorten
from .hpo_files import acknowledgement

QUERY = "hpo-mapping-disagreements"
#: How many of a term's paths to the root the report shows (deep terms have many).
MAX_PATHS = 4


@dataclass(frozen=True)
class Disagreement:
    """One pair of mappings HPO's hierarchy does not bear out: ``lower`` (an exact or narrow match
    of ``lower_concept``) is not at or below ``upper`` (an exact or broad match of
    ``upper_concept``, which is ``lower_concept`` or a concept it is a kind of)."""

    lower_concept: str
    lower_concept_label: str
    lower_match: str
    lower: str
    lower_label: str
    upper_concept: str
    upper_concept_label: str
    upper_match: str
    upper: str
    upper_label: str
    version: str

    @classmethod
    def from_row(cls, row: dict[str, str | None]) -> Disagreement:
        keys = ("lowerConcept", "lowerConceptLabel", "lowerMatch", "lower", "lowerLabel", "upperConcept",
                "upperConceptLabel", "upperMatch", "upper", "upperLabel", "hpoVersion")
        return cls(*(str(row.get(k) or "") for k in keys))

    def _term(self, iri: str, label: str) -> str:
        return f"{shorten(iri)} {label}"

    def _concept(self, iri: str) -> str:
        return shorten(iri)

    @property
    def same_concept(self) -> bool:
        return self.lower_concept == self.upper_concept

    def summary(self) -> str:
        """One line: what is mapped how, and what HPO says."""
        via = "" if self.same_concept else (f" of {self._concept(self.upper_concept)}, which "
                                            f"{self._concept(self.lower_concept)} is a kind of")
        return (f"{self._concept(self.lower_concept)} {self.lower_match} {self._term(self.lower, self.lower_label)}"
                f" is not below the {self.upper_match} {self._term(self.upper, self.upper_label)}{via} "
                f"in HPO {self.version}")

    def fixes(self) -> list[str]:
        """What would make the mappings and HPO agree (one of them is enough)."""
        lower, upper = self._term(self.lower, self.lower_label), self._term(self.upper, self.upper_label)
        ways = [f"HPO places {lower} below {upper} (a request to HPO: the curated graph says it is "
                "a kind of it)",
                f"pathokg maps {self._concept(self.lower_concept)} to {shorten(self.lower)} with "
                f"closeMatch instead of {self.lower_match} (the verified table's match type)",
                f"pathokg maps {self._concept(self.upper_concept)} to {shorten(self.upper)} with "
                f"closeMatch instead of {self.upper_match}"]
        if not self.same_concept:
            ways.append(f"{self._concept(self.lower_concept)} is not a kind of "
                        f"{self._concept(self.upper_concept)} (the curated isKindOf)")
        return ways


def find_disagreements(store: ox.Store) -> list[Disagreement]:
    """The disagreements in a store that holds the release and its HPO graphs."""
    result = Engine(store).execute(get_query(QUERY).text_with_base())
    return [Disagreement.from_row(row) for row in result.rows]


@dataclass
class Hierarchy:
    """HPO's terms as the release holds them: CURIE -> label and -> direct parents."""

    labels: dict[str, str]
    parents: dict[str, tuple[str, ...]]

    @classmethod
    def from_store(cls, store: ox.Store) -> Hierarchy:
        rows = select(store, read_query_file(INTERNAL_QUERIES / "hpo-terms.rq"),
                      default_graph=ox.NamedNode(str(HPO_GRAPH)))
        labels: dict[str, str] = {}
        parents: dict[str, list[str]] = {}
        for row in rows:
            labels[row["id"]] = row["label"]
            ps = parents.setdefault(row["id"], [])
            if "parent" in row:
                ps.append(shorten(row["parent"]))
        return cls(labels, {k: tuple(sorted(v)) for k, v in parents.items()})

    def path_text(self, path: list[str]) -> str:
        return " < ".join(f"{self.labels.get(t, '?')} ({t})" for t in path)


def paths_to_root(term: str, parents: dict[str, tuple[str, ...]], limit: int = 100) -> list[list[str]]:
    """Every path from ``term`` up to a term without parents (at most ``limit``), shortest first."""
    paths: list[list[str]] = []
    stack = [[term]]
    while stack and len(paths) < limit:
        path = stack.pop()
        ups = parents.get(path[-1], ())
        if not ups:
            paths.append(path)
        stack.extend([*path, p] for p in sorted(ups, reverse=True) if p not in path)
    return sorted(paths, key=lambda p: (len(p), p))


def _ancestors(term: str, parents: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Each ancestor-or-self with its distance."""
    depth = {term: 0}
    frontier = [term]
    while frontier:
        nxt = []
        for t in frontier:
            for p in parents.get(t, ()):
                if p not in depth:
                    depth[p] = depth[t] + 1
                    nxt.append(p)
        frontier = nxt
    return depth


def nearest_common_ancestors(a: str, b: str, parents: dict[str, tuple[str, ...]]) -> list[str]:
    """The common ancestors of ``a`` and ``b`` that no other common ancestor is below."""
    up_a, up_b = _ancestors(a, parents), _ancestors(b, parents)
    common = set(up_a) & set(up_b)
    below = {x for c in common for x in _ancestors(c, parents) if x != c}
    return sorted(common - below)


def report_markdown(items: Iterable[Disagreement], hierarchy: Hierarchy, version: str,
                    release: str = "") -> str:
    """The report as Markdown: one section per disagreement, with paths and fixes.

    :param release: which pathokg release the report belongs to (for example "pathokg 0.1.0 of
        2026-11-26").
    """
    items = list(items)
    lines = [f"# Mapping consistency with HPO {version}", "",
             *([f"Curated mappings of {release}.", ""] if release else []),
             f"{acknowledgement(version)} HPO content (labels, paths) is HPO's, unaltered.", "",
             "A concept's exactMatch or narrowMatch HP term should sit at or below every exactMatch "
             "or broadMatch HP term of the concept and of the concepts it is a kind of (pko:isKindOf). "
             "Each item below is a pair where HPO's hierarchy does not bear that out: a warning for "
             "the curator, not a failure (named query `hpo-mapping-disagreements`).", ""]
    if not items:
        lines.append("No disagreement: every mapping agrees with HPO's hierarchy.")
    for n, d in enumerate(items, start=1):
        lower, upper = shorten(d.lower), shorten(d.upper)
        lines += [f"## {n}. {d.summary()}", "",
                  f"- {d.lower_concept_label} ({shorten(d.lower_concept)}) {d.lower_match} "
                  f"{d.lower_label} ({lower})",
                  f"- {d.upper_concept_label} ({shorten(d.upper_concept)}) {d.upper_match} "
                  f"{d.upper_label} ({upper})", "", f"HPO's paths of {lower}:"]
        for kind, term in (("lower", lower), ("upper", upper)):
            if kind == "upper":
                lines += ["", f"HPO's paths of {upper}:"]
            paths = paths_to_root(term, hierarchy.parents)
            lines += [f"- {hierarchy.path_text(p)}" for p in paths[:MAX_PATHS]]
            if len(paths) > MAX_PATHS:
                lines.append(f"- ... and {len(paths) - MAX_PATHS} more")
        common = nearest_common_ancestors(lower, upper, hierarchy.parents)
        lines += ["", "Nearest common HPO ancestor: "
                  + (", ".join(f"{hierarchy.labels.get(c, '?')} ({c})" for c in common) or "none"), "",
                  "What would make them agree (any one):"]
        lines += [f"- {fix}" for fix in d.fixes()]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
