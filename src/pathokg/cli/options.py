"""Options several commands share, each defined once: ``--release``, ``--param``, ``--format``,
``--out``, ``--force`` and ``--timeout``; and a clean stop on SIGTERM for the commands that write."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import QueryError
from ..querying.formats import CLI_FORMATS

F = TypeVar("F", bound=Callable[..., Any])

#: ``--release DIR``: the release a command reads (never built by it).
release_option = click.option(
    "--release", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Release folder to read (default: dist/ in the project, or $PATHOKG_DIST); "
         "`pathokg build` writes it.")

#: ``--param NAME=VALUE``, repeatable: the parameters of a named query.
param_option = click.option(
    "--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
    help="A query parameter; repeat for several. pk:id and CURIEs become IRIs.")

#: ``--format``: a table for people, or a W3C format for tools.
format_option = click.option(
    "--format", "-f", "fmt", type=click.Choice(CLI_FORMATS), default="table", show_default=True,
    help="table for people; srj/json, srx, csv, tsv (SELECT/ASK) or "
         "ttl, nt, jsonld, rdfxml (CONSTRUCT/DESCRIBE) for tools.")


def out_option(default: Path | None, help: str, *, folder: bool | None = False) -> Callable[[F], F]:
    """``--out PATH``: where a command writes: a file, a folder (``folder=True``) or either
    (``folder=None``, for a format that is a file or a folder)."""
    kind = click.Path(file_okay=folder is not True, dir_okay=folder is not False, path_type=Path)
    return click.option("--out", "out", type=kind, default=default,
                        show_default=default is not None, help=help)


#: ``--force``: replace an output that pathokg did not write (it is never done silently).
force_option = click.option(
    "--force", is_flag=True,
    help="Replace --out even if it is not something pathokg wrote (a folder is replaced whole).")


@contextmanager
def stop_cleanly_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM (``kill``, a CI timeout) into an exit that runs the clean-ups of the atomic
    writers, so a stopped command leaves the previous state and no temporary files (exit 143)."""

    def stop(signum: int, _frame: object) -> None:
        click.echo("terminated; nothing was changed", err=True)
        sys.exit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding application): leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def timeout_option(default: float, help: str) -> Callable[[F], F]:
    """``--timeout SECONDS``."""
    return click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=default,
                        show_default=True, help=help)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("name=value", ...)`` as a dict.

    :raises QueryError: a pair without ``=`` or without a name.
    """
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: write it as name=value")
        params[name.strip()] = value
    return params
