"""Copy, from the shared verified table, the rows of every concept name the curated sources reference.

Usage: python scripts/sync_xrefs.py ../shared/xrefs/verified-xrefs.tsv

Rows are copied byte for byte, in the shared table's order, into graph/mappings/verified-xrefs.tsv.
Nothing is typed by hand: an identifier enters the project only from the verified table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "graph" / "mappings" / "verified-xrefs.tsv"


def referenced_names(sources: list[Path]) -> set[str]:
    """The table concept names that the sources' ``xrefs`` keys reference."""
    names = set()
    for path in sources:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for c in data.get("concepts") or []:
            xrefs = c.get("xrefs")
            if isinstance(xrefs, str):
                names.add(xrefs)
            elif isinstance(xrefs, dict) and xrefs.get("concept"):
                names.add(str(xrefs["concept"]))
    return names


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    shared = Path(argv[0])
    if not shared.is_file():
        print(f"error: {shared} not found: pass the path of the shared verified-xrefs.tsv", file=sys.stderr)
        return 2
    lines = shared.read_text(encoding="utf-8").splitlines(keepends=True)
    names = referenced_names(sorted((ROOT / "graph" / "sources").glob("*.yaml")))
    known = {line.split("\t", 1)[0] for line in lines[1:]}
    missing = sorted(names - known)
    if missing:
        print(f"error: not in the shared table: {', '.join(missing)}", file=sys.stderr)
        return 2
    kept = [lines[0]] + [line for line in lines[1:] if line.split("\t", 1)[0] in names]
    tmp = TARGET.with_suffix(".tmp")
    tmp.write_text("".join(kept), encoding="utf-8")
    tmp.replace(TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(kept) - 1} rows for {len(names)} concept names")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
