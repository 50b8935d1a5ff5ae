"""``pathokg queries``, ``pathokg query`` and ``pathokg sparql``: SPARQL from the shell."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..errors import QueryError, QueryLimitError
from ..querying.results import QueryResult
from ..vocab import shorten
from .options import format_option, param_option, parse_params, release_option, timeout_option

#: Seconds an embedded query may run from the command line before the command gives up.
CLI_TIMEOUT = 60.0

_ENDPOINT = click.option("--endpoint", metavar="URL", default=None,
                         help="Run on this SPARQL 1.1 endpoint instead of the embedded graph (after "
                              "`pathokg publish`: the store's plain query URL).")
_ASSERTED = click.option("--asserted-only", is_flag=True,
                         help="Leave out the inferred triples (embedded graph, or a store "
                              "`pathokg publish` wrote).")
_TIMEOUT = timeout_option(CLI_TIMEOUT, "Seconds before the query is abandoned.")


def _short(value: str | None) -> str:
    """An IRI as a CURIE where a known prefix fits (``pk:chronic-kidney-disease``), so tables stay
    readable in a terminal; machine formats keep full IRIs."""
    if value is None:
        return ""
    return shorten(value)


def _table(result: QueryResult) -> Table:
    if result.is_graph:
        table = Table("subject", "predicate", "object", show_lines=False)
        rows = [(_short(str(s)), _short(str(p)), _short(str(o))) for s, p, o in sorted(result.graph())]
    elif result.boolean is not None:
        table = Table("answer")
        rows = [("yes" if result.boolean else "no",)]
    else:
        table = Table(*result.variables)
        rows = [tuple(_short(v) for v in r.values()) for r in result.rows]
    for row in rows:
        table.add_row(*row)
    table.caption = f"{len(rows)} row(s)" if not result.is_graph else f"{len(rows)} triple(s)"
    return table


def emit(result: QueryResult, fmt: str) -> None:
    """Print a result: a table for people, or the exact bytes of a W3C format."""
    if fmt == "table":
        Console(soft_wrap=False).print(_table(result))
        return
    data = result.serialize(fmt)
    sys.stdout.buffer.write(data)
    if not data.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()


def _watchdog(seconds: float) -> threading.Timer:
    """Oxigraph cannot stop a running query: past the limit, report and end the process."""

    def expire() -> None:
        click.secho(f"error: the query ran longer than the time limit of {seconds:g} s "
                    "(raise it with --timeout)", fg="red", err=True)
        sys.stderr.flush()
        os._exit(QueryLimitError.exit_code)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


@click.command("queries")
@click.option("--tag", default=None, help="Only queries with this tag.")
def queries_command(tag: str | None) -> None:
    """List the named queries with their parameters.

    \b
    Example:
      pathokg queries --tag treatment
    """
    from ..conceptmap import draws  # which queries `pathokg map --query` can draw
    from ..querying.files import list_queries

    table = Table("name", "what it answers", "parameters: kind = default", "tags", "map")
    for q in list_queries():
        if tag and tag not in q.tags:
            continue
        params = "\n".join(f"{p.name}: {p.kind} = {p.default}" for p in q.params)
        table.add_row(q.name, q.summary, params, ", ".join(q.tags), "yes" if draws(q) else "no")
    Console().print(table)


@click.command("query")
@click.argument("name")
@param_option
@format_option
@_ENDPOINT
@_ASSERTED
@release_option
@_TIMEOUT
def query_command(name: str, params: tuple[str, ...], fmt: str, endpoint: str | None,
                  asserted_only: bool, release: Path | None, timeout: float) -> None:
    """Run a named query.

    \b
    Examples:
      pathokg query risk-factors
      pathokg query evidence -p subject=pk:burn -p object=pk:tissue-injury --format json
      pathokg query concept-lookup -p text=ckd --endpoint http://127.0.0.1:8000/sparql
    """
    from ..querying.api import query

    values = parse_params(params)
    timer = _watchdog(timeout)
    result = query(name, endpoint=endpoint, inferred=not asserted_only,
                   timeout=timeout if endpoint else None, release=release, **values)
    timer.cancel()
    emit(result, fmt)


@click.command("sparql")
@click.argument("text", required=False)
@click.option("--file", "-F", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from a file (- for standard input).")
@format_option
@_ENDPOINT
@_ASSERTED
@release_option
@_TIMEOUT
def sparql_command(text: str | None, file: Path | None, fmt: str, endpoint: str | None,
                   asserted_only: bool, release: Path | None, timeout: float) -> None:
    """Run any SPARQL query (read-only) on the graph.

    \b
    Examples:
      pathokg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      pathokg sparql -F my-query.rq --format csv
    """
    from ..querying.api import sparql

    if file is not None and text:
        raise QueryError("give the query as an argument or with --file, not both")
    if file is not None:
        try:
            text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{file}: cannot be read: {exc}") from None
    if not text or not text.strip():
        raise QueryError("no query: pass it as an argument or with --file FILE")
    timer = _watchdog(timeout)
    result = sparql(text, endpoint=endpoint, inferred=not asserted_only,
                    timeout=timeout if endpoint else None, release=release)
    timer.cancel()
    emit(result, fmt)
