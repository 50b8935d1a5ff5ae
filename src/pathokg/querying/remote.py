"""Run a query on a remote SPARQL 1.1 endpoint (the ``--endpoint URL`` option), with the protocol's
POST form encoding and standard result formats, so that it answers like the embedded graph.

``pathokg publish`` puts the release into named graphs (:data:`~pathokg.vocab.DATASET_IRI`, and
the entailments in :data:`~pathokg.vocab.INFERRED_GRAPH`), never into a store's default graph,
which holds other people's data. So before the first query to an endpoint, pathokg asks what it
holds (``queries/internal/release-graphs.rq``, then ``release-in-default-graph.rq``):

* it holds the published graphs: each query names them as its dataset (``default-graph-uri`` and
  ``named-graph-uri``, SPARQL 1.1 Protocol), the release and, unless ``inferred=False``, its
  entailments, as the embedded engine does (and the HPO backbone's graphs, if published: the
  annotations from the named graph that the pointer graph :data:`~pathokg.vocab.PUBLISHED_GRAPH`
  names, or, without a pointer, from :data:`~pathokg.vocab.HPO_ANNOTATIONS_GRAPH`; the pointer
  graph itself is never part of the dataset);
* its default graph holds the release (``pathokg serve``, a store loaded by hand): the query is
  sent as it is;
* neither: a :class:`~pathokg.errors.RemoteError` that says so (never an answer of zero rows).

A URL that names its own dataset (``default-graph-uri=`` in it, as ``pathokg publish`` prints) is
used as it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import httpx
import pyoxigraph as ox

from ..errors import ArgumentError, QueryError, RemoteError
from ..paths import INTERNAL_QUERIES
from ..vocab import DATASET_IRI, HPO_ANNOTATIONS_GRAPH, HPO_GRAPH, INFERRED_GRAPH
from .files import QueryFile, read_query_file, with_base
from .labels import LABELS_QUERY, LabelIndex, needs_labels, with_labels
from .params import BoundQuery
from .results import QueryResult, canonical_triples
from .safety import Window, prepare, windowed

_ACCEPT_SOLUTIONS = "application/sparql-results+json"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
_DATASET_PARAMS = {"default-graph-uri", "named-graph-uri"}
DEFAULT_GRAPH_PROBE = INTERNAL_QUERIES / "release-in-default-graph.rq"
NAMED_GRAPHS_PROBE = INTERNAL_QUERIES / "release-graphs.rq"

#: endpoint -> (when it was asked, the named graphs that hold the release there; empty: its
#: default graph does)
_LAYOUTS: dict[str, tuple[float, tuple[str, ...]]] = {}
#: How long an endpoint's layout is trusted: a publish elsewhere switches the pointer graph and
#: drops the previous annotations graph, which a reader must not keep querying (zero rows).
LAYOUT_SECONDS = 30.0


def check_url(url: str, what: str = "the URL") -> str:
    """``url`` if it is an absolute http(s) URL with a host (and a port in range).

    >>> check_url("http://[bad/store", "--store")
    Traceback (most recent call last):
    ...
    pathokg.errors.ArgumentError: --store 'http://[bad/store' is not a valid URL (Invalid IPv6 URL); write it as http://HOST:PORT/PATH

    :raises ArgumentError: anything else.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise ArgumentError(f"{what} {url!r} is not a valid URL ({exc}); write it as "
                            "http://HOST:PORT/PATH") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ArgumentError(f"{what} {url!r} is not an http(s) URL with a host; write it as "
                            "http://HOST:PORT/PATH")
    return url


def _post(endpoint: str, text: str, accept: str, timeout: float | None,
          dataset: list[tuple[str, str]]) -> httpx.Response:
    form: dict[str, str | list[str]] = {"query": text}
    for key, value in dataset:
        form.setdefault(key, [])
        form[key].append(value)  # type: ignore[union-attr]
    try:
        response = httpx.post(endpoint, data=form, timeout=timeout or 60.0,
                              headers={"Accept": accept})
    except httpx.TimeoutException:
        raise RemoteError(f"the SPARQL endpoint {endpoint} did not answer within "
                          f"{timeout or 60.0:g} s (raise --timeout)") from None
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the SPARQL endpoint {endpoint}: {exc} (is the server "
                          "running, and is the URL right?)") from None
    if response.status_code != 200:
        raise RemoteError(f"the SPARQL endpoint {endpoint} answered {response.status_code}: "
                          f"{response.text[:500]}")
    return response


def _ask(endpoint: str, text: str, timeout: float | None, *,
         refusal_ok: bool = False) -> QueryResult | None:
    """Run one of pathokg's own probe queries; ``None`` if refused and ``refusal_ok``."""
    try:
        response = _post(endpoint, with_base(text), _ACCEPT_SOLUTIONS, timeout, [])
    except RemoteError:
        if refusal_ok:
            return None  # a store may refuse GRAPH on graphs it does not serve
        raise
    try:
        parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"{endpoint} is not a SPARQL endpoint that pathokg can read "
                          f"(its answer: {exc}); give the store's query URL") from None
    form = "ASK" if isinstance(parsed, ox.QueryBoolean) else "SELECT"
    return QueryResult.from_oxigraph(form, parsed)


_TRUE = {"true", "1"}


def forget_layouts() -> None:
    """Forget what every endpoint was found to hold (a publish from this process changed it: the
    HPO annotations are in a new graph, the previous one dropped)."""
    _LAYOUTS.clear()


