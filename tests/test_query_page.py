"""The query page in headless Debian Chromium: it loads, runs an example, and asks nothing
from outside the server."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers.browser import chromium
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


def requested_urls(driver: object) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


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
    urls = requested_urls(driver)
    assert any(u.endswith("/sparql") for u in urls)
    # chrome:// pages are the browser's own new-tab page, never fetched over the network
    network = [u for u in urls if u.split(":", 1)[0] in {"http", "https", "ws", "wss", "ftp"}]
    outside = [u for u in network if not u.startswith(server + "/")]
    assert outside == []
