"""Build a validated release: the library behind ``pathokg build``.

The stages run in order: assemble the curated sources (:mod:`pathokg.curation`), compute the
entailments once (:mod:`pathokg.querying.inference`), check (:mod:`pathokg.checks`), then write every
file into a fresh folder that replaces the release atomically (:mod:`pathokg.release.writers`).

>>> import pathokg
>>> report = pathokg.build("dist")          # doctest: +SKIP
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..checks.reasoner import classify, reasoner_violations
from ..checks.report import report_violations, run_report
from ..checks.validate import check_qc, check_shacl
from ..curation.assemble import Assembly, assemble
from ..curation.version import package_version
from ..errors import ReasonerUnavailable, ValidationError, Violation
from ..paths import default_out_dir
from ..querying.inference import entailments
from ..rdf.atomic import replace_folder
from ..rdf.store import dataset_store
from .writers import write_release

__all__ = ["BuildReport", "build", "package_version", "validate_assembly"]


@dataclass
class BuildReport:
    """What a build did: where it wrote, the counts, timings, and any step it skipped and why."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def validate_assembly(assembly: Assembly, store: ox.Store | None = None, *, reasoner: bool = True,
                      timings: dict[str, float] | None = None,
                      skipped: list[str] | None = None) -> list[Violation]:
    """Run SHACL, the QC queries, the ROBOT-style report (its ERROR rules) and (if asked and
    possible) HermiT; return every violation.

    :param store: the assembled graph in a store (made here if not given).
    """
    timings = timings if timings is not None else {}
    skipped = skipped if skipped is not None else []
    t = time.perf_counter()
    violations = check_shacl(assembly.graph)
    timings["shacl"] = time.perf_counter() - t
    t = time.perf_counter()
    violations += check_qc(store if store is not None else assembly.graph)
    timings["qc"] = time.perf_counter() - t
    t = time.perf_counter()
    violations += report_violations(run_report(store if store is not None else assembly.graph))
    timings["report"] = time.perf_counter() - t
    if reasoner:
        t = time.perf_counter()
        try:
            result = classify(assembly.graph)
            violations += reasoner_violations(result)
            timings["reasoner_hermit"] = result.seconds
        except ReasonerUnavailable as exc:
            skipped.append(f"OWL reasoning skipped: {exc}")
        timings["reasoner_total"] = time.perf_counter() - t
    else:
        skipped.append("OWL reasoning skipped: --no-reasoner")
    return violations


def build(out_dir: Path | str | None = None, *, sources: list[Path] | None = None,
          reasoner: bool = True) -> BuildReport:
    """Assemble, validate and write a release atomically.

    :param out_dir: the release folder (default ``dist/``, or ``$PATHOKG_DIST``).
    :param sources: curated source files (default: every ``graph/sources/*.yaml``).
    :param reasoner: run HermiT (needs Java).
    :returns: a report with counts and timings.
    :raises SourceError: a source file is wrong (exit code 2); nothing is written.
    :raises ValidationError: the graph fails validation (exit code 1); nothing is written.
    :raises ReleaseError: the release cannot be dated (no CHANGELOG entry for the version, a bad
        ``SOURCE_DATE_EPOCH``; exit code 2); nothing is written.
    """
    out = Path(out_dir) if out_dir is not None else default_out_dir()
    report = BuildReport(out_dir=out)
    t0 = time.perf_counter()
    assembly = assemble(sources)
    inferred = entailments(assembly.graph)
    # one store for everything that queries the release: the QC checks and the writers
    store = dataset_store(assembly.graph, inferred)
    report.timings["assemble"] = time.perf_counter() - t0
    violations = validate_assembly(assembly, store, reasoner=reasoner, timings=report.timings,
                                   skipped=report.skipped)
    if violations:
        raise ValidationError(violations)
    t = time.perf_counter()

    def fill(folder: Path) -> None:
        report.counts = write_release(assembly, inferred, store, folder)

    replace_folder(out, fill)
    report.timings["write"] = time.perf_counter() - t
    report.timings["total"] = time.perf_counter() - t0
    return report
