"""The query page in headless Debian Chromium: it loads, runs an example, and asks nothing
from outside the server."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import require, require_executable
from .helpers.server import running_server

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def server(release_dir: Path) -> Iterator[str]:
    with running_server(release_dir) as base:
        yield base


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    chromium = require_executable("chromium", "apt-get install chromium")
    chromedriver = "/usr/bin/chromedriver"
    require(Path(chromedriver).is_file(), "apt-get install chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="pathokg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    drv = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


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
