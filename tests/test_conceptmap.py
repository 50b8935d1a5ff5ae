"""The concept map's page generation, options, views, errors, notebook embedding and routes
(no browser here: tests/test_conceptmap_browser.py drives Chromium)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from pathokg.cli import main
from pathokg.conceptmap import ConceptNotFound, make_map, write_map
from pathokg.conceptmap.model import model_from_graph
from pathokg.paths import MAP_FILE
from pathokg.vocab import PK, PKO

CKD = str(PK["chronic-kidney-disease"])
DC = str(PK["dystrophic-calcification"])


def _page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def overview(release_graph: Graph) -> str:
    return make_map(release_graph).html


def test_page_loads_nothing_from_anywhere(overview: str) -> None:
    outside_data = re.sub(r'<script type="application/json".*?</script>', "", overview, flags=re.S)
    assert not re.search(r"<script[^>]+src=|<link\b|@import|<iframe|<img\b", outside_data, re.I)
    for cdn in ("cdn.", "cdnjs", "jsdelivr", "unpkg", "googleapis", "bootstrap", "fonts.g",
                "sourceMappingURL"):
        assert cdn not in overview.lower(), cdn
    assert "Content-Security-Policy" in overview and "connect-src 'none'" in overview


def test_same_graph_same_bytes(release_graph: Graph, overview: str) -> None:
    assert make_map(release_graph).html == overview
    shuffled = Graph()
    for t in sorted(release_graph, key=lambda t: t[2].n3(), reverse=True):
        shuffled.add(t)
    assert make_map(shuffled).html == overview


def test_page_draws_every_concept_and_relation_of_the_graph(release_graph: Graph,
                                                            overview: str) -> None:
    data = _page_data(overview)
    concepts = {s for s in release_graph.subjects(RDF.type, SKOS.Concept)
                if (s, SKOS.prefLabel, None) in release_graph and str(s).startswith(str(PK))}
    props = set(release_graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#ObjectProperty")))
    edges = {(s, p, o) for s, p, o in release_graph if p in props and s in concepts and o in concepts}
    assert len(data["nodes"]) == len(concepts) == 102
    assert data["edgeCount"] == len(data["edges"]) // 3 == len(edges)
    assert sorted(m["iri"] for m in data["nodeMeta"]) == sorted(str(c) for c in concepts)


def test_evidence_travels_with_each_edge(overview: str) -> None:
    data = _page_data(overview)
    rels = [r["label"] for r in data["relations"]]
    node_iris = [m["iri"] for m in data["nodeMeta"]]
    flat = data["edges"]
    (k,) = [i for i in range(data["edgeCount"]) if node_iris[flat[3 * i]] == CKD
            and node_iris[flat[3 * i + 1]] == DC]
    assert rels[flat[3 * k + 2]] == "is a risk factor for" and k not in data["inferred"]
    (ev,) = [row[1:] for row in data["edgeEvidence"] if row[0] == k]
    quote = data["evidence"][ev[0]]
    assert quote["quote"] == ("Individuals with chronic kidney disease (CKD) are at increased "
                              "risk of dystrophic calcification.")
    assert quote["section"] == "Chronic Kidney Disease"
    assert len(data["edgeEvidence"]) == data["edgeCount"]  # every asserted edge has evidence
    ckd = data["nodeMeta"][node_iris.index(CKD)]
    assert "CKD" in ckd["s"]
    hrefs = {x[1] for x in ckd["x"]}
    assert "http://purl.obolibrary.org/obo/MONDO_0005300" in hrefs


def test_data_is_escaped_inside_the_script_element() -> None:
    g = Graph()
    evil = URIRef(str(PK["evil"]))
    g.add((URIRef(str(PKO.DiseaseOrDisorder)), URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
           URIRef(str(PKO.Concept))))
    g.add((evil, RDF.type, URIRef(str(PKO.DiseaseOrDisorder))))
    g.add((evil, SKOS.prefLabel, Literal("</script><img src=x onerror=alert(1)>&")))
    page = make_map(g).html
    assert "<img src=x" not in page
    assert _page_data(page)["nodes"][0]["label"] == "</script><img src=x onerror=alert(1)>&"


def test_inferred_edges_are_marked_and_dashed(release_dataset: ox.Store) -> None:
    result = make_map(release_dataset, inferred=True)
    inferred = [e for e in result.model.edges if e.inferred]
    assert inferred and all(not e.evidence for e in inferred)
    data = _page_data(result.html)
    assert len(data["inferred"]) == len(inferred)
    with_evidence = {row[0] for row in data["edgeEvidence"]}
    assert not with_evidence & set(data["inferred"])
    asserted = {e.triple for e in result.model.edges if not e.inferred}
    assert not asserted & {e.triple for e in inferred}


def test_focus_draws_the_neighbourhood(release_graph: Graph) -> None:
    full = model_from_graph(release_graph)
    result = make_map(release_graph, focus="CKD", depth=1)
    expected = {CKD} | {e.object for e in full.edges if e.subject == CKD} | \
        {e.subject for e in full.edges if e.object == CKD}
    assert set(result.model.concepts) == expected


def test_views_teach(release_graph: Graph) -> None:
    from pathokg.conceptmap import lay_out
    from pathokg.conceptmap.views import get_view

    mech = make_map(release_graph, view="mechanism")
    pos = lay_out(mech.model, get_view("mechanism"))
    chain = ["calcium-ion-release", "inflammation", "calcium-binding-substance-release",
             "calcium-deposition", "mineralized-nodule"]
    xs = [pos[str(PK[c])][0] for c in chain]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    # the nodules lead to impaired tissue function and (possibly) to complications: both after them
    assert all(pos[str(PK[c])][0] > xs[-1] for c in ("impaired-tissue-function", "complications"))
    # only steps stated within the process of dystrophic calcification: not the CKD pathway
    assert str(PK["elevated-blood-calcium"]) not in mech.model.concepts
    dc = make_map(release_graph, view="dc")
    assert lay_out(dc.model, get_view("dc"))[DC] == (0.0, 0.0)
    assert CKD in dc.model.concepts and str(PK["radiography"]) in dc.model.concepts
    ckd = make_map(release_graph, view="ckd")
    assert {str(PK[c]) for c in ("calcium-phosphate-imbalance", "elevated-blood-calcium",
                                 "calcium-phosphate-deposition", "blood-vessel")} <= set(ckd.model.concepts)


def test_unknown_focus_is_a_clear_error_and_writes_nothing(release_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    previous = '<meta name="generator" content="pathokg concept map"> previous'
    out.write_text(previous)
    result = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--focus",
                                       "kidny disease", "--out", str(out)])
    assert result.exit_code == 2
    assert "unknown concept 'kidny disease'" in result.output
    assert "chronic kidney disease" in result.output
    assert "Traceback" not in result.output
    assert out.read_text() == previous
    assert list(tmp_path.iterdir()) == [out]


def test_cli_writes_the_map_and_the_named_query_result(release_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.html"
    result = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--query",
                                       "neighbourhood", "--param", "concept=pk:tissue-injury",
                                       "--title", "Tissue injury", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "<title>Tissue injury</title>" in page
    bad = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--sparql",
                                    "ASK { ?s ?p ?o }", "--out", str(out)])
    assert bad.exit_code == 2 and "ASK" in bad.output and "Traceback" not in bad.output
    empty = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--sparql",
                                      "SELECT ?x WHERE { BIND(1 AS ?x) }", "--out", str(out)])
    assert empty.exit_code == 2 and "no concept to draw" in empty.output
    assert "<title>Tissue injury</title>" in out.read_text()  # a refused map writes nothing


def test_release_has_the_map(release_dir: Path) -> None:
    page = (release_dir / MAP_FILE).read_text(encoding="utf-8")
    assert len(_page_data(page)["nodes"]) == 102


def test_write_is_atomic(release_graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    write_map(out, release_graph, view="ckd")
    assert out.read_text().startswith("<!DOCTYPE html>")
    with pytest.raises(ConceptNotFound):
        write_map(out, release_graph, focus="no such concept")
    assert out.read_text().startswith("<!DOCTYPE html>") and len(list(tmp_path.iterdir())) == 1


@pytest.mark.slow
def test_show_embeds_the_map_in_a_notebook(release_dir: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("PATHOKG_DIST", str(release_dir))
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import pathokg.conceptmap as cm\ncm.show(view='ckd', height=600)"))
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    (output,) = [o for o in nb.cells[0].outputs if o["output_type"] == "execute_result"]
    html = output["data"]["text/html"]
    assert html.startswith("<iframe srcdoc=") and "vis.Network" in html
    assert "map-data" in html and 'src="' not in html.split("srcdoc=", 1)[0]
    assert "height:600px" in html and "class=&quot;embed&quot;" in html  # only the map and a compact bar
    warnings_shown = [o for o in nb.cells[0].outputs if o["output_type"] == "stream" and "Warning" in o["text"]]
    assert warnings_shown == []


def test_routes_serve_the_map(release_dir: Path) -> None:
    from .helpers.web import map_client

    client = map_client(release_dir)
    home = client.get("/")
    assert home.status_code == 200 and "map-data" in home.text
    assert 'href="/query"' in home.text and _page_data(home.text)["conceptPages"] == "/"
    assert len(_page_data(client.get("/map?focus=CKD&depth=1").text)["nodes"]) == 6
    missing = client.get("/map", params={"focus": "kidny"})
    assert missing.status_code == 404 and "chronic kidney disease" in missing.text
    assert client.get("/map?view=nope").status_code == 400


def test_layouts_leave_room_for_every_label(release_dataset: ox.Store) -> None:
    from pathokg.conceptmap import lay_out
    from pathokg.conceptmap.labels import overlaps
    from pathokg.conceptmap.layout import boxes
    from pathokg.conceptmap.views import get_view, view_names

    for view in view_names():  # the release as the engine reads it: the HPO view needs its HPO graphs
        model = make_map(release_dataset, view=view).model
        assert overlaps(lay_out(model, get_view(view)), boxes(model), gap=10) == [], view
