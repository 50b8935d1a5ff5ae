"""Session fixtures over the one release (``release_dir``, in the root conftest.py) and the small
fixture article."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from pathokg.curation.assemble import source_files
from pathokg.paths import TURTLE
from pathokg.querying.release import release_store
from pathokg.release.build import build

from .helpers import MINI_SOURCE


@pytest.fixture(scope="session")
def release_graph(release_dir: Path) -> Graph:
    """The release Turtle parsed with rdflib."""
    return Graph().parse(release_dir / TURTLE, format="turtle")


@pytest.fixture(scope="session")
def release_dataset(release_dir: Path) -> ox.Store:
    """The release as the engine reads it: asserted default graph, entailments in the inferred graph."""
    return release_store(release_dir)


@pytest.fixture(scope="session")
def mini_graph() -> Graph:
    """The small fixture article assembled (ontology included), for checks that break it on purpose."""
    from pathokg.curation.assemble import assemble

    return assemble([MINI_SOURCE]).graph


def copy_graph(g: Graph) -> Graph:
    """A copy of a graph a test may change."""
    out = Graph()
    for t in g:
        out.add(t)
    return out


@pytest.fixture(scope="session")
def two_article_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A release built from the real article plus the small fixture article."""
    out = tmp_path_factory.mktemp("two") / "dist"
    build(out, sources=[*source_files(), MINI_SOURCE], reasoner=False)
    return out
