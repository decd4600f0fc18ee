"""Representations of the API's JSON answers: CSV, Parquet, Excel, ETag and paging links.

One ASGI middleware over ``/api/v1`` GET routes, so that no route repeats it:

- content negotiation: ``?format=csv|parquet|xlsx|json`` or an ``Accept`` header of
  ``text/csv``, ``application/vnd.apache.parquet`` or the Excel media type; the rows are the
  ``items`` of a page, the elements of a list, or the one record of an object;
  an unknown ``format`` is a 400 problem; an ``Accept`` naming none of these leaves the
  route's own answer (JSON, or the Atom of the feed);
- ``ETag`` (a hash of the body) and ``If-None-Match`` (304 Not Modified);
- ``Cache-Control: no-cache`` (use the cached copy only after revalidating it);
- ``Link`` headers (RFC 8288: ``first``, ``prev``, ``next``, ``last``) on pages.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from critchem.services.exports import EXPORT_FORMATS, MEDIA_TYPES

_ACCEPTED = {
    "text/csv": "csv",
    "application/vnd.apache.parquet": "parquet",
    "application/x-parquet": "parquet",
    MEDIA_TYPES["xlsx"]: "xlsx",
    "application/json": "json",
    "application/*": "json",
    "*/*": "json",
}


def negotiate(query: str, accept: str) -> str | None:
    """The format asked: ``format`` in the query first, then ``Accept``; None if unknown.

    >>> negotiate("format=csv", ""), negotiate("", "text/csv"), negotiate("", "")
    ('csv', 'csv', 'json')
    >>> negotiate("", "text/csv;q=0.5, application/json"), negotiate("format=xml", "")
    ('json', None)
    """
    for key, value in parse_qsl(query):
        if key == "format":
            return value if value in (*EXPORT_FORMATS, "json") else None
    if not accept.strip():
        return "json"
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media.lower() in _ACCEPTED and q > 0:
            ranked.append((-q, i, _ACCEPTED[media.lower()]))
    return min(ranked)[2] if ranked else "json"


def rows_of(body: Any) -> list[dict[str, Any]]:
    """The table rows of a JSON answer: a page's items, a list's records or one record."""
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        items = body["items"]
    elif isinstance(body, list):
        items = body
    else:
        items = [body]
    return [i if isinstance(i, dict) else {"value": i} for i in items]


def page_links(path: str, query: str, body: Any) -> str | None:
    """RFC 8288 ``Link`` header of a page (``items``, ``total``, ``limit``, ``offset``)."""
    if not (isinstance(body, dict) and {"items", "total", "limit", "offset"} <= body.keys()):
        return None
    total, limit, offset = int(body["total"]), int(body["limit"]), int(body["offset"])
    if limit <= 0:
        return None
    params = [(k, v) for k, v in parse_qsl(query) if k not in {"offset", "limit"}]

    def url(at: int) -> str:
        return f"{path}?{urlencode([*params, ('limit', limit), ('offset', at)])}"

    last = max(0, (total - 1) // limit * limit)
    links = [f'<{url(0)}>; rel="first"', f'<{url(last)}>; rel="last"']
    if offset > 0:
        links.append(f'<{url(max(0, offset - limit))}>; rel="prev"')
    if offset + limit < total:
        links.append(f'<{url(offset + limit)}>; rel="next"')
    return ", ".join(links)


def _problem(status: int, detail: str, path: str) -> tuple[int, bytes, str]:
    body = {
        "type": "urn:critchem:problem:bad-request",
        "title": "Bad Request",
        "status": status,
        "detail": detail,
        "instance": path,
    }
    return status, json.dumps(body).encode(), "application/problem+json"


class Representations:
    """ASGI middleware giving the ``/api/v1`` GET answers their other representations."""

    def __init__(self, app: ASGIApp, *, prefix: str = "/api/v1") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in {"GET", "HEAD"}
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin-1")
        fmt = negotiate(query, headers.get("accept", ""))
        if fmt is None:
            asked = dict(parse_qsl(query)).get("format")
            status, body, media = _problem(
                400, f"Unknown format {asked!r}: use json, csv, parquet or xlsx", scope["path"]
            )
            await _send(send, status, body, [(b"content-type", media.encode())])
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        raw_headers = list(start.get("headers", []))
        status = int(start.get("status", 500))
        body = b"".join(chunks)
        content_type = next(
            (v.decode("latin-1") for k, v in raw_headers if k.lower() == b"content-type"), ""
        )
        if status != 200 or not content_type.startswith("application/json"):
            await _send(send, status, body, raw_headers, head=scope["method"] == "HEAD")
            return
        data = json.loads(body)
        out_headers = [
            (k, v) for k, v in raw_headers if k.lower() not in {b"content-length", b"content-type"}
        ]
        if fmt != "json":
            from critchem.services.exports import export

            body = export(rows_of(data), fmt)
            name = scope["path"].rstrip("/").rsplit("/", 1)[-1] or "data"
            out_headers.append(
                (b"content-disposition", f'attachment; filename="{name}.{fmt}"'.encode())
            )
        out_headers.append((b"content-type", (MEDIA_TYPES[fmt]).encode()))
        out_headers.append((b"vary", b"Accept"))
        link = page_links(scope["path"], query, data)
        if link:
            out_headers.append((b"link", link.encode("latin-1")))
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        out_headers.append((b"etag", etag.encode()))
        out_headers.append((b"cache-control", b"no-cache"))
        wanted = [t.strip().removeprefix("W/") for t in headers.get("if-none-match", "").split(",")]
        if etag in wanted or "*" in wanted:
            await _send(send, 304, b"", out_headers)
            return
        await _send(send, 200, body, out_headers, head=scope["method"] == "HEAD")


async def _send(
    send: Send,
    status: int,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
    *,
    head: bool = False,
) -> None:
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head or status == 304 else body})
