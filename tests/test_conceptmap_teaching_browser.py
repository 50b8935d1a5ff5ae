"""Teaching with the map in real headless Chromium: legible on a projector, a laptop and a phone,
the story, the quiz, the article page linked both ways, the state in the URL, search across
views, the keyboard. Viewports are set exactly (CSS pixels) through the DevTools protocol."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from rdflib import Graph

from pathokg.conceptmap import write_map
from pathokg.paths import MAP_FILE, READER_FILE

pytestmark = pytest.mark.browser

VIEWPORTS = [(1280, 720), (1024, 768), (390, 844)]
#: concept labels (px on screen) at the opening view, and relation labels when drawn
MIN_CONCEPT_PX, MIN_RELATION_PX = 14, 11


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    pytest.importorskip("selenium")
    from .helpers.browser import chromium

    with chromium(1280, 720) as d:
        yield d


@pytest.fixture(scope="module")
def pages(release_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("teach")
    out = {v: folder / f"{v}.html" for v in ("overview", "dc")}
    for view, path in out.items():
        write_map(path, release_graph, view=view)
    return out


def _viewport(driver: Any, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})


def _open(driver: Any, url: str) -> None:
    from .helpers.browser import wait_ready

    driver.get("about:blank")
    driver.get(url)
    wait_ready(driver)
    time.sleep(0.15)  # one more frame: the relation labels are drawn after the concepts


def _js(driver: Any, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def _node_boxes(driver: Any) -> list[list[float]]:
    """Every visible concept's box (shape and label) in screen pixels."""
    return _js(driver, "var m = window.pathokgMap, n = m.network; return m.nodes.getIds().filter("
                       "function (i) { return !m.isHidden(i); }).map(function (i) {"
                       " var b = n.getBoundingBox(i), a = n.canvasToDOM({x: b.left, y: b.top}),"
                       " c = n.canvasToDOM({x: b.right, y: b.bottom}); return [a.x, a.y, c.x, c.y]; })")


def _overlap(a: list[float], b: list[float], gap: float = 0.5) -> bool:
    return a[0] < b[2] - gap and b[0] < a[2] - gap and a[1] < b[3] - gap and b[1] < a[3] - gap


@pytest.mark.parametrize("view", ["overview", "dc"])
@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_legible_at_the_opening_view(driver: Any, pages: dict[str, Path], view: str, width: int,
                                     height: int) -> None:
    _viewport(driver, width, height)
    _open(driver, pages[view].as_uri())
    rect = _js(driver, "var r = document.getElementById('map').getBoundingClientRect();"
                       "return [r.width, r.height, innerWidth, innerHeight]")
    assert rect[2:] == [width, height]
    assert rect[0] * rect[1] / (width * height) >= 0.75, rect  # the map takes the screen
    fonts = _js(driver, "var m = window.pathokgMap, s = m.network.getScale(), g = m.data.options.groups;"
                        "return Object.keys(g).map(function (k) { return g[k].font.size * s; })")
    assert min(fonts) >= MIN_CONCEPT_PX, fonts
    visible = [b for b in _node_boxes(driver) if b[2] > 0 and b[0] < rect[0] and b[3] > 0 and b[1] < rect[1]]
    assert len(visible) >= 3  # the hub and its neighbours, not an empty corner
    labels = _js(driver, "return window.pathokgMap.edgeLabelBoxes()")
    assert labels, "no relation label drawn at the opening view"
    boxes = _node_boxes(driver)
    for k, a in enumerate(labels):
        assert a["px"] >= MIN_RELATION_PX, a
        box = [a["left"], a["top"], a["right"], a["bottom"]]
        assert not any(_overlap(box, n) for n in boxes), a  # never cut by a concept
        assert not any(_overlap(box, [b["left"], b["top"], b["right"], b["bottom"]]) for b in labels[k + 1:]), a
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def test_relation_labels_follow_hover_and_selection(driver: Any, pages: dict[str, Path]) -> None:
    _viewport(driver, 1280, 720)
    _open(driver, pages["dc"].as_uri())
    count = _js(driver, "var m = window.pathokgMap, i = m.search('CKD')[0]; m.selectNode(i, false);"
                        "m.network.redraw(); return m.network.getConnectedEdges(i).length")
    time.sleep(0.1)
    forced = [b for b in _js(driver, "return window.pathokgMap.edgeLabelBoxes()") if b["forced"]]
    assert len(forced) == count and all(b["px"] >= MIN_RELATION_PX for b in forced)
    _js(driver, "window.pathokgMap.network.moveTo({scale: 0.2})")
    time.sleep(0.1)
    # zoomed far out, labels keep their size on screen: fewer fit, none shrinks
    assert all(b["px"] >= MIN_RELATION_PX for b in _js(driver, "return window.pathokgMap.edgeLabelBoxes()"))


