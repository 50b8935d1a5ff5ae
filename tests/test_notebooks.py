"""Every notebook (jupytext percent files in notebooks/) runs top to bottom on the venv's python3
kernel, offline, on the session's release."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import require

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]-*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path, release_dir: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    if path.stem.startswith("03-"):
        from .helpers.triplestores import oxigraph_executable

        require(oxigraph_executable() is not None, "the oxigraph server binary is missing")
    monkeypatch.setenv("PATHOKG_DIST", str(release_dir))  # the kernel inherits it
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    assert all(c.get("execution_count") for c in notebook.cells if c.cell_type == "code")
