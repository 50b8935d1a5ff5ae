"""The ``pathokg`` command: a thin layer over the library.

Exit codes: 0 success; 1 validation failed; 2 bad input (source file, query, argument);
3 a needed external resource is missing (Java, a browser); 4 a remote store or endpoint failed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .errors import PathoKGError, SourceError, ValidationError


class PathoKGGroup(click.Group):
    """Turns every pathokg error into a clear message and its documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SourceError as exc:
            click.secho(f"error: {len(exc.problems)} problem(s) in the curated sources; "
                        "nothing was written:", fg="red", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            ctx.exit(exc.exit_code)
        except ValidationError as exc:
            click.secho(f"error: validation failed with {len(exc.violations)} violation(s); "
                        "the previous release is untouched:", fg="red", err=True)
            for violation in exc.violations:
                click.echo(f"  {violation}", err=True)
            ctx.exit(exc.exit_code)
        except PathoKGError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=PathoKGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathokg")
def main() -> None:
    """pathokg: a knowledge graph of pathology concepts with evidence behind every relation.

    \b
    Example:
      pathokg build            # validate the curated sources and write dist/
    """


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Release folder (default: dist/ in the project, or $PATHOKG_DIST).")
@click.option("--source", "sources", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A curated source file; repeat for several (default: every graph/sources/*.yaml).")
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check with HermiT.")
def build(out_dir: Path | None, sources: tuple[Path, ...], no_reasoner: bool) -> None:
    """Validate the curated sources and write the release atomically.

    \b
    Example:
      pathokg build --out dist
    """
    from .build import build as run_build

    report = run_build(out_dir, sources=list(sources) or None, reasoner=not no_reasoner)
    for note in report.skipped:
        click.secho(f"warning: {note}", fg="yellow", err=True)
    c = report.counts
    click.echo(f"wrote {report.out_dir}: {c['triples']} triples, {c['concepts']} concepts, "
               f"{c['relations']} relations, {c['evidence']} evidence, {c['mappings']} mappings "
               f"from {c['articles']} article(s) in {report.timings['total']:.2f} s")


def _register_commands() -> None:
    """Attach the command groups that live in their own modules."""
    for module in ("cli_export", "cli_analyze", "cli_publish", "cli_query", "cli_serve",
                   "conceptmap.cli"):
        __import__(f"{__package__}.{module}")


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
