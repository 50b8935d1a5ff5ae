"""``pathokg export`` and ``pathokg analyze``: the concept graph for Gephi, Cytoscape, Neo4j and other
graph tools, and network analytics on it (central concepts, paths explained with evidence, groups)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ..exports import FORMATS
from .options import force_option, out_option, release_option, stop_cleanly_on_sigterm


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True,
              help="graphml, gexf (Gephi), cyjs (Cytoscape.js / Cytoscape desktop), neo4j "
                   "(a folder with nodes.csv, relationships.csv and load.cypher) or kgx (a folder "
                   "with KGX TSV and JSON Lines nodes and edges, Biolink Model).")
@out_option(None, "Output file (folder for neo4j and kgx); default pathokg.<format> (neo4j/, kgx/) here.",
            folder=None)
@click.option("--inferred", is_flag=True,
              help="Also export the relations the ontology entails (inverses, ...), marked inferred.")
@release_option
@force_option
def export_command(fmt: str, out: Path | None, inferred: bool, release: Path | None,
                   force: bool) -> None:
    """Export the concept graph with every attribute and the evidence of every edge.

    \b
    Example:
      pathokg export --format gexf --out pathokg.gexf
      pathokg export --format neo4j --out neo4j-import/
      pathokg export --format kgx --out kgx/
    """
    from ..exports import export
    from ..querying.release import release_store

    with stop_cleanly_on_sigterm():
        written = export(release_store(release), fmt, out, inferred=inferred, force=force)
    click.echo(f"wrote {written}")


@click.command("analyze")
@click.option("--path", "path", nargs=2, metavar="FROM TO", default=None,
              help="Explain how two concepts are connected (ids, labels or synonyms).")
@click.option("--max-paths", type=click.IntRange(1, 50), default=3, show_default=True,
              help="With --path: how many shortest paths to show.")
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="How many central concepts to list.")
@click.option("--by", type=click.Choice(["degree", "betweenness"]), default="degree",
              show_default=True, help="Rank central concepts by this measure.")
@click.option("--inferred", is_flag=True, help="Include the relations the ontology entails.")
@release_option
def analyze_command(path: tuple[str, str] | None, max_paths: int, top: int, by: str,
                    inferred: bool, release: Path | None) -> None:
    """Central concepts and groups of linked concepts, or the paths between two concepts.

    \b
    Examples:
      pathokg analyze --top 15 --by betweenness
      pathokg analyze --path "radiation therapy" "joint replacement"
    """
    from ..exports import analytics

    graph = analytics.concept_graph(release, inferred=inferred)
    console = Console(soft_wrap=False)
    if path:
        paths = analytics.connecting_paths(graph, path[0], path[1], max_paths=max_paths)
        if not paths:
            console.print(f"no path connects {path[0]!r} and {path[1]!r}")
        for n, found in enumerate(paths, start=1):
            console.print(_path_table(n, found))
        return
    console.print(_central_table(analytics.central_concepts(graph, top=top, by=by), by))
    console.print(_groups_table(analytics.concept_groups(graph)))


def _central_table(rows: list, by: str) -> Table:
    table = Table(title=f"Most central concepts (by {by})")
    for name in ("#", "concept", "category", "relations", "in", "out", "betweenness"):
        table.add_column(name, justify="right" if name in {"#", "relations", "in", "out", "betweenness"} else "left")
    for n, r in enumerate(rows, start=1):
        table.add_row(str(n), r.label, r.category, str(r.degree), str(r.in_degree), str(r.out_degree),
                      f"{r.betweenness:.3f}")
    return table


def _path_table(number: int, path) -> Table:
    table = Table(title=f"Path {number}: " + " -> ".join(path.concepts), show_lines=True)
    for name in ("hop", "statement", "evidence (the article's words)", "section"):
        table.add_column(name, overflow="fold")
    for n, hop in enumerate(path.hops, start=1):
        for st in hop.statements:
            quotes = st.evidence or ()
            table.add_row(str(n), st.sentence() + (" (inferred)" if st.inferred else ""),
                          "\n".join(f"\u201c{q.quote}\u201d" for q in quotes) or "-",
                          "\n".join(q.section for q in quotes) or "-")
    return table


def _groups_table(groups: list) -> Table:
    table = Table(title="Groups of closely linked concepts (Louvain, seeded)")
    for name in ("group", "size", "links inside", "concepts"):
        table.add_column(name, overflow="fold")
    for g in groups:
        table.add_row(str(g.number), str(len(g.labels)), str(g.internal_links), ", ".join(g.labels))
    return table
