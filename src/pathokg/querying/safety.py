"""Check a SPARQL query before it runs, and give the engine exactly the text that was checked.

:func:`prepare` reads the text once (:mod:`pathokg.querying.tokens`), applies the rules below to
those tokens, and returns a :class:`PreparedQuery` whose :attr:`~PreparedQuery.text` is the
canonical text written from the same tokens: the only text the engine ever parses. There is no
second parser whose reading could differ from the one that was checked.

The rules:

* the text is a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``): an update (``INSERT``,
  ``DELETE``, ``LOAD``, ``CLEAR``, ...) is refused, the endpoint is read-only;
* no ``SERVICE``, anywhere: a federated call would open an outbound connection (Oxigraph would
  make it). This is the one construct of a query that reaches outside the store: ``FROM``,
  ``FROM NAMED`` and ``GRAPH <iri>`` only name graphs *of the store* in Oxigraph (an IRI that names
  none is an empty graph), they never fetch or read anything;
* at most :data:`MAX_NESTING` nested brackets (``{``, ``(``, ``[``), and at most
  :data:`MAX_QUERY_CHARS` characters: deeper texts could exhaust the parser's stack (a crash, not
  an error). Queries run on a thread with a :data:`QUERY_STACK_BYTES` stack, which takes the
  longest query of every shape within these limits (``tests/test_safety.py`` runs them);
* every prefixed name uses a prefix the query declares or one of the predeclared prefixes
  (:data:`~pathokg.vocab.SPARQL_PREFIXES`; a query's own declaration wins): the canonical text
  writes a predeclared prefixed name as the IRI it stands for, token by token, so the engine
  needs no prologue and every position stays that of the user's text. Any other prefix is one
  clear error at its line and column.

Query workers of the server are also cut off from the network by the operating system
(:mod:`pathokg.web.sandbox`), so a reading of a query that these rules missed still reaches nothing.

>>> prepare("SELECT * WHERE { ?s ?p ?o }").form
'SELECT'
>>> prepare("SELECT * WHERE { # note\\rSERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
pathokg.errors.QueryRefused: SERVICE <http://example.org/sparql> is refused: ...
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

from ..errors import QueryLimitError, QueryRefused, QuerySyntaxError
from ..vocab import SPARQL_PREFIXES, sparql_prologue
from .files import with_base
from .tokens import Token, error_at, original_offset, tokenize, write

#: Longest query text accepted, in characters.
MAX_QUERY_CHARS = 100_000
#: Deepest nesting of ``{ ( [`` accepted.
MAX_NESTING = 1_000
#: Stack of the thread a query runs on (virtual memory; only the pages used count).
QUERY_STACK_BYTES = 256 * 1024 * 1024

_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                      "ADD", "WITH"})
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")
_ENGINE_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
#: a backslash escape in the local part of a prefixed name (PN_LOCAL_ESC): the character itself
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class PreparedQuery:
    """A checked query: the canonical text the engine runs, its form, and what the check saw."""

    #: the canonical text: what the engine parses (see :mod:`pathokg.querying.tokens`)
    text: str
    #: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``
    form: str
    #: the text as it was given (error messages point into it)
    source: str
    #: the query names its own dataset (``FROM`` or ``FROM NAMED``)
    names_dataset: bool = False
    #: offset in ``source`` just after the ``{`` that opens the query's WHERE pattern
    where: int | None = None
    #: the predeclared prefixes the query uses without declaring them, in order of first use
    predeclared: tuple[str, ...] = ()

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE, whose result is a graph."""
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def syntax_error(self, engine_message: str) -> QuerySyntaxError:
        """The engine's syntax error, pointed at the line and column of :attr:`source`."""
        return engine_syntax_error(self.source, engine_message)

    @property
    def portable_text(self) -> str:
        """The text as another SPARQL service takes it: :attr:`source` with the declarations of
        the predeclared prefixes it uses (and pathokg's ``BASE``, unless it has one) in front, on
        its first line, so that the service's line numbers are the user's.

        >>> prepare("SELECT * WHERE {\\n ?s skos:prefLabel ?o }").portable_text.splitlines()[0]
        'BASE <https://w3id.org/pathokg/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT * WHERE {'
        """
        return with_base(sparql_prologue(self.predeclared) + self.source.removeprefix("\ufeff"))


def _prologue(tokens: list[Token]) -> tuple[int, set[str]]:
    """Where the prologue (BASE and PREFIX declarations) ends, and the prefixes it declares."""
    prefixes: set[str] = set()
    i, n = 0, len(tokens)
    while i < n and tokens[i].kind == "WORD":
        word = tokens[i].value.upper()
        if word == "BASE" and i + 1 < n and tokens[i + 1].kind == "IRI":
            i += 2
        elif (word == "PREFIX" and i + 2 < n and tokens[i + 1].kind == "PNAME"
              and tokens[i + 1].value.endswith(":")):
            prefixes.add(tokens[i + 1].value[:-1])
            i += 3
        else:
            break
    return i, prefixes


