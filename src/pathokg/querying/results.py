"""The result of a query, usable from Python and convertible to the W3C formats.

SELECT and ASK results are kept as SPARQL results JSON written by Oxigraph (so every conversion is
Oxigraph's own W3C serialiser); CONSTRUCT and DESCRIBE results as a list of triples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError
from ..vocab import PREFIXES
from .formats import Format, graph_format, solution_format


@dataclass
class QueryResult:
    """What a query returned.

    ``form`` is ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``. For SELECT, :attr:`rows` gives
    one dict per solution (variable -> lexical value, ``None`` when unbound); for ASK,
    :attr:`boolean`; for CONSTRUCT/DESCRIBE, :meth:`graph`. :meth:`serialize` writes any W3C format.
    """

    form: str
    srj: bytes | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    @classmethod
    def from_oxigraph(cls, form: str, result: Any) -> QueryResult:
        """Wrap what ``pyoxigraph.Store.query`` returned."""
        if isinstance(result, ox.QueryTriples):
            return cls(form, triples=list(result))
        return cls(form, srj=result.serialize(format=ox.QueryResultsFormat.JSON))

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
    def rows(self) -> list[dict[str, str | None]]:
        """One dict per solution: variable -> lexical value (``None`` when unbound)."""
        names = self.variables
        return [{v: b[v]["value"] if v in b else None for v in names} for b in self.bindings]

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
            prefixed = fmt.ox_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
            prefixes = PREFIXES if prefixed else None
            return ox.serialize(self.triples, format=fmt.ox_format, prefixes=prefixes) or b""
        assert self.srj is not None
        if fmt.ox_format == ox.QueryResultsFormat.JSON:
            return self.srj
        parsed = ox.parse_query_results(self.srj, format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=fmt.ox_format) or b""
