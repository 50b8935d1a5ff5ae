"""``pathokg serve``: the SPARQL endpoint, query page, REST API and concept pages in one server."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path

import click

from .options import release_option, timeout_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@release_option
@click.option("--dataset", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Serve this N-Quads file instead of a release.")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Serve this Oxigraph store, loaded beforehand (e.g. with `oxigraph load`).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes (they share one store).")
@click.option("--worker-store", type=click.Choice(["auto", "memory", "disk"]), default="auto",
              show_default=True,
              help="What the workers share: one in-memory copy of the store (fastest; about 350 "
                   "bytes a triple, 1 GB at full HPO), the read-only store on disk (least "
                   "memory; 4-9x slower at 3 million triples), or auto: memory when the copy "
                   "takes at most a quarter of the available memory.")
@timeout_option(10.0, "Seconds a query may run before its worker is stopped.")
@click.option("--worker-memory", default=2048, show_default=True, type=click.IntRange(64),
              metavar="MIB", help="Memory a query may use in its worker, in MiB.")
@click.option("--public-url", default=None, metavar="URL",
              help="The server's public address, for the service description "
                   "[default: http://HOST:PORT].")
@click.option("--cors-origins", default="*", show_default=True, metavar="ORIGINS",
              help="Origins (comma separated) whose pages may read answers; '' for none. "
                   "Credentials are never allowed.")
@click.option("--result-cache", default=64, show_default=True, type=click.IntRange(0),
              metavar="MIB", help="Memory for answers kept for repeated requests, in MiB; 0: none.")
@click.option("--header-timeout", default=10.0, show_default=True, type=float,
              help="Seconds a client has to send a request's headers.")
@click.option("--body-timeout", default=30.0, show_default=True, type=float,
              help="Seconds a client has to send a request's body.")
@click.option("--shutdown-timeout", default=10.0, show_default=True, type=float,
              help="Seconds running requests get to finish when the server stops.")
def serve_command(host: str, port: int, release: Path | None, dataset: Path | None,
                  store: Path | None, workers: int, worker_store: str, timeout: float,
                  worker_memory: int,
                  public_url: str | None, cors_origins: str, result_cache: int,
                  header_timeout: float, body_timeout: float, shutdown_timeout: float) -> None:
    """Serve the graph: /sparql, the query page /query, /api/queries, concept pages, /health.

    \b
    Example:
      pathokg serve --port 8000      # then open http://127.0.0.1:8000/query
    """
    from ..web.app import ServerSettings, create_app, load_store
    from ..web.server import HttpLimits, listen, log_to_stderr, serve

    log_to_stderr()
    sock = listen(host, port)
    settings = ServerSettings(
        release=release, dataset=dataset, store=store, workers=workers, timeout=timeout,
        base_url=(public_url or f"http://{host}:{port}").rstrip("/"),
        cors_origins=tuple(o.strip() for o in cors_origins.split(",") if o.strip()),
        worker_memory_mb=worker_memory, body_timeout=body_timeout,
        result_cache_bytes=result_cache * 2**20, worker_store=worker_store)
    with tempfile.TemporaryDirectory(prefix="pathokg-serve-") as tmp:
        try:
            info = load_store(settings, Path(tmp))
        except BaseException:
            sock.close()
            raise
        app = create_app(settings)
        app.state.pathokg.store = info
        click.echo(f"pathokg serve: {info.quads:,} triples at {settings.base_url}/ (SPARQL "
                   f"{settings.base_url}/sparql, query page /query); Ctrl-C stops it", err=True)
        stopped = serve(app, sock, HttpLimits(header_timeout=header_timeout,
                                              shutdown_timeout=shutdown_timeout))
    name = signal.Signals(stopped).name if stopped else "done"
    click.echo(f"pathokg serve: stopped ({name})", err=True)
