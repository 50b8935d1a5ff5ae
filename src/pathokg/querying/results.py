"""The result of a query, usable from Python and convertible to the W3C formats.

SELECT and ASK results are kept as SPARQL results JSON written by Oxigraph (so every conversion is
Oxigraph's own W3C serialiser); CONSTRUCT and DESCRIBE results as a list of distinct triples in a
canonical order (:func:`canonical_triples`: Oxigraph writes a template's triples once per solution,
so one CONSTRUCT gave 1,773 triples of which 233 were distinct), the same in every format and on
every face. The variables a named query's parameters are bound to are left out (``hidden``).

:func:`write_limited` writes a result straight from the engine's iterator into a buffer that stops
at a size limit, so a result too large for the limit is never built whole.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError, QueryLimitError
from ..vocab import PREFIXES
from .formats import Format, graph_format, solution_format
from .terms import dataframe, term_value, value

if TYPE_CHECKING:
    import pandas

#: rounds of blank node refinement (each looks one triple further around a blank node)
_REFINE_ROUNDS = 3


def canonical_triples(triples: Iterable[ox.Triple], limit: int | None = None) -> list[ox.Triple]:
    """The distinct triples, sorted by their N-Triples text, blank nodes named ``b0``, ``b1``, ...
    by what surrounds them (not by the store's labels, which differ between loads of the same
    data), so that the same result is the same bytes in every run.

    Blank nodes are told apart by a few rounds of colour refinement (each round hashes the
    triples a node is in, other blank nodes written as their colour): a few lines instead of
    rdflib's full canonicalisation, which would bring rdflib into every worker for results that
    mostly hold no blank node at all.

    :param limit: stop with :class:`QueryLimitError` (413) once the triples read, written as
        N-Triples, pass this many bytes.

    >>> a, b = ox.BlankNode("zz"), ox.BlankNode("aa")
    >>> p, o = ox.NamedNode("http://e/p"), ox.Literal("x")
    >>> [str(t) for t in canonical_triples([ox.Triple(a, p, o), ox.Triple(a, p, o), ox.Triple(b, p, a)])]
    ['_:b0 <http://e/p> "x"', '_:b1 <http://e/p> _:b0']
    """
    unique: dict[ox.Triple, None] = {}
    size = 0
    for triple in triples:
        if limit is not None:
            size += len(str(triple)) + 3
            if size > limit:
                raise _too_large(limit)
        unique[triple] = None
    if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
               for t in unique):
        return sorted(unique, key=str)
    colour: dict[ox.BlankNode, str] = {t: "" for triple in unique for t in (triple.subject, triple.object)
                                       if isinstance(t, ox.BlankNode)}
    for _ in range(_REFINE_ROUNDS):
        seen: dict[ox.BlankNode, list[str]] = defaultdict(list)
        for triple in unique:
            written = " ".join(f"_:{colour[t]}" if t in colour else str(t)
                               for t in (triple.subject, triple.predicate, triple.object))
            for place, term in (("s", triple.subject), ("o", triple.object)):
                if term in colour:
                    seen[term].append(place + written)  # type: ignore[index]
        colour = {node: hashlib.sha1("\n".join(sorted(seen[node])).encode()).hexdigest()
                  for node in colour}
    names = {node: ox.BlankNode(f"b{n}") for n, node in enumerate(sorted(colour, key=colour.get))}
    return sorted({ox.Triple(names.get(t.subject, t.subject), t.predicate,  # type: ignore[arg-type]
                             names.get(t.object, t.object)) for t in unique}, key=str)


def _too_large(limit: int) -> QueryLimitError:
    return QueryLimitError(f"the result is larger than the limit of {limit:,} bytes (add a LIMIT, "
                           "or select fewer variables)", 413)


def _strip(srj: bytes, hidden: tuple[str, ...]) -> bytes:
    """SPARQL results JSON without the ``hidden`` variables."""
    data = json.loads(srj)
    head = data.get("head", {})
    head["vars"] = [v for v in head.get("vars", []) if v not in hidden]
    for binding in data.get("results", {}).get("bindings", []):
        for name in hidden:
            binding.pop(name, None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class QueryResult:
    """What a query returned.

    ``form`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``. For SELECT, :attr:`rows` gives
    one dict per solution (variable -> typed Python value, ``None`` when unbound; the texts in
    :attr:`lexical_rows`); for ASK, :attr:`boolean`; for CONSTRUCT/DESCRIBE, :meth:`graph`.
    :meth:`to_dataframe` gives a pandas DataFrame and :meth:`serialize` any W3C format.
    """

    form: str
    srj: bytes | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    @classmethod
    def from_oxigraph(cls, form: str, result: Any, hidden: tuple[str, ...] = ()) -> QueryResult:
        """Wrap what ``pyoxigraph.Store.query`` returned, leaving out the ``hidden`` variables."""
        if isinstance(result, ox.QueryTriples):
            return cls(form, triples=canonical_triples(result))
        srj = result.serialize(format=ox.QueryResultsFormat.JSON)
        return cls(form, srj=_strip(srj, hidden) if hidden and form == "SELECT" else srj)

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE results."""
        return self.srj is None

    @cached_property
    def _json(self) -> dict[str, Any]:
        if self.srj is None:
            raise QueryError(f"a {self.form} query returns a graph, not solutions: "
                             "use .graph()")
        return json.loads(self.srj)

    @property
    def variables(self) -> list[str]:
        """The projected variables of a SELECT, in order."""
        return list(self._json.get("head", {}).get("vars", []))

    @property
    def boolean(self) -> bool | None:
        """The answer of an ASK query (``None`` for other forms)."""
        return self._json.get("boolean") if self.srj is not None else None

    @property
    def bindings(self) -> list[dict[str, dict[str, str]]]:
        """The solutions as SPARQL results JSON bindings (type, value, datatype, xml:lang)."""
        return list(self._json.get("results", {}).get("bindings", []))

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One dict per solution: variable -> Python value (``None`` when unbound): an
        :class:`~pathokg.querying.terms.IRI` for an IRI, ``int``, ``float``, ``Decimal``,
        ``bool``, ``date`` or ``datetime`` for a literal of those XSD types, ``str`` otherwise
        (see :mod:`pathokg.querying.terms`).

        >>> import pathokg
        >>> row = pathokg.query("evidence", subject="pk:burn", object="pk:tissue-injury").rows[0]
        >>> type(row["start"]).__name__, row["source"].curie
        ('int', 'pksrc:dystrophic-calcification')
        """
        names = self.variables
        return [{v: value(b.get(v)) for v in names} for b in self.bindings]

    @property
    def lexical_rows(self) -> list[dict[str, str | None]]:
        """One dict per solution: variable -> the term's text, as the W3C formats write it
        (``None`` when unbound)."""
        names = self.variables
        return [{v: b[v]["value"] if v in b else None for v in names} for b in self.bindings]

    def to_dataframe(self) -> pandas.DataFrame:
        """The result as a pandas DataFrame (``pip install 'pathokg[dataframe]'``): a SELECT's
        variables as columns, typed as :attr:`rows` are; a CONSTRUCT's or DESCRIBE's triples as
        ``subject``, ``predicate``, ``object``; an ASK's answer as one ``answer`` column.

        >>> import pathokg
        >>> frame = pathokg.query("evidence", subject="CKD", object="dystrophic calcification").to_dataframe()
        >>> str(frame["start"].dtype), list(frame.columns[:2])
        ('Int64', ['relation', 'quote'])

        :raises ExtraMissing: pandas is not installed.
        """
        if self.is_graph:
            columns = ["subject", "predicate", "object"]
            rows = [dict(zip(columns, map(term_value, (t.subject, t.predicate, t.object)), strict=True))
                    for t in self.triples]
            return dataframe(rows, columns)
        if self.boolean is not None:
            return dataframe([{"answer": self.boolean}], ["answer"])
        return dataframe(self.rows, self.variables)

    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.bindings)

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE result as an rdflib Graph (pathokg prefixes)."""
        if not self.is_graph:
            raise QueryError(f"a {self.form} query returns solutions, not a graph: use .rows")
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        data = ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES)
        if data:
            g.parse(data=data, format="nt")
        return g

    def format_for(self, name: str) -> Format:
        """The format of this name that fits the result, or a clear error."""
        fmt = graph_format(name) if self.is_graph else solution_format(name)
        if fmt is None:
            kind = ("graph (ttl, nt, jsonld, rdfxml)" if self.is_graph
                    else "solutions (srj, srx, csv, tsv)")
            raise QueryError(f"format {name!r} does not fit a {self.form} result, "
                             f"which gives {kind}")
        return fmt

    def serialize(self, fmt: str | Format = "srj") -> bytes:
        """The result in a W3C format: a name (``srj``, ``csv``, ``ttl``...) or a Format."""
        fmt = self.format_for(fmt) if isinstance(fmt, str) else fmt
        if self.is_graph:
            return _write_graph(self.triples, fmt, None)
        assert self.srj is not None
        if fmt.ox_format == ox.QueryResultsFormat.JSON:
            return self.srj
        parsed = ox.parse_query_results(self.srj, format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=fmt.ox_format) or b""


def _write_graph(triples: Any, fmt: Format, output: Any) -> bytes:
    prefixed = fmt.ox_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
    return ox.serialize(triples, output, format=fmt.ox_format,
                        prefixes=PREFIXES if prefixed else None) or b""


class _Limited(io.RawIOBase):
    """A byte buffer that raises :class:`QueryLimitError` once more than ``limit`` bytes arrive."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.size, self.parts = limit, 0, []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _too_large(self.limit)
        self.parts.append(bytes(data))
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


def write_limited(form: str, result: Any, fmt: Format, limit: int,
                  hidden: tuple[str, ...] = ()) -> bytes:
    """Serialise what ``Store.query`` returned in ``fmt``, as it is computed, stopping with
    :class:`QueryLimitError` (413) past ``limit`` bytes.

    Must run on the thread that ran the query (Oxigraph evaluates as the result is read).
    """
    out = _Limited(limit)
    if isinstance(result, ox.QueryTriples):
        _write_graph(canonical_triples(result, limit), fmt, out)
        return out.value()
    if hidden and form == "SELECT":
        result.serialize(out, format=ox.QueryResultsFormat.JSON)
        srj = _strip(out.value(), hidden)
        return QueryResult(form, srj=srj).serialize(fmt)
    result.serialize(out, format=fmt.ox_format)
    return out.value()
