"""The concept map in real headless Chromium (Debian chromium + chromedriver), opened from file://.

One browser session for the whole module; each test opens the page it needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pathokg.conceptmap import write_map
from pathokg.querying.engine import Engine
from pathokg.querying.files import get_query
from pathokg.querying.params import bind_params
from pathokg.rdf.store import as_store
from pathokg.vocab import PK, PKO

from .helpers.browser import page_requests

pytestmark = pytest.mark.browser

CKD_QUOTE = "Individuals with chronic kidney disease (CKD) are at increased risk of dystrophic calcification."


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    pytest.importorskip("selenium")
    from .helpers.browser import chromium

    with chromium(1600, 1000) as d:
        yield d


@pytest.fixture(scope="module")
def pages(release_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("maps")
    out = {"overview": folder / "overview.html", "query": folder / "query.html"}
    write_map(out["overview"], release_graph)
    write_map(out["query"], release_graph, query="neighbourhood",
              params={"concept": "pk:tissue-injury"})
    return out


def _open(driver: Any, page: Path) -> None:
    from .helpers.browser import wait_ready

    driver.get_log("performance")  # drop what earlier pages logged
    driver.get(page.as_uri())
    wait_ready(driver)


def _js(driver: Any, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def _concepts(graph: Graph) -> dict[str, str]:
    """Concept IRI -> category IRI (most specific), straight from the graph with rdflib."""
    cats = set(graph.transitive_subjects(RDFS.subClassOf, PKO.Concept)) - {PKO.Concept}
    out = {}
    for s in set(graph.subjects(RDF.type, SKOS.Concept)):
        mine = [c for c in graph.objects(s, RDF.type) if c in cats]
        if mine:
            specific = [c for c in mine if not any(
                o != c and c in set(graph.transitive_objects(o, RDFS.subClassOf)) for o in mine)]
            out[str(s)] = str(specific[0])
    return out


def test_renders_from_file_and_requests_nothing_else(driver: Any, pages: dict[str, Path]) -> None:
    _open(driver, pages["overview"])
    assert _js(driver, "return document.querySelector('#map canvas') !== null")
    assert _js(driver, "return document.body.dataset.ready") == "1", "the page never drew"
    urls = page_requests(driver)
    assert urls, "the performance log recorded no request at all"
    for url in urls:  # strict: no http(s), ws, chrome:// (browser-internal) or any other scheme
        assert urlparse(url).scheme in {"file", "data", "blob"}, url
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def test_draws_every_node_and_edge_of_the_graph(driver: Any, release_graph: Graph,
                                                pages: dict[str, Path]) -> None:
    _open(driver, pages["overview"])
    concepts = _concepts(release_graph)
    props = set(release_graph.subjects(RDF.type, OWL.ObjectProperty))
    edges = {(s, p, o) for s, p, o in release_graph if p in props
             and str(s) in concepts and str(o) in concepts}
    drawn = _js(driver, "var b = window.pathokgMap.network.body;"
                        "return [b.data.nodes.length, b.data.edges.length,"
                        " Object.keys(b.nodes).length, b.nodeIndices.length, b.edgeIndices.length]")
    assert drawn == [len(concepts), len(edges), len(concepts), len(concepts), len(edges)]


def test_legend_lists_every_category_drawn(driver: Any, release_graph: Graph,
                                           pages: dict[str, Path]) -> None:
    _open(driver, pages["overview"])
    legend = _js(driver, "return Array.from(document.querySelectorAll('#legend li'))"
                         ".map(function (li) { return li.dataset.category; })")
    expected = {iri.rsplit("/", 1)[1] for iri in _concepts(release_graph).values()}
    assert sorted(legend) == sorted(expected)


def test_searching_a_synonym_selects_the_concept(driver: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(driver, pages["overview"])
    box = driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys("CKD")
    box.send_keys(Keys.ENTER)
    selected = _js(driver, "var m = window.pathokgMap; return m.network.getSelectedNodes()"
                           ".map(function (i) { return m.data.nodes[i].label; })")
    assert selected == ["chronic kidney disease"]
    assert driver.find_element(By.ID, "panel-title").text == "chronic kidney disease"


def test_unticking_a_category_hides_exactly_its_nodes(driver: Any, release_graph: Graph,
                                                      pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    _open(driver, pages["overview"])
    category = str(PKO.DiseaseOrDisorder)
    expected = sorted(iri for iri, c in _concepts(release_graph).items() if c == category)
    driver.find_element(By.ID, "legend-toggle").click()  # the legend is a drawer
    driver.find_element(By.CSS_SELECTOR, "#legend input[data-category=DiseaseOrDisorder]").click()
    hidden = _js(driver, "var m = window.pathokgMap;"
                         "return m.network.body.data.nodes.get({filter: function (n) {"
                         " return n.hidden; }}).map(function (n) { return m.data.nodeMeta[n.id].iri; })")
    assert sorted(hidden) == expected
    driver.find_element(By.CSS_SELECTOR, "#legend input[data-category=DiseaseOrDisorder]").click()
    assert _js(driver, "return window.pathokgMap.network.body.data.nodes.get("
                       "{filter: function (n) { return n.hidden; }}).length") == 0


def test_clicking_a_concept_shows_its_evidence_quote(driver: Any, pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _open(driver, pages["overview"])
    ckd = _js(driver, "var m = window.pathokgMap; var i = m.data.nodeMeta.findIndex("
                      "function (x) { return x.iri === arguments[0]; }); m.focusOn(i, 0);"
                      "m.network.moveTo({position: m.network.getPosition(i), scale: 1.2});"
                      "return i;".replace("arguments[0]", json.dumps(str(PK["chronic-kidney-disease"]))))
    dom = _js(driver, "var n = window.pathokgMap.network; var p = n.canvasToDOM(n.getPosition(arguments[0]));"
                      "var r = document.getElementById('map').getBoundingClientRect();"
                      "return [p.x - r.width / 2, p.y - r.height / 2];", ckd)
    canvas = driver.find_element(By.ID, "map")
    ActionChains(driver).move_to_element_with_offset(canvas, int(dom[0]), int(dom[1])).click().perform()
    panel = driver.find_element(By.ID, "panel").text
    assert "chronic kidney disease" in panel and CKD_QUOTE in panel
    assert "Chronic Kidney Disease" in panel  # the section
    link = driver.find_element(By.CSS_SELECTOR, ".identifiers a[href*='MONDO_0005300']")
    assert link.text == "MONDO:0005300"


def test_clicking_an_edge_shows_its_evidence_and_png_export_works(driver: Any,
                                                                  pages: dict[str, Path]) -> None:
    _open(driver, pages["overview"])
    text = _js(driver, "var m = window.pathokgMap; var ckd = m.data.nodeMeta.findIndex("
                       "function (x) { return x.iri.endsWith('/chronic-kidney-disease'); });"
                       "var e = -1; for (var i = 0; i < m.data.edgeCount; i++) { var x = m.edge(i);"
                       " if (x.from === ckd && m.data.relations[x.rel].label === 'is a risk factor for')"
                       " { e = i; } }"
                       "m.network.body.emitter.emit('click', {nodes: [], edges: [e]});"
                       "return document.getElementById('panel').innerText;")
    assert "chronic kidney disease — is a risk factor for → dystrophic calcification" in text
    assert CKD_QUOTE in text
    width, height, size = _js(driver, "return window.pathokgMap.exportPng(true)")  # the whole map, 2x
    assert width > 2000 and height > 1000 and size > 10000
    _js(driver, "window.pathokgMap.selectNode(0, false); window.pathokgMap.focusOn(0, 1);")
    shown = _js(driver, "return window.pathokgMap.network.body.data.nodes.get({filter: function (n)"
                        " { return !n.hidden; }}).length")
    assert 1 < shown < 100
    _js(driver, "window.pathokgMap.reset()")
    assert _js(driver, "return window.pathokgMap.network.body.data.nodes.get({filter: function (n)"
                       " { return n.hidden; }}).length") == 0


def test_named_query_map_draws_exactly_the_query_result(driver: Any, release_graph: Graph,
                                                        pages: dict[str, Path]) -> None:
    engine = Engine(as_store(release_graph))
    text = bind_params(get_query("neighbourhood"), {"concept": "pk:tissue-injury"})
    triples = engine.execute(text, inferred=False).triples
    concepts = _concepts(release_graph)
    props = {str(p) for p in release_graph.subjects(RDF.type, OWL.ObjectProperty)}
    nodes = {t.subject.value for t in triples if t.subject.value in concepts} | \
        {t.object.value for t in triples if getattr(t.object, "value", None) in concepts}
    edges = {(t.subject.value, t.predicate.value, t.object.value) for t in triples
             if t.predicate.value in props and t.object.value in concepts}
    _open(driver, pages["query"])
    drawn_nodes = _js(driver, "var d = window.pathokgMap.data; return d.nodeMeta.slice(0, d.nodes.length)"
                              ".map(function (m) { return m.iri; })")
    drawn_edges = _js(driver, "var m = window.pathokgMap, d = m.data, out = [];"  # the drawn ones come first
                              "for (var i = 0; i < d.edgeCount; i++) { var e = m.edge(i);"
                              " out.push([d.nodeMeta[e.from].iri, d.relations[e.rel].iri,"
                              " d.nodeMeta[e.to].iri]); } return out;")
    assert sorted(drawn_nodes) == sorted(nodes)
    assert sorted(map(tuple, drawn_edges)) == sorted(edges)
    assert _js(driver, "return window.pathokgMap.network.body.data.edges.length") == len(edges)
    assert str(URIRef(PK["tissue-injury"])) in drawn_nodes


def test_search_input_uses_no_browser_internal_resource(driver: Any, pages: dict[str, Path]) -> None:
    # Chromium draws the clear button of <input type="search"> from chrome://resources/...: the
    # page uses type="text" role="searchbox" with its own clear button, so nothing is requested
    # even when there is text in the box (the case that once leaked into the request log).
    from selenium.webdriver.common.by import By

    _open(driver, pages["overview"])
    assert _js(driver, "return document.querySelectorAll('input[type=search]').length") == 0
    box = driver.find_element(By.ID, "search")
    assert box.get_attribute("role") == "searchbox"
    box.send_keys("calc")
    clear = driver.find_element(By.ID, "search-clear")
    assert clear.is_displayed()
    clear.click()
    assert box.get_attribute("value") == "" and not clear.is_displayed()
    urls = page_requests(driver)
    assert all(urlparse(u).scheme in {"file", "data", "blob"} for u in urls), urls


def _tab(driver: Any, times: int = 1, shift: bool = False) -> str:
    """Press Tab; return what has the focus (its id, else its class, else its tag)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(times):
        chain = ActionChains(driver)
        if shift:
            chain = chain.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
        else:
            chain = chain.send_keys(Keys.TAB)
        chain.perform()
    return _js(driver, "var a = document.activeElement;"
                       "return a.id || a.getAttribute('class') || a.tagName.toLowerCase()")


