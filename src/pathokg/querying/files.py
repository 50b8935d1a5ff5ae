"""Query files: one SPARQL query per ``.rq`` file with a ``#+ key: value`` header (grlc style).

The header keys are ``summary`` (required), ``description``, ``tags`` (comma separated) and
``param`` (repeatable: ``name: kind = default : description``, the last colon between spaces; the
kind is optional, one of :data:`PARAM_KINDS`, and says how a value is checked, see
:mod:`pathokg.querying.values`). pathokg IRIs in a query file are
written relative to the base (``PREFIX pko: <ontology/>``); :func:`QueryFile.text_with_base`
prepends ``BASE <...>`` from :mod:`pathokg.vocab` so that they resolve everywhere.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import QueryError, QueryNotFound
from ..paths import QUERIES_DIR
from ..vocab import BASE
from .tokens import tokenize

_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
#: ``name: kind = default : description``; the description's separator is a colon between spaces,
#: so that a default can be a CURIE such as ``pk:dystrophic-calcification``.
_PARAM = re.compile(r"^(\w+)(?::\s*(\w+))?\s*(?:=\s*(.*?))?(?:\s+:\s+(.*))?$")
#: The kinds of parameter value: ``concept`` (a pathokg concept by any name: id, CURIE, IRI, label,
#: synonym, abbreviation or an exactly matching external id), ``category`` (a category class by
#: label, id or CURIE), ``xref`` (an external identifier: CURIE, OBO id or IRI), ``phenotype`` (an
#: HPO term of the release's HPO import: id, IRI, label or exact synonym) and ``text`` (any text,
#: the default).
PARAM_KINDS = ("concept", "category", "xref", "phenotype", "text")
#: Names no query parameter may have: the options of every query (REST API, Python, CLI).
RESERVED_PARAMS = ("format", "inferred", "labels", "limit", "offset")


@dataclass(frozen=True)
class Param:
    """A query parameter: replaces ``?_name`` in the query (BASIL style)."""

    name: str
    default: str | None
    description: str
    #: how a value is checked (one of :data:`PARAM_KINDS`)
    kind: str = "text"
    #: the only values it takes, when the query lists them (``#+ choices: name = a | b``)
    choices: tuple[str, ...] = ()


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
    """Prepend the BASE declaration unless the query has one, on the query's first line (so that
    its line numbers stay those of the text).

    >>> with_base("SELECT * WHERE {\\n ?s ?p ?o }").splitlines()[0]
    'BASE <https://w3id.org/pathokg/> SELECT * WHERE {'
    """
    if _declares_base(text):
        return text
    return f"BASE <{BASE}> {text.removeprefix(chr(0xFEFF))}"


def _declares_base(text: str) -> bool:
    """Whether the query's prologue (its first words, before SELECT, ASK, ...) holds a BASE."""
    try:
        tokens = tokenize(text)
    except QueryError:
        return False
    for token in tokens:
        word = token.value.upper() if token.kind == "WORD" else ""
        if word == "BASE":
            return True
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return False
    return False


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
        kind = m.group(2) or "text"
        if m.group(1) in RESERVED_PARAMS:
            raise QueryError(f"{path}: a parameter may not be named {m.group(1)!r} (reserved for "
                             f"the options every query takes: {', '.join(RESERVED_PARAMS)})")
        if kind not in PARAM_KINDS:
            raise QueryError(f"{path}: parameter {m.group(1)!r} has an unknown kind {kind!r} "
                             f"(one of {', '.join(PARAM_KINDS)})")
        params.append(Param(m.group(1), (m.group(3) or None), (m.group(4) or "").strip(), kind))
    params = _with_choices(path, params, meta.get("choices", []))
    tags = tuple(t.strip() for raw in meta.get("tags", []) for t in raw.split(",") if t.strip())
    return QueryFile(
        name=path.stem, path=path, text=text, summary=" ".join(meta["summary"]),
        description=" ".join(meta.get("description", [])), tags=tags, params=tuple(params),
        headers=tuple(headers),
    )


def _with_choices(path: Path, params: list[Param], lines: list[str]) -> list[Param]:
    """The parameters with the values ``#+ choices: name = a | b | c`` allows them."""
    by_name = {p.name: p for p in params}
    for line in lines:
        name, sep, values = line.partition("=")
        choices = tuple(v.strip() for v in values.split("|") if v.strip())
        param = by_name.get(name.strip())
        if not sep or param is None or not choices or (param.default and param.default not in choices):
            raise QueryError(f"{path}: malformed '#+ choices: {line}' (use 'name = a | b', for a "
                             "declared parameter, its default among the choices)")
        by_name[param.name] = replace(param, choices=choices)
    return [by_name[p.name] for p in params]


def read_query_dir(folder: Path) -> list[QueryFile]:
    """Every ``.rq`` file of a folder (not recursive), sorted by name."""
    return [read_query_file(p) for p in sorted(folder.glob("*.rq"))]


_QUERY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def list_queries(folder: Path = QUERIES_DIR) -> list[QueryFile]:
    """The named queries (``queries/*.rq``) with their metadata, sorted by name."""
    return read_query_dir(folder)


def get_query(name: str, folder: Path = QUERIES_DIR) -> QueryFile:
    """The named query ``name``.

    :raises QueryNotFound: naming the closest names and the queries that exist.
    """
    path = folder / f"{name}.rq"
    if _QUERY_NAME.match(name) and path.is_file():
        return read_query_file(path)
    names = [q.name for q in list_queries(folder)]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise QueryNotFound(f"no named query {name!r}; {hint}the named queries are: {', '.join(names)} "
                        "(see `pathokg queries`)")

