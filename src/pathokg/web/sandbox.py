"""The walls around a query worker process, set by the operating system (Linux).

* **No network.** The worker moves into a new network namespace, which has no interface but a
  loopback that is down: ``connect`` to any address, 127.0.0.1 included, fails with "network is
  unreachable". Oxigraph's ``SERVICE`` client is Rust code that Python cannot see, so a wall in the
  kernel is the one that holds even if a query ever got past :mod:`pathokg.querying.safety`. As
  root this is ``unshare(CLONE_NEWNET)``; as another user, a user namespace comes with it
  (``CLONE_NEWUSER | CLONE_NEWNET``, what ``unshare -rn`` does), where distributions allow it.
* **A memory ceiling.** ``RLIMIT_DATA`` bounds the worker's private writable memory (heap, and the
  query thread's stack reservation); past it an allocation fails and the worker stops, and the
  pool replaces it.
* **Its own process group**, ignoring Ctrl-C: the server stops its workers itself, so a Ctrl-C in
  the terminal does not print a traceback per worker.

>>> import errno
>>> unreachable(errno.ENETUNREACH)
True
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import resource
import signal
import socket

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1


def unreachable(code: int) -> bool:
    """True for the ``connect`` errors a network namespace without interfaces gives."""
    return code in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def detach_from_terminal() -> None:
    """Own process group, Ctrl-C ignored, and killed if the server process dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    with contextlib.suppress(OSError, AttributeError):
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def cut_network() -> str | None:
    """Move this process into a new, empty network namespace and check that nothing is reachable.

    Call it while the process has one thread (the kernel refuses a user namespace otherwise).
    Returns ``None`` when the wall stands, else why it could not be built.
    """
    libc = _libc()
    if libc.unshare(_CLONE_NEWNET) != 0:
        first = ctypes.get_errno()
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            second = ctypes.get_errno()
            return (f"the kernel refused a network namespace (unshare: {os.strerror(first)}; "
                    f"with a user namespace: {os.strerror(second)})")
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.settimeout(1.0)
        code = probe.connect_ex(("127.0.0.1", 9))
    finally:
        probe.close()
    if not unreachable(code):
        return f"a connection to 127.0.0.1 still got {os.strerror(code)!r} in the new namespace"
    return None


def proc_kib(path: str, name: str) -> int:
    """One ``Name:  N kB`` line of a ``/proc`` file (``status``, ``meminfo``), in KiB; 0 if unknown.

    >>> proc_kib("/proc/self/status", "VmRSS:") > 0
    True
    """
    try:
        with open(path, encoding="ascii") as lines:
            for line in lines:
                if line.startswith(name):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def data_in_use() -> int:
    """This process's private writable memory now (``VmData``), in bytes."""
    return proc_kib("/proc/self/status", "VmData:") * 1024


def limit_memory(limit: int) -> str | None:
    """Cap private writable memory (``RLIMIT_DATA``) at ``limit`` bytes; ``None`` on success."""
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError) as exc:
        return f"the memory limit could not be set ({exc})"
    return None
