"""Serve the API with uvicorn, warmed up and with its long-lived objects out of the GC's way."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import threading
import time

import httpx
import uvicorn
from fastapi import FastAPI

from critchem.api.app import create_app
from critchem.api.tls import TlsOptions
from critchem.core.settings import Settings
from critchem.molecules import load_registry

log = logging.getLogger(__name__)


def warm_paths() -> list[str]:
    """The pages whose first request loads the reference data (registry, mapping, maps...)."""
    first = next(iter(load_registry()), None)
    paths = ["/", "/api/v1/alerts", "/api/v1/molecules"]
    if first is not None:  # the molecule page first: it loads the most
        paths = [f"/molecules/{first.id}", f"/api/v1/molecules/{first.id}", *paths]
    return paths


def warm_up(app: FastAPI) -> dict[str, int]:
    """Request each of ``warm_paths()`` in process, then move what they loaded out of the GC.

    The reference data load on first use (seconds for the molecule page); loaded here, no
    visitor waits for them. The trade of every molecule page is precomputed first if the
    store has none for its current version (``critchem.services.trade_pages``).
    ``gc.freeze`` then keeps those hundreds of thousands of long-lived objects out of the
    collector's full passes, which otherwise stalled every request in flight for a quarter
    of a second now and then (p99 of the load benchmark).

    Returns
    -------
    dict[str, int]
        The status each path answered (a path may fail: an empty store is no reason not to
        serve).
    """

    from critchem.services import trade_pages

    settings = getattr(app.state, "settings", None)
    if settings is not None:
        try:  # the molecule pages' trade, when the last ingest did not precompute it
            trade_pages.ensure(settings.store)
        except Exception:  # a store that cannot be read is no reason not to serve
            log.exception("precomputing the molecule pages' trade failed")

    async def fetch() -> dict[str, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://warm-up") as client:
            return {path: (await client.get(path)).status_code for path in warm_paths()}

    statuses = asyncio.run(fetch())
    gc.collect()
    gc.freeze()
    return statuses


def serve(
    host: str,
    port: int,
    settings: Settings | None = None,
    *,
    warm: bool = True,
    tls: TlsOptions | None = None,
) -> None:
    """Run the API on ``host:port`` until interrupted (settings: default from the environment).

    The port opens first; with ``warm`` (the default) the reference data then load behind
    it, in a thread, while the server already answers. Both moments are said on standard
    error: ``listening on ...`` and ``ready: ...`` (warm-up done).
    """
    app = create_app(settings)
    tls = tls or TlsOptions()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", **tls.uvicorn())
    server = uvicorn.Server(config)
    url = f"{tls.scheme}://{host}:{port}"

    def after_start() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.02)
        if server.should_exit:
            return
        _say(f"critchem: listening on {url} (API at {url}/api/v1, docs at {url}/docs)")
        if warm:
            statuses = warm_up(app)
            log.info("warm-up: %s", statuses)
        _say(f"critchem: ready: {url}")

    threading.Thread(target=after_start, name="critchem-warm-up", daemon=True).start()
    server.run()


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
