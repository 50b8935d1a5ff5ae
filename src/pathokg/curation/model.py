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


#: The certainty values a passage can have (``pko:Stated`` ...), firmest first.
CERTAINTIES = ("stated", "typical", "possible", "conditional", "promising", "investigational")
#: The kinds of condition (``pko:SiteCondition`` ...).
CONDITION_KINDS = ("site", "severity", "population", "prerequisite", "circumstance")


@dataclass
class Concept:
    """A concept as a source file defines it. ``synonyms`` are exact synonyms; the other lists
    hold names the article uses that are related to, broader or narrower than the concept."""

    id: str
    label: str
    category: str
    definition: str
    synonyms: list[str] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)
    related_synonyms: list[str] = field(default_factory=list)
    broad_synonyms: list[str] = field(default_factory=list)
    narrow_synonyms: list[str] = field(default_factory=list)
    xref_concept: str | None = None
    xref_only: list[str] | None = None
    note: str | None = None
    file: str = ""
    line: int | None = None
    article: str = ""


@dataclass(frozen=True)
class Condition:
    """A restriction a passage puts on its relation: the verbatim words that state it, its kind,
    and the concepts it names."""

    kind: str
    text: str
    concepts: tuple[str, ...] = ()


@dataclass
class Relation:
    """An asserted relation with its evidence located in the article text, and the qualifiers of
    that passage: how firmly it states the relation, under which conditions, within what."""

    subject: str
    predicate: str
    object: str
    section: Section
    quote: str
    start: int
    end: int
    note: str | None = None
    certainty: str = "stated"
    certainty_note: str | None = None
    conditions: tuple[Condition, ...] = ()
    context: str | None = None
    causal_wording: str | None = None
    contested: str | None = None
    file: str = ""
    line: int | None = None
    article: str = ""


@dataclass
class Caveat:
    """A passage that qualifies a group of statements: those of the ``governs`` sections about
    ``object`` may use only the ``allows`` relations (unless a quote records causal wording), and
    the caveat is evidence for each of them."""

    id: str
    section: Section
    quote: str
    start: int
    end: int
    object: str
    governs: tuple[str, ...]
    allows: tuple[str, ...]
    file: str = ""
    line: int | None = None
    article: str = ""


@dataclass(frozen=True)
class Unmodelled:
    """A sentence of the article the graph does not hold, and why (for the curation audit)."""

    quote: str
    why: str
    start: int


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
    caveats: list[Caveat] = field(default_factory=list)
    unmodelled: list[Unmodelled] = field(default_factory=list)
