"""Paths in either direction: the named query ``connecting-paths`` gives the same paths as
``pathokg analyze --path`` (``analytics.connecting_paths``), hop by hop with the same relations
and evidence, each with its direction and certainty; and so does ``/api/paths`` over a server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest
from click.testing import CliRunner

import pathokg
from pathokg.cli import main
from pathokg.exports import analytics
from pathokg.web.paths import paths_from_rows

from .helpers.server import running_server

PAIRS = [("CKD", "joint replacement"), ("joint replacement", "chronic kidney disease"),
         ("radiation therapy", "joint replacement"), ("burn", "nodule excision")]
MAX_HOPS = 3  # the named query's reach


@pytest.fixture(scope="module")
def concept_graph(release_dir: Path) -> nx.MultiDiGraph:
    return analytics.concept_graph(release_dir)


def by_analytics(graph: nx.MultiDiGraph, start: str, end: str) -> dict[str, list]:
    """Every path of up to MAX_HOPS hops, as route -> hops -> {(subject, relation, object, quotes)}."""
    found = analytics.connecting_paths(graph, start, end, max_paths=1000, max_hops=MAX_HOPS)
    return {" -> ".join(p.concepts): [
        {(st.subject, st.relation, st.object, frozenset((q.quote, q.section) for q in st.evidence))
         for st in hop.statements} for hop in p.hops] for p in found}


def by_query(start: str, end: str) -> dict[str, list]:
    paths = paths_from_rows(pathokg.query("connecting-paths", **{"from": start, "to": end}).rows)
    return {p["route"]: [
        {(st["subjectLabel"], st["relation"], st["objectLabel"],
          frozenset((e["quote"], e["section"]) for e in st["evidence"])) for st in hop["statements"]}
        for hop in p["hops"]] for p in paths}


@pytest.mark.parametrize("start,end", PAIRS)
def test_the_named_query_finds_what_analyze_finds(concept_graph: nx.MultiDiGraph, start: str,
                                                  end: str) -> None:
    expected = by_analytics(concept_graph, start, end)
    assert expected, "a pair with no path tests nothing"
    assert by_query(start, end) == expected


def test_ckd_and_joint_replacement_both_ways(release_dir: Path) -> None:
    rows = pathokg.query("connecting-paths", **{"from": "CKD", "to": "joint replacement"}).rows
    paths = paths_from_rows(rows)
    assert [p["length"] for p in paths] == sorted(p["length"] for p in paths)
    first = paths[0]
    assert first["route"] == "chronic kidney disease -> dystrophic calcification -> joint replacement"
    (treats,) = first["hops"][1]["statements"]
    # the article says joint replacement treats DC: the path follows it against its direction,
    # and the hedge of the passage stays
    assert (treats["relation"], treats["direction"], treats["certainty"]) == \
        ("treats", "against", "conditional")
    assert treats["evidence"][0]["conditions"] == ["In severe cases", "in joints"]
    assert first["hops"][0]["statements"][0]["direction"] == "as stated"
    # `pathokg analyze --path` shows 3 paths by default: the query has each of them
    result = CliRunner().invoke(main, ["analyze", "--release", str(release_dir), "--path", "CKD",
                                       "joint replacement"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    shown = re.findall(r"Path \d+: (.+?)\s*$", result.output, re.M)
    assert len(shown) == 3 and set(shown) <= {p["route"] for p in paths}
    # and stated direction only (paths-between) finds none of them
    assert not pathokg.query("paths-between", **{"from": "CKD", "to": "joint replacement"}).rows


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir, timeout=5.0) as base:
        yield base


@pytest.mark.server
def test_rest_route_gives_the_same_paths(server: str) -> None:
    r = httpx.get(server + "/api/paths", params={"from": "CKD", "to": "joint replacement"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    data = r.json()
    assert data["from"].endswith("/chronic-kidney-disease")
    local = paths_from_rows(pathokg.query("connecting-paths",
                                          **{"from": "CKD", "to": "joint replacement"}).rows)
    assert data["paths"] == local
    first = data["paths"][0]
    assert first["pages"] == ["/concept/chronic-kidney-disease", "/concept/dystrophic-calcification",
                              "/concept/joint-replacement"]
    spec = httpx.get(server + "/api/openapi.json").json()
    assert "/api/paths" in spec["paths"]


@pytest.mark.server
@pytest.mark.parametrize("params,status,says", [
    ({"from": "CKD"}, 400, "give `from` and `to`"),
    ({"from": "CKD", "to": "joint replacement", "x": "1"}, 400, "give `from` and `to`"),
    ({"from": "chronic kidny disease", "to": "burn"}, 400, "did you mean: chronic kidney disease"),
])
def test_rest_route_mistakes(server: str, params: dict[str, str], status: int, says: str) -> None:
    r = httpx.get(server + "/api/paths", params=params)
    assert r.status_code == status and says in r.text
