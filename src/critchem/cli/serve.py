"""``critchem serve``: the REST API (OpenAPI at /openapi.json, docs at /docs)."""

from __future__ import annotations

from pathlib import Path

import typer

from critchem.api.tls import TlsOptions
from critchem.cli.output import handle_errors


@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Worker processes behind the one port (settings from CRITCHEM_*)."
    ),
    log_json: bool = typer.Option(False, "--log-json", help="Structured (JSON lines) logs."),
    ssl_certfile: Path | None = typer.Option(
        None, "--ssl-certfile", exists=True, dir_okay=False, help="TLS certificate (PEM): HTTPS."
    ),
    ssl_keyfile: Path | None = typer.Option(
        None, "--ssl-keyfile", exists=True, dir_okay=False, help="TLS private key (PEM)."
    ),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Proxies (comma-separated addresses) whose X-Forwarded-Proto/-For are trusted; "
        "none: such headers are ignored.",
    ),
) -> None:
    """Serve the API on the embedded default (SQLite alerts, DuckDB trade store).

    The PACT v3 host is at ``/pact``; in production it answers over HTTPS only
    (``--ssl-certfile`` and ``--ssl-keyfile``, or a trusted TLS proxy).
    """
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise typer.BadParameter("give both --ssl-certfile and --ssl-keyfile, or neither")
    tls = TlsOptions(
        certfile=None if ssl_certfile is None else str(ssl_certfile),
        keyfile=None if ssl_keyfile is None else str(ssl_keyfile),
        forwarded_allow_ips=forwarded_allow_ips,
    )
    if workers > 1 or log_json:
        from critchem.api.workers import serve_workers

        serve_workers(host, port, workers=workers, log_json=log_json, tls=tls)
        return
    from critchem.api.server import serve as run_server

    run_server(host, port, tls=tls)
