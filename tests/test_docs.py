"""The README keeps its promises: the two set-up commands, the CI script, the SPARQL example, the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from click import Group

from pathokg.cli import main
from pathokg.paths import TURTLE

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"```{language}\n(.*?)```", README, re.S)]


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _blocks("bash")
    assert len(commands) == 2
    install_and_build, install_and_test = commands
    assert "pip install -e ." in install_and_build and install_and_build.endswith("pathokg build")
    assert "pip install -e '.[test]'" in install_and_test and "pytest" in install_and_test


def test_ci_runs_both_readme_commands_verbatim_first_the_front_door() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    first, test = _blocks("bash")
    assert first in lines and test in lines
    assert lines.index(first) < lines.index(test)
    between = lines[lines.index(first) + 1:lines.index(test)]
    assert "bash .ci/front-door dist" in between, "the release the first command wrote is checked"
    assert "rm -rf .venv dist" in between, "the test command runs in another fresh venv"


def test_the_exit_code_table_is_true() -> None:
    from pathokg import errors

    table = re.search(r"\| code \| meaning \|.*?\n\n", README, re.S)
    assert table is not None
    codes = {c for row in re.findall(r"^\| ([\d, ]+) \|", table.group(0), re.M)
             for c in map(int, row.split(","))}
    assert codes == {0, 1, 2, 3, 4, 130, 143}
    raised = {cls.exit_code for cls in vars(errors).values()
              if isinstance(cls, type) and issubclass(cls, errors.PathoKGError)}
    assert raised == {1, 2, 3, 4}


def test_readme_sparql_example_returns_the_hedged_quote_and_the_caveat(release_dir: Path) -> None:
    (query,) = _blocks("sparql")
    store = ox.Store()
    store.load(path=str(release_dir / TURTLE), format=ox.RdfFormat.TURTLE)
    rows = [{v: (r[v].value if r[v] is not None else None) for v in
             ("quote", "certainty", "condition", "section", "start", "end")} for r in store.query(query)]
    assert len(rows) == 2
    hedged, caveat = rows
    assert hedged["quote"].startswith("Atherosclerosis, a disease characterized")
    assert (hedged["certainty"], hedged["condition"]) == ("possible", "within the arteries")
    assert hedged["section"] == "Chronic Degenerative Diseases"
    assert f"oa:start {hedged['start']} ; oa:end {hedged['end']} ." in README
    assert caveat["quote"].startswith("It is important to note that the presence of these causes")
    assert (caveat["certainty"], caveat["condition"]) == ("stated", None)


def test_every_command_is_documented_and_has_help() -> None:
    assert isinstance(main, Group)
    docs = README + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for name, command in main.commands.items():
        assert command.help, f"pathokg {name} has no help"
        assert f"pathokg {name}" in docs or f"`{name}" in docs, f"pathokg {name} is not documented"
