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
    table = GRAPH_FORMATS if graph else SOLUTION_FORMATS
    for fmt in table.values():
        if fmt.media_type == media_type:
            return fmt
    alias = MEDIA_ALIASES.get(media_type)
    return table.get(alias) if alias else None


def negotiate(accept: str | None, graph: bool) -> Format | None:
    """Pick the format an ``Accept`` header prefers (by q value, then order); default SRJ or Turtle.

    Returns ``None`` when the header lists only media types that cannot be produced.
    """
    default = GRAPH_FORMATS["ttl"] if graph else SOLUTION_FORMATS["srj"]
    if not accept or not accept.strip():
        return default
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            choices.append((-q, index, media))
    for _, _, media in sorted(choices):
        if media in {"*/*", "application/*", "text/*"}:
            return default
        fmt = by_media_type(media, graph)
        if fmt is not None:
            return fmt
    return None
