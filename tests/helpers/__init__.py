"""Helpers shared by the tests: paths, and skips that turn into failures under CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parents[1]
FIXTURES = TESTS_DIR / "fixtures"
EXPECTED = TESTS_DIR / "expected"
MINI_SOURCE = FIXTURES / "mini" / "mini-article.yaml"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, why: str) -> None:
    """Skip the test when ``condition`` is false, saying why; under ``CI=true`` fail instead.

    CI installs every tool the suite needs, so a missing one there is a broken CI, not a skip.
    """
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {why}", pytrace=False)
    pytest.skip(why)


def require_executable(name: str, install_hint: str) -> str:
    """Return the path of an executable, or skip (fail under CI) with an install hint."""
    path = shutil.which(name)
    require(path is not None, f"{name} not found on PATH ({install_hint})")
    return str(path)
