"""``critchem serve``: the REST API (OpenAPI at /openapi.json, docs at /docs)."""

from __future__ import annotations

import typer

from critchem.cli.output import handle_errors


@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port."),
    workers: int = typer.Option(
        1, min=1, max=64, help="Worker processes behind the one port (settings from CRITCHEM_*)."
    ),
    log_json: bool = typer.Option(False, "--log-json", help="Structured (JSON lines) logs."),
) -> None:
    """Serve the API on the embedded default (SQLite alerts, DuckDB trade store)."""
    if workers > 1 or log_json:
        from critchem.api.workers import serve_workers

        serve_workers(host, port, workers=workers, log_json=log_json)
        return
    from critchem.api.server import serve as run_server

    run_server(host, port)
