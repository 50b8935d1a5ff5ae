"""Teaching with the map, without a browser: the story's steps and the sector headings, the quiz's
questions, the SVG/PDF/PNG of the whole map, SELECT queries drawn, the article page with its
evidence, the flashcards (Anki, Quizlet), qualified statements on every face, and the routes.
(tests/test_conceptmap_teaching_browser.py drives the same pages in Chromium.)"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

from pathokg.cli import main
from pathokg.conceptmap import draws, make_map, write_map
from pathokg.conceptmap.model import Certainty, MapModel, model_from_graph
from pathokg.conceptmap.quiz import questions
from pathokg.conceptmap.story import story_steps
from pathokg.conceptmap.svg import render_svg
from pathokg.paths import ANKI_FILE, MAP_SVG, QUIZLET_FILE, READER_FILE
from pathokg.querying.files import get_query, list_queries
from pathokg.teaching import anki_package, flashcards, reader_page
from pathokg.vocab import PK, PKO

from .helpers import require_executable

DC = str(PK["dystrophic-calcification"])
CKD = str(PK["chronic-kidney-disease"])
ARTICLE_ORDER = ["What it is", "Causes and risk factors", "Mechanism", "Diagnosis", "Treatment",
                 "Prevention", "Prognosis"]


def _page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def model(release_dataset: ox.Store) -> MapModel:
    return model_from_graph(release_dataset)


def _hedged(model: MapModel) -> MapModel:
    """The model with the CKD risk-factor passage stated as possible and under a condition: what
    the lead's certainty columns will give (pko:certainty, pko:hasCondition)."""
    edges = []
    for e in model.edges:
        if e.subject == CKD and e.object == DC:
            e = dataclasses.replace(e, evidence=tuple(dataclasses.replace(
                ev, certainty=Certainty("Possible", "possible"), conditions=("in severe cases",))
                for ev in e.evidence))
        edges.append(e)
    return MapModel(model.concepts, model.categories, model.relation_types, edges)


def test_story_follows_the_article_and_the_dc_view_carries_its_headings(model: MapModel,
                                                                        release_dataset: ox.Store) -> None:
    steps = story_steps(model)
    assert [s.title.split(",")[0] for s in steps] == ARTICLE_ORDER
    for step in steps:
        assert step.concepts and step.edges, step.title
        assert all(e.evidence for e in step.edges), step.title  # every step shows quotes
        starts = [start for start, _, _ in step.passages if start is not None]
        assert starts == sorted(starts), step.title  # in the article's order
    by_title = {s.title.split(",")[0]: s for s in steps}
    assert CKD in by_title["Causes and risk factors"].concepts
    assert str(PK["metastatic-calcification"]) in by_title["What it is"].concepts
    assert str(PK["radiography"]) in by_title["Diagnosis"].concepts
    assert str(PK["inflammation"]) in by_title["Mechanism"].concepts  # onward along "leads to"
    data = _page_data(make_map(release_dataset, view="dc").html)
    assert [h["text"].split(" · ", 1)[1].split(",")[0] for h in data["headings"]] == ARTICLE_ORDER
    assert [s["title"] for s in data["story"]] == [s.title for s in steps]


def test_quiz_offers_plausible_wrong_answers_only(model: MapModel) -> None:
    qs = questions(model)
    assert len(qs) > 100 and {q.hidden for q in qs} == {"subject", "object", "relation"}
    linked = {(e.subject, e.object) for e in model.edges} | {(e.object, e.subject) for e in model.edges}
    for q in qs:
        assert q.answer in q.choices and len(set(q.choices)) == len(q.choices) >= 3
        assert q.edge.evidence and not q.edge.inferred  # the reveal has a quote
        if q.hidden == "relation":
            between = {e.predicate for e in model.edges if {e.subject, e.object} == {q.edge.subject, q.edge.object}}
            assert not (set(q.choices) - {q.answer}) & between
            continue
        other = q.edge.object if q.hidden == "subject" else q.edge.subject
        def family(iri: str) -> str:
            cat = model.categories[model.concepts[iri].category]
            return cat.parent or cat.iri

        for c in set(q.choices) - {q.answer}:
            assert (c, other) not in linked, (q.edge.triple, c)  # no wrong answer is in fact true
            assert family(c) == family(q.answer)  # of the same kind
    assert [q.edge.triple for q in questions(model)] == [q.edge.triple for q in qs]  # seeded


