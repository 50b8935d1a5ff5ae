"""Query files: one SPARQL query per ``.rq`` file with a ``#+ key: value`` header (grlc style).

The header keys are ``summary`` (required), ``description``, ``tags`` (comma separated) and
``param`` (repeatable: ``name = default : description``, the colon between spaces). pathokg IRIs in a query file are
written relative to the base (``PREFIX pko: <ontology/>``); :func:`QueryFile.text_with_base`
prepends ``BASE <...>`` from :mod:`pathokg.vocab` so that they resolve everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QueryError
from .vocab import BASE

_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
#: ``name = default : description``; the separator is a colon between spaces, so that a default
#: can be a CURIE such as ``pk:dystrophic-calcification``.
_PARAM = re.compile(r"^(\w+)\s*(?:=\s*(.*?))?(?:\s+:\s+(.*))?$")


@dataclass(frozen=True)
class Param:
    """A query parameter: replaces ``?_name`` in the query (BASIL style)."""

    name: str
    default: str | None
    description: str


@dataclass(frozen=True)
class QueryFile:
    """A query file with its parsed header."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = field(default_factory=tuple)
    #: every ``#+ key: value`` header line, keys lower-cased, in file order (for keys a feature
    #: of its own reads, such as a map view's ``layout``)
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, key: str) -> str | None:
        """The last value of a header key, or ``None``."""
        values = [v for k, v in self.headers if k == key]
        return values[-1] if values else None

    def text_with_base(self) -> str:
        """The query text with ``BASE <pathokg base>`` in front."""
        return with_base(self.text)


def with_base(text: str) -> str:
    """Prepend the BASE declaration unless the query has one.

    >>> with_base("SELECT * WHERE { ?s ?p ?o }").splitlines()[0]
    'BASE <https://w3id.org/pathokg/>'
    """
    if re.search(r"(?im)^\s*BASE\s*<", text):
        return text
    return f"BASE <{BASE}>\n{text}"


def read_query_file(path: Path) -> QueryFile:
    """Parse a query file's header.

    :raises QueryError: if the file cannot be read or has no summary.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot be read: {exc}") from None
    headers = [(m.group(1).lower(), m.group(2).strip())
               for m in map(_HEADER.match, (line.strip() for line in text.splitlines())) if m]
    meta: dict[str, list[str]] = {}
    for key, value in headers:
        meta.setdefault(key, []).append(value)
    if not meta.get("summary"):
        raise QueryError(f"{path}: missing '#+ summary:' header line")
    params = []
    for raw in meta.get("param", []):
        m = _PARAM.match(raw)
        if not m:
            raise QueryError(f"{path}: malformed '#+ param: {raw}' (use 'name = default : description')")
        params.append(Param(m.group(1), (m.group(2) or None), (m.group(3) or "").strip()))
    tags = tuple(t.strip() for raw in meta.get("tags", []) for t in raw.split(",") if t.strip())
    return QueryFile(
        name=path.stem, path=path, text=text, summary=" ".join(meta["summary"]),
        description=" ".join(meta.get("description", [])), tags=tags, params=tuple(params),
        headers=tuple(headers),
    )


def read_query_dir(folder: Path) -> list[QueryFile]:
    """Every ``.rq`` file of a folder (not recursive), sorted by name."""
    return [read_query_file(p) for p in sorted(folder.glob("*.rq"))]


_PARAM_TOKEN = r"\?_{name}\b"
_CURIE = re.compile(r"^([A-Za-z][\w.-]*):([^\s<>\"{}|^`\\]*)$")
_IRI_FORBIDDEN = re.compile(r"[\s<>\"{}|^`\\]")


def param_term(value: str) -> str:
    """The SPARQL term for a parameter value: an IRI or a plain string literal.

    A value in angle brackets, or a CURIE whose prefix pathokg knows (``pk:``, ``pko:`` ... and the
    external prefixes ``MESH:``, ``HP:`` ...), becomes an IRI; anything else is a string literal,
    escaped so that it cannot change the query.

    >>> param_term("pk:chronic-kidney-disease")
    '<https://w3id.org/pathokg/concept/chronic-kidney-disease>'
    >>> param_term("MESH:D002114")
    '<http://id.nlm.nih.gov/mesh/D002114>'
    >>> param_term('calc" } ')
    '"calc\\\\" } "'
    """
    from rdflib import Literal

    from .vocab import PREFIXES, XREF_BASES, xref_iri

    iri: str | None = None
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    else:
        m = _CURIE.match(value)
        if m and m.group(1) in PREFIXES:
            iri = PREFIXES[m.group(1)] + m.group(2)
        elif m and m.group(1).upper() in XREF_BASES:
            iri = str(xref_iri(value))
    if iri is not None:
        if _IRI_FORBIDDEN.search(iri) or ":" not in iri:
            raise QueryError(f"{value!r} is not a valid IRI for a query parameter")
        return f"<{iri}>"
    return Literal(value).n3()


def bind_params(query: QueryFile, values: dict[str, str]) -> str:
    """The query text (with BASE) with each ``?_name`` replaced by its value or its default.

    :raises QueryError: for an unknown parameter, or a required one without value.
    """
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        valid = ", ".join(known) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)} "
                         f"(its parameters: {valid})")
    text = query.text_with_base()
    for name, param in known.items():
        value = values.get(name, param.default)
        if value is None:
            raise QueryError(f"query {query.name!r} needs a value for parameter {name!r}: "
                             f"{param.description} (pass --param {name}=VALUE)")
        term = param_term(value)
        token = re.compile(_PARAM_TOKEN.format(name=re.escape(name)))
        text = "\n".join(
            line if line.lstrip().startswith("#") else token.sub(lambda _m, t=term: t, line)
            for line in text.split("\n"))
    return text
