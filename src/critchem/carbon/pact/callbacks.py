"""Where a client may ask answers to be sent, and how this host authenticates there.

PACT Technical Specifications v3, "Asynchronous request and retrieval of Product
Footprints" (``#api-action-events-case-2``): the data owner's host sends its answer to the
host named in the request's ``source`` and "MUST validate the value of ``source`` before
sending the response". This host validates it against a per-client allow-list: a
RequestCreatedEvent whose ``source`` names a host not allowed for the authenticated client
is refused (403 ``AccessDenied``).

The answer is posted to the requester's Action Events endpoint, which, like every action,
requires a Bearer token ("Authentication Flow", ``#api-auth``): this host obtains one from
the requester's host with the client credentials that host issued for it. Those
credentials must be sent, so they cannot be hashed: the secret is encrypted at rest
(Fernet, AES-128-CBC with HMAC-SHA256) with a key derived from the server's secret key.
Changing the server's secret key makes stored secrets unreadable; they are then set again.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken

from critchem.core.errors import PactError

DEFAULT_PORTS = {"https": 443, "http": 80}


def host_of(url: str) -> str:
    """``hostname`` or ``hostname:port`` of an http(s) URL, lower case, default port dropped.

    >>> host_of("https://API.Example.com:443/pact/3/events")
    'api.example.com'
    >>> host_of("https://127.0.0.1:8443/3/events")
    '127.0.0.1:8443'
    """
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise PactError(400, "BadRequest", f"source: {url!r} is not an http(s) URL")
    port = parts.port
    hostname = parts.hostname.lower()
    if ":" in hostname:  # an IPv6 literal keeps its brackets
        hostname = f"[{hostname}]"
    return hostname if port in (None, DEFAULT_PORTS[parts.scheme]) else f"{hostname}:{port}"


def normalise_host(text: str) -> str:
    """An allow-list entry as :func:`host_of` writes hosts (``HOST`` or ``HOST:PORT``).

    >>> normalise_host(" Recipient.Example:443 ")
    'recipient.example'
    """
    text = text.strip()
    if not text or "/" in text or "@" in text:
        raise PactError(
            400, "BadRequest", f"callback host {text!r}: give HOST or HOST:PORT (no scheme, path)"
        )
    return host_of(f"https://{text}")


def auth_base(target: str) -> str:
    """The requester's base URL: its Action Events URL without ``/3/events``.

    >>> auth_base("https://recipient.example/pact/3/events")
    'https://recipient.example/pact'
    """
    return target.rstrip("/").removesuffix("/3/events")


@dataclass(frozen=True)
class Credentials:
    """Client credentials this host uses at a requester's host, and where to get a token."""

    client_id: str
    client_secret: str
    auth_url: str | None


class SecretBox:
    """Encrypts and decrypts partner secrets with a key derived from the server's key."""

    def __init__(self, server_secret: str) -> None:
        digest = hashlib.sha256(b"critchem-pact-partner-secret\x00" + server_secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(digest.digest()))

    def seal(self, secret: str) -> str:
        """The encrypted ``secret`` (text, safe to store)."""
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str, *, where: str) -> str:
        """The secret back; ``PactError`` if the server's key changed since it was stored."""
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise PactError(
                500,
                "InternalError",
                f"{where}: the stored secret cannot be decrypted (the server's secret key "
                "changed); set the credentials again with critchem pact clients allow",
            ) from exc
