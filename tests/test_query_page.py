"""The query page in headless Debian Chromium: it loads, runs an example, and asks nothing
from outside the server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers.browser import chromium, page_requests
from .helpers.server import running_server

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir) as base:
        yield base


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    with chromium() as drv:
        yield drv


def test_query_page_runs_an_example_offline(server: str, driver: object) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server + "/query")  # type: ignore[attr-defined]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not driver.execute_script(  # type: ignore[attr-defined]
            "return !!(window.pathokgYasgui && window.pathokgYasgui.getTab())"):
        time.sleep(0.2)
    button = driver.find_element(By.CSS_SELECTOR, 'button.example[data-name="kinds-of"]')  # type: ignore[attr-defined]
    button.click()
    assert "isKindOf" in driver.execute_script(  # type: ignore[attr-defined]
        "return window.pathokgYasgui.getTab().getQuery()")
    driver.execute_script("window.pathokgYasgui.getTab().query()")  # type: ignore[attr-defined]
    cells: list[str] = []
    while time.monotonic() < deadline + 20:
        cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, ".yasr td")]  # type: ignore[attr-defined]
        if any("contusion" in c for c in cells):
            break
        time.sleep(0.3)
    assert any("contusion" in c for c in cells), cells[:20]
    urls = page_requests(driver)
    assert any(u.endswith("/sparql") for u in urls)
    # chrome:// pages are the browser's own new-tab page, never fetched over the network
    network = [u for u in urls if u.split(":", 1)[0] in {"http", "https", "ws", "wss", "ftp"}]
    outside = [u for u in network if not u.startswith(server + "/")]
    assert outside == []


def open_page(server: str, driver: object) -> None:
    driver.get(server + "/query")  # type: ignore[attr-defined]
    wait_for(driver, "return !!(window.pathokgYasgui && window.pathokgYasgui.getTab())")
    driver.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1]; window.pathokgTerms.then(() => done(1));")


def wait_for(driver: object, script: str, timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)  # type: ignore[attr-defined]
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {script}")


def hints_for(driver: object, text: str) -> list[str]:
    """The completions the editor offers with the cursor at the end of ``text``."""
    driver.execute_script(  # type: ignore[attr-defined]
        "const y = window.pathokgYasgui.getTab().getYasqe(); y.setValue(arguments[0]);"
        "y.focus(); y.getDoc().setCursor(y.getDoc().lineCount(), 0); y.autocomplete();", text)
    return wait_for(driver, "return Array.from(document.querySelectorAll('.CodeMirror-hint'))"  # type: ignore[return-value]
                    ".map(e => e.textContent)")


@pytest.mark.parametrize("text,expected", [
    ("PREFIX sk", "skos: <http://www.w3.org/2004/02/skos/core#>"),        # a prefix
    ("SELECT * WHERE { ?s pko:trea", "pko:treats"),                        # a property
    ("SELECT * WHERE { ?s a pko:Surg", "pko:SurgicalIntervention"),        # a class
    ("SELECT * WHERE { ?s ?p kidney", "<https://w3id.org/pathokg/concept/chronic-kidney-disease>"),
])
def test_autocompletion_from_the_local_graph(server: str, driver: object, text: str,
                                             expected: str) -> None:
    open_page(server, driver)
    hints = hints_for(driver, text)
    assert any(h.startswith(expected) for h in hints), hints


def test_a_concept_label_inserts_its_iri(server: str, driver: object) -> None:
    open_page(server, driver)
    hints = hints_for(driver, "SELECT * WHERE { ?s ?p CKD")
    assert any("chronic kidney disease" in h for h in hints), hints  # found by its abbreviation
    driver.execute_script(  # type: ignore[attr-defined]
        "window.pathokgYasgui.getTab().getYasqe().state.completionActive.widget.pick()")
    query = driver.execute_script("return window.pathokgYasgui.getTab().getQuery()")  # type: ignore[attr-defined]
    assert query == "SELECT * WHERE { ?s ?p <https://w3id.org/pathokg/concept/chronic-kidney-disease>"


def test_examples_have_no_header_noise(server: str, driver: object) -> None:
    from selenium.webdriver.common.by import By

    open_page(server, driver)
    driver.find_element(By.CSS_SELECTOR, 'button.example[data-name="evidence"]').click()  # type: ignore[attr-defined]
    query = driver.execute_script("return window.pathokgYasgui.getTab().getQuery()")  # type: ignore[attr-defined]
    assert "#+" not in query and "BASE" not in query and "PREFIX" not in query
    assert "BIND(pk:chronic-kidney-disease AS ?subject)" in query  # the parameter, as a value


def run_and_wait(driver: object, query: str) -> None:
    driver.execute_script(  # type: ignore[attr-defined]
        "window.pathokgGraph = null; const t = window.pathokgYasgui.getTab(); t.setQuery(arguments[0]);"
        "t.query();", query)
    wait_for(driver, "const r = window.pathokgYasgui.getTab().getYasr().results;"
                     "return !!(r && !r.getError());")


def test_graph_view_draws_a_construct_result(server: str, driver: object) -> None:
    open_page(server, driver)
    run_and_wait(driver, "CONSTRUCT { ?a pko:treats ?b } WHERE { ?a pko:treats ?b }")
    driver.execute_script("window.pathokgYasgui.getTab().getYasr().selectPlugin('graph')")  # type: ignore[attr-defined]
    graph = wait_for(driver, "return window.pathokgGraph && {nodes: window.pathokgGraph.nodes,"
                             " edges: window.pathokgGraph.edges}")
    labels = {n["label"]: n for n in graph["nodes"]}  # type: ignore[index]
    assert "joint replacement" in labels and "dystrophic calcification" in labels
    # the concept map's style of the category (style.py: SurgicalIntervention is a green star)
    assert labels["joint replacement"]["shape"] == "star"
    assert labels["joint replacement"]["color"]["background"] == "#3B7F35"
    assert graph["edges"] and all(e["label"] == "pko:treats" for e in graph["edges"])  # type: ignore[index]
    assert driver.find_elements("css selector", ".pathokg-graph canvas")  # type: ignore[attr-defined]


def test_graph_view_draws_rows_and_links_go_to_concept_pages(server: str, driver: object) -> None:
    open_page(server, driver)
    run_and_wait(driver, "SELECT ?kind ?parent WHERE { ?kind pko:isKindOf ?parent } ORDER BY ?kind")
    hrefs = wait_for(driver, "return Array.from(document.querySelectorAll('.yasr a.iri'))"
                             ".map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("/concept/") for h in hrefs), hrefs[:5]  # type: ignore[index]
    driver.execute_script("window.pathokgYasgui.getTab().getYasr().selectPlugin('graph')")  # type: ignore[attr-defined]
    graph = wait_for(driver, "return window.pathokgGraph && {nodes: window.pathokgGraph.nodes,"
                             " edges: window.pathokgGraph.edges}")
    assert len(graph["nodes"]) > 5 and graph["edges"]  # type: ignore[index]
    assert all(n["concept"] for n in graph["nodes"])  # type: ignore[index]


def test_the_labels_switch_adds_label_columns(server: str, driver: object) -> None:
    """The query page's face of the label columns: the switch sends labels=true with the query."""
    open_page(server, driver)
    query = "SELECT ?kind ?parent WHERE { ?kind pko:isKindOf ?parent } ORDER BY ?kind LIMIT 3"
    variables = "const r = window.pathokgYasgui.getTab().getYasr().results; return r && r.getVariables()"
    run_and_wait(driver, query)
    assert wait_for(driver, variables) == ["kind", "parent"]
    driver.find_element("css selector", "#labels").click()  # type: ignore[attr-defined]
    run_and_wait(driver, query)
    assert wait_for(driver, variables + ".length === 4 && r.getVariables()") == [
        "kind", "kindLabel", "parent", "parentLabel"]
