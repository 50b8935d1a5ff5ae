"""Generate docs/images/concept-map.png: the concept map of the release in headless Chromium.

Usage: .venv/bin/python scripts/screenshot_map.py [--view dc] [--select CKD]
       [--relation "is a risk factor for"] [--out PATH]

By default: the DC view (dystrophic calcification at the centre), with the relation "chronic
kidney disease — is a risk factor for → dystrophic calcification" selected, so the panel shows the
sentence and the article's own words behind it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pathokg
from pathokg.conceptmap import write_map

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers live in tests/
from tests.helpers.browser import chromium, wait_ready

ROOT = Path(__file__).resolve().parent.parent
SELECT = """var m = window.pathokgMap, hit = m.search(arguments[0])[0], d = m.data;
m.selectNode(hit, false);
for (var i = 0; arguments[1] && i < d.edgeCount; i++) {
  var e = m.edge(i);
  if (e.from === hit && d.relations[e.rel].label === arguments[1]) { m.selectEdge(i); break; }
}"""


def main() -> None:
    """Write the map to a temporary file, open it from file://, select a concept, save a PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--view", default="dc")
    parser.add_argument("--select", default="CKD", help="a concept to select (label or synonym)")
    parser.add_argument("--relation", default="is a risk factor for",
                        help="select this relation of the concept instead (its evidence shows)")
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
                driver.execute_script(SELECT, args.select, args.relation or "")
            time.sleep(0.6)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
