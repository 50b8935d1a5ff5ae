"""Atomic writes that never destroy what pathokg did not make.

A file is written to a temporary sibling and renamed over the target; a folder is filled as a
temporary sibling and swapped in (one ``renameat2(RENAME_EXCHANGE)`` on Linux, two renames
elsewhere). If writing fails or is interrupted, the previous file or folder is left as it was and
the temporary one is removed; if the process is killed outright, the next write removes what it
left (temporary names carry the writer's process id, so only dead writers' leftovers go).

Before replacing anything, the writer checks that it is pathokg's to replace:

* a folder must be empty, or carry the marker file a previous write left in it (the marker lists
  every file that write made; a folder that also holds other files is refused too);
* a file must have been written by pathokg (:func:`written_by_pathokg`);
* a folder that holds the current directory, the home folder or the project is never replaced.

``force=True`` (``--force`` on the command line) replaces a refused folder or file anyway.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_file(folder / "a.txt", "hello\\n").read_text()
'hello\\n'
>>> write_file(folder / "a.txt", "again\\n")
Traceback (most recent call last):
...
pathokg.errors.OutputError: ... was not written by pathokg; ...
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import OutputError
from ..paths import project_root
from ..vocab import BASE

#: How much of an existing file :func:`written_by_pathokg` reads, at its start and at its end.
SIGNATURE_BYTES = 65536
#: What every file pathokg writes holds near its start (or, for a PDF or PNG, in a marker at its
#: end or in a text chunk): its IRIs, or the map's generator tag.
SIGNATURES = (BASE.encode("ascii"), b'content="pathokg')
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?:new|old)-(?P<pid>\d+)-[^/]*$|"
                       r"^\.(?P<fname>.+)\.(?P<fpid>\d+)-[^/]*\.tmp$")


def written_by_pathokg(path: Path) -> bool:
    """True if ``path`` is a file pathokg wrote (its start holds a pathokg IRI or generator tag)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SIGNATURE_BYTES)
            handle.seek(max(handle.seek(0, os.SEEK_END) - 1024, 0))
            tail = handle.read()
    except OSError:
        return False
    return any(s in head or s in tail for s in SIGNATURES)


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    in_the_way = next((p for p in Path(path).parents if p.exists() and not p.is_dir()), None)
    reason = f"{in_the_way} is a file, not a folder" if in_the_way else exc.strerror or str(exc)
    return OutputError(f"cannot write {path}: {reason}; choose an --out you can write to")


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows: os.kill(pid, 0) would signal the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_leftovers(target: Path) -> None:
    """Remove the temporary siblings of ``target`` that killed writers left behind, and put a
    folder back that a writer killed mid-swap had moved aside."""
    target = Path(target)
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    for sibling in sorted(siblings, key=lambda p: ".old-" not in p.name):
        m = _LEFTOVER.match(sibling.name)
        if not m or (m.group("name") or m.group("fname")) != target.name:
            continue
        if _alive(int(m.group("pid") or m.group("fpid"))):
            continue
        moved_aside = sibling / "previous"
        if ".old-" in sibling.name and moved_aside.is_dir() and not target.exists():
            os.replace(moved_aside, target)  # killed between the two renames: the old state back
        if sibling.is_dir():
            shutil.rmtree(sibling, ignore_errors=True)
        else:
            sibling.unlink(missing_ok=True)


