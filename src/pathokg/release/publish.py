"""Publish the release into a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

``PUT <store>?graph=<IRI>`` with the release's N-Triples replaces the named graph in one request
(as atomic as the store makes a PUT: Oxigraph and Virtuoso do it in one transaction). The entailed
triples the build wrote (``pathokg-inferred.ttl``) go into a second named graph, so that a query
sent with both graphs as its default graph sees what the embedded engine sees. Each graph is then
counted with ``queries/publish/count-graph.rq`` on the store's query endpoint; a different count
is a partial load and an error.

>>> report = publish("http://127.0.0.1:7878/store")    # doctest: +SKIP
>>> report.endpoint                                     # doctest: +SKIP
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from ..errors import ArgumentError, RemoteError
from ..paths import INFERRED, NTRIPLES, PUBLISH_QUERIES
from ..querying.files import read_query_file
from ..querying.release import OPTIONAL_GRAPH_FILES, release_folder
from ..querying.remote import check_url
from ..vocab import DATASET_IRI, INFERRED_GRAPH

COUNT_QUERY = PUBLISH_QUERIES / "count-graph.rq"
#: store path suffix -> query endpoint path, for the stores whose layout is known
QUERY_ENDPOINTS = {"/store": "/query",                       # Oxigraph server
                   "/sparql-graph-crud-auth": "/sparql",     # Virtuoso (digest auth)
                   "/sparql-graph-crud": "/sparql",          # Virtuoso (anonymous, if enabled)
                   "/data": "/sparql"}                       # Apache Jena Fuseki (/<dataset>/data)
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


@dataclass
class PublishedGraph:
    """One named graph written to the store and counted there."""

    graph: str
    triples: int
    upload_seconds: float
    verify_seconds: float


@dataclass
class PublishReport:
    """What a publish did; :attr:`endpoint` is the query URL that sees the published release."""

    store: str
    query_endpoint: str
    graphs: list[PublishedGraph] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        """The URL for ``pathokg query NAME --endpoint URL``: the plain query endpoint when the
        release went into pathokg's own graph names (``--endpoint`` finds them there itself, see
        :mod:`pathokg.querying.remote`), else the endpoint with every published graph as default
        (and named) graph."""
        published = [g.graph for g in self.graphs]
        if published and published[0] == str(DATASET_IRI) and set(published) <= {
                str(DATASET_IRI), str(INFERRED_GRAPH), *(str(g) for _, g in OPTIONAL_GRAPH_FILES)}:
            return self.query_endpoint
        return with_default_graphs(self.query_endpoint, published)

    @property
    def seconds(self) -> float:
        return sum(g.upload_seconds + g.verify_seconds for g in self.graphs)


def with_default_graphs(endpoint: str, graphs: list[str]) -> str:
    """Add ``default-graph-uri`` and ``named-graph-uri`` parameters for ``graphs`` to a query
    endpoint URL (SPARQL 1.1 Protocol): their merge is the default graph, and each stays
    reachable with ``GRAPH <iri>`` (a protocol dataset without named graphs has none)."""
    extra = urlencode([("default-graph-uri", g) for g in graphs] +
                      [("named-graph-uri", g) for g in graphs])
    return endpoint + ("&" if "?" in endpoint else "?") + extra


def default_query_endpoint(store: str) -> str:
    """The query endpoint next to a Graph Store endpoint, for Oxigraph, Virtuoso and Fuseki.

    >>> default_query_endpoint("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    >>> default_query_endpoint("http://localhost:7878/store")
    'http://localhost:7878/query'

    :raises ArgumentError: when the store's layout is unknown (pass ``--query-endpoint``).
    """
    parts = urlsplit(store)
    for suffix, query_path in QUERY_ENDPOINTS.items():
        if parts.path.rstrip("/").endswith(suffix):
            path = parts.path.rstrip("/")[: -len(suffix)] + query_path
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    raise ArgumentError(f"cannot tell the query endpoint of the store {store}; "
                      "pass --query-endpoint URL (the store's SPARQL query endpoint)")


def _check_iri(iri: str) -> str:
    if not _IRI.match(iri):
        raise RemoteError(f"not an absolute IRI for a named graph: {iri!r}")
    return iri


def count_query(graph_iri: str) -> str:
    """The count query of ``queries/publish/count-graph.rq`` for one named graph."""
    text = read_query_file(COUNT_QUERY).text
    return text.replace("?_graph", f"<{_check_iri(graph_iri)}>")


def _auth(user: str | None, password: str | None, scheme: str) -> httpx.Auth | None:
    if user is None:
        return None
    if scheme == "basic":
        return httpx.BasicAuth(user, password or "")
    return httpx.DigestAuth(user, password or "")


def _refused(response: httpx.Response, url: str) -> RemoteError:
    return RemoteError(
        f"the store {url} refused the credentials (HTTP {response.status_code}); check --user and "
        "--password (Virtuoso: a user with SPARQL_UPDATE, digest auth at /sparql-graph-crud-auth)")


def put_graph(client: httpx.Client, store: str, graph_iri: str, data: bytes) -> float:
    """Replace one named graph with N-Triples ``data``; returns the seconds it took.

    :raises RemoteError: unreachable store, refused credentials, or any non-2xx answer.
    """
    params = {"graph": _check_iri(graph_iri)}
    started = time.perf_counter()
    try:
        # A small request first: digest auth gets its challenge (and a wrong password is refused)
        # before the upload, which some stores cut off mid-body when they refuse it.
        # (Connection: close, because Oxigraph 0.5 sends a body with some HEAD answers.)
        if client.auth is not None:
            probe = client.head(store, params=params, headers={"Connection": "close"})
            if probe.status_code in (401, 403):
                raise _refused(probe, store)
        response = client.put(store, params=params, content=data,
                              headers={"Content-Type": "application/n-triples"})
    except httpx.ConnectError as exc:
        raise RemoteError(f"cannot reach the store {store}: {exc} (is the server running?)") from None
    except httpx.TimeoutException:
        raise RemoteError(f"the store {store} did not answer in time ({client.timeout})") from None
    except httpx.HTTPError as exc:
        raise RemoteError(f"the upload to {store} failed: {exc}") from None
    if response.status_code in (401, 403):
        raise _refused(response, store)
    if not 200 <= response.status_code < 300:
        raise RemoteError(f"the store {store} answered HTTP {response.status_code} to the upload of "
                          f"<{graph_iri}>: {response.text[:300]}")
    return time.perf_counter() - started


def count_triples(client: httpx.Client, query_endpoint: str, graph_iri: str) -> int:
    """The number of triples in a named graph, asked of the store's query endpoint.

    :raises RemoteError: unreachable endpoint, an error answer, or an unreadable result.
    """
    try:
        response = client.post(query_endpoint, data={"query": count_query(graph_iri)},
                                headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the query endpoint {query_endpoint}: {exc}") from None
    if response.status_code in (401, 403):
        raise _refused(response, query_endpoint)
    if response.status_code != 200:
        raise RemoteError(f"the query endpoint {query_endpoint} answered HTTP {response.status_code}: "
                          f"{response.text[:300]}")
    try:
        results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        return int(next(iter(results))["triples"].value)
    except (SyntaxError, ValueError, StopIteration, TypeError) as exc:
        raise RemoteError(f"the query endpoint {query_endpoint} sent an unreadable count: {exc}") from None


def verify(client: httpx.Client, query_endpoint: str, graph_iri: str, expected: int) -> float:
    """Check that the store holds exactly ``expected`` triples in the graph; returns the seconds.

    :raises RemoteError: a partial (or excess) load.
    """
    started = time.perf_counter()
    found = count_triples(client, query_endpoint, graph_iri)
    if found != expected:
        raise RemoteError(f"partial load: the store holds {found} triples in <{graph_iri}> but "
                          f"{expected} were sent; publish again (a PUT replaces the whole graph)")
    return time.perf_counter() - started


def release_payloads(release: Path | str | None = None, *, inferred: bool = True,
                     graph: str = str(DATASET_IRI),
                     inferred_graph: str = str(INFERRED_GRAPH)) -> dict[str, bytes]:
    """The N-Triples to publish per named graph: the release file, and its entailed triples.

    :raises ReleaseError: there is no release there.
    """
    out = release_folder(release)
    payloads = {graph: (out / NTRIPLES).read_bytes()}
    if inferred:
        payloads[inferred_graph] = _ntriples(out / INFERRED)
    for name, hpo_graph in OPTIONAL_GRAPH_FILES:  # the HPO backbone, in its own graphs
        if (out / name).is_file():
            payloads[str(hpo_graph)] = _ntriples(out / name)
    return payloads


def _ntriples(path: Path) -> bytes:
    """A release Turtle file as sorted N-Triples."""
    quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    return "".join(sorted({str(q.triple) + " .\n" for q in quads})).encode("utf-8")


def publish_payloads(store: str, payloads: dict[str, bytes], *, query_endpoint: str | None = None,
                     user: str | None = None, password: str | None = None, auth: str = "digest",
                     timeout: float = 600.0) -> PublishReport:
    """PUT each payload into its named graph, then verify every count."""
    check_url(store, "--store")
    endpoint = check_url(query_endpoint, "--query-endpoint") if query_endpoint else \
        default_query_endpoint(store)
    report = PublishReport(store, endpoint)
    with httpx.Client(auth=_auth(user, password, auth), timeout=timeout) as client:
        for graph_iri, data in payloads.items():
            expected = sum(1 for line in data.splitlines() if line.strip() and not line.startswith(b"#"))
            upload = put_graph(client, store, graph_iri, data)
            checked = verify(client, endpoint, graph_iri, expected)
            report.graphs.append(PublishedGraph(graph_iri, expected, upload, checked))
    return report


def publish(store: str, *, release: Path | str | None = None, graph: str = str(DATASET_IRI),
            inferred_graph: str | None = str(INFERRED_GRAPH), query_endpoint: str | None = None,
            user: str | None = None, password: str | None = None, auth: str = "digest",
            timeout: float = 600.0) -> PublishReport:
    """Put the release into a Graph Store Protocol endpoint and verify it by count.

    :param store: the Graph Store endpoint (Oxigraph ``http://host:7878/store``, Virtuoso
        ``http://host:8890/sparql-graph-crud-auth``, Fuseki ``http://host:3030/ds/data``).
    :param graph: the named graph for the release (replaced).
    :param inferred_graph: the named graph for the entailed triples (replaced), or ``None`` to
        publish the asserted release only.
    :param query_endpoint: the SPARQL endpoint used to count (default: derived from ``store``).
    :param user: user name; with ``password`` and ``auth`` (``digest`` or ``basic``).
    :raises RemoteError: unreachable store, refused credentials, an error answer or a partial load.
    """
    check_url(store, "--store")  # before reading the release
    payloads = release_payloads(release, inferred=inferred_graph is not None, graph=graph,
                                inferred_graph=inferred_graph or "")
    return publish_payloads(store, payloads, query_endpoint=query_endpoint, user=user,
                            password=password, auth=auth, timeout=timeout)
