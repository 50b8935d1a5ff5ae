"""Publish the release into a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

A publish never changes what readers see until everything has arrived, and then changes it in one
SPARQL Update request:

1. each payload is uploaded (``PUT <store>?graph=<IRI>``, by each store's fast path: see
   :func:`upload_graph`) into a graph of its own, and counted there with
   ``queries/publish/count-graph.rq``: the graphs that queries name with ``GRAPH <...>`` (the
   release, its entailments, the HPO import) into a staging graph
   (:data:`~pathokg.vocab.STAGING_GRAPHS` + a fresh token), the HPO annotations (2.7 million
   triples at full scale, which no store can ``MOVE`` in one update) into a versioned graph
   (:data:`~pathokg.vocab.HPO_ANNOTATIONS_PUBLISHED` + the token) where they stay;
   a refused upload, a cut connection or a count different from the file's stops the publish,
   every graph this publish made is dropped (``queries/publish/drop-graph.rq``) and the store is
   exactly as it was;
2. then one update request (:func:`switch_update`) moves each staging graph onto its target
   (``queries/publish/replace-graph.rq``), points the pointer graph
   :data:`~pathokg.vocab.PUBLISHED_GRAPH` at the graph that holds each of the release's graphs
   (``queries/publish/point-graph.rq``: ``<logical> pko:publishedAs <physical>``) and drops the
   annotations' logical graph (data an older pathokg published there); Oxigraph runs an update
   request as one transaction, so readers see the old release or the new one, never a mixture;
3. each moved graph is counted again and the pointer read back; then the previous versioned
   annotations graph (the one the old pointer named) is dropped, best effort: if that fails the
   release is already switched, and the report names the graph left behind
   (:attr:`PublishReport.left_behind`).

Readers (``--endpoint``, :mod:`pathokg.querying.remote`) read the pointer graph to find the
annotations. The entailed triples the build wrote (``pathokg-inferred.ttl``) go into a second named
graph, so that a query sent with the graphs as its default graph sees what the embedded engine sees.

>>> report = publish("http://127.0.0.1:7878/store")    # doctest: +SKIP
>>> report.endpoint                                     # doctest: +SKIP
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from ..errors import ArgumentError, RemoteError
from ..paths import INFERRED, NTRIPLES, PUBLISH_QUERIES
from ..querying.files import read_query_file, with_base
from ..querying.release import OPTIONAL_GRAPH_FILES, release_folder
from ..querying.remote import check_url, forget_layouts
from ..vocab import (
    DATASET_IRI,
    HPO_ANNOTATIONS_GRAPH,
    HPO_ANNOTATIONS_PUBLISHED,
    INFERRED_GRAPH,
    PUBLISHED_GRAPH,
    STAGING_GRAPHS,
)
from .graphstore import (
    auth_for,
    check_answer,
    check_iri,
    delete_graph,
    refused,
    store_kind,
    upload_graph,
)

COUNT_QUERY = PUBLISH_QUERIES / "count-graph.rq"
REPLACE_UPDATE = PUBLISH_QUERIES / "replace-graph.rq"
DROP_UPDATE = PUBLISH_QUERIES / "drop-graph.rq"
DROP_PART_UPDATE = PUBLISH_QUERIES / "drop-graph-part.rq"
#: Oxigraph drops a big graph in updates of this many triples each (see drop-graph-part.rq).
OXIGRAPH_DROP_PART = 250_000
POINT_UPDATE = PUBLISH_QUERIES / "point-graph.rq"
POINTER_QUERY = PUBLISH_QUERIES / "published-graphs.rq"
#: The graphs published by reference (logical graph -> prefix of its versioned graphs): those no
#: query names with ``GRAPH <...>``, so that they need not keep their names, and too big to MOVE.
BY_REFERENCE = {str(HPO_ANNOTATIONS_GRAPH): str(HPO_ANNOTATIONS_PUBLISHED)}
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


@dataclass
class PublishedGraph:
    """One of the release's graphs written to the store and counted there."""

    graph: str
    triples: int
    upload_seconds: float
    verify_seconds: float
    #: the named graph that holds its triples in the store (``graph`` itself unless published by
    #: reference, see :data:`BY_REFERENCE`)
    physical: str = ""

    def __post_init__(self) -> None:
        self.physical = self.physical or self.graph


