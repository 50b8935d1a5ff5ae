"""``pathokg map``: write the concept map as one self-contained HTML file, or the whole map as a
picture for slides and handouts (SVG; PDF and PNG through Chromium)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .options import force_option, out_option, param_option, parse_params, release_option, stop_cleanly_on_sigterm


@click.command("map")
@out_option(Path("concept-map.html"), "The file to write: .html (the interactive page), or the whole "
            "map with title, legend and source as .svg, .pdf (one page) or .png (twice its size; "
            "PDF and PNG need Chromium).")
@click.option("--view", default="overview", show_default=True,
              help="overview | dc | mechanism | ckd | hpo (see docs/concept-map.md; hpo takes "
                   "--param concept=...).")
@click.option("--query", "query", default=None, metavar="NAME",
              help="Draw the result of a named query: a CONSTRUCT's triples, or the concepts a "
                   "SELECT's rows hold and the relations among them (see `pathokg queries`).")
@param_option
@click.option("--sparql", default=None, metavar="QUERY",
              help="Draw the result of this query (CONSTRUCT, DESCRIBE or SELECT; pathokg's "
                   "prefixes need no PREFIX line).")
@click.option("--focus", default=None, metavar="CONCEPT",
              help="Draw a concept's neighbourhood (label, synonym such as CKD, id or IRI).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 10),
              help="How many relations away from --focus to go.")
@click.option("--inferred", is_flag=True, help="Add inferred relations, drawn dashed and grey.")
@click.option("--title", default=None, help="The page title.")
@release_option
@force_option
def map_command(out: Path, view: str, query: str | None, params: tuple[str, ...],
                sparql: str | None, focus: str | None, depth: int, inferred: bool,
                title: str | None, release: Path | None, force: bool) -> None:
    """Write the concept map: one HTML file that works offline, from disk, on any computer.

    \b
    Examples:
      pathokg map --out concept-map.html
      pathokg map --view ckd --out ckd.html
      pathokg map --focus CKD --depth 2 --out ckd-neighbourhood.html
      pathokg map --query neighbourhood --param concept=pk:tissue-injury --out injury.html
      pathokg map --query treatments --out treatments.html
      pathokg map --view dc --out dc-slide.pdf
      pathokg map --view hpo --param concept=pk:pathological-calcification --out hpo.html
    """
    from ..conceptmap import view_has_params, write_map
    from ..querying.release import release_store

    if params and query is None and not view_has_params(view):
        raise click.UsageError("--param needs --query (or a view with parameters, such as hpo)")
    t0 = time.perf_counter()
    with stop_cleanly_on_sigterm():
        result = write_map(out, release_store(release), view=view, query=query, sparql=sparql,
                           focus=focus, depth=depth, inferred=inferred, title=title,
                           params=parse_params(params), force=force)
    m = result.model
    inferred_count = sum(e.inferred for e in m.edges)
    extra = f" ({inferred_count} inferred)" if inferred else ""
    size = out.stat().st_size
    click.echo(f"wrote {out}: {len(m.concepts)} concepts, {len(m.edges)} relations{extra}, "
               f"{size / 1e6:.1f} MB in {time.perf_counter() - t0:.2f} s" if size >= 100_000 else
               f"wrote {out}: {len(m.concepts)} concepts, {len(m.edges)} relations{extra}, "
               f"{size / 1e3:.0f} kB in {time.perf_counter() - t0:.2f} s")
