"""Bad curated sources: each mistake fails with its own clear message and leaves the previous release intact."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pathokg.curation.assemble import load_ontology, ontology_terms
from pathokg.curation.sources import read_source
from pathokg.errors import SourceError, ValidationError
from pathokg.release.build import build

from .helpers import MINI_SOURCE

GOOD_QUOTE = "Ultrasonography may be used to assess the kidneys."


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prev") / "dist"
    build(out, sources=[MINI_SOURCE], reasoner=False)
    return out


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the fixture article with one edit, next to a copy of its text."""
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    shutil.copy(MINI_SOURCE.with_suffix(".txt"), folder)
    text = MINI_SOURCE.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    target = folder / MINI_SOURCE.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


BAD_SOURCES = {
    "missing quote": (
        f"    quote: {GOOD_QUOTE}\n",
        "",
        "missing required key 'quote'",
        "relation ultrasonography assesses kidney",
    ),
    "misquote": (
        GOOD_QUOTE,
        "Ultrasonography is always used to assess the kidneys.",
        "quote not found verbatim",
        "the article matches up to",
    ),
    "unknown category": (
        "category: ImagingTechnique",
        "category: ImagingTechniques",
        "unknown category 'ImagingTechniques'",
        "did you mean 'ImagingTechnique'",
    ),
    "dangling reference": (
        "    object: kidney\n",
        "    object: kidneys\n",
        "object 'kidneys' is referenced but not defined",
        "did you mean 'kidney'",
    ),
    "duplicate IRI": ("  - id: kidney\n", "  - id: ultrasonography\n", "duplicate id", "also defined on line"),
    "unverified identifier": (
        "only: [MESH:D014463]",
        "only: [MESH:D014464]",
        "identifier MESH:D014464 is not in the verified table",
        "never type one from memory",
    ),
    "unknown xref concept": (
        "xrefs: chronic kidney disease",
        "xrefs: renal disease",
        "is not in the verified table",
        "scripts/sync_xrefs.py",
    ),
    "malformed file": (
        "  - subject: smoking-cessation\n",
        "  - subject: smoking-cessation\n   predicate: [\n",
        "malformed",
        "fix the YAML syntax",
    ),
    "unknown key": (
        "    section: Care\n",
        "    section: Care\n    sectoin: Care\n",
        "unknown key 'sectoin'",
        "allowed keys",
    ),
    "wrong section": (
        "    section: Care\n",
        "    section: Kidneys and Calcium\n",
        "quote is not in section 'Kidneys and Calcium'",
        "it stands in section 'Care'",
    ),
    "unknown predicate": ("predicate: reduces", "predicate: lowers", "unknown predicate 'lowers'", ""),
    "duplicate label": ("    label: kidney\n", "    label: Ultrasonography\n", "duplicate label", ""),
}


@pytest.mark.parametrize("case", sorted(BAD_SOURCES))
def test_bad_source_fails_clearly_and_keeps_previous_release(case: str, tmp_path: Path, previous_release: Path) -> None:
    old, new, message, hint = BAD_SOURCES[case]
    bad = _variant(tmp_path, old, new)
    before = _tree_digest(previous_release)
    with pytest.raises(SourceError) as info:
        build(previous_release, sources=[bad], reasoner=False)
    text = str(info.value)
    assert message in text
    assert hint in text
    assert str(bad) in text, "the message names the file"
    assert all(p.line for p in info.value.problems), "every problem names its line"
    assert _tree_digest(previous_release) == before
    assert not list(previous_release.parent.glob(".dist.*")), "no temporary folder left behind"


def test_problem_names_the_line_of_the_item(tmp_path: Path) -> None:
    bad = _variant(tmp_path, "category: ImagingTechnique", "category: Imaging")
    with pytest.raises(SourceError) as info:
        read_source(bad, categories=ontology_terms(load_ontology())[0], predicates=None)
    (problem,) = info.value.problems
    assert problem.line == _line_of(bad, "  - id: ultrasonography")
    assert problem.item == "concept 'ultrasonography'"


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    bad = _variant(tmp_path, GOOD_QUOTE, "Not in the article at all, not anywhere.")
    text = bad.read_text(encoding="utf-8").replace("category: AnatomicalStructure", "category: Organ")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        build(tmp_path / "out", sources=[bad], reasoner=False)
    assert len(info.value.problems) == 2
    assert not (tmp_path / "out").exists()


def test_validation_failure_keeps_previous_release(tmp_path: Path, previous_release: Path) -> None:
    """A source that reads fine but fails a QC check (an isolated concept) fails validation."""
    bad = _variant(
        tmp_path,
        "  - id: atherosclerosis\n",
        "  - id: lonely-concept\n    label: lonely concept\n"
        "    category: ClinicalOutcome\n    definition: Related to nothing.\n  - id: atherosclerosis\n",
    )
    before = _tree_digest(previous_release)
    with pytest.raises(ValidationError) as info:
        build(previous_release, sources=[bad], reasoner=False)
    assert any(
        v.rule == "isolated-concept-violation" and v.focus.endswith("/concept/lonely-concept")
        for v in info.value.violations
    )
    assert _tree_digest(previous_release) == before


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pathokg", *args], capture_output=True, text=True, timeout=120)


def test_cli_reports_source_errors_with_exit_code_2(tmp_path: Path) -> None:
    bad = _variant(tmp_path, GOOD_QUOTE, "Ultrasonography is always used to assess the kidneys.")
    result = _cli("build", "--out", str(tmp_path / "out"), "--source", str(bad), "--no-reasoner")
    assert result.returncode == 2
    assert f"{bad}:{_line_of(bad, '  - subject: ultrasonography')}" in result.stderr
    assert "quote not found verbatim" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_reports_validation_errors_with_exit_code_1(tmp_path: Path) -> None:
    bad = _variant(
        tmp_path,
        "  - id: atherosclerosis\n",
        "  - id: lonely-concept\n    label: lonely concept\n"
        "    category: ClinicalOutcome\n    definition: Related to nothing.\n  - id: atherosclerosis\n",
    )
    result = _cli("build", "--out", str(tmp_path / "out"), "--source", str(bad), "--no-reasoner")
    assert result.returncode == 1
    assert "isolated-concept-violation" in result.stderr and "lonely-concept" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_missing_source_file_is_a_clear_error(tmp_path: Path) -> None:
    result = _cli("build", "--out", str(tmp_path / "out"), "--source", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr and "Traceback" not in result.stderr
