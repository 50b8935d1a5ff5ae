"""The package keeps its shape: stages import only the stages below them, no import cycles, every
exception class in errors.py, nothing test-only shipped, modules of a readable size."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "pathokg"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: the longest a module may grow before it is split
MAX_MODULE_LINES = 600


def test_no_stage_imports_a_higher_one() -> None:
    """The layers contract of pyproject.toml ([tool.importlinter]); a broken contract names the
    import that runs back up."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports; "
         "raise SystemExit(lint_imports(no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("pathokg")
    imports = nx.DiGraph()
    for module in graph.modules:
        imports.add_edges_from((module, other) for other in graph.find_modules_directly_imported_by(module))
    cycles = [sorted(c) for c in nx.strongly_connected_components(imports) if len(c) > 1]
    assert cycles == [], f"import cycles: {cycles}"


def _classes(path: Path) -> list[ast.ClassDef]:
    return [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.ClassDef)]


def test_every_exception_class_is_in_errors_py() -> None:
    import pathokg.errors as errors

    names = {name for name, value in vars(errors).items()
             if isinstance(value, type) and issubclass(value, BaseException)}
    elsewhere = []
    for path in MODULES:
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for cls in _classes(path):
            bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases}
            if bases & (names | {"Exception", "ValueError", "RuntimeError", "KeyError"}):
                elsewhere.append(f"{path.relative_to(ROOT)}:{cls.lineno} {cls.name}")
    assert elsewhere == []


@pytest.mark.parametrize("forbidden", ["selenium", "tests", "pytest", "SPARQLWrapper"])
def test_nothing_test_only_is_shipped(forbidden: str) -> None:
    users = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            if any(n == forbidden or n.startswith(forbidden + ".") for n in names):
                users.append(str(path.relative_to(ROOT)))
    assert users == []


def test_modules_stay_readable() -> None:
    long = [f"{p.relative_to(ROOT)}: {n}" for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert long == []