def _form(text: str, tokens: list[Token], at: int) -> str:
    if at >= len(tokens):
        raise QuerySyntaxError("the query is empty: send a SELECT, ASK, CONSTRUCT or DESCRIBE "
                               "query")
    token = tokens[at]
    word = token.value.upper() if token.kind == "WORD" else ""
    if word in _FORMS:
        return word
    if word in _UPDATES:
        raise QueryRefused("updates are refused: this endpoint and the pathokg graph are "
                           "read-only (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD)")
    raise error_at(text, token.start, "a query begins with SELECT, ASK, CONSTRUCT or DESCRIBE "
                                      "(after any BASE and PREFIX declarations)")


def _where(tokens: list[Token], at: int, form: str) -> int | None:
    """Index of the ``{`` that opens the WHERE pattern (the template's comes first in CONSTRUCT)."""
    skip_template = form == "CONSTRUCT" and at + 1 < len(tokens) and tokens[at + 1].value == "{"
    depth = 0
    for i in range(at + 1, len(tokens)):
        value = tokens[i].value
        if tokens[i].kind != "PUNCT":
            continue
        if value == "{":
            if depth == 0 and not skip_template:
                return i
            depth += 1
        elif value == "}":
            depth -= 1
            if depth == 0:
                skip_template = False
    return None


def prepare(text: str, *, max_chars: int = MAX_QUERY_CHARS) -> PreparedQuery:
    """Check a query and return it prepared for the engine.

    :raises QueryLimitError: the text is longer than ``max_chars`` or nested deeper than
        :data:`MAX_NESTING`.
    :raises QuerySyntaxError: the text is not a SPARQL query (line, column and what is wrong);
        the engine finds the rest of the syntax errors, reported the same way.
    :raises QueryRefused: an update, or ``SERVICE``.
    """
    if len(text) > max_chars:
        raise QueryLimitError(f"the query is {len(text):,} characters long; the limit is "
                              f"{max_chars:,}")
    tokens = tokenize(text)
    at, prefixes = _prologue(tokens)
    form = _form(text, tokens, at)
    depth = deepest = 0
    names_dataset = False
    for token in tokens[at:]:
        kind, value = token.kind, token.value
        if kind == "PUNCT":
            if value in _OPEN:
                depth += 1
                if depth > deepest:
                    deepest = depth
            elif value in _CLOSE:
                depth -= 1
        elif kind == "WORD":
            word = value.upper()
            if word == "SERVICE":
                raise QueryRefused(f"SERVICE {_service_target(tokens, token)} is refused: this "
                                   "endpoint never calls other services")
            if word == "FROM":
                names_dataset = True
        elif kind == "PNAME":
            prefix = value.partition(":")[0]
            if prefix not in prefixes and prefix not in SPARQL_PREFIXES:
                raise _unknown_prefix(text, token, prefix)
    if deepest > MAX_NESTING:
        raise QueryLimitError(f"the query nests brackets {deepest:,} deep; the limit is "
                              f"{MAX_NESTING:,}")
    where = _where(tokens, at, form)
    engine_tokens, used = _expand_predeclared(tokens, at, prefixes)
    canonical, _ = write(text, engine_tokens)
    return PreparedQuery(canonical, form, text, names_dataset,
                         tokens[where].end if where is not None else None, used)


def _unknown_prefix(text: str, token: Token, prefix: str) -> QuerySyntaxError:
    close = difflib.get_close_matches(prefix, list(SPARQL_PREFIXES), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}:? " if close else ""
    return error_at(text, token.start, f"the prefix {prefix}: is not declared, nor one of the predeclared prefixes "
                                       f"({hint}add PREFIX {prefix}: <...> before the query; "
                                       "docs/sparql.md lists the predeclared prefixes)")


def _expand_predeclared(tokens: list[Token], at: int,
                        declared: set[str]) -> tuple[list[Token], tuple[str, ...]]:
    """The tokens with each prefixed name of a predeclared prefix the query does not declare
    written as the IRI it stands for (same place in the text), and those prefixes.

    >>> [t.value for t in _expand_predeclared(tokenize("ASK { ?s a skos:Con\\\\.cept }"), 0, set())[0]][-2]
    'http://www.w3.org/2004/02/skos/core#Con.cept'
    """
    out: list[Token] = []
    used: dict[str, None] = {}
    for index, token in enumerate(tokens):
        if token.kind == "PNAME" and index >= at:
            prefix, _, local = token.value.partition(":")
            if prefix not in declared and prefix in SPARQL_PREFIXES:
                used[prefix] = None
                token = Token("IRI", SPARQL_PREFIXES[prefix] + _LOCAL_ESCAPE.sub(r"\1", local),
                              token.start, token.end)
        out.append(token)
    return out, tuple(used)