def test_keyboard_reaches_every_control_and_selects_concepts(driver: Any,
                                                             pages: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _open(driver, pages["overview"])
    _js(driver, "document.activeElement.blur()")
    order = [_tab(driver) for _ in range(12)]
    expected = ["skip", "search", "legend-toggle", "story-toggle", "quiz-toggle", "present", "fit",
                "reset", "summary", "map-frame"]
    assert order[:len(expected)] == expected, order
    # the legend drawer, once open, comes next to its button: every category, Show all, Hide all
    _js(driver, "document.getElementById('legend-toggle').click(); document.getElementById('legend-toggle').focus()")
    cats = _js(driver, "return document.querySelectorAll('#legend input').length")
    seen = [_tab(driver) for _ in range(cats + 12)]
    assert [f"cat-{i}" for i in range(cats)][:3] == [x for x in seen if x.startswith("cat-")][:3], seen
    assert "all-on" in seen and "all-off" in seen
    _js(driver, "document.getElementById('legend-toggle').click()")
    # "/" jumps to the search box; a synonym and Enter select the concept and fill the panel
    _js(driver, "document.activeElement.blur()")
    ActionChains(driver).send_keys("/").perform()
    assert _js(driver, "return document.activeElement.id") == "search"
    ActionChains(driver).send_keys("CKD", Keys.ENTER).perform()
    assert _js(driver, "return document.getElementById('panel-title').textContent") == \
        "chronic kidney disease"
    assert _tab(driver) == "search-clear" and _tab(driver) == "legend-toggle"
    # the arrow keys walk the result list; Enter on a result selects it
    box = _js(driver, "var b = document.getElementById('search'); b.focus(); b.value = '';"
                      " return b")
    box.send_keys("calcification")
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    first = _js(driver, "return document.activeElement.closest('#search-results') !== null")
    assert first
    label = _js(driver, "return document.activeElement.querySelector('span').textContent")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert _js(driver, "return document.getElementById('panel-title').textContent") == label
    # the panel's links and concept buttons come after the map in the tab order
    _js(driver, "window.pathokgMap.selectNode(window.pathokgMap.search('CKD')[0], false);"
                "document.getElementById('map-frame').focus()")
    seen = [_tab(driver) for _ in range(14)]
    assert "a" in seen and "link" in seen, seen  # identifier links, then concept buttons
    assert seen.index("a") < seen.index("link")
    _js(driver, "document.getElementById('map-frame').focus()")
    while _tab(driver) != "link":
        pass
    target = _js(driver, "return document.activeElement.textContent")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert _js(driver, "return document.getElementById('panel-title').textContent") == target


def test_no_two_node_boxes_overlap_in_any_view(driver: Any, release_dataset: Any,
                                               tmp_path: Path) -> None:
    # measured in the browser: each node's box (shape and label) as vis-network draws it
    from pathokg.conceptmap.views import view_names

    for view in view_names():
        page = tmp_path / f"{view}.html"
        write_map(page, release_dataset, view=view)  # with HPO's graphs, for the HPO view
        _open(driver, page)
        boxes = _js(driver, "var n = window.pathokgMap.network; return n.body.nodeIndices.map("
                            "function (i) { var b = n.getBoundingBox(i);"
                            " return [window.pathokgMap.data.nodes[i].label, b.left, b.top, b.right,"
                            " b.bottom]; })")
        assert len(boxes) > 10, view
        bad = [(a[0], b[0]) for k, a in enumerate(boxes) for b in boxes[k + 1:]
               if a[1] < b[3] + 2 and b[1] < a[3] + 2 and a[2] < b[4] + 2 and b[2] < a[4] + 2]
        assert not bad, (view, bad)