def release_layout(endpoint: str, timeout: float | None = None) -> tuple[str, ...]:
    """The named graphs that hold the release at ``endpoint`` (empty: its default graph does),
    asked again after :data:`LAYOUT_SECONDS`.

    The published graphs are looked for first: a store whose default graph is the union of its
    graphs (Virtuoso) holds other data there too.

    :raises RemoteError: the endpoint holds no pathokg release, or cannot be asked.
    """
    cached = _LAYOUTS.get(endpoint)
    if cached is not None and time.monotonic() - cached[0] < LAYOUT_SECONDS:
        return cached[1]
    asked = time.monotonic()
    named = _ask(endpoint, read_query_file(NAMED_GRAPHS_PROBE).text, timeout, refusal_ok=True)
    found = named.lexical_rows[0] if named is not None and named.rows else {}
    if found.get("release") in _TRUE:
        graphs = [str(DATASET_IRI)]
        if found.get("inferred") in _TRUE:
            graphs.append(str(INFERRED_GRAPH))
        if found.get("hpo") in _TRUE:
            graphs.append(str(HPO_GRAPH))
        if found.get("hpoAnnotationsPublished") in _TRUE and found.get("hpoAnnotationsGraph"):
            graphs.append(str(found["hpoAnnotationsGraph"]))  # where the pointer graph says
        elif found.get("hpoAnnotations") in _TRUE:  # no pointer: under its own name
            graphs.append(str(HPO_ANNOTATIONS_GRAPH))
        layout = tuple(graphs)
    elif _ask(endpoint, read_query_file(DEFAULT_GRAPH_PROBE).text, timeout).boolean:  # type: ignore[union-attr]
        layout = ()
    else:
        raise RemoteError(
            f"the SPARQL endpoint {endpoint} holds no pathokg release (not in the graph "
            f"<{DATASET_IRI}>, nor in its default graph); put it there with `pathokg publish "
            "--store URL`, or, if you published into another graph, give the URL that "
            "publish printed")
    _LAYOUTS[endpoint] = (asked, layout)
    return layout


def dataset_for(endpoint: str, *, inferred: bool = True,
                timeout: float | None = None) -> list[tuple[str, str]]:
    """The protocol dataset parameters that make ``endpoint`` answer like the embedded graph.

    :raises QueryError: ``inferred=False`` on an endpoint whose default graph holds the release
        (its entailments cannot be left out there).
    :raises RemoteError: the endpoint holds no pathokg release.
    """
    check_url(endpoint, "--endpoint")
    if _DATASET_PARAMS & {k for k, _ in parse_qsl(urlsplit(endpoint).query)}:
        return []  # the URL names its own dataset
    graphs = release_layout(endpoint, timeout)
    if not graphs:
        if not inferred:
            raise QueryError(f"--asserted-only cannot leave out the entailments at {endpoint}: "
                             "its default graph holds the release as it is; query the embedded "
                             "graph or a store `pathokg publish` wrote")
        return []
    chosen = [g for g in graphs if inferred or g != str(INFERRED_GRAPH)]
    return [("default-graph-uri", g) for g in chosen] + [("named-graph-uri", g) for g in chosen]


def run_remote(endpoint: str, query: str | BoundQuery, *, timeout: float | None = None,
               inferred: bool = True, labels: bool = False,
               window: Window | None = None) -> QueryResult:
    """Send a (checked) query to ``endpoint`` and read its answer.

    A named query goes as its text form, each value written in place of its parameter
    (:attr:`~pathokg.querying.params.BoundQuery.text`); its parameter columns are left out of the
    result, as on the embedded engine.

    :param inferred: see the entailed triples too (as the embedded engine does by default).
    :param labels: add the label columns of a SELECT, from the labels the endpoint holds.
    :param window: keep only these solutions (the text sent has the window's LIMIT and OFFSET).
    :raises QueryError: the query is refused or malformed (checked here before sending).
    :raises ArgumentError: the endpoint is not an http(s) URL.
    :raises RemoteError: the endpoint cannot be reached, holds no pathokg release, refuses the
        query or answers wrongly.
    """
    if isinstance(query, BoundQuery):
        hidden, text = query.hidden, query.text
        form = prepare(text).form
    else:  # checked as the user wrote it (errors at their lines), sent with its prefixes
        prepared = prepare(query)
        hidden, text, form = (), prepared.portable_text, prepared.form
    if window is not None:
        text = windowed(text, window)
    dataset = dataset_for(endpoint, inferred=inferred, timeout=timeout)
    graph = form in {"CONSTRUCT", "DESCRIBE"}
    response = _post(endpoint, text, _ACCEPT_GRAPH if graph else _ACCEPT_SOLUTIONS, timeout,
                     dataset)
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if graph:
            fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
            triples = canonical_triples(q.triple for q in ox.parse(response.content, format=fmt))
            return QueryResult(form, triples=triples)
        parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        result = QueryResult.from_oxigraph(form, parsed, hidden)
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(f"the SPARQL endpoint {endpoint} sent a result that cannot be read "
                          f"({media}): {exc}") from None
    if labels and needs_labels(result):
        rows = run_remote(endpoint, read_query_file(LABELS_QUERY).text, timeout=timeout).lexical_rows
        result = with_labels(result, LabelIndex(rows))
    return result


def remote_rows(endpoint: str, *,
                timeout: float | None = None) -> Callable[[QueryFile], list[dict[str, str | None]]]:
    """A function that runs one of pathokg's internal query files at ``endpoint`` and returns its
    rows (for :class:`~pathokg.querying.values.Names`)."""

    def run(query: QueryFile) -> list[dict[str, str | None]]:
        return run_remote(endpoint, query.text, timeout=timeout).lexical_rows

    return run
