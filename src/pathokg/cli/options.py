"""Options several commands share, each defined once: ``--release``, ``--param``, ``--format``,
``--out`` and ``--timeout``."""

from __future__ import annotations

from collections.abc import Callable
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


def timeout_option(default: float, help: str) -> Callable[[F], F]:
    """``--timeout SECONDS``."""
    return click.option("--timeout", type=float, default=default, show_default=True, help=help)


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
