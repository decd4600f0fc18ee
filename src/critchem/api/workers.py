"""Several worker processes behind one port, with structured logs.

Each worker builds its own app from the ``CRITCHEM_*`` environment (``create_app`` as a
factory), so they share the database (PostgreSQL in a deployment) and the signing key
(``CRITCHEM_SECRET_KEY``, or the development key file in the shared home). Migrations run
once per database: on PostgreSQL each migration holds an advisory lock, so the workers
starting together migrate one after the other and the later ones find the schema at head.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from critchem.api.tls import TlsOptions

WORKER_START_SECONDS = 120
"""How long a worker may take to start before the supervisor restarts it."""


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def log_config(*, log_json: bool) -> dict[str, Any]:
    """A ``logging.config`` dictionary for uvicorn and critchem (JSON lines or plain text)."""
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if log_json
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    loggers = {
        name: {"handlers": ["main"], "level": "INFO", "propagate": False}
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "critchem")
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "loggers": loggers,
    }


def serve_workers(
    host: str, port: int, *, workers: int, log_json: bool, tls: TlsOptions | None = None
) -> None:
    """Run ``workers`` processes of the API on ``host:port`` until interrupted."""
    import uvicorn

    # several workers keep trusting the local proxy's headers (uvicorn's default) unless
    # other proxies are named
    options = {k: v for k, v in (tls or TlsOptions()).uvicorn().items() if k != "proxy_headers"}

    uvicorn.run(
        "critchem.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        **options,
        log_config=log_config(log_json=log_json),
        # a worker importing the whole service on a busy machine took over 5 s to answer
        # the supervisor's first ping, and was killed in a loop
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )
