"""The atomic writers replace only what pathokg made (issue 10: `build --out .` and
`export --format neo4j --out .` emptied the folder they were given)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pathokg.errors import OutputError
from pathokg.rdf.atomic import marker_text, remove_leftovers, replace_folder, write_file

MARKER = ".test-marker"


def _fill(tmp: Path) -> None:
    (tmp / "a.txt").write_text("new\n")
    (tmp / "sub").mkdir()
    (tmp / "sub" / "b.txt").write_text("new\n")


def test_a_folder_pathokg_wrote_is_replaced_and_lists_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    replace_folder(out, _fill, marker=MARKER)
    assert (out / MARKER).read_text() == marker_text(MARKER, "pathokg output", ["a.txt", "sub/b.txt"])
    (out / "a.txt").write_text("old\n")
    replace_folder(out, _fill, marker=MARKER)
    assert (out / "a.txt").read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no temporary folder is left"


def test_a_file_added_to_a_pathokg_folder_is_never_deleted_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    replace_folder(out, _fill, marker=MARKER)
    (out / "sub" / "mine.txt").write_text("mine\n")
    with pytest.raises(OutputError, match=r"holds 1 file\(s\) pathokg did not write \(sub/mine.txt\)"):
        replace_folder(out, _fill, marker=MARKER)
    assert (out / "sub" / "mine.txt").read_text() == "mine\n"
    replace_folder(out, _fill, marker=MARKER, force=True)
    assert not (out / "sub" / "mine.txt").exists()


def test_a_folder_an_older_pathokg_wrote_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("0.1.0\n")
    replace_folder(out, _fill, marker=MARKER, legacy=frozenset({"a.txt", "sub"}))
    assert (out / MARKER).is_file()


def test_an_empty_folder_is_filled_and_a_protected_one_never(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    replace_folder(tmp_path / "empty", _fill, marker=MARKER)
    monkeypatch.chdir(tmp_path / "empty" / "sub")
    with pytest.raises(OutputError, match="current directory"):
        replace_folder(tmp_path / "empty", _fill, marker=MARKER, force=True)


def test_leftovers_of_dead_writers_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    dead = tmp_path / ".out.new-999999999-x"
    dead.mkdir()
    mine = tmp_path / f".out.new-{os.getpid()}-y"
    mine.mkdir()
    stale_file = tmp_path / ".out.999999999-z.tmp"
    stale_file.write_text("half")
    remove_leftovers(target)
    assert not dead.exists() and not stale_file.exists() and mine.exists()


def test_a_folder_moved_aside_by_a_killed_swap_is_put_back(tmp_path: Path) -> None:
    aside = tmp_path / ".out.old-999999999-x" / "previous"
    aside.mkdir(parents=True)
    (aside / "a.txt").write_text("previous\n")
    remove_leftovers(tmp_path / "out")
    assert (tmp_path / "out" / "a.txt").read_text() == "previous\n"


def test_a_file_pathokg_did_not_write_is_kept(tmp_path: Path) -> None:
    mine = tmp_path / "page.html"
    mine.write_text("<p>mine</p>")
    with pytest.raises(OutputError, match="was not written by pathokg"):
        write_file(mine, '<meta name="generator" content="pathokg concept map">')
    assert mine.read_text() == "<p>mine</p>"
    write_file(mine, '<meta name="generator" content="pathokg concept map">', force=True)
    write_file(mine, '<meta name="generator" content="pathokg concept map"> again')  # ours now


def test_a_signal_just_after_the_new_folder_is_made_leaves_nothing(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: a SIGTERM that came after tempfile.mkdtemp made the folder and before its name
    was known left ``.dist.new-*`` behind (seen under load in
    test_user_mistakes.py::test_an_interrupted_build_leaves_the_previous_release)."""
    real_mkdir = os.mkdir

    def mkdir_then_interrupted(path: str, *args: object, **kwargs: object) -> None:
        real_mkdir(path, *args, **kwargs)
        if ".new-" in os.fspath(path):
            raise KeyboardInterrupt  # what a signal handler raises at that moment

    monkeypatch.setattr(os, "mkdir", mkdir_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        replace_folder(tmp_path / "dist", lambda folder: None, marker=MARKER)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_temporary_name_that_is_taken_is_never_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one folder replace_folder cannot know is its own: a name already taken."""
    import secrets

    monkeypatch.setattr(secrets, "token_hex", lambda _n: "taken")
    other = tmp_path / f".dist.new-{os.getpid()}-taken"
    other.mkdir()
    (other / "theirs.txt").write_text("not pathokg's", encoding="utf-8")
    with pytest.raises(OutputError):
        replace_folder(tmp_path / "dist", lambda folder: None, marker=MARKER)
    assert (other / "theirs.txt").read_text(encoding="utf-8") == "not pathokg's"
