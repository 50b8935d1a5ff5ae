"""``pathokg queries``, ``pathokg query`` and ``pathokg sparql``: SPARQL from the shell."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .cli import main
from .errors import QueryError, QueryLimitError
from .formats import CLI_FORMATS
from .results import QueryResult
from .vocab import curie_for

#: Seconds an embedded query may run from the command line before the command gives up.
CLI_TIMEOUT = 60.0

_FORMAT = click.option("--format", "-f", "fmt", type=click.Choice(CLI_FORMATS), default="table",
                       show_default=True,
                       help="table for people; srj/json, srx, csv, tsv (SELECT/ASK) or "
                            "ttl, nt, jsonld, rdfxml (CONSTRUCT/DESCRIBE) for tools.")
_ENDPOINT = click.option("--endpoint", metavar="URL", default=None,
                         help="Run on this SPARQL 1.1 endpoint instead of the embedded graph.")
_ASSERTED = click.option("--asserted-only", is_flag=True,
                         help="Leave out the inferred triples (embedded graph only).")
_RELEASE = click.option("--release", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help="Release folder (default: dist/ or $PATHOKG_DIST).")
_TIMEOUT = click.option("--timeout", type=float, default=CLI_TIMEOUT, show_default=True,
                        help="Seconds before the query is abandoned.")


def _short(value: str | None) -> str:
    """An IRI as a CURIE where a known prefix fits (``pk:chronic-kidney-disease``), so tables stay
    readable in a terminal; machine formats keep full IRIs."""
    if value is None:
        return ""
    return curie_for(value) or value


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


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: write it as name=value")
        params[name.strip()] = value
    return params


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


@main.command("queries")
@click.option("--tag", default=None, help="Only queries with this tag.")
def queries_command(tag: str | None) -> None:
    """List the named queries with their parameters.

    \b
    Example:
      pathokg queries --tag treatment
    """
    from .engine import list_queries

    table = Table("name", "what it answers", "parameters (default)", "tags")
    for q in list_queries():
        if tag and tag not in q.tags:
            continue
        params = "\n".join(f"{p.name} = {p.default}" for p in q.params)
        table.add_row(q.name, q.summary, params, ", ".join(q.tags))
    Console().print(table)


@main.command("query")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several. pk:id and CURIEs become IRIs.")
@_FORMAT
@_ENDPOINT
@_ASSERTED
@_RELEASE
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
    from .engine import query

    values = _parse_params(params)
    timer = _watchdog(timeout)
    result = query(name, endpoint=endpoint, inferred=not asserted_only,
                   timeout=timeout if endpoint else None, release=release, **values)
    timer.cancel()
    emit(result, fmt)


@main.command("sparql")
@click.argument("text", required=False)
@click.option("--file", "-F", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from a file (- for standard input).")
@_FORMAT
@_ENDPOINT
@_ASSERTED
@_RELEASE
@_TIMEOUT
def sparql_command(text: str | None, file: Path | None, fmt: str, endpoint: str | None,
                   asserted_only: bool, release: Path | None, timeout: float) -> None:
    """Run any SPARQL query (read-only) on the graph.

    \b
    Examples:
      pathokg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      pathokg sparql -F my-query.rq --format csv
    """
    from .engine import sparql

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
