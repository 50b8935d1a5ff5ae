"""Check a SPARQL query before it runs: read-only, closed-world, bounded in size.

The check parses the query with rdflib's SPARQL parser and walks its algebra (never a regular
expression over the text, which ``\\u`` escapes and comments would defeat). It refuses:

* any update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ...): the endpoint is read-only;
* ``SERVICE`` (a federated call would open an outbound connection);
* ``FROM`` and ``FROM NAMED`` (rdflib and Oxigraph would fetch or read the IRI);
* ``GRAPH <iri>`` on an IRI that is not one of the served graphs.

Oxigraph and rdflib both execute ``SERVICE``, and rdflib reads ``FROM <file:...>``: this check
is what keeps a query inside the served dataset (see ``../shared/STACK.md``).

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
'SELECT'
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
pathokg.errors.QueryRefused: SERVICE <http://example.org/sparql> is refused: ...
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from ..errors import QueryLimitError, QueryRefused, QuerySyntaxError
from ..vocab import HPO_ANNOTATIONS_GRAPH, HPO_GRAPH, INFERRED_GRAPH
from .files import with_base

#: Longest query text accepted, in characters.
MAX_QUERY_CHARS = 100_000

#: The graphs a query may name in ``GRAPH <iri>``.
SERVED_GRAPHS: frozenset[str] = frozenset({str(INFERRED_GRAPH), str(HPO_GRAPH), str(HPO_ANNOTATIONS_GRAPH)})

_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
          "DescribeQuery": "DESCRIBE"}


def _syntax_error(text: str, exc: ParseException, added_lines: int) -> QuerySyntaxError:
    lines = text.splitlines()
    line = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else ""
    pointer = " " * max(exc.col - 1, 0) + "^"
    return QuerySyntaxError(
        f"SPARQL syntax error at line {exc.lineno - added_lines}, column {exc.col}: {exc.msg}"
        f"\n  {line}\n  {pointer}")


def _walk(node: object) -> Iterable[CompValue]:
    """Every algebra or parse node below ``node`` (depth first)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def _refuse_outside(algebra: CompValue, served: frozenset[str]) -> None:
    if algebra.get("datasetClause"):
        iris = ", ".join(f"<{c['named'] if 'named' in c else c['default']}>"
                         for c in algebra["datasetClause"])
        raise QueryRefused(f"FROM / FROM NAMED {iris} is refused: queries run on the served "
                           "dataset only (use GRAPH ?g to query its named graphs)")
    for node in _walk(algebra):
        if node.name in {"ServiceGraphPattern"}:
            raise QueryRefused(f"SERVICE <{node.get('term')}> is refused: this endpoint never "
                               "calls other services")
        if node.name == "Graph":
            term = node.get("term")
            if isinstance(term, URIRef) and str(term) not in served:
                raise QueryRefused(
                    f"GRAPH <{term}> is refused: it is not a graph of this dataset "
                    f"(the served named graphs are: {', '.join(sorted(served))})")


@lru_cache(maxsize=4096)
def _check(original: str, served: frozenset[str]) -> str:
    text = with_base(original)
    added_lines = text.count("\n") - original.count("\n")
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise _syntax_error(text, exc, added_lines) from None
        raise QueryRefused(
            "updates are refused: this endpoint and the pathokg graph are read-only "
            "(INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD)") from None
    except Exception as exc:  # rdflib raises a few other types for bad IRIs or prefixes
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    # SERVICE is found in the parse tree; the algebra keeps dataset clauses and GRAPH terms.
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused(f"SERVICE <{node.get('term')}> is refused: this endpoint never "
                               "calls other services")
    try:
        algebra = translateQuery(parsed).algebra
    except Exception as exc:  # undefined prefix, bad aggregate, ...
        raise QuerySyntaxError(f"SPARQL error: {exc}") from None
    _refuse_outside(algebra, served)
    return _FORMS.get(algebra.name, algebra.name)


def check_query(text: str, served: Iterable[str] = SERVED_GRAPHS, *,
                max_chars: int = MAX_QUERY_CHARS) -> str:
    """Check a query and return its form (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``).

    pathokg's relative IRIs are resolved against the base (a ``BASE`` is added if missing).

    :raises QueryLimitError: the text is longer than ``max_chars``.
    :raises QuerySyntaxError: the text is not SPARQL (with line, column and the parser's message).
    :raises QueryRefused: the query is an update, or reaches outside the served dataset.
    """
    if len(text) > max_chars:
        raise QueryLimitError(f"the query is {len(text)} characters long; the limit is {max_chars}")
    return _check(text, frozenset(served))
