"""Labels beside IRIs: the opt-in ``?xLabel`` columns of a SELECT (like Wikidata's label service,
without ``SERVICE``) and the labels of the terminal tables, from one index of the graph's labels.

This is a step after the query, over the result, the same on every face: ``pathokg query
--labels``, ``pathokg.query(..., labels=True)``, ``/sparql?labels=true``, the REST API's
``labels=true`` and the query page's *labels* switch. For each variable ``x`` that holds an IRI in
some row (and has no ``xLabel`` of its own), a column ``xLabel`` follows ``x``, bound where the
graph labels that IRI (``queries/internal/labels.rq``: a preferred label, else ``rdfs:label``, else
the label of a mapped term in its vocabulary) and unbound where it does not. A CONSTRUCT,
DESCRIBE or ASK result is left as it is (it has no columns).

>>> index = LabelIndex([{"iri": "https://w3id.org/pathokg/concept/burn", "label": "burn"}])
>>> srj = b'{"head":{"vars":["c"]},"results":{"bindings":[{"c":{"type":"uri","value":"https://w3id.org/pathokg/concept/burn"}}]}}'
>>> json.loads(add_labels(srj, index))["head"]["vars"]
['c', 'cLabel']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..paths import INTERNAL_QUERIES
from .results import QueryResult

#: The query that lists the labels (run on the asserted graph).
LABELS_QUERY = INTERNAL_QUERIES / "labels.rq"
#: Appended to a variable's name for its label column.
SUFFIX = "Label"


class LabelIndex:
    """IRI -> its label (and the label's language), from the rows of the labels query (the
    first row of an IRI wins: the query orders them by preference)."""

    def __init__(self, rows: Iterable[dict[str, Any]]):
        self._labels: dict[str, tuple[str, str | None]] = {}
        for row in rows:
            iri, label = row.get("iri"), row.get("label")
            if iri and label is not None:
                self._labels.setdefault(str(iri), (str(label), row.get("lang") or None))

    def __len__(self) -> int:
        return len(self._labels)

    def label(self, iri: str) -> str | None:
        """The label of an IRI, or ``None``."""
        found = self._labels.get(iri)
        return found[0] if found else None

    def term(self, iri: str) -> dict[str, str] | None:
        """The label of an IRI as a SPARQL results JSON literal (with its language), or ``None``."""
        found = self._labels.get(iri)
        if found is None:
            return None
        label, lang = found
        return {"type": "literal", "value": label, **({"xml:lang": lang} if lang else {})}


def label_columns(variables: list[str], bindings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``(x, xLabel)`` for each variable that holds an IRI in some row and has no label column."""
    names = set(variables)
    return [(v, v + SUFFIX) for v in variables if v + SUFFIX not in names
            and any(b.get(v, {}).get("type") == "uri" for b in bindings)]


def add_labels(srj: bytes, index: LabelIndex) -> bytes:
    """SPARQL results JSON of a SELECT with a label column after each IRI variable."""
    data = json.loads(srj)
    head = data.setdefault("head", {})
    variables = list(head.get("vars", []))
    bindings = data.get("results", {}).get("bindings", [])
    columns = label_columns(variables, bindings)
    if not columns:
        return srj
    after = dict(columns)
    head["vars"] = [name for v in variables for name in ((v, after[v]) if v in after else (v,))]
    for binding in bindings:
        for variable, column in columns:
            term = binding.get(variable)
            if term is not None and term.get("type") == "uri":
                label = index.term(term["value"])
                if label is not None:
                    binding[column] = label
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def needs_labels(result: QueryResult) -> bool:
    """Whether :func:`with_labels` would add a column to ``result`` (so that the index is read
    only when it is needed: a table of a query with its own label columns reads none)."""
    return (result.srj is not None and result.form == "SELECT"
            and bool(label_columns(result.variables, result.bindings)))


def with_labels(result: QueryResult, index: LabelIndex) -> QueryResult:
    """The result of a SELECT with its label columns; any other result as it is (a graph or a
    yes/no has no columns: a CONSTRUCT constructs the labels it wants, ``?x skos:prefLabel ?l``)."""
    if result.srj is None or result.form != "SELECT":
        return result
    return QueryResult(result.form, srj=add_labels(result.srj, index))