@dataclass(frozen=True)
class Window:
    """Which solutions of a query to keep (``--limit``/``--offset``), applied by the engine: the
    query's own ``LIMIT`` and ``OFFSET`` are replaced by the window of that window.

    >>> Window(5, 2).of(limit=10, offset=1)
    (5, 3)
    >>> Window(None, 8).of(limit=10, offset=None)
    (2, 8)
    """

    limit: int | None = None
    offset: int = 0

    def of(self, limit: int | None, offset: int | None) -> tuple[int | None, int]:
        """The LIMIT and OFFSET that take this window of a query that has ``limit`` and ``offset``."""
        start = (offset or 0) + self.offset
        if limit is None:
            return self.limit, start
        left = max(limit - self.offset, 0)
        return (left if self.limit is None else min(self.limit, left)), start


def windowed(text: str, window: Window) -> str:
    """``text`` with its top-level ``LIMIT`` and ``OFFSET`` (outside every bracket: not those of a
    subquery) replaced by the ones of ``window``, written where SPARQL puts them: after the other
    solution modifiers, before a final ``VALUES``. The rest keeps its place (the old modifiers are
    blanked), so positions before them stay where they were.

    >>> windowed("SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 3 } } LIMIT 10", Window(2))
    'SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 3 } } LIMIT 2'
    """
    tokens = tokenize(text)
    depth = 0
    found: dict[str, int] = {}
    blanks: list[tuple[int, int]] = []
    insert = tokens[-1].end if tokens else len(text)  # after the last token, not in a comment
    for i, token in enumerate(tokens):
        if token.kind == "PUNCT":
            depth += token.value in _OPEN
            depth -= token.value in _CLOSE
        elif depth == 0 and token.kind == "WORD":
            word = token.value.upper()
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if word in ("LIMIT", "OFFSET") and following is not None and following.kind == "NUMBER":
                found[word] = int(following.value)
                blanks.append((token.start, following.end))
            elif word == "VALUES" and any(t.value.upper() == "WHERE" or t.value == "}"
                                          for t in tokens[:i]):
                insert = min(insert, token.start)
    limit, offset = window.of(found.get("LIMIT"), found.get("OFFSET"))
    chars = list(text)
    for start, end in blanks:
        chars[start:end] = [c if c in "\r\n" else " " for c in text[start:end]]
    modifiers = (f" LIMIT {limit}" if limit is not None else "") + (f" OFFSET {offset}" if offset else "")
    before, after = "".join(chars[:insert]), "".join(chars[insert:])
    return before.rstrip(" ") + modifiers + (" " + after if after else "")


def with_window(prepared: PreparedQuery, window: Window | None) -> PreparedQuery:
    """A prepared query that keeps only ``window`` of its solutions (itself for no window)."""
    if window is None or window == Window():
        return prepared
    return replace(prepared, text=windowed(prepared.text, window))


def _service_target(tokens: list[Token], service: Token) -> str:
    following = [t for t in tokens if t.start > service.start][:2]
    if following and following[0].value.upper() == "SILENT":
        following = following[1:]
    if not following:
        return ""
    target = following[0]
    return f"<{target.value}>" if target.kind == "IRI" else target.value


def check_query(text: str, *, max_chars: int = MAX_QUERY_CHARS) -> str:
    """Check a query and return its form (``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``).

    >>> check_query("ASK { ?s ?p ?o }")
    'ASK'
    """
    return prepare(text, max_chars=max_chars).form


def engine_syntax_error(source: str, message: str) -> QuerySyntaxError:
    """Oxigraph's syntax error (``error at LINE:COLUMN: ...``, about the canonical text) as an
    error about ``source``: its line, column, the line itself and a caret."""
    match = _ENGINE_POSITION.match(message.strip())
    if not match:
        return QuerySyntaxError(f"SPARQL syntax error: {_expected(message)}")
    line, column, what = int(match.group(1)), int(match.group(2)), match.group(3)
    tokens = tokenize(source)
    at, declared = _prologue(tokens)
    tokens = _expand_predeclared(tokens, at, declared)[0]
    written, starts = write(source, tokens)
    lines = written.split("\n")
    offset = sum(len(x) + 1 for x in lines[:line - 1]) + column - 1
    return error_at(source, original_offset(source, tokens, starts, offset), _expected(what))


def _expected(message: str) -> str:
    """Oxigraph lists every token it would have taken; keep the first few."""
    head, sep, items = message.partition("expected one of ")
    if not sep:
        return message
    names = [n.strip() for n in items.split(", ") if n.strip() and n.strip() != "[_]"]
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"{head}expected one of {shown}"
