"""OWL reasoning with owlready2's bundled HermiT: consistency and classification of the release.

HermiT runs on Java; :func:`java_available` says whether this machine can run it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..errors import ReasonerUnavailable, Violation


@dataclass
class ReasonerResult:
    """What HermiT found: consistency, how many facts it inferred, and how long it took."""

    consistent: bool
    inferred_class_assertions: int
    seconds: float
    message: str = ""


def java_available() -> bool:
    """True when a working ``java`` is on the PATH."""
    java = shutil.which("java")
    if not java:
        return False
    try:
        return subprocess.run([java, "-version"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def classify(graph: Graph) -> ReasonerResult:
    """Check the consistency of the graph (ontology and knowledge) with HermiT and classify it.

    :raises ReasonerUnavailable: when Java is missing.
    """
    if not java_available():
        raise ReasonerUnavailable(
            "Java was not found: the OWL consistency check (HermiT) needs a Java runtime. "
            "Install one (Debian: apt-get install default-jre-headless) or pass --no-reasoner.")
    import owlready2  # imported here: it is slow to import and only this step needs it

    with tempfile.TemporaryDirectory(prefix="pathokg-owl-") as tmp:
        path = Path(tmp) / "pathokg.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        before = sum(len(list(i.is_a)) for i in world.individuals())
        started = time.perf_counter()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasonerResult(False, 0, time.perf_counter() - started, str(exc))
        except (owlready2.OwlReadyJavaError, OSError, subprocess.SubprocessError) as exc:
            raise ReasonerUnavailable(f"HermiT could not run: {exc}") from None
        seconds = time.perf_counter() - started
        after = sum(len(list(i.is_a)) for i in world.individuals())
        world.close()
    return ReasonerResult(True, max(after - before, 0), seconds)


def reasoner_violations(result: ReasonerResult) -> list[Violation]:
    """An inconsistent ontology as a violation list (empty when consistent)."""
    if result.consistent:
        return []
    return [Violation("ontology", "owl-consistency (HermiT)",
                      "the ontology and knowledge graph are inconsistent: a concept is probably in two "
                      "disjoint categories, or a relation's domain or range contradicts its category "
                      "(run the QC check range-violation for details). " + result.message.strip()[:500])]
