"""``pathokg queries``, ``pathokg query`` and ``pathokg sparql``: SPARQL from the shell."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import click
from rdflib import URIRef
from rich.console import Console
from rich.table import Table

from ..errors import QueryError, QueryLimitError
from ..querying.labels import LabelIndex
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
_LABELS = click.option("--labels", is_flag=True,
                       help="Add a label column (?xLabel) after each IRI column of a SELECT "
                            "(tables always show labels).")
_LIMIT = click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
                      help="Keep at most N solutions (the engine applies it to the query's own "
                           "LIMIT).")
_OFFSET = click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N",
                       help="Skip the first N solutions (after the query's own OFFSET).")


def _short(value: str | None) -> str:
    """An IRI as a CURIE where a known prefix fits (``pk:chronic-kidney-disease``), so tables stay
    readable in a terminal; machine formats keep full IRIs."""
    if value is None:
        return ""
    return shorten(value)


def _folding(*names: str) -> Table:
    """A table whose cells wrap and fold long words instead of cutting them to ``…``: two IRIs
    that share a long prefix must never look the same in a narrow terminal."""
    table = Table(show_lines=False)
    for name in names:
        table.add_column(name, overflow="fold")
    return table


def _graph_cell(term: object, labels: LabelIndex | None) -> str:
    """A node of a graph result: its CURIE, and its label beside it when the graph has one."""
    text = _short(str(term))
    label = labels.label(str(term)) if labels is not None and isinstance(term, URIRef) else None
    return f"{text} ({label})" if label else text


def _table(result: QueryResult, labels: LabelIndex | None = None) -> Table:
    if result.is_graph:
        table = _folding("subject", "predicate", "object")
        rows = [tuple(_graph_cell(t, labels) for t in triple) for triple in sorted(result.graph())]
    elif result.boolean is not None:
        table = _folding("answer")
        rows = [("yes" if result.boolean else "no",)]
    else:
        table = _folding(*result.variables)
        rows = [tuple(_short(v) for v in r.values()) for r in result.lexical_rows]
    for row in rows:
        table.add_row(*row)
    table.caption = f"{len(rows)} row(s)" if not result.is_graph else f"{len(rows)} triple(s)"
    return table


def emit(result: QueryResult, fmt: str, labels: LabelIndex | None = None) -> None:
    """Print a result: a table for people (the labels of a graph's nodes from ``labels``), or the
    exact bytes of a W3C format."""
    if fmt == "table":
        Console(soft_wrap=False).print(_table(result, labels))
        return
    data = result.serialize(fmt)
    sys.stdout.buffer.write(data)
    if not data.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()


def _run(fmt: str, labels: bool, endpoint: str | None, release: Path | None,
         run: Callable[[bool], QueryResult]) -> None:
    """Run a query (``run(labels)``) and print it. A table always shows labels: a label column
    beside each IRI column of a SELECT, the label beside each node of a graph (embedded graph)."""
    result = run(labels or fmt == "table")
    index = None
    if fmt == "table" and result.is_graph and not endpoint:
        from ..querying.api import default_engine

        index = default_engine(release).label_index()
    emit(result, fmt, index)


@contextlib.contextmanager
def _watchdog(seconds: float) -> Iterator[threading.Timer]:
    """Oxigraph cannot stop a running query: past the limit, report and end the process.

    The timer is disarmed however the block ends, so a query that fails leaves no timer behind
    to end an in-process caller (a notebook, a test runner) later.
    """

    def expire() -> None:
        click.secho(f"error: the query ran longer than the time limit of {seconds:g} s "
                    "(raise it with --timeout)", fg="red", err=True)
        sys.stderr.flush()
        os._exit(QueryLimitError.exit_code)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield timer
    finally:
        timer.cancel()


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

    table = _folding("name", "what it answers", "parameters: kind = default", "tags", "map")
    for q in list_queries():
        if tag and tag not in q.tags:
            continue
        params = "\n".join(f"{p.name}: {p.kind} = {p.default}"
                            + (f" (one of {', '.join(p.choices)})" if p.choices else "")
                            for p in q.params)
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
@_LABELS
@_LIMIT
@_OFFSET
def query_command(name: str, params: tuple[str, ...], fmt: str, endpoint: str | None,
                  asserted_only: bool, release: Path | None, timeout: float, labels: bool,
                  limit: int | None, offset: int) -> None:
    """Run a named query.

    \b
    Examples:
      pathokg query risk-factors
      pathokg query evidence -p subject=pk:burn -p object=pk:tissue-injury --format json
      pathokg query concept-lookup -p text=ckd --endpoint http://127.0.0.1:8000/sparql
      pathokg query concepts-by-category --limit 10 --offset 10
    """
    from ..querying.api import query

    values = parse_params(params)
    with _watchdog(timeout):
        _run(fmt, labels, endpoint, release, lambda with_labels: query(
            name, endpoint=endpoint, inferred=not asserted_only,
            timeout=timeout if endpoint else None, release=release, labels=with_labels,
            limit=limit, offset=offset, **values))


@click.command("sparql")
@click.argument("text", required=False)
@click.option("--file", "-F", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from a file (- for standard input).")
@format_option
@_ENDPOINT
@_ASSERTED
@release_option
@_TIMEOUT
@_LABELS
@_LIMIT
@_OFFSET
def sparql_command(text: str | None, file: Path | None, fmt: str, endpoint: str | None,
                   asserted_only: bool, release: Path | None, timeout: float, labels: bool,
                   limit: int | None, offset: int) -> None:
    """Run any SPARQL query (read-only) on the graph.

    \b
    Examples:
      pathokg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      pathokg sparql -F my-query.rq --format csv
      pathokg sparql 'SELECT ?c WHERE { ?c a pko:Disease }' --labels --format csv
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
    query_text = text
    with _watchdog(timeout):
        _run(fmt, labels, endpoint, release, lambda with_labels: sparql(
            query_text, endpoint=endpoint, inferred=not asserted_only,
            timeout=timeout if endpoint else None, release=release, labels=with_labels,
            limit=limit, offset=offset))
