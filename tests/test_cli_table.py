"""Terminal tables show CURIEs instead of truncated IRIs; machine formats keep full IRIs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pathokg.cli import main


def test_table_shows_curies(release_dir: Path) -> None:
    result = CliRunner().invoke(main, ["query", "xref-concept", "-p", "xref=MESH:D002114",
                                       "--release", str(release_dir)], terminal_width=200,
                                 env={"COLUMNS": "200"})  # rich reads the width from COLUMNS
    assert result.exit_code == 0, result.output
    assert "pk:dystrophic-calcification" in result.output
    assert "https://w3id.org/pathokg/concept/" not in result.output


def test_csv_keeps_full_iris(release_dir: Path) -> None:
    result = CliRunner().invoke(main, ["query", "xref-concept", "-p", "xref=MESH:D002114", "--format", "csv",
                                       "--release", str(release_dir)])
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/pathokg/concept/dystrophic-calcification" in result.output
