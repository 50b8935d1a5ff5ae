"""Tripwires for the safety tests: a TCP listener that counts connections, and a sentinel file
that notices being opened (Linux inotify)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import threading
from pathlib import Path

_IN_ACCESS = 0x001
_IN_OPEN = 0x020


class Listener:
    """A TCP listener on 127.0.0.1 that counts every connection made to it, and answers each with
    an HTTP 403 carrying a secret (what an internal service might say), so that an answer echoed
    in an error message would show."""

    SECRET = "LISTENER-SECRET-ANSWER"

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        body = self.SECRET.encode()
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with contextlib.suppress(OSError):
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        self.sock.close()


class Sentinel:
    """A file with a secret in it that records whether any process opened or read it."""

    SECRET = "SENTINEL-SECRET-VALUE"

    def __init__(self, folder: Path):
        self.path = folder / "secret.ttl"
        self.path.write_text(f'<http://secret/s> <http://secret/p> "{self.SECRET}" .\n')
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if libc.inotify_add_watch(self.fd, str(self.path).encode(), _IN_OPEN | _IN_ACCESS) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    def touched(self) -> bool:
        """True if the file was opened or read since the last call."""
        seen = False
        while True:
            try:
                seen = bool(os.read(self.fd, 4096)) or seen
            except BlockingIOError:
                return seen

    def close(self) -> None:
        os.close(self.fd)
