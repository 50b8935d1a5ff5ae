"""Session fixtures: one release of the real article built once, and the small fixture article."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from pathokg.assemble import source_files
from pathokg.build import build
from pathokg.release import TURTLE

from .support import MINI_SOURCE


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release of the project's own sources, built once per session without the reasoner
    (tests/test_reasoner.py runs HermiT itself)."""
    out = tmp_path_factory.mktemp("release") / "dist"
    build(out, reasoner=False)
    return out


@pytest.fixture(scope="session")
def release_graph(release_dir: Path) -> Graph:
    """The release Turtle parsed with rdflib."""
    return Graph().parse(release_dir / TURTLE, format="turtle")


@pytest.fixture(scope="session")
def two_article_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release built from the real article plus the small fixture article."""
    out = tmp_path_factory.mktemp("two") / "dist"
    build(out, sources=[*source_files(), MINI_SOURCE], reasoner=False)
    return out
