"""The curated knowledge as the build reads it: articles, their sections, concepts and relations.

These are plain data, filled by :mod:`pathokg.curation.sources` from the YAML files and turned
into RDF by :mod:`pathokg.curation.assemble`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Section:
    """A section of an article: its title, level and character span in the text."""

    title: str
    level: int
    start: int
    end: int
    path: str


@dataclass
class Concept:
    """A concept as a source file defines it."""

    id: str
    label: str
    category: str
    definition: str
    synonyms: list[str] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)
    xref_concept: str | None = None
    xref_only: list[str] | None = None
    note: str | None = None
    file: str = ""
    line: int | None = None
    article: str = ""


@dataclass
class Relation:
    """An asserted relation with its evidence located in the article text."""

    subject: str
    predicate: str
    object: str
    section: Section
    quote: str
    start: int
    end: int
    note: str | None = None
    file: str = ""
    line: int | None = None
    article: str = ""


@dataclass
class Article:
    """One curated source: the article's metadata and text, its concepts and its relations."""

    id: str
    meta: dict[str, Any]
    text: str
    text_file: Path
    file: Path
    sections: list[Section]
    concepts: list[Concept]
    relations: list[Relation]
