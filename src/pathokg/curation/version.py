"""Which release the sources build: its version, its date, and the IRIs that name them.

The version is the package's (``pyproject.toml``). The date is the one ``CHANGELOG.md`` gives that
version (``## [0.1.0] - 2026-11-26``), so the same checkout always builds the same bytes, the way
Debian dates a package build by its changelog entry. ``SOURCE_DATE_EPOCH`` (the
reproducible-builds.org convention, seconds since 1970 in UTC) overrides the date.

>>> info = ReleaseInfo("0.1.0", "2026-11-26")
>>> str(info.version_iri)
'https://w3id.org/pathokg/releases/2026-11-26/pathokg.owl'
>>> changelog_date("## [0.1.0] - 2026-11-26\\n", "0.1.0")
'2026-11-26'
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import URIRef

from ..errors import ReleaseError
from ..paths import CHANGELOG_FILE, project_root
from ..vocab import release_iri

#: a released version's heading in a Keep a Changelog file
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


@dataclass(frozen=True)
class ReleaseInfo:
    """A release's version and date (ISO ``YYYY-MM-DD``) and the IRIs built from them."""

    version: str
    date: str

    @property
    def version_iri(self) -> URIRef:
        """The ontology's version IRI, ODK style: ``.../releases/<date>/pathokg.owl``."""
        return release_iri(self.date, "pathokg.owl")

    @property
    def folder_iri(self) -> URIRef:
        """Where the files of this release are published: ``.../releases/<date>/``."""
        return release_iri(self.date)

    def download_iri(self, name: str) -> URIRef:
        """The versioned download location of one release file."""
        return release_iri(self.date, name)

    @property
    def label(self) -> str:
        """``pathokg 0.1.0 (2026-11-26)``, for the artefacts that carry a line of text."""
        return f"pathokg {self.version} ({self.date})"


def package_version() -> str:
    """The installed version of pathokg; in a bare checkout, the one ``pyproject.toml`` declares."""
    try:
        return version("pathokg")
    except PackageNotFoundError:
        pyproject = project_root() / "pyproject.toml"
        if pyproject.is_file():
            return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
        return "0.0.0"


def changelog_date(text: str, release: str) -> str | None:
    """The date a Keep a Changelog text gives ``release``, or ``None`` if it has no entry for it."""
    for match in _HEADING.finditer(text):
        if match["version"] == release:
            date.fromisoformat(match["date"])  # a malformed date is a ValueError, not a release
            return match["date"]
    return None


def epoch_date(value: str) -> str:
    """The UTC date of a ``SOURCE_DATE_EPOCH`` value.

    >>> epoch_date("1764115200")
    '2025-11-26'
    """
    try:
        seconds = int(value.strip())
    except ValueError:
        raise ReleaseError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, "
                           f"not {value!r}") from None
    if seconds < 0:
        raise ReleaseError(f"SOURCE_DATE_EPOCH must not be negative, not {value!r}")
    return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()


def release_info(changelog: Path = CHANGELOG_FILE, environ: dict[str, str] | None = None) -> ReleaseInfo:
    """The version and date of the release this checkout builds.

    :raises ReleaseError: the CHANGELOG has no dated entry for the package's version and
        ``SOURCE_DATE_EPOCH`` is not set (or is not a number).
    """
    env = os.environ if environ is None else environ
    current = package_version()
    if env.get("SOURCE_DATE_EPOCH"):
        return ReleaseInfo(current, epoch_date(env["SOURCE_DATE_EPOCH"]))
    try:
        text = changelog.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReleaseError(f"{changelog}: cannot read the changelog that dates the release ({exc}); "
                           "set SOURCE_DATE_EPOCH to date it instead") from None
    try:
        found = changelog_date(text, current)
    except ValueError as exc:
        raise ReleaseError(f"{changelog}: the entry of {current} has a malformed date ({exc})") from None
    if found is None:
        raise ReleaseError(f"{changelog} has no entry '## [{current}] - YYYY-MM-DD' for the package "
                           f"version {current}: add the release's entry, or set SOURCE_DATE_EPOCH")
    return ReleaseInfo(current, found)
