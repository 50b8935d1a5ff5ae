"""Headless Chromium for the browser tests, the screenshot and the map benchmark (Selenium,
Debian chromium). The pages themselves need no browser automation, only a browser."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1")


def require_chromium() -> None:
    """Skip (fail under CI) when Debian's chromium or chromedriver is missing."""
    from . import require_executable

    require_executable("chromium", "apt-get install -y chromium chromium-driver")
    require_executable("chromedriver", "apt-get install -y chromium-driver")


@contextmanager
def chromium(width: int = 1600, height: int = 1000) -> Iterator[Any]:
    """A Selenium driver for headless Chromium with a fresh profile; performance log enabled.

    Skips the test (fails under CI) when the browser is missing.
    """
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="pathokg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(shutil.which("chromedriver") or CHROMEDRIVER)
    driver = webdriver.Chrome(service=service, options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def page_requests(driver: Any) -> list[str]:
    """The URLs requested since the performance log was last read, by the pages the test opened:
    the requests of Chromium's own pages (``chrome://new-tab-page...``, which a fresh profile may
    still be loading when the first page opens) are left out, nothing else."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            params = message["params"]
            if urlsplit(params.get("documentURL", "")).scheme != "chrome":
                urls.append(params["request"]["url"])
    return urls


def wait_ready(driver: Any, timeout: float = 30.0) -> None:
    """Wait until the map has drawn once (``window.pathokgMap.ready``)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.02).until(
        lambda d: d.execute_script("return !!(window.pathokgMap && window.pathokgMap.ready)"))
