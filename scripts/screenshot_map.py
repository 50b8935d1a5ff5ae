"""Generate the screenshots in docs/images/: the concept map of the release in headless Chromium.

Usage: PYTHONPATH=. .venv/bin/python scripts/screenshot_map.py [--only NAME ...] [--out-dir DIR]

* ``concept-map.png`` (1920x1080): the DC view with "chronic kidney disease — is a risk factor
  for → dystrophic calcification" selected, so the panel shows the sentence, the relation's
  definition and the article's quote;
* ``presentation.png`` (1280x720, a projector): presentation mode at the opening view;
* ``story.png`` (1280x720): the story at its step "Causes and risk factors";
* ``quiz.png`` (1280x720): a quiz question answered, with the quote revealed;
* ``reader.png`` (1280x720): the article with its evidence, a passage selected from the map;
* ``phone.png`` (390x844): the overview on a phone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers live in tests/
from pathokg.conceptmap import write_map
from pathokg.paths import READER_FILE
from pathokg.querying.release import release_store
from pathokg.release.writers import write_concept_map, write_reader
from tests.helpers.browser import chromium, wait_ready

ROOT = Path(__file__).resolve().parent.parent
SELECT = """var m = window.pathokgMap, hit = m.search(arguments[0])[0], d = m.data;
for (var i = 0; i < d.edgeCount; i++) {
  var e = m.edge(i);
  if (e.from === hit && d.relations[e.rel].label === arguments[1]) { m.selectEdge(i, true); break; }
}"""
#: name -> (page, width, height, script run once the page is ready)
SHOTS = {
    "concept-map": ("dc", 1920, 1080, (SELECT, "CKD", "is a risk factor for")),
    "presentation": ("dc", 1280, 720, ("window.pathokgMap.present(true)",)),
    "story": ("dc", 1280, 720, ("window.pathokgMap.showStep(1)",)),
    "quiz": ("overview", 1280, 720, ("var m = window.pathokgMap; m.showQuestion(2);"
                                     " m.answer(m.data.quiz[2][3]);",)),
    "reader": ("reader", 1280, 720, ("location.hash = '#ev-dystrophic-calcification/"
                                     "chronic-kidney-disease--isRiskFactorFor--dystrophic-calcification'",)),
    "phone": ("overview", 390, 844, ("",)),
}


def main() -> None:
    """Write the pages to a temporary folder, open each from file://, save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(SHOTS), default=sorted(SHOTS))
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--release", type=Path, default=None, help="the release to draw (default dist/)")
    args = parser.parse_args()
    store = release_store(args.release)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sources").mkdir()
        from pathokg.querying.release import release_folder

        for text in (release_folder(args.release) / "sources").iterdir():
            (folder / "sources" / text.name).write_bytes(text.read_bytes())
        write_concept_map(store, folder)
        write_reader(store, folder)
        write_map(folder / "dc.html", store, view="dc", reader=READER_FILE)
        pages = {"overview": folder / "concept-map.html", "dc": folder / "dc.html", "reader": folder / READER_FILE}
        args.out_dir.mkdir(parents=True, exist_ok=True)
        with chromium(1280, 720) as driver:
            for name in args.only:
                page, width, height, script = SHOTS[name]
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                    "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
                driver.get("about:blank")
                driver.get(pages[page].as_uri())
                if page != "reader":
                    wait_ready(driver)
                if script[0]:
                    driver.execute_script(*script)
                time.sleep(0.8)
                out = args.out_dir / f"{name}.png"
                driver.save_screenshot(str(out))
                print(f"wrote {out}")


if __name__ == "__main__":
    main()