def test_svg_is_xml_with_every_label_title_legend_and_source(release_dataset: ox.Store) -> None:
    result = make_map(release_dataset, view="dc")
    root = ElementTree.fromstring(result.svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    shown = {"".join(t.itertext()).strip() for t in root.iterfind(".//s:g[@class='concepts']//s:text", ns)}
    joined = {" ".join(s.text or "" for s in t.iterfind("s:tspan", ns))
              for t in root.iterfind(".//s:g[@class='concepts']//s:text", ns)}
    for c in result.model.concepts.values():
        assert c.label in joined or c.label in shown, c.label
    text = " ".join(root.itertext())
    assert "Dystrophic calcification: concept map" in text and "Categories" in text
    assert "Source: “What Is Dystrophic Calcification?”" in text
    assert "3 · Mechanism" in text  # the sector headings
    assert make_map(release_dataset, view="dc").svg == result.svg


def test_pdf_is_one_page_and_png_twice_the_map(release_dir: Path, tmp_path: Path) -> None:
    require_executable("chromium", "apt-get install -y chromium")
    pdfinfo = require_executable("pdfinfo", "apt-get install -y poppler-utils")
    pdf, png = tmp_path / "dc.pdf", tmp_path / "dc.png"
    for out in (pdf, png):
        result = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--view", "dc", "--out", str(out)])
        assert result.exit_code == 0, result.output
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    svg = make_map(view="dc").svg
    w, h = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (2 * w, 2 * h)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dc.pdf", "dc.png"]  # no debris
    # regression: a picture pathokg wrote is pathokg's to replace (signed), a stranger's is not
    for out in (pdf, png):
        again = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--out", str(out)])
        assert again.exit_code == 0, again.output
    stranger = tmp_path / "holiday.png"
    stranger.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    refused = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--out", str(stranger)])
    assert refused.exit_code == 2 and "not written by pathokg" in refused.output
    reread = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True)
    assert reread.returncode == 0 and not reread.stderr, reread.stderr  # the signed PDF still reads


