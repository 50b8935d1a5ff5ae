"""Run the server (uvicorn) with the limits a public endpoint needs, and stop it cleanly.

* **Slow clients.** Request headers must arrive within ``header_timeout`` seconds of the
  request's first byte (or of the connection's opening), or the connection is closed: a client
  that sends a header line every few seconds holds a connection for that long, not forever
  (uvicorn has no such limit of its own). Bodies have their own limit (``/sparql``), idle
  keep-alive connections close after 5 s, and past ``limit_concurrency`` connections new requests
  get a 503.
* **Shutdown.** SIGINT (Ctrl-C) and SIGTERM stop the server: it stops accepting, lets running
  requests finish for at most ``shutdown_timeout`` seconds, stops the workers and prints one line.
* **One line per event.** A client that goes away, a connection closed for slowness, a request cut
  by the shutdown: one log line each, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
import sys
import threading
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..errors import PathoKGError

log = logging.getLogger("pathokg.server")


@dataclass(frozen=True)
class HttpLimits:
    """Time limits for clients and for shutting down."""

    header_timeout: float = 10.0
    keep_alive: float = 5.0
    shutdown_timeout: float = 10.0
    limit_concurrency: int = 1000


class TimedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol, closing connections whose request headers are too slow."""

    header_timeout = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._header_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
            log.info("closed the connection of %s: no complete request headers after %g s",
                     client, self.header_timeout)
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class _QuietShutdown:
    """ASGI wrapper: a request the shutdown cuts short is one log line, not a traceback."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await self.app(scope, receive, send)
        except asyncio.CancelledError:
            if scope.get("type") == "http":
                log.info("stopped answering %s %s: the server is shutting down",
                         scope.get("method"), scope.get("path"))


class _Server(uvicorn.Server):
    """uvicorn's server, remembering the stop signal instead of raising it again at the end."""

    stop_signal: int | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self._stop) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)

    def _stop(self, sig: int, _frame: Any) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.stop_signal = sig
        self.should_exit = True


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``.

    :raises PathoKGError: the port is in use, not allowed, or the host is not an address here.
    """
    if not 0 < port < 65536:
        raise PathoKGError(f"--port {port} is not a port (1 to 65535)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PathoKGError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        why = {errno.EADDRINUSE: "the address is already in use (is another server running "
                                 "there? choose another --port)",
               errno.EACCES: "permission denied (ports below 1024 need privileges)",
               errno.EADDRNOTAVAIL: "that address is not one of this machine's"}.get(
                   exc.errno, exc.strerror or str(exc))
        raise PathoKGError(f"cannot listen on {host}:{port}: {why}") from None
    sock.set_inheritable(False)
    return sock


def log_to_stderr(level: int = logging.INFO) -> None:
    """The server's own log lines on standard error, one line each."""
    logger = logging.getLogger("pathokg")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s pathokg: %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def serve(app: Any, sock: socket.socket, limits: HttpLimits | None = None) -> int | None:
    """Serve ``app`` on a listening socket until SIGINT or SIGTERM; return that signal's number.

    :raises PathoKGError: the app could not start (its lifespan failed).
    """
    limits = limits or HttpLimits()
    protocol = type("HttpProtocol", (TimedHttpToolsProtocol,),
                    {"header_timeout": limits.header_timeout})
    config = uvicorn.Config(_QuietShutdown(app), http=protocol, loop="uvloop", lifespan="on",
                            log_level="warning", access_log=False,
                            timeout_keep_alive=int(max(limits.keep_alive, 1)),
                            timeout_graceful_shutdown=int(max(limits.shutdown_timeout, 1)),
                            limit_concurrency=limits.limit_concurrency)
    server = _Server(config)
    try:
        server.run(sockets=[sock])
    except SystemExit as exc:  # uvicorn exits when the app's startup fails
        raise PathoKGError("the server could not start (see the lines above)") from exc
    return server.stop_signal
