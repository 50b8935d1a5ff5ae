"""Parameter values checked before a named query runs: every value names something, or it is an
error that says what the value could have been.

This is the step before binding (:mod:`pathokg.querying.params`): a value of a ``concept``
parameter (see :data:`~pathokg.querying.files.PARAM_KINDS`) may be any name of a concept (id,
CURIE, IRI, label, synonym, abbreviation, an external id it matches exactly) and becomes that
concept's ``<IRI>``; a ``category`` value becomes its class's ``<IRI>``; an ``xref`` value must be
an external identifier and becomes its ``<IRI>``. A value that names nothing is a
:class:`~pathokg.errors.QueryError` (exit code 2, HTTP 400) with close matches, never a query that
silently answers nothing. The names come from the graph the query runs on (embedded, served or
remote), read with ``queries/internal/concept-names.rq`` and ``category-names.rq``.

>>> from pathokg.querying.files import get_query
>>> from pathokg.querying.release import release_store
>>> names = StoreNames(release_store())
>>> resolve_values(get_query("evidence"), {"subject": "CKD", "object": "dystrophic calcification"}, names)
{'subject': '<https://w3id.org/pathokg/concept/chronic-kidney-disease>', 'object': '<https://w3id.org/pathokg/concept/dystrophic-calcification>'}
>>> resolve_values(get_query("evidence"), {"subject": "HP_0012622"}, names)   # an exact match
{'subject': '<https://w3id.org/pathokg/concept/chronic-kidney-disease>'}
>>> resolve_values(get_query("risk-factors"), {"condition": "pk:dystrophic-calcificaton"}, names)
Traceback (most recent call last):
...
pathokg.errors.QueryError: parameter condition: unknown concept 'pk:dystrophic-calcificaton'; did you mean: ...?
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ..errors import ConceptNotFound, QueryError
from ..paths import INTERNAL_QUERIES
from .concepts import ConceptIndex, ConceptName, expand_identifier
from .files import QueryFile, read_query_file

#: The query that lists the names of each kind of thing a parameter can name.
NAMES_QUERIES: dict[str, Path] = {"concept": INTERNAL_QUERIES / "concept-names.rq",
                                  "category": INTERNAL_QUERIES / "category-names.rq",
                                  "phenotype": INTERNAL_QUERIES / "hpo-phenotype-names.rq"}
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")

Rows = list[dict[str, str | None]]


def index_from_rows(rows: Rows, what: str) -> ConceptIndex:
    """A :class:`ConceptIndex` from the rows of a names query (``concept``, ``label`` and, for
    concepts, one ``synonym`` or ``xref`` per row)."""
    labels: dict[str, str] = {}
    synonyms: dict[str, list[str]] = {}
    xrefs: dict[str, list[str]] = {}
    for row in rows:
        iri, label = row.get("concept"), row.get("label")
        if not iri or not label:
            continue
        labels.setdefault(iri, label)
        if row.get("synonym"):
            synonyms.setdefault(iri, []).append(str(row["synonym"]))
        if row.get("xref"):
            xrefs.setdefault(iri, []).append(str(row["xref"]))
    return ConceptIndex((ConceptName(iri, label, tuple(sorted(set(synonyms.get(iri, ())))),
                                     tuple(sorted(set(xrefs.get(iri, ())))))
                         for iri, label in labels.items()), what=what)


class Names:
    """The names of the things a graph holds, read once per kind with a function that runs one
    of pathokg's internal query files on that graph and returns its rows."""

    def __init__(self, run: Callable[[QueryFile], Rows], where: str = "the release"):
        self._run = run
        self.where = where
        self._indexes: dict[str, ConceptIndex] = {}

    def index(self, kind: str) -> ConceptIndex:
        """The index of one kind (``concept`` or ``category``).

        :raises QueryError: the graph holds none of that kind (it is not a pathokg release).
        """
        if kind not in self._indexes:
            index = index_from_rows(self._run(read_query_file(NAMES_QUERIES[kind])), kind)
            if not index.concepts and kind == "phenotype":
                raise QueryError(f"{self.where} holds no HPO terms: it was built with `--hpo none`; "
                                 "build it with `pathokg build` (the HPO import) or `--hpo full`")
            if not index.concepts:
                raise QueryError(f"{self.where} holds no pathokg {kind}; is it a pathokg release? "
                                 "(`pathokg build` writes one, `pathokg publish` puts it in a store)")
            self._indexes[kind] = index
        return self._indexes[kind]


class StoreNames(Names):
    """The names in a pyoxigraph store (the embedded engine's release)."""

    def __init__(self, store: ox.Store, where: str = "the release"):
        from .rows import select

        super().__init__(lambda query: select(store, query), where)  # type: ignore[arg-type]


def external_iri(value: str) -> str | None:
    """The IRI of an external identifier: ``<IRI>``, a CURIE of a known prefix or an OBO id.

    >>> external_iri("HP_0012622")
    'http://purl.obolibrary.org/obo/HP_0012622'
    >>> external_iri("mesh:D002114")
    'http://id.nlm.nih.gov/mesh/D002114'
    >>> external_iri("calcification") is None
    True
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1] if _IRI.match(value[1:-1]) else None
    return expand_identifier(value)


def resolve_value(kind: str, value: str, names: Names) -> str:
    """One value checked for its kind: a ``<IRI>`` for concepts, categories and xrefs; the value
    itself for text.

    :raises QueryError: the value names nothing of its kind (the message lists close matches).
    """
    if kind in NAMES_QUERIES:
        try:
            return f"<{names.index(kind).resolve(value)}>"
        except ConceptNotFound as exc:
            raise QueryError(str(exc)) from None
    if kind == "xref":
        iri = external_iri(value)
        if iri is None:
            raise QueryError(f"{value!r} is not an external identifier; write it as a CURIE "
                             "(MESH:D002114, HP:0012622), an OBO id (HP_0012622) or an <IRI>")
        return f"<{iri}>"
    return value


def resolve_values(query: QueryFile, values: dict[str, str], names: Names) -> dict[str, str]:
    """The values a user gave for a named query, each checked for its parameter's kind (unknown
    parameter names are left for :func:`~pathokg.querying.params.bind_params` to report).

    :raises QueryError: a value names nothing of its kind; the message names the parameter.
    """
    kinds = {p.name: p.kind for p in query.params}
    choices = {p.name: p.choices for p in query.params if p.choices}
    resolved = {}
    for name, value in values.items():
        try:
            if name in choices and value not in choices[name]:
                close = difflib.get_close_matches(value, choices[name], n=1, cutoff=0.5)
                hint = f"did you mean {close[0]}? " if close else ""
                raise QueryError(f"{value!r} is not one of its values; {hint}use one of "
                                 f"{', '.join(choices[name])}")
            resolved[name] = resolve_value(kinds.get(name, "text"), value, names)
        except QueryError as exc:
            raise QueryError(f"parameter {name}: {exc}") from None
    return resolved