def test_pdf_without_chromium_is_exit_3_and_one_line(release_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on this PATH
    out = tmp_path / "map.pdf"
    result = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--out", str(out)])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Chromium" in lines[0] and "apt-get install chromium" in lines[0], result.output
    assert not out.exists()
    svg = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--out", str(tmp_path / "m.svg")])
    assert svg.exit_code == 0, svg.output  # the SVG needs nothing
    bad = CliRunner().invoke(main, ["map", "--release", str(release_dir), "--out", str(tmp_path / "m.gif")])
    assert bad.exit_code == 2 and ".svg" in bad.output


def test_select_queries_draw_their_concepts(release_dataset: ox.Store) -> None:
    treatments = make_map(release_dataset, query="treatments")
    assert str(PK["nodule-excision"]) in treatments.model.concepts and treatments.model.edges
    for e in treatments.model.edges:  # the relations among the concepts the rows name
        assert e.subject in treatments.model.concepts and e.object in treatments.model.concepts
    drawn = {q.name for q in list_queries() if draws(q, release_dataset)}
    assert {"treatments", "risk-factors", "neighbourhood", "causes-of-condition"} <= drawn
    assert "summary-statistics" not in drawn and len(drawn) >= 9
    prefixed = make_map(release_dataset, sparql="CONSTRUCT { ?s pko:causes ?o } WHERE { ?s pko:causes ?o }")
    assert prefixed.model.edges  # no PREFIX line needed
    assert draws(get_query("neighbourhood"))


def test_qualified_statements_are_never_plain_facts(model: MapModel) -> None:
    hedged = _hedged(model)
    (edge,) = [e for e in hedged.edges if e.subject == CKD and e.object == DC]
    assert edge.style == "hedged" and edge.strongest.certainty.label == "possible"
    from pathokg.conceptmap import teaching_extras
    from pathokg.conceptmap.layout import force_layout
    from pathokg.conceptmap.render import Extras, PageOptions, legend_rows, render_html

    positions = force_layout(hedged)
    page = render_html(hedged, positions, PageOptions(), Extras(full=hedged, quiz=questions(hedged)))
    data = _page_data(page)
    rows = [r for r in data["evidence"] if r.get("conditions") == ["in severe cases"]]
    assert rows and rows[0]["certainty"] == {"key": "Possible", "label": "possible"}
    assert rows[0]["conditions"] == ["in severe cases"] and rows[0]["style"] == "hedged"
    assert any(style == "hedged" for _, style in data["edgeStyles"])
    svg = render_svg(hedged, positions, legend_rows(hedged), title="t")
    assert "stated with a hedge" in svg  # the legend names the hedged style
    cards = [c for c in flashcards(hedged) if CKD in c.key and DC in c.key]
    assert cards and all("possible" in c.qualifier for c in cards)
    question = next(c for c in cards if c.kind == "question")
    assert "(the article: possible; if in severe cases)" in question.back
    assert teaching_extras  # the map builds its story and quiz from the same model


def test_flashcards_anki_deck_and_quizlet_csv(release_dir: Path, tmp_path: Path, model: MapModel) -> None:
    cards = flashcards(model)
    questions_ = [c for c in cards if c.kind == "question"]
    clozes = [c for c in cards if c.kind == "cloze"]
    assert "What does chronic kidney disease have to do with dystrophic calcification?" in \
        {c.front for c in questions_}
    ckd = next(c for c in questions_
               if c.front == "What does chronic kidney disease have to do with dystrophic calcification?")
    assert "chronic kidney disease is a risk factor for dystrophic calcification." in ckd.back
    assert "Individuals with chronic kidney disease (CKD)" in ckd.quote and "Chronic Kidney Disease" in ckd.source
    # every name of the concept the sentence writes is hidden, or the abbreviation gives it away
    assert any(c.front == "Individuals with {{c1::chronic kidney disease}} ({{c1::CKD}}) are at increased "
               "risk of dystrophic calcification." for c in clozes)
    assert all(c.source.startswith("“What Is Dystrophic Calcification?”") for c in cards)
    assert all(re.sub(r"\{\{c1::(.*?)\}\}", r"\1", c.front) in c.quote for c in clozes)  # verbatim
    # a name inside a longer one ("calcification" in "dystrophic calcification") is not a gap
    assert not any("dystrophic {{c1::calcification}}" in c.front.lower() for c in clozes)
    deck = release_dir / ANKI_FILE
    assert deck.read_bytes() == anki_package(cards)
    archive = zipfile.ZipFile(deck)
    assert archive.testzip() is None and "collection.anki2" in archive.namelist()
    db = tmp_path / "collection.anki2"
    db.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(db) as conn:
        notes = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        card_rows = conn.execute("SELECT count(*), count(DISTINCT nid) FROM cards").fetchone()
        guids = conn.execute("SELECT count(DISTINCT guid) FROM notes").fetchone()[0]
    assert notes == len(cards) == card_rows[0] == card_rows[1] == guids  # one note per card
    rows = list(csv.reader(io.StringIO((release_dir / QUIZLET_FILE).read_text(encoding="utf-8"))))
    assert len(rows) == len(cards) and all(len(r) == 2 and r[0] and r[1] for r in rows)
    assert any(r[0].startswith("Individuals with _____ (_____)") for r in rows)


def test_reader_highlights_every_passage_and_links_to_the_map(release_dir: Path, model: MapModel,
                                                              release_graph: Graph) -> None:
    page = (release_dir / READER_FILE).read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and not re.search(r"<script[^>]+src=|<link\b", page)
    text = (release_dir / "sources" / "dystrophic-calcification.txt").read_text(encoding="utf-8")
    body = re.search(r'<div class="text">(.*?)</div>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == text  # the article byte for byte
    anchors = set(re.findall(r'<span class="anchor" id="([^"]+)">', page))
    passages = {ev.iri for e in model.edges for ev in e.evidence if ev.start is not None}
    assert len(anchors) == len(passages) == len(set(release_graph.subjects(RDF.type, PKO.Evidence)))
    hrefs = re.findall(r'<a class="ev [^"]+" href="concept-map\.html#ev=([^"]+)"', page)
    assert hrefs and set(hrefs) <= anchors
    for kind in ARTICLE_ORDER:
        assert kind in page
    assert reader_page(model_store(release_dir), release_dir) == page  # same bytes


def model_store(release_dir: Path) -> ox.Store:
    from pathokg.querying.release import release_store

    return release_store(release_dir)


def test_release_has_the_teaching_files(release_dir: Path) -> None:
    for name in (MAP_SVG, READER_FILE, ANKI_FILE, QUIZLET_FILE):
        assert (release_dir / name).stat().st_size > 1000, name
    ElementTree.fromstring((release_dir / MAP_SVG).read_text(encoding="utf-8"))
    data = _page_data((release_dir / "concept-map.html").read_text(encoding="utf-8"))
    assert data["reader"] == READER_FILE and data["story"] and data["quiz"] and data["svg"]


def test_write_map_by_extension_is_atomic(release_dataset: ox.Store, tmp_path: Path) -> None:
    out = tmp_path / "dc.svg"
    result = write_map(out, release_dataset, view="dc")
    assert out.read_text(encoding="utf-8") == result.svg and result.file_stem == "pathokg-dc-map"
    assert list(tmp_path.iterdir()) == [out]


def test_routes_serve_the_reader_and_query_parameters(release_dir: Path) -> None:
    from .helpers.web import map_client

    client = map_client(release_dir)
    reader = client.get("/reader")
    assert reader.status_code == 200 and 'href="/#ev=ev-' in reader.text
    injury = _page_data(client.get("/map?query=neighbourhood&concept=pk:tissue-injury").text)
    default = _page_data(client.get("/map?query=neighbourhood").text)
    iris = {m["iri"] for m in injury["nodeMeta"][:len(injury["nodes"])]}
    assert str(PK["tissue-injury"]) in iris and CKD not in iris  # the parameter is used
    assert CKD in {m["iri"] for m in default["nodeMeta"][:len(default["nodes"])]}
    assert injury["reader"] == "/reader" and ["dc", "/map?view=dc"] in injury["views"]
    unknown = client.get("/map?query=neighbourhood&nope=1")
    assert unknown.status_code == 400 and "nope" in unknown.text
    assert client.get("/map?concept=pk:burn").status_code == 400
    treatments = client.get("/map?query=treatments")
    assert treatments.status_code == 200
