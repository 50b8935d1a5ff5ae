"""Atomic writes: a file or a folder appears whole or not at all, never half-written.

A file is written to a temporary sibling and renamed over the target; a folder is filled as a
temporary sibling and swapped in. If writing fails (or is interrupted), the previous file or
folder is left exactly as it was and the temporary one is removed.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_file(folder / "a.txt", "hello\\n").read_text()
'hello\\n'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_file(path: Path | str, data: str | bytes | Callable[[Path], None]) -> Path:
    """Write ``data`` (text as UTF-8, bytes, or a function that writes a given path) to ``path``.

    :returns: the path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def replace_folder(out_dir: Path | str, fill: Callable[[Path], None]) -> Path:
    """Fill a fresh sibling folder with ``fill(tmp)``, then swap it in place of ``out_dir``.

    :returns: the folder written.
    """
    out = Path(out_dir).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        fill(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / "release")
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    os.chmod(out, 0o755)
    return out
