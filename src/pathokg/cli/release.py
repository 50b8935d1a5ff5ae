"""``pathokg build`` and ``pathokg publish``: write the release, and put it into a triplestore."""

from __future__ import annotations

from pathlib import Path

import click

from ..vocab import DATASET_IRI, INFERRED_GRAPH
from .options import force_option, out_option, release_option, stop_cleanly_on_sigterm, timeout_option


@click.command("build")
@out_option(None, "Release folder (default: dist/ in the project, or $PATHOKG_DIST); it must be "
                  "new, empty or a pathokg release.", folder=True)
@click.option("--source", "sources", multiple=True,
              type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
              help="A curated source file; repeat for several (default: every graph/sources/*.yaml).")
@click.option("--reasoner/--no-reasoner", default=None,
              help="Run the OWL consistency check with HermiT (needs Java; exit code 3 without "
                   "it), or skip it. Default: run it when Java is here, else skip it and say so.")
@force_option
def build_command(out: Path | None, sources: tuple[Path, ...], reasoner: bool | None,
                  force: bool) -> None:
    """Validate the curated sources and write the release atomically.

    \b
    Example:
      pathokg build --out dist
    """
    from ..release.build import build

    with stop_cleanly_on_sigterm():
        report = build(out, sources=list(sources) or None, reasoner=reasoner, force=force)
    for note in report.skipped:
        click.secho(f"warning: {note}", fg="yellow", err=True)
    c = report.counts
    click.echo(f"wrote {report.out_dir}: {c['triples']} triples, {c['concepts']} concepts, "
               f"{c['relations']} relations, {c['evidence']} evidence, {c['mappings']} mappings "
               f"from {c['articles']} article(s) in {report.timings['total']:.2f} s")


@click.command("publish")
@click.option("--store", required=True,
              help="Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph), "
                   "http://localhost:8890/sparql-graph-crud-auth (Virtuoso).")
@click.option("--graph", default=str(DATASET_IRI), show_default=True,
              help="Named graph that receives the release (replaced).")
@click.option("--inferred-graph", default=str(INFERRED_GRAPH), show_default=True,
              help="Named graph that receives the entailed triples (replaced).")
@click.option("--no-inferred", is_flag=True, help="Publish the asserted release only.")
@click.option("--query-endpoint", default=None,
              help="SPARQL query endpoint used to verify the count (default: /query next to an "
                   "Oxigraph /store, /sparql for Virtuoso, /<ds>/sparql for Fuseki /<ds>/data).")
@click.option("--user", default=None, help="User name for the store.")
@click.option("--password", default=None, envvar="PATHOKG_STORE_PASSWORD",
              help="Password (or set PATHOKG_STORE_PASSWORD).")
@click.option("--auth", type=click.Choice(["digest", "basic"]), default="digest", show_default=True,
              help="HTTP authentication scheme used with --user.")
@release_option
@timeout_option(600.0, "Seconds per request.")
def publish_command(store: str, graph: str, inferred_graph: str, no_inferred: bool,
                    query_endpoint: str | None, user: str | None, password: str | None, auth: str,
                    release: Path | None, timeout: float) -> None:
    """Replace the release's named graphs in a triplestore, then verify the triple counts.

    \b
    Examples:
      pathokg publish --store http://localhost:7878/store
      pathokg publish --store http://localhost:8890/sparql-graph-crud-auth --user dba --password dba
    """
    from ..release.publish import publish

    if user is not None and password is None:
        password = click.prompt("password", hide_input=True)
    report = publish(store, release=release, graph=graph,
                     inferred_graph=None if no_inferred else inferred_graph,
                     query_endpoint=query_endpoint, user=user, password=password, auth=auth,
                     timeout=timeout)
    for g in report.graphs:
        click.echo(f"published <{g.graph}>: {g.triples} triples, verified by count "
                   f"(upload {g.upload_seconds:.2f} s, count {g.verify_seconds:.2f} s)")
    click.echo(f"query it with: pathokg query NAME --endpoint '{report.endpoint}'")
