"""Run KGX's own validator offline on a folder of pathokg KGX files; print its report as JSON.

Usage: ``python tests/helpers/kgx_validate.py FOLDER [tsv|jsonl]``. KGX fetches the Biolink schema
and its JSON-LD context from the web by default; here both come from the installed
``biolink-model`` package (STACK.md, "Validators that work offline here"): bmt's Toolkit is built
on the packaged ``biolink_model.yaml``, the prefix map is the packaged one plus the prefixes the
files declare in ``pathokg_metadata.json``. The test runs this in a network namespace without any
network (``unshare -rn``), so a fetch would fail the test rather than pass silently.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import biolink_model
import bmt

BIOLINK = Path(next(iter(biolink_model.__path__)))
SCHEMA = BIOLINK / "schema" / "biolink_model.yaml"
PREFIX_MAP = BIOLINK / "prefixmaps" / "biolink_model_prefix_map.json"
_Toolkit = bmt.Toolkit


class OfflineToolkit(_Toolkit):
    """bmt's Toolkit on the packaged schema, without the remote predicate map."""

    def __init__(self, schema=str(SCHEMA), predicate_map=None, **kwargs):
        super().__init__(schema, predicate_map or {"predicate mappings": []}, **kwargs)


def validate(folder: Path, fmt: str = "tsv") -> dict:
    bmt.Toolkit = OfflineToolkit  # kgx builds a Toolkit when it is imported: patch first
    import kgx.config

    context = json.loads(PREFIX_MAP.read_text(encoding="utf-8"))
    declared = json.loads((folder / "pathokg_metadata.json").read_text(encoding="utf-8"))["curie_map"]
    context.update({k: v for k, v in declared.items() if k not in context})
    context.setdefault("infores", "https://w3id.org/information-resource-registry/")
    kgx.config.jsonld_context_map["biolink"] = context
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    Validator._currently_active_toolkit = OfflineToolkit()
    validator = Validator()
    files = [str(folder / f"pathokg_nodes.{fmt}"), str(folder / f"pathokg_edges.{fmt}")]
    counts = {"nodes": 0, "edges": 0}

    def count(kind, _record):
        counts["nodes" if kind.name == "NODE" else "edges"] += 1

    validator.progress_monitor = count
    Transformer(stream=True).transform({"filename": files, "format": fmt},
                                       output_args={"format": "null"}, inspector=validator)
    return {"errors": validator.get_errors(), "counts": counts,
            "biolink_version": validator.get_validation_model_version()}


if __name__ == "__main__":
    report = validate(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "tsv")
    print(json.dumps(report, sort_keys=True, default=str))
