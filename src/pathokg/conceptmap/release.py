"""The concept map in every release: ``concept-map.html``, the overview, next to the graph files."""

from __future__ import annotations

from pathlib import Path

from ..assemble import Assembly

MAP_FILE = "concept-map.html"


def write_concept_map(assembly: Assembly, folder: Path) -> None:
    """Write the overview map of the assembled graph into the release folder."""
    from . import make_map

    (folder / MAP_FILE).write_text(make_map(assembly.store).html, encoding="utf-8")