def check_file(path: Path | str, *, force: bool = False) -> None:
    """Raise unless ``path`` may be written: missing, or a file pathokg wrote (or ``force``).

    :raises OutputError: a folder is in the way, or the file is not pathokg's (without ``force``).
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target} is a folder; give --out a file name")
    if target.exists() and not force and not written_by_pathokg(target):
        raise OutputError(f"{target} exists and was not written by pathokg; choose another --out, "
                          "or pass --force to replace it")


def write_file(path: Path | str, data: str | bytes | Callable[[Path], None], *,
               force: bool = False) -> Path:
    """Write ``data`` (text as UTF-8, bytes, or a function that writes a given path) to ``path``.

    :param force: replace an existing file even if pathokg did not write it.
    :returns: the path written.
    :raises OutputError: the file exists and is not pathokg's (without ``force``), or it cannot
        be written (a missing permission, a folder in the way, ...).
    """
    target = Path(path)
    check_file(target, force=force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp",
                                    dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    tmp = Path(name)
    try:
        if callable(data):
            os.close(fd)
            data(tmp)
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _cannot_write(target, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def marker_text(marker: str, what: str, files: Iterable[str]) -> str:
    """The marker a folder write leaves: what made the folder, and every file it made (sorted, so
    the same files give the same bytes)."""
    listed = "".join(f"{name}\n" for name in sorted(files) if name != marker)
    return (f"# {what}: pathokg wrote this folder and replaces it whole on the next write.\n"
            "# It refuses to replace the folder if it holds a file not listed here.\n"
            f"{listed}")


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def _protected(out: Path) -> str | None:
    """Why ``out`` must never be replaced, or ``None``."""
    places = {"the current directory": Path.cwd(), "your home folder": Path.home(),
              "the pathokg project": project_root()}
    for what, place in places.items():
        try:
            place = place.resolve()
        except OSError:
            continue
        if out == place or out in place.parents:
            return what
    return "the file system root" if out == Path(out.anchor) else None


def check_replaceable(out_dir: Path | str, marker: str, *, what: str, force: bool = False,
                      legacy: frozenset[str] = frozenset()) -> None:
    """Raise unless ``out_dir`` is pathokg's to replace: missing, empty, or carrying ``marker``
    with no file it does not list (``legacy``: top-level names of a folder an older pathokg wrote
    before markers existed; such a folder holding only those names is pathokg's too).

    :raises OutputError: the folder is not pathokg's (without ``force``), is a file, or holds the
        current directory, the home folder or the project (even with ``force``).
    """
    out = Path(out_dir).resolve()
    reason = _protected(out)
    if reason is not None:
        raise OutputError(f"refusing to replace {out_dir}: it holds {reason}; give --out a folder "
                          "of its own (for example a new subfolder)")
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out_dir} is a file, not a folder; give --out a folder")
    try:
        found = _files(out)
        entries = sorted(p.name for p in out.iterdir())
    except OSError as exc:
        raise OutputError(f"cannot read {out_dir}: {exc.strerror or exc}") from None
    if not entries or force:
        return
    if marker in found:
        listed = set((out / marker).read_text(encoding="utf-8", errors="replace").splitlines())
        foreign = [f for f in found if f != marker and f not in listed]
        if not foreign:
            return
        raise OutputError(
            f"{out_dir} holds {len(foreign)} file(s) pathokg did not write ({_few(foreign)}); "
            "move them elsewhere, or pass --force to replace the folder and everything in it")
    if legacy and set(entries) <= legacy:
        return
    raise OutputError(
        f"{out_dir} is not a {what} (it holds {_few(entries)}); choose a new or empty folder "
        "for --out, or pass --force to replace it and everything in it")


def _few(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap(tmp: Path, out: Path) -> None:
    """Put the folder ``tmp`` in place of ``out``; ``tmp`` ends up gone or holding nothing of use."""
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous folder
        return
    if not out.exists():
        os.replace(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
    os.replace(out, old / "previous")
    try:
        os.replace(tmp, out)
    except BaseException:
        os.replace(old / "previous", out)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def replace_folder(out_dir: Path | str, fill: Callable[[Path], None], *, marker: str,
                   what: str = "pathokg output", force: bool = False,
                   legacy: frozenset[str] = frozenset()) -> Path:
    """Fill a fresh sibling folder with ``fill(tmp)``, write ``marker`` listing what it holds,
    then swap it in place of ``out_dir`` (checked with :func:`check_replaceable` before the fill
    and again before the swap).

    :returns: the folder written.
    :raises OutputError: the folder is not pathokg's to replace, or cannot be written.
    """
    check_replaceable(out_dir, marker, what=what, force=force, legacy=legacy)
    out = Path(out_dir).resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out)
    except OSError as exc:
        raise _cannot_write(Path(out_dir), exc) from None
    # named before it is made (not tempfile.mkdtemp): a signal between making the folder and
    # knowing its name would leave it behind; made inside the try that removes it, unless the
    # name was taken (that folder is not ours to remove)
    tmp = out.parent / f".{out.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
    taken = False
    try:
        try:
            tmp.mkdir(mode=0o700)
        except FileExistsError:
            taken = True
            raise
        fill(tmp)
        (tmp / marker).write_text(marker_text(marker, what, _files(tmp)), encoding="utf-8")
        os.chmod(tmp / marker, 0o644)
        os.chmod(tmp, 0o755)
        check_replaceable(out_dir, marker, what=what, force=force, legacy=legacy)
        _swap(tmp, out)
    except OSError as exc:
        if not taken:
            shutil.rmtree(tmp, ignore_errors=True)
        raise _cannot_write(Path(out_dir), exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
