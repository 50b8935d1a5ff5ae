"""Build a validated release, and load it: the library behind ``pathokg build``.

>>> import pathokg
>>> graph = pathokg.load()          # builds into dist/ first if there is no release yet
>>> len(graph) > 1000
True
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import Graph

from .assemble import Assembly, assemble
from .errors import ReasonerUnavailable, ValidationError, Violation
from .paths import default_out_dir
from .reasoner import classify, reasoner_violations
from .release import TURTLE, replace_atomically, write_release
from .validate import check_qc, check_shacl


def package_version() -> str:
    """The installed version of pathokg (the ontology's version follows it)."""
    try:
        return version("pathokg")
    except PackageNotFoundError:
        return "0.0.0"


@dataclass
class BuildReport:
    """What a build did: where it wrote, the counts, timings, and any step it skipped and why."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def release_writers() -> list[Callable[[Assembly, Path], None]]:
    """The writers that add files beyond the RDF serialisations to every release, in order.

    Imported here, not at module level: the graph exports and the concept map pull in networkx,
    pyvis and Jinja, which ``pathokg.load()`` does not need.
    """
    from .conceptmap.release import write_concept_map
    from .exports import write_release_exports

    return [write_release_exports, write_concept_map]


def validate_assembly(assembly: Assembly, *, reasoner: bool = True,
                      timings: dict[str, float] | None = None,
                      skipped: list[str] | None = None) -> list[Violation]:
    """Run SHACL, the QC queries and (if asked and possible) HermiT; return every violation."""
    timings = timings if timings is not None else {}
    skipped = skipped if skipped is not None else []
    t = time.perf_counter()
    violations = check_shacl(assembly.graph)
    timings["shacl"] = time.perf_counter() - t
    t = time.perf_counter()
    violations += check_qc(assembly.store)
    timings["qc"] = time.perf_counter() - t
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
    """
    out = Path(out_dir) if out_dir is not None else default_out_dir()
    report = BuildReport(out_dir=out)
    t0 = time.perf_counter()
    assembly = assemble(sources)
    report.timings["assemble"] = time.perf_counter() - t0
    violations = validate_assembly(assembly, reasoner=reasoner, timings=report.timings,
                                   skipped=report.skipped)
    if violations:
        raise ValidationError(violations)
    t = time.perf_counter()

    def fill(folder: Path) -> None:
        report.counts = write_release(assembly, folder, package_version(), release_writers())

    replace_atomically(out, fill)
    report.timings["write"] = time.perf_counter() - t
    report.timings["total"] = time.perf_counter() - t0
    return report


def load(out_dir: Path | str | None = None, *, rebuild: bool = False) -> Graph:
    """Return the release as an rdflib Graph, building it first if it is missing.

    :param out_dir: the release folder (default ``dist/``).
    :param rebuild: build even if a release exists.
    """
    out = Path(out_dir) if out_dir is not None else default_out_dir()
    if rebuild or not (out / TURTLE).is_file():
        build(out)
    graph = Graph()
    graph.parse(out / TURTLE, format="turtle")
    return graph

