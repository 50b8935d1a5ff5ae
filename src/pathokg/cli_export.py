"""``pathokg export``: the concept graph for Gephi, Cytoscape, Neo4j and other graph tools."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import main
from .exports import FORMATS


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True,
              help="graphml, gexf (Gephi), cyjs (Cytoscape.js / Cytoscape desktop) or neo4j "
                   "(a folder with nodes.csv, relationships.csv and load.cypher).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output file (folder for neo4j); default pathokg.<format> (neo4j/) here.")
@click.option("--inferred", is_flag=True,
              help="Also export the relations the ontology entails (inverses, ...), marked inferred.")
@click.option("--release", "release", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Release folder to export (default: dist/, built first if missing).")
def export_command(fmt: str, out: Path | None, inferred: bool, release: Path | None) -> None:
    """Export the concept graph with every attribute and the evidence of every edge.

    \b
    Example:
      pathokg export --format gexf --out pathokg.gexf
      pathokg export --format neo4j --out neo4j-import/
    """
    from .build import load
    from .exports import export

    written = export(load(release), fmt, out, inferred=inferred)
    click.echo(f"wrote {written}")