@dataclass
class PublishReport:
    """What a publish did; :attr:`endpoint` is the query URL that sees the published release."""

    store: str
    query_endpoint: str
    graphs: list[PublishedGraph] = field(default_factory=list)
    #: seconds of the one update that switched the release (moves and pointer)
    replace_seconds: float = 0.0
    #: seconds of dropping the previous versioned graphs after the switch
    cleanup_seconds: float = 0.0
    #: the previous versioned graphs the cleanup could not drop (the release is switched anyway)
    left_behind: list[str] = field(default_factory=list)
    #: why they were left behind
    cleanup_error: str = ""

    @property
    def endpoint(self) -> str:
        """The URL for ``pathokg query NAME --endpoint URL``: the plain query endpoint when the
        release went into pathokg's own graph names (``--endpoint`` finds them there itself, with
        the pointer graph, see :mod:`pathokg.querying.remote`), else the endpoint with every
        published graph (where its triples are) as default (and named) graph."""
        published = [g.graph for g in self.graphs]
        if published and published[0] == str(DATASET_IRI) and set(published) <= {
                str(DATASET_IRI), str(INFERRED_GRAPH), *(str(g) for _, g in OPTIONAL_GRAPH_FILES)}:
            return self.query_endpoint
        return with_default_graphs(self.query_endpoint, [g.physical for g in self.graphs])

    @property
    def seconds(self) -> float:
        return (sum(g.upload_seconds + g.verify_seconds for g in self.graphs) + self.replace_seconds
                + self.cleanup_seconds)


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


def count_query(graph_iri: str) -> str:
    """The count query of ``queries/publish/count-graph.rq`` for one named graph."""
    text = read_query_file(COUNT_QUERY).text
    return text.replace("?_graph", f"<{check_iri(graph_iri)}>")


def replace_update(moves: dict[str, str]) -> str:
    """The update operations that move each staging graph onto its target (``{staging: target}``).

    >>> replace_update({"urn:s": "urn:t"}).splitlines()[-1]
    'MOVE SILENT GRAPH <urn:s> TO GRAPH <urn:t>'
    """
    text = read_query_file(REPLACE_UPDATE).text
    return " ;\n".join(text.replace("?_staging", f"<{check_iri(s)}>").replace("?_graph", f"<{check_iri(t)}>")
                       for s, t in moves.items())


def point_update(physical: dict[str, str], pointer: str = str(PUBLISHED_GRAPH)) -> str:
    """The update operations that point each of the release's graphs at the graph holding its
    triples (``{logical: physical}``), in the pointer graph.

    >>> point_update({"urn:g": "urn:p"}, "urn:ptr").splitlines()[-1]
    'INSERT DATA { GRAPH <urn:ptr> { <urn:g> <ontology/publishedAs> <urn:p> } }'
    """
    text = read_query_file(POINT_UPDATE).text
    return " ;\n".join(text.replace("?_pointer", f"<{check_iri(pointer)}>")
                        .replace("?_graph", f"<{check_iri(g)}>").replace("?_physical", f"<{check_iri(p)}>")
                        for g, p in physical.items())


def switch_update(moves: dict[str, str], physical: dict[str, str], drops: list[str]) -> str:
    """The one update request that switches a publish: the moves (``{staging: target}``), the
    pointer (``{logical: physical}``, moved graphs at themselves) and the drops (logical graphs
    now published by reference, that an older publish filled), with pathokg's BASE.

    >>> switch_update({"urn:s": "urn:t"}, {"urn:t": "urn:t"}, ["urn:old"]).splitlines()[-1]
    'DROP SILENT GRAPH <urn:old>'
    """
    parts = [replace_update(moves)] if moves else []
    parts.append(point_update(physical))
    if drops:
        parts.append(drop_update(drops))
    return with_base(" ;\n".join(parts))


def drop_update(graphs: list[str]) -> str:
    """One update request that drops these (staging or versioned) graphs."""
    text = read_query_file(DROP_UPDATE).text
    return " ;\n".join(text.replace("?_graph", f"<{check_iri(g)}>") for g in graphs)


