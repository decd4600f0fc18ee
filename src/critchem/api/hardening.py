"""Response hardening for every route: security headers, no-store, a request-size limit.

* ``Content-Security-Policy`` (scripts, styles, images and frames from this origin only;
  ``frame-ancestors 'none'``; the API docs pages, whose bundled Swagger UI and ReDoc start
  from an inline script, also allow inline scripts and blob workers), ``X-Content-Type-
  Options: nosniff``, ``Referrer-Policy: same-origin``, ``X-Frame-Options: DENY``, and
  ``Strict-Transport-Security`` when the request came over TLS (directly, or through a
  proxy whose ``X-Forwarded-Proto`` the server trusts).
* ``Cache-Control: no-store`` on every answer to a request that carries credentials (a
  bearer token, an API key or the session cookie): those answers may hold confidential
  figures, and no cache may keep them.
* A request body larger than ``max_request_bytes`` is refused with 413 before the route
  reads it (declared ``Content-Length``, or counted while a chunked body arrives).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=31536000; includeSubDomains"
CREDENTIAL_HEADERS = (b"authorization", b"x-api-key")
SESSION_COOKIE = b"critchem_session="


class Hardening:
    """ASGI middleware adding the headers above and enforcing the body-size limit."""

    def __init__(self, app: ASGIApp, *, max_request_bytes: int) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_request_bytes:
            await self._too_large(send)
            return
        credentialed = any(h in headers for h in CREDENTIAL_HEADERS) or (
            SESSION_COOKIE in headers.get(b"cookie", b"")
        )
        path = str(scope.get("path", ""))
        policy = DOCS_CSP if path.startswith(DOCS_PATHS) else CSP
        tls = scope.get("scheme") == "https"
        if declared is None and scope.get("method") in {"POST", "PUT", "PATCH"}:
            # a chunked body: read it here (at most the limit), then hand it on
            buffered: list[Message] = []
            size = 0
            while True:
                message = await receive()
                buffered.append(message)
                if message["type"] != "http.request":
                    break
                size += len(message.get("body", b""))
                if size > self.max_request_bytes:
                    await self._too_large(send)
                    return
                if not message.get("more_body", False):
                    break

            async def replay() -> Message:
                return buffered.pop(0) if buffered else await receive()

            receive = replay

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-security-policy", policy.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if tls:
                    extra.append((b"strict-transport-security", HSTS.encode()))
                kept = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {name for name, _ in extra}
                    and not (credentialed and k.lower() == b"cache-control")
                ]
                if credentialed:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_hardened)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            {
                "type": "urn:critchem:problem:payload-too-large",
                "title": "Request body too large",
                "status": 413,
                "detail": f"the request body is larger than {self.max_request_bytes} bytes",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-content-type-options", b"nosniff"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
