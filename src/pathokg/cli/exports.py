"""``pathokg export``: the concept graph for Gephi, Cytoscape, Neo4j and other graph tools."""

from __future__ import annotations

from pathlib import Path

import click

from ..exports import FORMATS
from .options import out_option, release_option


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True,
              help="graphml, gexf (Gephi), cyjs (Cytoscape.js / Cytoscape desktop) or neo4j "
                   "(a folder with nodes.csv, relationships.csv and load.cypher).")
@out_option(None, "Output file (folder for neo4j); default pathokg.<format> (neo4j/) here.")
@click.option("--inferred", is_flag=True,
              help="Also export the relations the ontology entails (inverses, ...), marked inferred.")
@release_option
def export_command(fmt: str, out: Path | None, inferred: bool, release: Path | None) -> None:
    """Export the concept graph with every attribute and the evidence of every edge.

    \b
    Example:
      pathokg export --format gexf --out pathokg.gexf
      pathokg export --format neo4j --out neo4j-import/
    """
    from ..exports import export
    from ..querying.release import release_store

    written = export(release_store(release), fmt, out, inferred=inferred)
    click.echo(f"wrote {written}")
