"""HTTPS and proxy options of ``critchem serve``, as uvicorn settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TlsOptions:
    """TLS certificate and key (PEM), and the proxies trusted for ``X-Forwarded-*``.

    Without ``forwarded_allow_ips`` the server ignores ``X-Forwarded-Proto``: a request is
    HTTPS only if it came over TLS to this server.
    """

    certfile: str | None = None
    keyfile: str | None = None
    forwarded_allow_ips: str | None = None

    @property
    def scheme(self) -> str:
        """``https`` when the server speaks TLS itself, else ``http``."""
        return "https" if self.certfile else "http"

    def uvicorn(self) -> dict[str, Any]:
        """Keyword arguments for ``uvicorn.Config`` / ``uvicorn.run``."""
        options: dict[str, Any] = {"proxy_headers": self.forwarded_allow_ips is not None}
        if self.forwarded_allow_ips is not None:
            options["forwarded_allow_ips"] = self.forwarded_allow_ips
        if self.certfile:
            options["ssl_certfile"] = self.certfile
            options["ssl_keyfile"] = self.keyfile
        return options
