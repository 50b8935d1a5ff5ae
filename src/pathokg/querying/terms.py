"""RDF terms of query results as Python values: an IRI is an :class:`IRI` (a ``str`` that knows it
is one), a literal the Python value of its datatype, and a table of them a pandas DataFrame.

=============================================  =====================================
datatype                                       Python value
=============================================  =====================================
``xsd:integer`` and its derived types          ``int``
``xsd:decimal``                                ``decimal.Decimal`` (exact, as rdflib)
``xsd:double``, ``xsd:float``                  ``float``
``xsd:boolean``                                ``bool``
``xsd:date``                                   ``datetime.date`` (without a timezone)
``xsd:dateTime``                               ``datetime.datetime``
anything else (strings, language strings)      ``str``
=============================================  =====================================

A literal whose text is not a valid value of its datatype stays a ``str``; a blank node is a
:class:`BlankNode` (a ``str`` too). Because :class:`IRI` is a ``str``, ``row["concept"] ==
"https://w3id.org/pathokg/concept/burn"`` holds, and the IRI also says what it is and has its
CURIE (:attr:`IRI.curie`).

>>> value({"type": "literal", "value": "2662", "datatype": XSD + "integer"})
2662
>>> iri = value({"type": "uri", "value": "https://w3id.org/pathokg/concept/burn"})
>>> iri == "https://w3id.org/pathokg/concept/burn", iri.curie
(True, 'pk:burn')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import ExtraMissing
from ..vocab import shorten

if TYPE_CHECKING:
    import pandas

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
             "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
             "unsignedShort", "unsignedByte")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class IRI(str):
    """An IRI in a query result: a ``str`` (its full text) that says it is an IRI."""

    __slots__ = ()

    @property
    def curie(self) -> str:
        """The IRI as a CURIE where one of pathokg's prefixes fits, else the IRI itself."""
        return shorten(self)

    def __repr__(self) -> str:
        return f"IRI({str(self)!r})"


class BlankNode(str):
    """A blank node in a query result: its label."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BlankNode({str(self)!r})"


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


_CONVERT: dict[str, Callable[[str], Any]] = {
    **{XSD + name: int for name in _INTEGERS},
    XSD + "decimal": Decimal,
    XSD + "double": float,
    XSD + "float": float,
    XSD + "boolean": _BOOLEANS.__getitem__,
    XSD + "date": _date,
    XSD + "dateTime": dt.datetime.fromisoformat,
}


def literal_value(text: str, datatype: str | None) -> Any:
    """The Python value of a literal (its text if the datatype is not one above, or the text is
    not a valid value of it).

    >>> literal_value("true", XSD + "boolean"), literal_value("x", XSD + "integer")
    (True, 'x')
    """
    convert = _CONVERT.get(datatype or "")
    if convert is None:
        return text
    try:
        return convert(text.strip())
    except (ValueError, KeyError, InvalidOperation):
        return text


def value(binding: dict[str, str] | None) -> Any:
    """The Python value of a term in SPARQL results JSON (``None`` for an unbound variable)."""
    if binding is None:
        return None
    kind = binding.get("type")
    if kind == "uri":
        return IRI(binding["value"])
    if kind == "bnode":
        return BlankNode(binding["value"])
    return literal_value(binding["value"], binding.get("datatype"))


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    """The Python value of a pyoxigraph term (of a CONSTRUCT result)."""
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BlankNode(term.value)
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value)
    return str(term)


def dataframe(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> pandas.DataFrame:
    """A pandas DataFrame of typed rows: a column of integers (or booleans) with unbound values
    keeps its type (pandas' nullable ``Int64``, ``boolean``) instead of turning into floats;
    dates and times are ``datetime64``; IRIs and strings stay Python objects (IRIs keep their
    type).

    :raises ExtraMissing: pandas is not installed (``pip install 'pathokg[dataframe]'``).
    """
    try:
        import pandas as pd
    except ImportError:
        raise ExtraMissing("to_dataframe() needs pandas, which is not installed here: "
                           "pip install 'pathokg[dataframe]'") from None
    data: dict[str, Any] = {}
    for name in columns:
        values = [row.get(name) for row in rows]
        present = {type(v) for v in values if v is not None}
        if present == {int}:
            data[name] = pd.array(values, dtype="Int64")
        elif present == {bool}:
            data[name] = pd.array(values, dtype="boolean")
        elif present and present <= {dt.datetime, dt.date}:
            data[name] = pd.to_datetime(pd.Series(values, dtype=object))
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=list(columns))
