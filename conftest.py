"""The one release every test and doctest reads: built once per session, outside the checkout.

It is also the default release (``$PATHOKG_DIST``) for the whole session, so the docstring
examples (``pathokg.load()``, ``pathokg.query(...)``) read it and nothing is written into ``dist/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of the project's own sources, built once per session without the reasoner
    (tests/test_reasoner.py runs HermiT itself)."""
    from pathokg.release.build import build

    out = tmp_path_factory.mktemp("release") / "dist"
    build(out, reasoner=False)
    return out


@pytest.fixture(scope="session", autouse=True)
def default_release(release_dir: Path) -> Iterator[Path]:
    """The session's release is the default one (``$PATHOKG_DIST``)."""
    old = os.environ.get("PATHOKG_DIST")
    os.environ["PATHOKG_DIST"] = str(release_dir)
    yield release_dir
    if old is None:
        os.environ.pop("PATHOKG_DIST", None)
    else:
        os.environ["PATHOKG_DIST"] = old
