"""Write the golden results of the named queries (tests/expected/) from a release.

Run after a deliberate change to a query or to the curated knowledge, then review the diff:
the golden files are what the article says, checked by a person.

    .venv/bin/python scripts/update_expected.py [RELEASE_DIR]   # default: a fresh build
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pathokg.querying.engine import Engine
from pathokg.querying.files import list_queries
from pathokg.querying.params import bind_params
from pathokg.release.build import build

EXPECTED = Path(__file__).resolve().parent.parent / "tests" / "expected"


def golden_text(engine: Engine, name: str) -> tuple[str, str]:
    """The file name and text of a query's golden result (TSV of values, or sorted N-Triples)."""
    query = next(q for q in list_queries() if q.name == name)
    result = engine.execute(bind_params(query, {}))
    if result.is_graph:
        lines = sorted(set(result.serialize("nt").decode("utf-8").splitlines()))
        return f"{name}.nt", "\n".join(lines) + "\n"
    header = "\t".join(result.variables)
    rows = ["\t".join("" if v is None else v.replace("\t", " ").replace("\n", " ")
                      for v in row.values()) for row in result.lexical_rows]
    return f"{name}.tsv", "\n".join([header, *rows]) + "\n"


def main(argv: list[str]) -> int:
    if argv:
        engine = Engine.from_release(argv[0])
    else:  # a fresh release of the current sources, as the tests build it
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp) / "dist", reasoner=False)
            engine = Engine.from_release(Path(tmp) / "dist")
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for query in list_queries():
        filename, text = golden_text(engine, query.name)
        (EXPECTED / filename).write_text(text, encoding="utf-8")
        print(f"wrote tests/expected/{filename}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
