"""Run one of pathokg's own query files on a store and get its rows as plain strings.

This is the one helper every stage uses for its internal queries (QC checks, the map's model, the
exports' projection, the server's concept pages); users get :class:`~pathokg.querying.results.QueryResult`.
Rows come from Oxigraph's SPARQL results TSV writer and a split here, several times faster on
large graphs than reading the terms one by one from Python.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x\\ty")))
>>> select(store, "SELECT ?s ?o WHERE { ?s ?p ?o }")
[{'s': 'http://e/a', 'o': 'x\\ty'}]
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from .files import QueryFile, with_base

_ESCAPES = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'",
             "\\": "\\"}

Row = dict[str, str]


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if code[0] in "uU" and len(code) > 1 else _UNESCAPE.get(code, code)


def _term(cell: str) -> str:
    """The lexical value of a SPARQL results TSV cell (an IRI, a literal or a bare number)."""
    if cell.startswith("<"):
        return cell[1:-1]
    if cell.startswith('"'):
        body = cell[1:cell.rindex('"')]
        return _ESCAPES.sub(_unescape, body) if "\\" in body else body
    return cell


def _tsv(store: ox.Store, query: QueryFile | str, **options: Any) -> list[str]:
    """The solutions of a SELECT as lines of Oxigraph's SPARQL results TSV."""
    text = query.text if isinstance(query, QueryFile) else query
    solutions = store.query(with_base(text), **options)
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError(f"{getattr(query, 'path', 'the query')} must be a SELECT query")
    return solutions.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").split("\n")


def select(store: ox.Store, query: QueryFile | str, **options: Any) -> list[Row]:
    """Run a trusted SELECT (a query file of pathokg's own) and return rows of plain strings.

    Unbound values are left out of a row. ``options`` go to ``pyoxigraph.Store.query``
    (``default_graph``, ``substitutions``, ...).
    """
    lines = _tsv(store, query, **options)
    names = [v.lstrip("?") for v in lines[0].split("\t")]
    rows = []
    for line in lines[1:]:
        if line:
            rows.append({k: _term(v) for k, v in zip(names, line.split("\t"), strict=True) if v})
    return rows


def iri_rows(store: ox.Store, query: QueryFile | str, **options: Any) -> list[tuple[str, ...]]:
    """Rows of a query whose every value is an IRI (``<a>\\t<b>\\t<c>``), as tuples of IRIs.

    The fast path for the relation table of the map (tens of thousands of rows on large maps): no
    per-cell parsing beyond stripping the angle brackets.

    :raises QueryError: a row holds something other than IRIs.
    """
    lines = _tsv(store, query, **options)
    width = lines[0].count("\t") + 1
    rows = [tuple(line[1:-1].split(">\t<")) for line in lines[1:] if line]
    bad = next((r for r in rows if len(r) != width), None)
    if bad is not None:
        raise QueryError(f"{getattr(query, 'path', 'the query')} must return IRIs only; got {bad!r}")
    return rows
