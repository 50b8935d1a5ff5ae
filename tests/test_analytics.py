"""Analytics: central concepts, paths explained hop by hop with evidence, seeded groups, clear
errors for unknown concepts; the same through ``pathokg analyze``."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from pathokg.cli import main
from pathokg.exports import analytics, project
from pathokg.vocab import concept


@pytest.fixture(scope="module")
def graph(release_graph: Graph) -> nx.MultiDiGraph:
    return project(release_graph)


def test_dystrophic_calcification_is_most_central(graph: nx.MultiDiGraph) -> None:
    for by in ("degree", "betweenness"):
        top = analytics.central_concepts(graph, top=5, by=by)
        assert len(top) == 5
        assert top[0].iri == str(concept("dystrophic-calcification"))
    top = analytics.central_concepts(graph, top=20)
    assert [r.degree for r in top] == sorted((r.degree for r in top), reverse=True)
    assert all(r.degree == r.in_degree + r.out_degree for r in top)


@pytest.mark.parametrize("name", ["radiation therapy", "Radiation-Therapy", "pk:radiation-therapy",
                                  "radiotherapy", str(concept("radiation-therapy"))])
def test_concepts_are_found_by_id_label_or_synonym(graph: nx.MultiDiGraph, name: str) -> None:
    if name == "radiotherapy" and "radiotherapy" not in graph.nodes[str(concept("radiation-therapy"))]["synonyms"]:
        pytest.skip("radiotherapy is not a curated synonym")
    assert analytics.resolve(graph, name) == str(concept("radiation-therapy"))


def test_unknown_concept_lists_close_matches(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(analytics.ConceptNotFound, match="did you mean: radiation therapy") as info:
        analytics.resolve(graph, "radiaton therapy")
    assert info.value.exit_code == 2


def test_path_is_explained_hop_by_hop_with_evidence(graph: nx.MultiDiGraph, release_dir: Path) -> None:
    text = (release_dir / "sources" / "dystrophic-calcification.txt").read_text(encoding="utf-8")
    paths = analytics.connecting_paths(graph, "radiation therapy", "joint replacement", max_paths=3)
    assert paths
    assert [len(p.hops) for p in paths] == sorted(len(p.hops) for p in paths)
    first = paths[0]
    assert first.concepts[0] == "radiation therapy" and first.concepts[-1] == "joint replacement"
    for hop in first.hops:
        assert hop.statements, "every hop is backed by at least one stated relation"
        for st in hop.statements:
            assert {st.subject, st.object} == {hop.source, hop.target}
            assert st.evidence and all(q.quote in text for q in st.evidence)
    explained = first.explain()
    assert "radiation therapy" in explained and '"' in explained
    again = analytics.connecting_paths(graph, "radiation therapy", "joint replacement", max_paths=3)
    assert again == paths


def test_groups_are_seeded_and_cover_every_concept(graph: nx.MultiDiGraph) -> None:
    groups = analytics.concept_groups(graph)
    assert groups == analytics.concept_groups(graph)
    members = [iri for g in groups for iri in g.iris]
    assert sorted(members) == sorted(graph.nodes)
    assert len(groups) > 1 and [len(g.iris) for g in groups] == sorted((len(g.iris) for g in groups), reverse=True)


def test_analyze_cli(release_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["analyze", "--release", str(release_dir), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "dystrophic calcification" in result.output and "Groups" in result.output
    result = runner.invoke(main, ["analyze", "--release", str(release_dir), "--path",
                                  "radiation therapy", "joint replacement", "--max-paths", "1"])
    assert result.exit_code == 0, result.output
    assert "Path 1" in result.output and "Joint Replacement" in result.output
    result = runner.invoke(main, ["analyze", "--release", str(release_dir), "--path", "nothing-like-it",
                                  "joint replacement"])
    assert result.exit_code == 2
    assert "unknown concept 'nothing-like-it'" in result.output
