"""``pathokg serve``: the SPARQL endpoint, query page, REST API and concept pages in one server."""

from __future__ import annotations

from pathlib import Path

import click

from .options import release_option, timeout_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@release_option
@click.option("--workers", default=2, show_default=True, type=int,
              help="Query worker processes (each holds the graph in memory).")
@timeout_option(10.0, "Seconds a query may run before its worker is stopped.")
def serve_command(host: str, port: int, release: Path | None, workers: int, timeout: float) -> None:
    """Serve the graph: /sparql, the query page /query, /api/queries, concept pages, /health.

    \b
    Example:
      pathokg serve --port 8000      # then open http://127.0.0.1:8000/query
    """
    import uvicorn

    from ..web.app import ServerSettings, create_app

    app = create_app(ServerSettings(release=release, workers=workers, timeout=timeout))
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
