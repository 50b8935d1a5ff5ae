"""``pathokg build``: validate the curated sources and write the release."""

from __future__ import annotations

from pathlib import Path

import click

from .options import out_option


@click.command("build")
@out_option(None, "Release folder (default: dist/ in the project, or $PATHOKG_DIST).", folder=True)
@click.option("--source", "sources", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A curated source file; repeat for several (default: every graph/sources/*.yaml).")
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check with HermiT.")
def build_command(out: Path | None, sources: tuple[Path, ...], no_reasoner: bool) -> None:
    """Validate the curated sources and write the release atomically.

    \b
    Example:
      pathokg build --out dist
    """
    from ..release.build import build

    report = build(out, sources=list(sources) or None, reasoner=not no_reasoner)
    for note in report.skipped:
        click.secho(f"warning: {note}", fg="yellow", err=True)
    c = report.counts
    click.echo(f"wrote {report.out_dir}: {c['triples']} triples, {c['concepts']} concepts, "
               f"{c['relations']} relations, {c['evidence']} evidence, {c['mappings']} mappings "
               f"from {c['articles']} article(s) in {report.timings['total']:.2f} s")
