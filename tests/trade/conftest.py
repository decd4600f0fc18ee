"""Fixtures of the trade tests: miniature provider files and a local file server."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import py7zr
import pytest

DATA = Path(__file__).parent / "data"
"""Miniature real-format files (see data/README.md for what each row tests)."""


@pytest.fixture
def comext_7z(tmp_path: Path) -> Path:
    """The v2 sample packed as Eurostat ships it: ``full_v2_202402.7z`` holding ``full_202402.dat``."""
    archive = tmp_path / "full_v2_202402.7z"
    with py7zr.SevenZipFile(archive, "w") as bundle:
        bundle.write(DATA / "comext_v2_sample.dat", "full_202402.dat")
    return archive


@pytest.fixture
def sample_copy(tmp_path: Path) -> Iterator[object]:
    """Copy a sample file into ``tmp_path`` (optionally under another name)."""

    def copy(name: str, as_name: str | None = None) -> Path:
        target = tmp_path / (as_name or name)
        shutil.copyfile(DATA / name, target)
        return target

    yield copy


@dataclass
class FileServer:
    """A real HTTP server on localhost serving the files of a folder.

    It answers ``Range: bytes=N-`` requests with 206, can cut the first answer of a file
    short (``truncate_once``), and records each request's file name and headers.
    Files are found by the last path segment, or by the ``file`` query parameter as in
    Eurostat's dissemination API (``?file=comext%2FCOMEXT_DATA%2FPRODUCTS%2F<name>``).
    """

    root: Path
    port: int = 0
    truncate_once: set[str] = field(default_factory=set)
    fail_first: dict[str, int] = field(default_factory=dict)
    """Per file, how many first requests answer 503 with ``Retry-After: 1``."""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, prefix: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{prefix}"


def _handler(server: FileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            return None

        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            query = parse_qs(parsed.query)
            wanted = query["file"][0] if "file" in query else unquote(parsed.path)
            name = wanted.rstrip("/").rsplit("/", 1)[-1]
            server.requests.append((name, dict(self.headers.items())))
            path = server.root / name
            if not path.is_file():
                self.send_error(404, "Not Found")
                return
            if server.fail_first.get(name, 0) > 0:
                server.fail_first[name] -= 1
                self.send_response(503)
                self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = path.read_bytes()
            etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            start = 0
            status = 200
            if (spec := self.headers.get("Range")) and spec.startswith("bytes="):
                start = int(spec[len("bytes=") :].split("-")[0])
                if start >= len(data):
                    self.send_error(416, "Range Not Satisfiable")
                    return
                status = 206
            body = data[start:]
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", etag)
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            if name in server.truncate_once:
                server.truncate_once.discard(name)
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    return Handler


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[FileServer]:
    """A local HTTP server over ``tmp_path / "served"`` (no internet involved)."""
    root = tmp_path / "served"
    root.mkdir()
    server = FileServer(root)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
