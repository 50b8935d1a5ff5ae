"""PDF and PNG of the whole map, rendered from its SVG (:mod:`.svg`) by headless Chromium.

Chromium is the one renderer here that draws SVG text with the fonts a browser shows and prints
vector PDF; it runs headless, from a temporary file, with a policy that forbids every request,
and a fresh profile. A machine without it gets :class:`~pathokg.errors.ToolMissing` (exit code 3)
naming the package to install; the SVG itself needs nothing.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

from ..errors import ExportError, ToolMissing
from ..rdf.atomic import write_file
from ..vocab import BASE

#: The browsers tried, in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--hide-scrollbars", "--mute-audio")
TIMEOUT = 120.0
#: The PNG has this many pixels per SVG pixel: print resolution for a slide.
PNG_SCALE = 2


def find_browser() -> str:
    """The path of a Chromium-family browser.

    :raises ToolMissing: none is installed (exit code 3).
    """
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise ToolMissing("a PDF or PNG of the map needs Chromium (apt-get install chromium); "
                      "--out FILE.svg needs nothing")


def svg_size(svg: str) -> tuple[int, int]:
    """The width and height (px) an SVG document declares."""
    m = re.search(r'<svg[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"', svg)
    if not m:
        raise ExportError("the map's SVG declares no width and height")
    return int(m.group(1)), int(m.group(2))


def _page(svg: str, width: int, height: int) -> str:
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">"
            f"<style>@page {{ size: {width}px {height}px; margin: 0 }} html, body {{ margin: 0; "
            f"width: {width}px; height: {height}px; overflow: hidden }} svg {{ display: block }}</style>"
            f"</head><body>{svg}</body></html>")


def _run(args: list[str], tmp: Path) -> None:
    browser = find_browser()
    cmd = [browser, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise ExportError(f"Chromium did not finish drawing the map within {TIMEOUT:g} s") from None
    except OSError as exc:
        raise ToolMissing(f"Chromium ({browser}) could not start: {exc}") from None
    if done.returncode != 0:
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
        raise ExportError(f"Chromium failed to draw the map (exit {done.returncode}): {tail[0]}")


def render_file(svg: str, out: Path, fmt: str, *, force: bool = False) -> None:
    """Write ``svg`` as ``fmt`` (``pdf``: one page the size of the map; ``png``: at
    :data:`PNG_SCALE` times its size) to ``out``, atomically."""
    width, height = svg_size(svg)
    with tempfile.TemporaryDirectory(prefix="pathokg-print-") as name:
        tmp = Path(name)
        page = tmp / "map.html"
        page.write_text(_page(svg, width, height), encoding="utf-8")
        target = tmp / f"map.{fmt}"
        if fmt == "pdf":
            _run(["--no-pdf-header-footer", f"--print-to-pdf={target}", page.as_uri()], tmp)
        elif fmt == "png":
            _run([f"--force-device-scale-factor={PNG_SCALE}", f"--window-size={width},{height}",
                  f"--screenshot={target}", page.as_uri()], tmp)
        else:
            raise ExportError(f"unknown picture format {fmt!r}: use svg, pdf or png")
        if not target.is_file() or target.stat().st_size == 0:
            raise ExportError(f"Chromium wrote no {fmt.upper()} file")
        write_file(out, signed(target.read_bytes(), fmt), force=force)


def signed(data: bytes, fmt: str) -> bytes:
    r"""The picture with pathokg's signature, so that a later ``pathokg map --out`` knows it may
    replace the file (:func:`pathokg.rdf.atomic.written_by_pathokg`): a PNG ``tEXt`` chunk after
    the header chunk, a PDF comment after its last ``%%EOF`` (readers look for it in the last
    kilobyte, and a comment there changes no object).

    >>> signed(b"%PDF-1.4\n...%%EOF\n", "pdf").endswith(b"https://w3id.org/pathokg/\n")
    True
    """
    note = f"pathokg {BASE}".encode("ascii")
    if fmt == "png" and data.startswith(b"\x89PNG\r\n\x1a\n"):
        body = b"tEXt" + b"Software\x00" + note
        chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
        end_of_header = 8 + 8 + struct.unpack(">I", data[8:12])[0] + 4
        return data[:end_of_header] + chunk + data[end_of_header:]
    if fmt == "pdf":
        return data + (b"" if data.endswith(b"\n") else b"\n") + b"% " + note + b"\n"
    return data
