"""Parameters of named queries: ``?_name`` in a query file, bound by the engine to a value the
user gives.

A value becomes an RDF term (an IRI or a plain literal) that the engine binds to the variable
(pyoxigraph's ``substitutions``): the query text is never edited, so no value can change what the
query says. A query file therefore uses each parameter as a variable that is bound where the
query starts (in a triple pattern, not only in a ``BIND``) and, for a ``SELECT``, projects it;
the result leaves the parameter columns out (:class:`~pathokg.querying.results.QueryResult`).

Other SPARQL services take only a text: for them (``--endpoint``) and for showing a query with
its values, :attr:`BoundQuery.text` writes each value in place of its variable, token by token,
with the same writer as the canonical text (:mod:`pathokg.querying.tokens`); that text is checked
again wherever it is run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from ..errors import QueryError
from ..vocab import expand_curie
from .files import QueryFile, with_base
from .safety import PreparedQuery, prepare
from .tokens import tokenize, write_term

_CURIE = re.compile(r"^([A-Za-z][\w.-]*):([^\s<>\"{}|^`\\]*)$")
_IRI_FORBIDDEN = re.compile(r"[\s<>\"{}|^`\\]")

#: An RDF term a parameter is bound to.
Term = ox.NamedNode | ox.Literal


def param_term(value: str) -> Term:
    """The RDF term for a parameter value: an IRI or a plain string literal.

    A value in angle brackets, or a CURIE whose prefix pathokg knows (``pk:``, ``pko:`` ... and the
    external prefixes ``MESH:``, ``HP:`` ...), becomes an IRI; anything else is a string literal.

    >>> param_term("pk:chronic-kidney-disease")
    <NamedNode value=https://w3id.org/pathokg/concept/chronic-kidney-disease>
    >>> param_term("MESH:D002114")
    <NamedNode value=http://id.nlm.nih.gov/mesh/D002114>
    >>> param_term('calc" } ').value
    'calc" } '
    """
    iri: str | None = None
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif _CURIE.match(value):
        iri = expand_curie(value)
    if iri is None:
        return ox.Literal(value)
    if _IRI_FORBIDDEN.search(iri) or ":" not in iri:
        raise QueryError(f"{value!r} is not a valid IRI for a query parameter")
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise QueryError(f"{value!r} is not a valid IRI for a query parameter") from None


@lru_cache(maxsize=256)
def _template(text: str) -> PreparedQuery:
    """A query file's text, checked once (the files are few and the project's own)."""
    return prepare(text)


@dataclass(frozen=True)
class BoundQuery:
    """A named query and the terms its parameters are bound to."""

    query: QueryFile
    #: parameter name (without ``?_``) -> term, in the order of the file's ``#+ param`` lines
    values: dict[str, Term]

    @property
    def prepared(self) -> PreparedQuery:
        """The query file's text, checked: what the engine parses."""
        return _template(self.query.text)

    @property
    def substitutions(self) -> dict[ox.Variable, Term]:
        """The variables the engine binds, and their values."""
        return {ox.Variable(f"_{name}"): term for name, term in self.values.items()}

    @property
    def hidden(self) -> tuple[str, ...]:
        """The parameter variables, which results leave out."""
        return tuple(f"_{name}" for name in self.values)

    @property
    def text(self) -> str:
        """The query as one text (with ``BASE``) for another SPARQL service, or to read: each
        parameter variable replaced by its value, token by token (and left out of projections,
        ``GROUP BY`` and ``ORDER BY``, where it is a constant). The values are written by the
        canonical writer, and the text is checked again wherever it is run.
        """
        return with_base(_written(self.query.text, self.values) if self.values else self.query.text)


def _term_text(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    return write_term("STRING", term.value)


def _written(source: str, values: dict[str, Term]) -> str:
    """``source`` with each ``?_name`` token of ``values`` written as its term."""
    terms = {f"_{name}": _term_text(term) for name, term in values.items()}
    parts: list[str] = []
    last = 0
    clause: str | None = None  # "select", "group" or "order" while in such a clause
    depth = 0  # parentheses opened in that clause
    for token in tokenize(source):
        kind, value = token.kind, token.value
        if kind == "WORD":
            word = value.upper()
            if word in ("SELECT", "GROUP", "ORDER"):
                clause, depth = word.lower(), 0
            elif word in ("WHERE", "HAVING", "LIMIT", "OFFSET", "VALUES", "FROM"):
                clause = None
        elif kind == "PUNCT":
            if value in "{}":
                clause = None
            elif value == "(":
                depth += 1
            elif value == ")":
                depth -= 1
        elif kind == "VAR" and value[1:] in terms:
            # in a projection, GROUP BY or ORDER BY the variable goes: it is a constant now
            term = "" if clause is not None and depth == 0 else terms[value[1:]]
            parts += [source[last:token.start], term]
            last = token.end
    return "".join(parts) + source[last:]


def bind_params(query: QueryFile, values: dict[str, str]) -> BoundQuery:
    """The query with each parameter bound to its value, or to its default.

    :raises QueryError: for an unknown parameter, a required one without value, or a value that
        looks like an IRI but is not one.
    """
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        valid = ", ".join(known) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)} "
                         f"(its parameters: {valid})")
    terms: dict[str, Term] = {}
    for name, param in known.items():
        value = values.get(name, param.default)
        if value is None:
            raise QueryError(f"query {query.name!r} needs a value for parameter {name!r}: "
                             f"{param.description} (pass --param {name}=VALUE)")
        terms[name] = param_term(value)
    return BoundQuery(query, terms)