def published_graphs(client: httpx.Client, query_endpoint: str) -> dict[str, str]:
    """What the store's pointer graph says (``{logical: physical}``); empty without one.

    :raises RemoteError: unreachable endpoint, an error answer, or an unreadable result.
    """
    results = _select(client, query_endpoint, with_base(read_query_file(POINTER_QUERY).text))
    return {row["graph"].value: row["physical"].value for row in results}


def send_update(client: httpx.Client, update_endpoint: str, update: str) -> None:
    """Send one SPARQL Update request.

    :raises RemoteError: unreachable endpoint, refused credentials or an error answer.
    """
    try:
        response = client.post(update_endpoint, data={"update": update})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the update endpoint {update_endpoint}: {exc}") from None
    check_answer(response, update_endpoint, f"the update endpoint {update_endpoint}", "")


def _select(client: httpx.Client, query_endpoint: str, query: str) -> list[ox.QuerySolution]:
    """The solutions of one of pathokg's own SELECT queries, asked of the store's query endpoint.

    :raises RemoteError: unreachable endpoint, an error answer, or an unreadable result.
    """
    try:
        response = client.post(query_endpoint, data={"query": query},
                               headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the query endpoint {query_endpoint}: {exc}") from None
    if response.status_code in (401, 403):
        raise refused(response, query_endpoint)
    if response.status_code != 200:
        raise RemoteError(f"the query endpoint {query_endpoint} answered HTTP {response.status_code}: "
                          f"{response.text[:300]}")
    try:
        return list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON))
    except (SyntaxError, ValueError, TypeError) as exc:
        raise RemoteError(f"the query endpoint {query_endpoint} sent an unreadable answer: {exc}") from None


def count_triples(client: httpx.Client, query_endpoint: str, graph_iri: str) -> int:
    """The number of triples in a named graph, asked of the store's query endpoint.

    :raises RemoteError: unreachable endpoint, an error answer, or an unreadable result.
    """
    try:
        return int(_select(client, query_endpoint, count_query(graph_iri))[0]["triples"].value)
    except (ValueError, IndexError, KeyError, TypeError) as exc:
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


def publish_payloads(store: str, payloads: dict[str, bytes], *, query_endpoint: str | None = None,
                     update_endpoint: str | None = None, user: str | None = None,
                     password: str | None = None, auth: str = "digest",
                     timeout: float = 600.0) -> PublishReport:
    """Publish each payload into its named graph (see the module docstring): every graph staged
    (or versioned, :data:`BY_REFERENCE`) and counted, then one update request switches them all,
    then the previous versioned graphs are dropped.

    :raises RemoteError: on any failure before or in the switch; the store is then as it was.
    """
    check_url(store, "--store")
    endpoint = check_url(query_endpoint, "--query-endpoint") if query_endpoint else \
        default_query_endpoint(store)
    updates = check_url(update_endpoint, "--update-endpoint") if update_endpoint else \
        default_query_endpoint(store, UPDATE_ENDPOINTS, "update")
    for graph_iri in payloads:
        check_iri(graph_iri)
    counts = {g: sum(1 for line in data.splitlines() if line.strip() and not line.startswith(b"#"))
              for g, data in payloads.items()}
    report = PublishReport(store, endpoint)
    token = secrets.token_hex(8)
    upload_to = {g: f"{BY_REFERENCE[g]}{token}" if g in BY_REFERENCE else f"{STAGING_GRAPHS}{token}/{n}"
                 for n, g in enumerate(payloads)}
    physical = {g: upload_to[g] if g in BY_REFERENCE else g for g in payloads}
    moves = {upload_to[g]: g for g in payloads if g not in BY_REFERENCE}
    with httpx.Client(auth=auth_for(user, password, auth), timeout=timeout) as client:
        made: list[str] = []
        started, sent = 0.0, False
        try:
            for graph_iri, data in payloads.items():
                made.append(upload_to[graph_iri])
                upload = upload_graph(client, store, upload_to[graph_iri], data)
                checked = verify(client, endpoint, upload_to[graph_iri], counts[graph_iri])
                report.graphs.append(PublishedGraph(graph_iri, counts[graph_iri], upload,
                                                    checked if graph_iri in BY_REFERENCE else 0.0,
                                                    physical[graph_iri]))
            before = published_graphs(client, endpoint)  # the previous versions, dropped after
            started, sent = time.perf_counter(), True
            send_update(client, updates, switch_update(moves, physical,
                                                       [g for g in payloads if g in BY_REFERENCE]))
        except RemoteError as exc:
            switched = _switched(client, endpoint, physical) if sent else False
            if switched is None:  # the answer was lost and the pointer cannot be read
                _drop_quietly(client, store, updates, list(moves))
                raise RemoteError(
                    f"{exc} (the store did not confirm the switch and its pointer graph "
                    f"<{PUBLISHED_GRAPH}> cannot be read: the graphs "
                    f"{', '.join(f'<{p}>' for g, p in physical.items() if g in BY_REFERENCE)} "
                    "were kept in case it is live; publish again, or drop them if the pointer "
                    "does not name them)") from None
            if not switched:
                _drop_quietly(client, store, updates, made)
                raise RemoteError(f"{exc} (nothing was replaced: the store's graphs are as they were)") from None
        report.replace_seconds = time.perf_counter() - started  # (an answer lost after the switch: done)
        forget_layouts()  # this process's readers must read the new pointer
        for g in report.graphs:
            if g.graph not in BY_REFERENCE:
                g.verify_seconds = verify(client, endpoint, g.graph, g.triples)
        if published_graphs(client, endpoint) != {**before, **physical}:
            raise RemoteError(f"the pointer graph <{PUBLISHED_GRAPH}> at {endpoint} does not name the "
                              "graphs just published; publish again")
        _drop_previous(client, store, updates, endpoint, report,
                       [p for g, p in before.items() if g in BY_REFERENCE and g in physical and p != physical[g]])
    return report


