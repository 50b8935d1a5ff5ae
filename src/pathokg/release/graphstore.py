"""Graph Store Protocol requests of a publish (SPARQL 1.1 Graph Store HTTP Protocol): fill a graph
by each store's fast path, delete one, and the store's answers as :class:`~pathokg.errors.RemoteError`.

>>> store_kind("http://127.0.0.1:7878/store")
'oxigraph'
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import httpx

from ..errors import RemoteError

_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def check_iri(iri: str) -> str:
    if not _IRI.match(iri):
        raise RemoteError(f"not an absolute IRI for a named graph: {iri!r}")
    return iri


def check_answer(response: httpx.Response, url: str, who: str, what: str) -> None:
    """Refused credentials, or any answer other than 2xx, as a :class:`RemoteError`."""
    if response.status_code in (401, 403):
        raise refused(response, url)
    if not 200 <= response.status_code < 300:
        raise RemoteError(f"{who} answered HTTP {response.status_code}{what}: {response.text[:300]}")


def auth_for(user: str | None, password: str | None, scheme: str) -> httpx.Auth | None:
    if user is None:
        return None
    if scheme == "basic":
        return httpx.BasicAuth(user, password or "")
    return httpx.DigestAuth(user, password or "")


def refused(response: httpx.Response, url: str) -> RemoteError:
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
        seconds = _virtuoso_request(client, store, graph_iri, chunks[0], "PUT")
        for chunk in chunks[1:]:
            seconds += _virtuoso_request(client, store, graph_iri, chunk, "POST")
        return seconds
    return put_graph(client, store, graph_iri, data)


#: Virtuoso rolls back a request it found deadlocked ("SR172"), even one of 100,000 triples when
#: its checkpoint runs (seen on a full-HPO upload); sending the same triples again is safe (a
#: graph holds each triple once, and the count checks the result), so a chunk is retried this often.
VIRTUOSO_RETRIES = 3


def _virtuoso_request(client: httpx.Client, store: str, graph_iri: str, chunk: bytes, method: str) -> float:
    """One Graph Store request of an upload to Virtuoso, sent again if Virtuoso found it deadlocked."""
    attempt = 0
    while True:
        try:
            return put_graph(client, store, graph_iri, chunk, method=method)
        except RemoteError as exc:
            if "SR172" not in str(exc) or attempt >= VIRTUOSO_RETRIES:
                raise
        attempt += 1
        time.sleep(attempt)


def put_graph(client: httpx.Client, store: str, graph_iri: str, data: bytes,
              extra: dict[str, str] | None = None, *, method: str = "PUT") -> float:
    """Replace one named graph with N-Triples ``data`` (``POST``: add to it); returns the seconds.

    :raises RemoteError: unreachable store, refused credentials, or any non-2xx answer.
    """
    params = {"graph": check_iri(graph_iri), **(extra or {})}
    started = time.perf_counter()
    try:
        # A small request first: digest auth gets its challenge (and a wrong password is refused)
        # before the upload, which some stores cut off mid-body when they refuse it.
        # (Connection: close, because Oxigraph 0.5 sends a body with some HEAD answers.)
        if client.auth is not None:
            probe = client.head(store, params={"graph": graph_iri}, headers={"Connection": "close"})
            if probe.status_code in (401, 403):
                raise refused(probe, store)
        response = client.request(method, store, params=params, content=data,
                                  headers={"Content-Type": "application/n-triples"})
    except httpx.ConnectError as exc:
        raise RemoteError(f"cannot reach the store {store}: {exc} (is the server running?)") from None
    except httpx.TimeoutException:
        raise RemoteError(f"the store {store} did not answer in time ({client.timeout})") from None
    except httpx.HTTPError as exc:
        raise RemoteError(f"the upload to {store} failed: {exc}") from None
    check_answer(response, store, f"the store {store}", f" to the upload of <{graph_iri}>")
    return time.perf_counter() - started


def delete_graph(client: httpx.Client, store: str, graph_iri: str) -> None:
    """Drop one named graph by the Graph Store Protocol (``DELETE <store>?graph=``); a graph that
    is not there (404) is no error.

    :raises RemoteError: unreachable store, refused credentials, or any other non-2xx answer.
    """
    try:
        response = client.delete(store, params={"graph": check_iri(graph_iri)})
    except httpx.HTTPError as exc:
        raise RemoteError(f"cannot reach the store {store}: {exc}") from None
    if response.status_code != 404:
        check_answer(response, store, f"the store {store}", f" to the deletion of <{graph_iri}>")
