"""Generate docs/images/concept-map.png: the concept map of the release in headless Chromium.

Usage: .venv/bin/python scripts/screenshot_map.py [--view dc] [--select CKD] [--out PATH]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pathokg
from pathokg.conceptmap import write_map
from pathokg.conceptmap.browser import chromium, wait_ready

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Write the map to a temporary file, open it from file://, select a concept, save a PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--view", default="ckd")
    parser.add_argument("--select", default="CKD")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "concept-map.png")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "concept-map.html"
        write_map(page, pathokg.load(), view=args.view)
        with chromium(args.width, args.height) as driver:
            driver.get(page.as_uri())
            wait_ready(driver)
            if args.select:
                driver.execute_script(
                    "var m = window.pathokgMap; var hit = m.search(arguments[0])[0];"
                    "m.selectNode(hit, false);", args.select)
            time.sleep(0.6)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