def _switched(client: httpx.Client, endpoint: str, physical: dict[str, str]) -> bool | None:
    """After an update that failed: whether the pointer names this publish's versioned graphs
    after all (its answer lost on the way back, a time-out after the store had done it); ``None``
    if the pointer cannot be read."""
    mine = {g: p for g, p in physical.items() if g in BY_REFERENCE}
    try:
        pointer = published_graphs(client, endpoint)
    except RemoteError:
        return None
    return bool(mine) and all(pointer.get(g) == p for g, p in mine.items())


def _drop_previous(client: httpx.Client, store: str, update_endpoint: str, query_endpoint: str,
                   report: PublishReport, previous: list[str]) -> None:
    """Drop the versioned graphs the old pointer named, best effort: the release is switched."""
    started = time.perf_counter()
    for graph_iri in previous:
        try:
            drop_graph(client, store, update_endpoint, query_endpoint, graph_iri)
        except RemoteError as exc:
            report.left_behind.append(graph_iri)
            report.cleanup_error = str(exc)
    report.cleanup_seconds = time.perf_counter() - started


def drop_graph(client: httpx.Client, store: str, update_endpoint: str, query_endpoint: str,
               graph_iri: str) -> None:
    """Drop one named graph: on Oxigraph in parts of :data:`OXIGRAPH_DROP_PART` triples (about
    twice as fast, and half the memory, as one ``DROP``), elsewhere with one ``DROP``.

    :raises RemoteError: as :func:`send_update`.
    """
    if store_kind(store) == "oxigraph":
        part = read_query_file(DROP_PART_UPDATE).text.replace("?_graph", f"<{check_iri(graph_iri)}>") \
            .replace("?_part", str(OXIGRAPH_DROP_PART))
        while count_triples(client, query_endpoint, graph_iri):
            send_update(client, update_endpoint, part)
    send_update(client, update_endpoint, drop_update([graph_iri]))


def _drop_quietly(client: httpx.Client, store: str, update_endpoint: str, graphs: list[str]) -> None:
    """Drop the graphs a failed publish made, in one update or, if the update endpoint refuses,
    one by one through the Graph Store Protocol; a store that cannot be reached keeps them (they
    are named as pathokg's staging or versioned graphs, which no reader reads)."""
    if not graphs:
        return
    try:
        send_update(client, update_endpoint, drop_update(graphs))
    except RemoteError:
        for graph_iri in graphs:
            with contextlib.suppress(RemoteError):
                delete_graph(client, store, graph_iri)


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
