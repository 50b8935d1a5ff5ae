"""Parameters of named queries: ``?_name`` in a query file, filled with a value the user gives.

A value becomes an RDF term (an IRI or an escaped literal), never text spliced into the query.
"""

from __future__ import annotations

import re

from rdflib import Literal

from ..errors import QueryError
from ..vocab import expand_curie
from .files import QueryFile

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
    iri: str | None = None
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif _CURIE.match(value):
        iri = expand_curie(value)
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
