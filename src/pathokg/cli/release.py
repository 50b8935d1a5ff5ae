"""``pathokg build``, ``pathokg publish`` and ``pathokg diff``: write the release, put it into a
triplestore, and see what changed between two releases."""

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
@click.option("--hpo", type=click.Choice(["none", "slim", "full"]), default="slim", show_default=True,
              help="The HPO backbone: slim (the committed import of the mapped terms, their "
                   "descendants and ancestors, with their disease annotations), full (every HPO "
                   "term and annotation, about 3 million triples; needs pip install "
                   "'pathokg[hpo]') or none.")
@force_option
def build_command(out: Path | None, sources: tuple[Path, ...], reasoner: bool | None,
                  hpo: str, force: bool) -> None:
    """Validate the curated sources and write the release atomically.

    \b
    Examples:
      pathokg build --out dist
      pathokg build --hpo full --out dist-full
    """
    from ..release.build import build

    with stop_cleanly_on_sigterm():
        report = build(out, sources=list(sources) or None, reasoner=reasoner, force=force, hpo=hpo)
    for note in [*report.skipped, *report.warnings]:
        click.secho(f"warning: {note}", fg="yellow", err=True)
    c = report.counts
    click.echo(f"wrote {report.out_dir}: {c['triples']} triples, {c['concepts']} concepts, "
               f"{c['relations']} relations, {c['evidence']} evidence, {c['mappings']} mappings "
               f"from {c['articles']} article(s) in {report.timings['total']:.2f} s")
    if report.hpo is not None:
        h = report.hpo
        click.echo(f"HPO {h.version} ({h.mode}): {h.counts['terms']} terms, {h.counts['annotations']} "
                   f"annotations of {h.counts['diseases']} diseases, {h.counts['genes']} genes "
                   f"({h.counts['import_triples'] + h.counts['annotation_triples']} triples); "
                   f"{len(h.disagreements)} mapping disagreement(s) in hpo-consistency.md. "
                   f"{h.metadata.get('acknowledgement', '')}")


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
@click.option("--update-endpoint", default=None,
              help="SPARQL Update endpoint that replaces the graphs once staged and counted "
                   "(default: /update next to an Oxigraph /store, /sparql-auth for Virtuoso, "
                   "/<ds>/update for Fuseki).")
@click.option("--user", default=None, help="User name for the store.")
@click.option("--password", default=None, envvar="PATHOKG_STORE_PASSWORD",
              help="Password (or set PATHOKG_STORE_PASSWORD).")
@click.option("--auth", type=click.Choice(["digest", "basic"]), default="digest", show_default=True,
              help="HTTP authentication scheme used with --user.")
@release_option
@timeout_option(600.0, "Seconds per request.")
def publish_command(store: str, graph: str, inferred_graph: str, no_inferred: bool,
                    query_endpoint: str | None, update_endpoint: str | None, user: str | None,
                    password: str | None, auth: str, release: Path | None, timeout: float) -> None:
    """Replace the release's named graphs in a triplestore: each is staged and counted first,
    then all are switched in one update (the HPO annotations by the pointer graph
    https://w3id.org/pathokg/graph/published); a failure leaves the store as it was.

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
                     query_endpoint=query_endpoint, update_endpoint=update_endpoint, user=user,
                     password=password, auth=auth,
                     timeout=timeout)
    click.echo("staged and counted every graph, then switched them all in one update "
               f"({report.replace_seconds:.2f} s)")
    for g in report.graphs:
        where = "" if g.physical == g.graph else f" (in <{g.physical}>, named by the pointer graph)"
        click.echo(f"published <{g.graph}>{where}: {g.triples} triples, verified by count "
                   f"(upload {g.upload_seconds:.2f} s, count {g.verify_seconds:.2f} s)")
    for left in report.left_behind:
        click.echo(f"warning: the previous version <{left}> is still in the store ({report.cleanup_error}); "
                   f"nothing reads it: drop it with the update DROP SILENT GRAPH <{left}>", err=True)
    click.echo(f"query it with: pathokg query NAME --endpoint '{report.endpoint}'")


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="Markdown for people, JSON for programs.")
@out_option(None, "Write the report to this file instead of standard output.")
def diff_command(old: Path, new: Path, fmt: str, out: Path | None) -> None:
    """What changed between two releases: concepts, ontology terms, statements, evidence,
    qualifiers, mappings, and every other triple by predicate. Exit code 0: no change; 1: changes.

    OLD and NEW are release folders (or one RDF file of each).

    \b
    Example:
      pathokg diff old-dist/ dist/
      pathokg diff old-dist/ dist/ --format json --out changes.json
    """
    from ..rdf.atomic import write_file
    from ..release.diff import diff_releases, to_json, to_markdown

    result = diff_releases(old, new)
    text = to_json(result) if fmt == "json" else to_markdown(result)
    if out is not None:
        write_file(out, text)
    else:
        click.echo(text, nl=False)
    click.get_current_context().exit(1 if result.has_changes else 0)
