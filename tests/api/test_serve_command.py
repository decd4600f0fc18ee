"""``critchem serve`` as a user runs it: a real process, and its refusal of an unsafe setup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.api.conftest import free_port, wait_for_health

CLI = [str(Path(sys.executable).with_name("critchem"))]
"""The installed command, beside the interpreter running the tests."""


def _env(home: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CRITCHEM_")}
    return {**clean, "CRITCHEM_HOME": str(home), **extra}


def test_serve_answers_health_alerts_and_pages(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(server, base, 60)  # the warm-up loads the reference data first
        alerts = httpx.get(f"{base}/api/v1/alerts", timeout=10)
        assert alerts.status_code == 200
        assert alerts.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
        assert (tmp_path / "critchem.db").exists()  # the embedded default: SQLite in the home
        page = httpx.get(f"{base}/molecules/ethylene", timeout=10)
        assert page.status_code == 200 and "Ethylene" in page.text
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert server.returncode is not None


def test_serve_refuses_the_default_secret_in_production(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "serve", "--port", str(free_port())],
        env=_env(tmp_path, CRITCHEM_ENVIRONMENT="production"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "refusing to start in production: CRITCHEM_SECRET_KEY" in result.stderr
    assert not (tmp_path / "critchem.db").exists()  # refused before touching anything
