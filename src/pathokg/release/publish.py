"""Publish the release into a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

A publish never writes into the graphs it replaces until everything has arrived:

1. each payload is uploaded (``PUT <store>?graph=<staging IRI>``, by each store's fast path: see
   :func:`upload_graph`) into a staging graph of its own
   (:data:`~pathokg.vocab.STAGING_GRAPHS` + a fresh token), and counted there with
   ``queries/publish/count-graph.rq``; a refused upload, a cut connection or a count different
   from the file's stops the publish, the staging graphs are dropped
   (``queries/publish/drop-graph.rq``) and the published graphs are exactly as they were;
2. then one SPARQL Update request moves every staging graph onto its target
   (``queries/publish/replace-graph.rq``, ``MOVE``, one operation per graph); Oxigraph runs an
   update request as one transaction, so the release's graphs change together or not at all;
3. each target is counted again.

Above :data:`ATOMIC_LIMIT` triples (a full-HPO release: 3 million) the stores cannot replace graphs
in one update in reasonable time and memory: each graph then goes straight into place by the
store's bulk path and is counted, and a failure names the graph that may be partial.

The entailed triples the build wrote (``pathokg-inferred.ttl``) go into a second named graph, so
that a query sent with both graphs as its default graph sees what the embedded engine sees.

>>> report = publish("http://127.0.0.1:7878/store")    # doctest: +SKIP
>>> report.endpoint                                     # doctest: +SKIP
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import contextlib
import re
import secrets
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
from ..vocab import DATASET_IRI, INFERRED_GRAPH, STAGING_GRAPHS

COUNT_QUERY = PUBLISH_QUERIES / "count-graph.rq"
REPLACE_UPDATE = PUBLISH_QUERIES / "replace-graph.rq"
DROP_UPDATE = PUBLISH_QUERIES / "drop-graph.rq"
#: store path suffix -> query endpoint path, for the stores whose layout is known
QUERY_ENDPOINTS = {"/store": "/query",                       # Oxigraph server
                   "/sparql-graph-crud-auth": "/sparql",     # Virtuoso (digest auth)
                   "/sparql-graph-crud": "/sparql",          # Virtuoso (anonymous, if enabled)
                   "/data": "/sparql"}                       # Apache Jena Fuseki (/<dataset>/data)
#: store path suffix -> update endpoint path
UPDATE_ENDPOINTS = {"/store": "/update",                     # Oxigraph server
                    "/sparql-graph-crud-auth": "/sparql-auth",  # Virtuoso (digest auth)
                    "/sparql-graph-crud": "/sparql",         # Virtuoso (anonymous, if enabled)
                    "/data": "/update"}                      # Apache Jena Fuseki
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
    #: True: every graph was staged, counted, then all replaced in one update request
    atomic: bool = True
    graphs: list[PublishedGraph] = field(default_factory=list)
    #: seconds of the one update that replaced the graphs (staged publish)
    replace_seconds: float = 0.0

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
        return sum(g.upload_seconds + g.verify_seconds for g in self.graphs) + self.replace_seconds


def with_default_graphs(endpoint: str, graphs: list[str]) -> str:
    """Add ``default-graph-uri`` and ``named-graph-uri`` parameters for ``graphs`` to a query
    endpoint URL (SPARQL 1.1 Protocol): their merge is the default graph, and each stays
    reachable with ``GRAPH <iri>`` (a protocol dataset without named graphs has none)."""
    extra = urlencode([("default-graph-uri", g) for g in graphs] +
                      [("named-graph-uri", g) for g in graphs])
    return endpoint + ("&" if "?" in endpoint else "?") + extra


def default_query_endpoint(store: str, layouts: dict[str, str] = QUERY_ENDPOINTS,
                           kind: str = "query") -> str:
    """The query (or update) endpoint next to a Graph Store endpoint, for Oxigraph, Virtuoso and
    Fuseki.

    >>> default_query_endpoint("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    >>> default_query_endpoint("http://localhost:7878/store")
    'http://localhost:7878/query'
    >>> default_query_endpoint("http://localhost:7878/store", UPDATE_ENDPOINTS, "update")
    'http://localhost:7878/update'

    :raises ArgumentError: when the store's layout is unknown (pass ``--query-endpoint``).
    """
    parts = urlsplit(store)
    for suffix, query_path in layouts.items():
        if parts.path.rstrip("/").endswith(suffix):
            path = parts.path.rstrip("/")[: -len(suffix)] + query_path
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    raise ArgumentError(f"cannot tell the {kind} endpoint of the store {store}; "
                        f"pass --{kind}-endpoint URL (the store's SPARQL {kind} endpoint)")


def _check_iri(iri: str) -> str:
    if not _IRI.match(iri):
        raise RemoteError(f"not an absolute IRI for a named graph: {iri!r}")
    return iri


def count_query(graph_iri: str) -> str:
    """The count query of ``queries/publish/count-graph.rq`` for one named graph."""
    text = read_query_file(COUNT_QUERY).text
    return text.replace("?_graph", f"<{_check_iri(graph_iri)}>")


def replace_update(moves: dict[str, str]) -> str:
    """One update request that moves each staging graph onto its target (``{staging: target}``).

    >>> replace_update({"urn:s": "urn:t"}).splitlines()[-1]
    'MOVE SILENT GRAPH <urn:s> TO GRAPH <urn:t>'
    """
    text = read_query_file(REPLACE_UPDATE).text
    return " ;\n".join(text.replace("?_staging", f"<{_check_iri(s)}>").replace("?_graph", f"<{_check_iri(t)}>")
                       for s, t in moves.items())


def drop_update(graphs: list[str]) -> str:
    """One update request that drops these (staging) graphs."""
    text = read_query_file(DROP_UPDATE).text
    return " ;\n".join(text.replace("?_graph", f"<{_check_iri(g)}>") for g in graphs)


def send_update(client: httpx.Client, update_endpoint: str, update: str) -> None:
    """Send one SPARQL Update request.

    :raises RemoteError: unreachable endpoint, refused credentials or an error answer.
    """
    try:
        response = client.post(update_endpoint, data={"update": update})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the update endpoint {update_endpoint}: {exc}") from None
    _check_answer(response, update_endpoint, f"the update endpoint {update_endpoint}", "")


def _check_answer(response: httpx.Response, url: str, who: str, what: str) -> None:
    """Refused credentials, or any answer other than 2xx, as a :class:`RemoteError`."""
    if response.status_code in (401, 403):
        raise _refused(response, url)
    if not 200 <= response.status_code < 300:
        raise RemoteError(f"{who} answered HTTP {response.status_code}{what}: {response.text[:300]}")


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


#: Oxigraph server: the Graph Store upload with the server's bulk loader (``?no_transaction``),
#: about 30 times faster than its transactional load; safe here because it fills a fresh
#: staging graph, which the publish counts before it replaces anything.
OXIGRAPH_BULK = {"no_transaction": ""}
#: Virtuoso: a Graph Store PUT of a million triples deadlocks ("SR172: Transaction deadlocked")
#: and leaves a partial graph; in requests of this many triples each is a small transaction.
VIRTUOSO_CHUNK = 100_000
_BLANK = re.compile(rb"_:[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def store_kind(store: str) -> str:
    """``oxigraph``, ``virtuoso`` or ``other``, by the Graph Store endpoint's path.

    >>> store_kind("http://127.0.0.1:7878/store"), store_kind("http://h:8890/sparql-graph-crud-auth")
    ('oxigraph', 'virtuoso')
    """
    path = urlsplit(store).path.rstrip("/")
    if path.endswith("/store"):
        return "oxigraph"
    if path.endswith(("/sparql-graph-crud-auth", "/sparql-graph-crud")):
        return "virtuoso"
    return "other"


def ntriples_chunks(data: bytes, size: int) -> list[bytes]:
    """N-Triples in requests of about ``size`` triples, every triple of a blank node in the same
    request (a store reads each request's blank-node labels apart).

    >>> [c.count(b"\\n") for c in ntriples_chunks(b"<a> <p> _:x .\\n<b> <p> <c> .\\n_:x <p> <d> .\\n", 1)]
    [1, 2]
    """
    lines = [line for line in data.splitlines(keepends=True) if line.strip() and not line.startswith(b"#")]
    parent: dict[bytes, bytes] = {}

    def find(x: bytes) -> bytes:
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        parent[x] = root
        return root

    labelled = []
    for line in lines:  # labels seen in one line belong together (a label inside a literal only
        labels = _BLANK.findall(line)  # groups more lines than needed, never fewer)
        if labels:
            labelled.append((line, labels[0]))
            for other in labels[1:]:
                parent[find(other)] = find(labels[0])
    groups: dict[bytes, list[bytes]] = {}
    for line, label in labelled:
        groups.setdefault(find(label), []).append(line)
    units = [[line] for line in lines if not _BLANK.search(line)] + list(groups.values())
    chunks: list[bytes] = []
    current: list[bytes] = []
    for unit in units:
        if current and len(current) + len(unit) > size:
            chunks.append(b"".join(current))
            current = []
        current += unit
    if current or not chunks:
        chunks.append(b"".join(current))
    return chunks


def upload_graph(client: httpx.Client, store: str, graph_iri: str, data: bytes) -> float:
    """Fill a (fresh staging) graph by each store's fast path; returns the seconds it took:
    Oxigraph's bulk loader, Virtuoso in requests of :data:`VIRTUOSO_CHUNK` triples, else one PUT.

    :raises RemoteError: as :func:`put_graph`.
    """
    kind = store_kind(store)
    if kind == "oxigraph":
        return put_graph(client, store, graph_iri, data, OXIGRAPH_BULK)
    if kind == "virtuoso":
        chunks = ntriples_chunks(data, VIRTUOSO_CHUNK)
        seconds = put_graph(client, store, graph_iri, chunks[0])
        for chunk in chunks[1:]:
            seconds += put_graph(client, store, graph_iri, chunk, method="POST")
        return seconds
    return put_graph(client, store, graph_iri, data)


def put_graph(client: httpx.Client, store: str, graph_iri: str, data: bytes,
              extra: dict[str, str] | None = None, *, method: str = "PUT") -> float:
    """Replace one named graph with N-Triples ``data`` (``POST``: add to it); returns the seconds.

    :raises RemoteError: unreachable store, refused credentials, or any non-2xx answer.
    """
    params = {"graph": _check_iri(graph_iri), **(extra or {})}
    started = time.perf_counter()
    try:
        # A small request first: digest auth gets its challenge (and a wrong password is refused)
        # before the upload, which some stores cut off mid-body when they refuse it.
        # (Connection: close, because Oxigraph 0.5 sends a body with some HEAD answers.)
        if client.auth is not None:
            probe = client.head(store, params={"graph": graph_iri}, headers={"Connection": "close"})
            if probe.status_code in (401, 403):
                raise _refused(probe, store)
        response = client.request(method, store, params=params, content=data,
                                  headers={"Content-Type": "application/n-triples"})
    except httpx.ConnectError as exc:
        raise RemoteError(f"cannot reach the store {store}: {exc} (is the server running?)") from None
    except httpx.TimeoutException:
        raise RemoteError(f"the store {store} did not answer in time ({client.timeout})") from None
    except httpx.HTTPError as exc:
        raise RemoteError(f"the upload to {store} failed: {exc}") from None
    _check_answer(response, store, f"the store {store}", f" to the upload of <{graph_iri}>")
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
                          f"{expected} were sent")
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


#: Up to this many triples in all, a publish stages every graph and replaces them in one update
#: request. Above it, a store's own MOVE is far too slow and large (Oxigraph 0.5: 44 s and 790 MB
#: for 300,000 triples), so each graph goes straight into place by the store's bulk path and is
#: counted: a failure then names the graph that may be partial (:attr:`PublishReport.atomic`).
ATOMIC_LIMIT = 250_000


def publish_payloads(store: str, payloads: dict[str, bytes], *, query_endpoint: str | None = None,
                     update_endpoint: str | None = None, user: str | None = None,
                     password: str | None = None, auth: str = "digest", timeout: float = 600.0,
                     atomic_limit: int = ATOMIC_LIMIT) -> PublishReport:
    """Publish each payload into its named graph (see the module docstring): up to
    ``atomic_limit`` triples in all, staged, counted and replaced in one update request; above
    it, by the store's bulk path straight into place, each graph counted.

    :raises RemoteError: on any failure; with the staged publish the graphs are then as they were.
    """
    check_url(store, "--store")
    endpoint = check_url(query_endpoint, "--query-endpoint") if query_endpoint else \
        default_query_endpoint(store)
    updates = check_url(update_endpoint, "--update-endpoint") if update_endpoint else \
        default_query_endpoint(store, UPDATE_ENDPOINTS, "update")
    for graph_iri in payloads:
        _check_iri(graph_iri)
    counts = {g: sum(1 for line in data.splitlines() if line.strip() and not line.startswith(b"#"))
              for g, data in payloads.items()}
    report = PublishReport(store, endpoint, atomic=sum(counts.values()) <= atomic_limit)
    with httpx.Client(auth=_auth(user, password, auth), timeout=timeout) as client:
        if not report.atomic:
            for graph_iri, data in payloads.items():
                try:
                    upload = upload_graph(client, store, graph_iri, data)
                    checked = verify(client, endpoint, graph_iri, counts[graph_iri])
                except RemoteError as exc:
                    raise RemoteError(f"{exc} (<{graph_iri}> may be partial: above {atomic_limit:,} "
                                      "triples a publish replaces one graph at a time; publish again)") from None
                report.graphs.append(PublishedGraph(graph_iri, counts[graph_iri], upload, checked))
            return report
        token = secrets.token_hex(8)
        staging = {graph_iri: f"{STAGING_GRAPHS}{token}/{n}" for n, graph_iri in enumerate(payloads)}
        staged: list[str] = []
        try:
            for graph_iri, data in payloads.items():
                staged.append(staging[graph_iri])
                upload = upload_graph(client, store, staging[graph_iri], data)
                verify(client, endpoint, staging[graph_iri], counts[graph_iri])
                report.graphs.append(PublishedGraph(graph_iri, counts[graph_iri], upload, 0.0))
        except RemoteError as exc:
            _drop_quietly(client, updates, staged)
            raise RemoteError(f"{exc} (nothing was replaced: the store's graphs are as they were)") from None
        started = time.perf_counter()
        try:
            send_update(client, updates, replace_update({staging[g.graph]: g.graph for g in report.graphs}))
        except RemoteError:
            _drop_quietly(client, updates, staged)
            raise
        report.replace_seconds = time.perf_counter() - started
        for g in report.graphs:
            g.verify_seconds = verify(client, endpoint, g.graph, g.triples)
    return report


def _drop_quietly(client: httpx.Client, update_endpoint: str, graphs: list[str]) -> None:
    """Drop the staging graphs of a failed publish; a store that cannot be reached keeps them
    (they are named as pathokg's staging graphs, and the next publish does not read them)."""
    if not graphs:
        return
    with contextlib.suppress(RemoteError):
        send_update(client, update_endpoint, drop_update(graphs))


def publish(store: str, *, release: Path | str | None = None, graph: str = str(DATASET_IRI),
            inferred_graph: str | None = str(INFERRED_GRAPH), query_endpoint: str | None = None,
            update_endpoint: str | None = None,
            user: str | None = None, password: str | None = None, auth: str = "digest",
            timeout: float = 600.0) -> PublishReport:
    """Put the release into a Graph Store Protocol endpoint and verify it by count.

    :param store: the Graph Store endpoint (Oxigraph ``http://host:7878/store``, Virtuoso
        ``http://host:8890/sparql-graph-crud-auth``, Fuseki ``http://host:3030/ds/data``).
    :param graph: the named graph for the release (replaced).
    :param inferred_graph: the named graph for the entailed triples (replaced), or ``None`` to
        publish the asserted release only.
    :param query_endpoint: the SPARQL endpoint used to count (default: derived from ``store``).
    :param update_endpoint: the SPARQL Update endpoint that replaces the graphs once staged
        (default: derived from ``store``).
    :param user: user name; with ``password`` and ``auth`` (``digest`` or ``basic``).
    :raises RemoteError: unreachable store, refused credentials, an error answer or a partial load.
    """
    check_url(store, "--store")  # before reading the release
    payloads = release_payloads(release, inferred=inferred_graph is not None, graph=graph,
                                inferred_graph=inferred_graph or "")
    return publish_payloads(store, payloads, query_endpoint=query_endpoint,
                            update_endpoint=update_endpoint, user=user,
                            password=password, auth=auth, timeout=timeout)
