"""Result formats: the W3C SPARQL results formats and RDF serialisations, by name and media type.

Names are what ``--format`` takes; media types are what HTTP content negotiation uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One output format: its short name, media type and the pyoxigraph format that writes it."""

    name: str
    media_type: str
    ox_format: ox.QueryResultsFormat | ox.RdfFormat
    extension: str


#: Formats for SELECT and ASK results.
SOLUTION_FORMATS: dict[str, Format] = {
    "srj": Format("srj", "application/sparql-results+json", ox.QueryResultsFormat.JSON, "srj"),
    "srx": Format("srx", "application/sparql-results+xml", ox.QueryResultsFormat.XML, "srx"),
    "csv": Format("csv", "text/csv", ox.QueryResultsFormat.CSV, "csv"),
    "tsv": Format("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV, "tsv"),
}

#: Formats for CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS: dict[str, Format] = {
    "ttl": Format("ttl", "text/turtle", ox.RdfFormat.TURTLE, "ttl"),
    "nt": Format("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, "nt"),
    "jsonld": Format("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, "jsonld"),
    "rdfxml": Format("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML, "rdf"),
}

#: Other names people use for the same formats.
ALIASES: dict[str, dict[str, str]] = {
    "solutions": {"json": "srj", "xml": "srx", "sparql-results+json": "srj"},
    "graph": {"json": "jsonld", "turtle": "ttl", "ntriples": "nt", "n-triples": "nt",
              "xml": "rdfxml", "json-ld": "jsonld", "owl": "rdfxml"},
}

#: Extra media types accepted in ``Accept`` headers, mapped to a format name.
MEDIA_ALIASES: dict[str, str] = {
    "application/json": "srj",
    "application/xml": "srx",
    "text/xml": "srx",
    "application/x-turtle": "ttl",
    "text/plain": "nt",
    "application/json+ld": "jsonld",
}

#: Every name ``--format`` accepts (``table`` renders in the terminal).
CLI_FORMATS = ("table", "csv", "tsv", "json", "srj", "srx", "ttl", "nt", "jsonld", "rdfxml")


def solution_format(name: str) -> Format | None:
    """The SELECT/ASK format of a name (or alias), or ``None``."""
    name = ALIASES["solutions"].get(name, name)
    return SOLUTION_FORMATS.get(name)


def graph_format(name: str) -> Format | None:
    """The CONSTRUCT/DESCRIBE format of a name (or alias), or ``None``."""
    name = ALIASES["graph"].get(name, name)
    return GRAPH_FORMATS.get(name)


def by_media_type(media_type: str, graph: bool) -> Format | None:
    """The format for a media type (without parameters), for a graph or a solutions result."""
    return _offered(graph).get(media_type.lower())


def _offered(graph: bool) -> dict[str, Format]:
    """Media type -> format, in the server's order of preference (W3C types first, then aliases)."""
    table = GRAPH_FORMATS if graph else SOLUTION_FORMATS
    offered = {fmt.media_type: fmt for fmt in table.values()}
    for media, name in MEDIA_ALIASES.items():
        if name in table:
            offered.setdefault(media, table[name])
    return offered


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header: ``type/subtype`` (either may be ``*``), its q value and
    its position in the header."""

    type: str
    subtype: str
    q: float
    index: int

    def specificity(self, media: str) -> int | None:
        """How exactly this range matches a media type: 2 exact, 1 ``type/*``, 0 ``*/*``; None: no match."""
        kind, _, sub = media.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else None


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header (RFC 9110, section 12.5.1); malformed q values
    count as 0, malformed entries are left out.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/*;q=0.5, application/json")]
    [('text', '*', 0.5), ('application', 'json', 1.0)]
    """
    ranges = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        kind, sep, sub = fields[0].lower().partition("/")
        if not sep or not kind or not sub:
            continue
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q, index))
    return ranges


def best_media(header: str | None, offered: list[str]) -> str | None:
    """The offered media type an ``Accept`` header prefers, or ``None`` if it accepts none of them.

    Each offered type takes the q value of the most specific range that matches it; the highest q
    wins, then the range written first in the header, then the earlier offered type. No header (or
    an empty one) accepts the first offered type.

    >>> best_media("text/*", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> best_media("text/html, */*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    >>> best_media("image/png", ["text/turtle"]) is None
    True
    """
    if not header or not header.strip():
        return offered[0] if offered else None
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, media in enumerate(offered):
        matches = [(r.specificity(media), r) for r in ranges]
        matches = [(s, r) for s, r in matches if s is not None]
        if not matches:
            continue
        _, match = max(matches, key=lambda m: (m[0], -m[1].index))
        if match.q <= 0:
            continue
        key = (-match.q, match.index, position)
        if best is None or key < best:
            best, chosen = key, media
    return chosen


def negotiate(accept: str | None, graph: bool) -> Format | None:
    """Pick the format an ``Accept`` header prefers; with no header, SPARQL results JSON or Turtle.

    Returns ``None`` when the header accepts none of the media types that can be produced.
    """
    offered = _offered(graph)
    media = best_media(accept, list(offered))
    return offered[media] if media is not None else None
