"""Fixtures of the web page tests: an app on a temporary home with the API tests' trade store.

``Browser`` is an in-process HTTP client that keeps cookies between requests (the session and
CSRF cookies), as a browser does.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from critchem.api import create_app
from critchem.core.settings import Settings
from critchem.services.investment import (
    default_pipeline_path,
    import_projects,
    release_pipeline,
)
from tests.api.conftest import PASSWORD, add_user, alerts_db, trade_store

__all__ = ["PASSWORD", "Browser", "add_user", "alerts_db", "trade_store"]

HTML = {"Accept": "text/html"}


class Browser:
    """A blocking in-process client of an ASGI app that keeps its cookies."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.cookies = httpx.Cookies()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://test", cookies=self.cookies
            ) as client:
                response = await client.request(method, url, **kwargs)
                self.cookies = httpx.Cookies(client.cookies)
                return response

        return asyncio.run(send())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, headers=HTML, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, headers=HTML, **kwargs)

    def csrf(self, page: str = "/login") -> str:
        """The CSRF token of the forms of ``page`` (loading it sets the CSRF cookie)."""
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.get(page).text)
        assert found, f"no CSRF token on {page}"
        return found.group(1)

    def sign_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        """Sign in through the login form."""
        token = self.csrf()
        return self.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        )


@pytest.fixture
def settings(tmp_path: Path, trade_store: Path) -> Settings:
    return Settings(home=tmp_path, store_path=trade_store)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    try:
        yield application
    finally:
        application.state.alert_store.dispose()


@pytest.fixture
def browser(app: FastAPI) -> Browser:
    return Browser(app)


@pytest.fixture
def pipeline(settings: Settings) -> Path:
    """The example pipeline (30 invented projects) in the app's home; returns its file."""
    path = default_pipeline_path(settings)
    example = resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    with resources.as_file(example) as csv:
        report = import_projects(csv, pipeline=path)
    release_pipeline(pipeline=path, by="test")
    assert report.imported == 30
    return path
