"""The map's HPO view: a concept's HPO matches, their HPO parents up to the root and the diseases
HPO annotates with them, HPO's content marked as HPO's (model, page data, SVG, CLI, server), and
in real Chromium (the panel says HPO's release and evidence, the legend the acknowledgement)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from pathokg.cli import main
from pathokg.conceptmap import make_map, write_map
from pathokg.conceptmap.hpo import ANNOTATED_WITH, DISEASE_LIMIT, MATCHES, SUBCLASS_OF
from pathokg.conceptmap.model import HPO_EDGE, MAPPING_EDGE
from pathokg.errors import QueryError
from pathokg.querying.engine import ASSERTED_GRAPHS
from pathokg.vocab import MAP_HPO_DISEASE, MAP_HPO_PHENOTYPE, OBO, PK, RDFS

ACK = "This service/product is using the Human Phenotype Ontology (version 2025-01-16)."
DC = str(PK["dystrophic-calcification"])
CALCINOSIS = str(OBO.HP_0003761)
ROOT = str(OBO.HP_0000001)


def _objects(store: ox.Store, s: str, p: str) -> set[str]:
    return {q.object.value for g in ASSERTED_GRAPHS
            for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, g)}


@pytest.fixture(scope="module")
def dc_map(release_dataset: ox.Store) -> Any:
    return make_map(release_dataset, view="hpo")


def test_matches_parents_to_the_root_and_diseases_are_hpos(dc_map: Any, release_dataset: ox.Store) -> None:
    m = dc_map.model
    mappings = {(e.subject, e.predicate, e.object) for e in m.edges if e.kind == MAPPING_EDGE}
    # the view's mappings are exactly the release's HP mappings of the concept
    expected = {(DC, p, o) for p in MATCHES for o in _objects(release_dataset, DC, p) if o.startswith(str(OBO.HP_))}
    assert mappings == expected
    assert CALCINOSIS in {o for _, _, o in mappings}
    # every parent of every drawn term, as HPO states it, up to HPO's root
    terms = {c for c, x in m.concepts.items() if x.category == str(MAP_HPO_PHENOTYPE)}
    subclass = {(e.subject, e.object) for e in m.edges if e.predicate == SUBCLASS_OF}
    for t in terms - {ROOT}:
        assert {(t, p) for p in _objects(release_dataset, t, SUBCLASS_OF)} <= subclass, t
    assert ROOT in terms
    for e in m.edges:
        if e.predicate == SUBCLASS_OF:
            assert e.kind == HPO_EDGE and e.style == "hpo" and not e.evidence
        if e.kind:
            assert e.evidence == () and e.strongest is None  # never the article's, no certainty
    for c in m.concepts.values():
        if c.category in (str(MAP_HPO_PHENOTYPE), str(MAP_HPO_DISEASE)):
            assert c.source == "HPO 2025-01-16", c
    # HPO's own labels
    assert m.concepts[CALCINOSIS].label == next(iter(_objects(release_dataset, CALCINOSIS, str(RDFS.label))))
    assert m.acknowledgements == (ACK,)


def test_diseases_are_the_most_sharing_with_the_count_and_the_rest_said(dc_map: Any) -> None:
    m = dc_map.model
    diseases = [c for c in m.concepts.values() if c.category == str(MAP_HPO_DISEASE)]
    assert len(diseases) == DISEASE_LIMIT
    counts = [int(re.search(r"\((\d+) phenotypes?\)$", c.label).group(1)) for c in diseases]
    subtitle = re.search(r'class="subtitle">([^<]*)', dc_map.html).group(1)
    shown, total, more = map(int, re.search(r"the (\d+) of (\d+) diseases .*\((\d+) more not drawn", subtitle).groups())
    assert shown == DISEASE_LIMIT and more == total - shown > 0
    # each drawn disease edge carries HPO's annotations: phenotype, evidence code, reference
    edges = [e for e in m.edges if e.predicate == ANNOTATED_WITH]
    assert {e.subject for e in edges} == {c.iri for c in diseases}
    for e in edges:
        assert e.kind == HPO_EDGE and e.annotations
        assert all(a.evidence_code in {"IEA", "PCS", "TAS"} and a.references for a in e.annotations)
    by_disease = {c.iri: n for c, n in zip(diseases, counts, strict=True)}
    for e in edges:  # the count is the distinct phenotypes of its annotations
        assert len({a.phenotype_id for x in edges if x.subject == e.subject for a in x.annotations}) \
            == by_disease[e.subject]
    assert min(counts) >= 1


def test_the_rest_are_never_more_sharing_than_those_drawn(release_dataset: ox.Store) -> None:
    # all diseases, from the view's own query: the drawn ones share at least as many as any left out
    from pathokg.conceptmap import hpo

    hpo.DISEASE_LIMIT, limit = 10_000, hpo.DISEASE_LIMIT
    try:
        every = make_map(release_dataset, view="hpo").model
    finally:
        hpo.DISEASE_LIMIT = limit
    def count(label: str) -> int:
        return int(re.search(r"\((\d+) phenotypes?\)$", label).group(1))
    all_counts = sorted((count(c.label) for c in every.concepts.values()
                         if c.category == str(MAP_HPO_DISEASE)), reverse=True)
    assert len(all_counts) > DISEASE_LIMIT
    drawn = make_map(release_dataset, view="hpo").model
    drawn_counts = sorted((count(c.label) for c in drawn.concepts.values()
                           if c.category == str(MAP_HPO_DISEASE)), reverse=True)
    assert drawn_counts == all_counts[:DISEASE_LIMIT]


def test_page_and_svg_mark_hpo_and_carry_the_acknowledgement(dc_map: Any) -> None:
    data = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>',
                                dc_map.html, re.S).group(1))
    keys = {c["key"] for c in data["categories"]}
    assert {"HpoPhenotype", "HpoDisease"} <= keys
    labels = {c["key"]: c["label"] for c in data["categories"]}
    assert "HPO 2025-01-16" in labels["HpoPhenotype"] and "HPO 2025-01-16" in labels["HpoDisease"]
    hpo_nodes = [m for m in data["nodeMeta"] if m["iri"].startswith(str(OBO)) or "orpha" in m["iri"]
                 or "omim" in m["iri"]]
    assert hpo_nodes and all(m.get("src") == "HPO 2025-01-16" for m in hpo_nodes)
    styles = {s for i, s in data["edgeStyles"] if i < data["edgeCount"]}  # the drawn edges
    assert styles == {"hpo", "mapping"}
    assert data["annotations"] and data["acknowledgements"] == [ACK]
    assert dc_map.html.count(ACK) >= 2  # header line and legend
    assert ACK in dc_map.svg
    assert "not the article" in dc_map.svg  # the SVG legend's line for HPO's edges


def test_another_concept_and_user_mistakes(release_dataset: ox.Store) -> None:
    ckd = make_map(release_dataset, view="hpo", params={"concept": "CKD"}).model
    assert str(OBO.HP_0012622) in ckd.concepts
    with pytest.raises(QueryError, match=r"has no HPO match.*concepts mapped to HPO: .*dystrophic calcification"):
        make_map(release_dataset, view="hpo", params={"concept": "tissue injury"})
    with pytest.raises(QueryError, match="unknown concept 'kidny'"):
        make_map(release_dataset, view="hpo", params={"concept": "kidny"})
    with pytest.raises(QueryError, match="takes no parameters"):
        make_map(release_dataset, view="dc", params={"concept": "CKD"})


def test_a_release_without_hpo_says_so(release_graph: Any) -> None:
    # the Turtle file alone holds no HPO graphs: as a release built with --hpo none
    with pytest.raises(QueryError, match="--hpo none"):
        make_map(release_graph, view="hpo")


def test_cli_and_server(release_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "hpo.svg"
    result = CliRunner().invoke(main, ["map", "--view", "hpo", "--param", "concept=pk:pathological-calcification",
                                       "--out", str(out), "--release", str(release_dir)])
    assert result.exit_code == 0, result.output
    assert ACK in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(main, ["map", "--view", "hpo", "--param", "concept=tissue injury",
                                    "--out", str(tmp_path / "x.html"), "--release", str(release_dir)])
    assert bad.exit_code == 2 and "no HPO match" in bad.output and "Traceback" not in bad.output


@pytest.mark.browser
def test_in_chromium_panel_says_hpo_release_and_evidence(release_dataset: ox.Store, tmp_path: Path) -> None:
    pytest.importorskip("selenium")
    from .helpers.browser import chromium, wait_ready

    page = tmp_path / "hpo.html"
    write_map(page, release_dataset, view="hpo")
    with chromium(1400, 900) as d:
        d.get(page.as_uri())
        wait_ready(d)
        assert d.execute_script("return document.body.dataset.ready") == "1"
        legend = d.execute_script("return document.getElementById('legend-drawer').textContent")
        assert "HPO phenotype (HPO 2025-01-16)" in legend and ACK in legend
        styles = d.execute_script("return Array.from(document.querySelectorAll('#edge-legend li'))"
                                  ".map(function (li) { return li.dataset.style; })")
        assert "hpo" in styles and "mapping" in styles
        node = d.execute_script(
            "var m = window.pathokgMap, target = arguments[0];"
            " var i = m.data.nodeMeta.findIndex(function (x) { return x.iri === target; }); m.selectNode(i, false);"
            "return document.getElementById('panel').innerText;", CALCINOSIS)
        assert "Calcinosis" in node and "HPO 2025-01-16" in node and "HP:0003761" in node
        edge = d.execute_script(
            "var m = window.pathokgMap; var e = -1;"
            "for (var i = 0; i < m.data.edgeCount; i++) { if (m.data.relations[m.edge(i).rel].iri === arguments[0])"
            " { e = i; break; } }"
            "m.network.body.emitter.emit('click', {nodes: [], edges: [e]});"
            "return document.getElementById('panel').innerText;", ANNOTATED_WITH)
        assert "HPO's annotations (HPO 2025-01-16" in edge and "not statements of the article" in edge
        assert re.search(r"evidence (IEA|PCS|TAS) · reference \S+", edge), edge
        assert "The article says" not in edge and "Section:" not in edge
        severe = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
        assert not severe, severe
