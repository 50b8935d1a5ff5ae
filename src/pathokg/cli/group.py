"""The ``pathokg`` command group: every pathokg error becomes a clear message and its exit code.

Exit codes: 0 success; 1 validation failed; 2 bad input (source file, query, argument);
3 a needed tool is missing (Java, a browser, a server program); 4 a remote store or endpoint failed.
"""

from __future__ import annotations

from typing import Any

import click

from ..errors import PathoKGError, SourceError, ToolMissing, ValidationError


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
        except ModuleNotFoundError as exc:
            # an installation that lacks a dependency: say which, not a traceback (exit 3)
            name = (exc.name or "?").split(".")[0]
            click.secho(f"error: pathokg needs the Python package {name!r}, which is not "
                        "installed here; reinstall pathokg (pip install -e .) or "
                        f"pip install {name}", fg="red", err=True)
            ctx.exit(ToolMissing.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was changed", err=True)
            ctx.exit(130)


@click.group(cls=PathoKGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathokg")
def main() -> None:
    """pathokg: a knowledge graph of pathology concepts with evidence behind every relation.

    \b
    Example:
      pathokg build            # validate the curated sources and write dist/
    """