def test_story_walks_the_article(driver: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    _viewport(driver, 1280, 720)
    _open(driver, pages["dc"].as_uri())
    steps = _js(driver, "return window.pathokgMap.data.story")
    assert len(steps) == 7
    driver.find_element(By.ID, "story-toggle").click()
    for k, step in enumerate(steps):
        assert driver.find_element(By.ID, "story-title").text == step["title"]
        assert driver.find_element(By.ID, "story-count").text.lower().endswith(f"step {k + 1} of 7")
        quotes = driver.find_elements(By.CSS_SELECTOR, "#story-body blockquote")
        assert quotes, step["title"]
        opaque = set(_js(driver, "return window.pathokgMap.nodes.get({filter: function (n) {"
                                 " return n.opacity === undefined || n.opacity === 1; }})"
                                 ".map(function (n) { return n.id; })"))
        centre = _js(driver, "return window.pathokgMap.data.centre")
        assert opaque == {*step["nodes"], centre}, step["title"]  # the step's part, the rest dimmed
        assert _js(driver, "return window.pathokgMap.state.storyStep") == step["n"]
        if k < len(steps) - 1:
            driver.find_element(By.ID, "story-next").click()
    assert driver.find_element(By.ID, "story-next").get_attribute("disabled")
    assert "story=7" in _js(driver, "return location.hash") or time.sleep(0.3) or \
        "story=7" in _js(driver, "return location.hash")
    driver.find_element(By.CSS_SELECTOR, "#story .close").click()
    assert _js(driver, "return window.pathokgMap.nodes.get({filter: function (n) {"
                       " return n.opacity < 1; }}).length") == 0


def test_quiz_scores_and_reveals_the_quote(driver: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    _viewport(driver, 1024, 768)
    _open(driver, pages["overview"].as_uri())
    quiz = _js(driver, "return window.pathokgMap.data.quiz")
    driver.find_element(By.ID, "quiz-toggle").click()
    for k in range(2):
        q = quiz[k]
        assert "?" in driver.find_element(By.ID, "quiz-prompt").text
        if q[1] in "so":  # the hidden concept is masked on the map too
            hidden = _js(driver, "var m = window.pathokgMap, e = m.edge(arguments[0]); return m.nodes.get("
                                 "arguments[1] === 's' ? e.from : e.to).label", q[0], q[1])
            assert hidden == "?"
        choices = driver.find_elements(By.CSS_SELECTOR, "#quiz-choices .choice")
        assert len(choices) == len(q[2]) >= 3
        wanted = q[3] if k == 0 else next(x for x in q[2] if x != q[3])  # right, then wrong
        pick = next(c for c in choices if int(c.get_attribute("data-choice")) == wanted)
        pick.click()
        assert driver.find_element(By.ID, "quiz-score").text == f"Score 1 of {k + 1}"
        reveal = driver.find_element(By.ID, "quiz-reveal").text
        quote = _js(driver, "var m = window.pathokgMap;"
                            " return m.data.evidence[m.edge(arguments[0]).evidence[0]].quote", q[0])
        assert quote in reveal and ("Right." in reveal) == (k == 0)
        driver.find_element(By.ID, "quiz-next").click()
    driver.find_element(By.CSS_SELECTOR, "#quiz .close").click()
    assert _js(driver, "return window.pathokgMap.nodes.get({filter: function (n) {"
                       " return n.label === '?'; }}).length") == 0


def test_reader_and_map_link_both_ways(driver: Any, release_dir: Path) -> None:
    from selenium.webdriver.common.by import By

    _viewport(driver, 1280, 720)
    driver.get((release_dir / READER_FILE).as_uri())
    link = driver.find_element(By.CSS_SELECTOR, "a.ev[data-passages*='chronic-kidney-disease--isRiskFactorFor']")
    href = link.get_attribute("href")
    assert href.startswith((release_dir / MAP_FILE).as_uri() + "#ev=")
    link.click()
    from .helpers.browser import wait_ready

    wait_ready(driver)
    time.sleep(0.3)
    panel = driver.find_element(By.ID, "panel").text
    assert "Individuals with chronic kidney disease (CKD) are at increased risk" in panel
    back = driver.find_element(By.CSS_SELECTOR, "#panel a.to-reader")
    anchor = unquote(back.get_attribute("href").split("#", 1)[1])
    assert back.get_attribute("href").startswith((release_dir / READER_FILE).as_uri())
    back.click()
    time.sleep(0.3)
    assert _js(driver, "return document.body.dataset.current") == anchor
    assert driver.find_elements(By.CSS_SELECTOR, "a.ev.current")


def test_state_round_trips_through_the_url(driver: Any, pages: dict[str, Path]) -> None:
    _viewport(driver, 1280, 720)
    _open(driver, pages["overview"].as_uri())
    _js(driver, "var m = window.pathokgMap; m.setCategoryHidden(m.data.categories.findIndex(function (c) {"
                " return c.key === 'ChemicalEntity'; }), true); m.applyVisibility();"
                "m.selectNode(m.search('CKD')[0], false); m.network.moveTo({scale: 1.1, position: {x: 40, y: -30}});")
    time.sleep(0.5)
    url = _js(driver, "return location.href")
    assert "c=chronic-kidney-disease" in url and "hide=ChemicalEntity" in url and "z=1.100~40~-30" in url
    _open(driver, url)
    got = _js(driver, "var m = window.pathokgMap, p = m.network.getViewPosition(); return [m.state.selected === null"
                      " ? null : m.labels[m.state.selected], Object.keys(m.state.hiddenCats).map(function (c) {"
                      " return m.data.categories[c].key; }), m.network.getScale(), Math.round(p.x), Math.round(p.y),"
                      " document.getElementById('panel-title').textContent]")
    assert got == ["chronic kidney disease", ["ChemicalEntity"], pytest.approx(1.1, abs=0.001), 40, -30,
                   "chronic kidney disease"]
    edge_url = pages["overview"].as_uri() + "#e=chronic-kidney-disease~isRiskFactorFor~dystrophic-calcification"
    _open(driver, edge_url)
    assert _js(driver, "return document.getElementById('panel-title').textContent") == \
        "chronic kidney disease — is a risk factor for → dystrophic calcification"


def test_search_across_views_and_spellings(driver: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _viewport(driver, 1280, 720)
    _open(driver, pages["dc"].as_uri())
    for spelling in ("xray", "X ray", "x-ray", "X-RAYS"):
        hits = _js(driver, "var m = window.pathokgMap; return m.search(arguments[0]).map(function (i) {"
                           " return m.labels[i]; })", spelling)
        assert hits and hits[0] == "radiography", (spelling, hits)
    box = driver.find_element(By.ID, "search")
    box.send_keys("zzzq")
    assert "No concept matches" in driver.find_element(By.ID, "status").text
    box.clear()
    box.send_keys("NSA")  # NSAIDs are not in the DC view
    assert driver.find_element(By.ID, "status").text == ""  # the message clears
    result = driver.find_element(By.CSS_SELECTOR, "#search-results button")
    assert "not in this view" in result.text
    box.send_keys(Keys.ENTER)
    got = _js(driver, "var m = window.pathokgMap; return [m.labels[m.state.selected], m.nodes.length,"
                      " m.data.nodes.length, m.network.getConnectedEdges(m.state.selected).length]")
    assert got[0] == "nonsteroidal anti-inflammatory drug" and got[1] == got[2] + 1 and got[3] >= 1
    assert driver.find_element(By.ID, "panel-title").text == "nonsteroidal anti-inflammatory drug"


def test_keyboard_zooms_selects_and_escape_clears(driver: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _viewport(driver, 1280, 720)
    _open(driver, pages["overview"].as_uri())
    _js(driver, "document.getElementById('map-frame').focus()")
    before = _js(driver, "return window.pathokgMap.network.getScale()")
    ActionChains(driver).send_keys("+").perform()
    time.sleep(0.3)
    assert _js(driver, "return window.pathokgMap.network.getScale()") > before * 1.1
    ActionChains(driver).send_keys("n").perform()
    first = _js(driver, "var m = window.pathokgMap; return m.labels[m.state.selected]")
    assert first and _js(driver, "return document.getElementById('panel-title').textContent") == first
    ActionChains(driver).send_keys("r").perform()
    sentence = _js(driver, "var m = window.pathokgMap; return m.state.selectedEdge === null ? null :"
                           " m.sentence(m.state.selectedEdge)")
    assert sentence and first in sentence
    assert _js(driver, "return window.pathokgMap.network.getSelectedEdges().length") == 1
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert _js(driver, "var m = window.pathokgMap; return [m.state.selected, m.state.selectedEdge,"
                       " m.network.getSelectedNodes().length, m.network.getSelectedEdges().length,"
                       " document.getElementById('panel').hidden, !!document.getElementById('panel-title')]") == \
        [None, None, 0, 0, True, False]


def test_presentation_mode_and_exports_in_the_page(driver: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    _viewport(driver, 1280, 720)
    _open(driver, pages["dc"].as_uri())
    area = _js(driver, "var r = document.getElementById('map').getBoundingClientRect(); return r.height")
    driver.find_element(By.ID, "present").click()
    time.sleep(0.2)
    assert _js(driver, "return document.body.classList.contains('present')")
    assert _js(driver, "return document.getElementById('map').getBoundingClientRect().height") >= area
    svg = _js(driver, "return window.pathokgMap.data.svg")
    width, height = (int(x) for x in json.loads(json.dumps(
        [svg.split('width="', 1)[1].split('"', 1)[0], svg.split('height="', 1)[1].split('"', 1)[0]])))
    assert _js(driver, "return window.pathokgMap.exportPng(true)")[:2] == [2 * width, 2 * height]
    assert _js(driver, "return window.pathokgMap.fileStem") == "pathokg-dc-map"
    assert _js(driver, "return document.querySelector('#print-sheet img').naturalWidth") == width


def test_printing_the_page_gives_the_whole_map_on_one_page(driver: Any, pages: dict[str, Path],
                                                           tmp_path: Path) -> None:
    import base64
    import re
    import subprocess

    from .helpers import require_executable

    pdfinfo = require_executable("pdfinfo", "apt-get install -y poppler-utils")
    _viewport(driver, 1280, 720)
    _open(driver, pages["dc"].as_uri())
    time.sleep(0.3)  # the print sheet's image has loaded
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"landscape": True, "printBackground": True})
    out = tmp_path / "printed.pdf"
    out.write_bytes(base64.b64decode(pdf["data"]))
    info = subprocess.run([pdfinfo, str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run([pdfinfo.replace("pdfinfo", "pdftotext"), str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "pathokg concept map, view: dc" in text and "Search" not in text  # the sheet, not the page
