"""Run a query on a remote SPARQL 1.1 endpoint (the ``--endpoint URL`` option), with the protocol's
POST form encoding and standard result formats."""

from __future__ import annotations

import httpx
import pyoxigraph as ox

from ..errors import RemoteError
from .files import with_base
from .params import BoundQuery
from .results import QueryResult
from .safety import prepare

_ACCEPT_SOLUTIONS = "application/sparql-results+json"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"


def run_remote(endpoint: str, query: str | BoundQuery, *,
               timeout: float | None = None) -> QueryResult:
    """Send a (checked) query to ``endpoint`` and read its answer.

    A named query goes as its text with its values in a ``VALUES`` block
    (:attr:`~pathokg.querying.params.BoundQuery.text`); its parameter columns are left out of the
    result, as on the embedded engine.

    :raises QueryError: the query is refused or malformed (checked here before sending).
    :raises RemoteError: the endpoint cannot be reached, refuses the query or answers wrongly.
    """
    hidden = query.hidden if isinstance(query, BoundQuery) else ()
    text = query.text if isinstance(query, BoundQuery) else with_base(query)
    form = prepare(text).form
    graph = form in {"CONSTRUCT", "DESCRIBE"}
    try:
        response = httpx.post(endpoint, data={"query": text}, timeout=timeout or 60.0,
                              headers={"Accept": _ACCEPT_GRAPH if graph else _ACCEPT_SOLUTIONS})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the SPARQL endpoint {endpoint}: {exc}") from None
    if response.status_code != 200:
        raise RemoteError(f"the SPARQL endpoint {endpoint} answered {response.status_code}: "
                          f"{response.text[:500]}")
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if graph:
            fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
            triples = [q.triple for q in ox.parse(response.content, format=fmt)]
            return QueryResult(form, triples=triples)
        parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        return QueryResult.from_oxigraph(form, parsed, hidden)
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"the SPARQL endpoint {endpoint} sent a result that cannot be read "
                          f"({media}): {exc}") from None
