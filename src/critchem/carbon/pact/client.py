"""A client of another PACT v3 host: token, ListFootprints (following ``Link``), Events.

The token endpoint is discovered from the host's OpenID Provider Configuration Document
(``<base>/.well-known/openid-configuration``) and, if it offers none, assumed at
``<base>/auth/token`` (PACT Technical Specifications v3, "Authentication Flow").
"""

from __future__ import annotations

import re
import ssl
from typing import Any

import httpx

from critchem.carbon.pact import events
from critchem.core.errors import PactError

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?', re.IGNORECASE)
MAX_PAGES = 10_000


def next_link(header: str | None) -> str | None:
    """The target of ``rel="next"`` in an RFC 8288 ``Link`` header, if any.

    >>> next_link('<https://h/3/footprints?offset=2>; rel="next", <https://h/x>; rel="last"')
    'https://h/3/footprints?offset=2'
    """
    match = _NEXT.search(header or "")
    return match.group(1) if match else None


class PactRemote:
    """Calls to the PACT host at ``base_url`` as the client ``client_id``."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        verify: bool | str | ssl.SSLContext = True,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._credentials = (client_id, client_secret)
        context = ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
        self._http = httpx.Client(verify=context, timeout=timeout)
        self._token: str | None = None

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def token_endpoint(self) -> str:
        """The token endpoint: discovered, or ``<base>/auth/token``."""
        try:
            found = self._http.get(f"{self.base_url}/.well-known/openid-configuration")
            if found.status_code == 200:
                endpoint = found.json().get("token_endpoint")
                if isinstance(endpoint, str) and endpoint:
                    return endpoint
        except (httpx.HTTPError, ValueError):
            pass
        return f"{self.base_url}/auth/token"

    def token(self) -> str:
        """An access token (client credentials grant, HTTP Basic); cached."""
        if self._token is None:
            response = self._http.post(
                self.token_endpoint(),
                data={"grant_type": "client_credentials"},
                auth=self._credentials,
            )
            if response.status_code != 200:
                raise PactError(
                    response.status_code,
                    "AccessDenied",
                    f"{self.base_url}: token refused (HTTP {response.status_code}): "
                    f"{response.text[:300]}",
                )
            self._token = str(response.json()["access_token"])
        return self._token

    def forget_token(self) -> None:
        """Drop the cached token (the next call gets a new one)."""
        self._token = None

    def post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        """POST ``body`` as JSON to ``url`` with ``headers`` (no token added)."""
        return self._http.post(url, json=body, headers=headers)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def list_footprints(self, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every footprint meeting ``params`` (ListFootprints, all pages)."""
        url: str | None = f"{self.base_url}/3/footprints"
        found: list[dict[str, Any]] = []
        query = params
        for _ in range(MAX_PAGES):
            if url is None:
                break
            response = self._http.get(url, params=query, headers=self._headers())
            if response.status_code != 200:
                raise PactError(
                    response.status_code,
                    "BadRequest",
                    f"{url}: HTTP {response.status_code}: {response.text[:300]}",
                )
            found.extend(response.json()["data"])
            url, query = next_link(response.headers.get("link")), None
        return found

    def send_event(self, event: dict[str, Any]) -> httpx.Response:
        """POST a CloudEvent to the host's Action Events endpoint."""
        headers = {**self._headers(), "Content-Type": f"{events.MEDIA_TYPE}; charset=UTF-8"}
        return self._http.post(f"{self.base_url}/3/events", json=event, headers=headers)
