"""Write docs/curation-audit.md from the curated sources: every sentence of each article with what
the graph holds of it (statements, certainty, conditions, context) or why it is not modelled.

    python scripts/gen_curation_audit.py            # write it
    python scripts/gen_curation_audit.py --check    # exit 1 if it is stale (the test suite checks too)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pathokg.curation.assemble import load_ontology, ontology_terms, relation_labels, source_files
from pathokg.curation.audit import audit_markdown
from pathokg.curation.sources import read_sources

AUDIT = Path(__file__).resolve().parent.parent / "docs" / "curation-audit.md"


def audit_text() -> str:
    """The audit page of the project's own sources."""
    ontology = load_ontology()
    categories, predicates = ontology_terms(ontology)
    articles = read_sources(source_files(), categories=categories, predicates=predicates)
    return audit_markdown(articles, relation_labels(ontology))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the page is current")
    args = parser.parse_args()
    text = audit_text()
    if args.check:
        current = AUDIT.read_text(encoding="utf-8") if AUDIT.is_file() else ""
        print("current" if current == text else f"{AUDIT} is stale: run python scripts/gen_curation_audit.py")
        return 0 if current == text else 1
    AUDIT.write_text(text, encoding="utf-8")
    print(f"wrote {AUDIT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
