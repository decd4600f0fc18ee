"""``/docs`` and ``/redoc`` work on a closed network: Chromium with every outside request cut."""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from critchem.core.settings import Settings
from tests.api.conftest import free_port
from tests.conftest import require_service
from tests.web.test_browser import CHROMIUM


def test_docs_pages_name_only_packaged_assets(app: FastAPI) -> None:
    from tests.api.conftest import Api

    api = Api(app)
    for path in ("/docs", "/redoc"):
        html = api.get(path).text
        assert "/static/vendor/" in html
        assert "cdn." not in html and "fonts.googleapis" not in html, path
    for asset in (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/vendor/redoc/redoc.standalone.js",
    ):
        assert api.get(asset).status_code == 200, asset


@pytest.fixture
def base_url(settings: Settings) -> Iterator[str]:
    from critchem.api import create_app

    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start within 15 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.alert_store.dispose()


def test_docs_and_redoc_render_offline(base_url: str) -> None:
    have_package = importlib.util.find_spec("playwright") is not None
    require_service("playwright", have_package, "pip install playwright (the test extra)")
    require_service("Chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    from playwright.sync_api import Route, sync_playwright

    outside: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", only_local)
            page.goto(f"{base_url}/docs")
            page.wait_for_selector(".opblock", timeout=20_000)
            assert page.locator(".opblock").count() > 10
            page.goto(f"{base_url}/redoc")
            page.wait_for_selector("h1", timeout=20_000)
            assert "critchem" in page.locator("h1").first.inner_text()
        finally:
            browser.close()
    assert outside == []
