"""A real PACT host for the tests: ``critchem serve`` over TLS, and a second HTTPS server.

The host runs in production mode (HTTPS only) with a certificate from a throw-away CA
(``trustme``); the footprints of ``data/pact_host_footprints.json`` are published and a
client is made with the CLI, as an operator would. The second server stands for a data
recipient's host: it offers OpenID discovery and ``/auth/token`` (client credentials, HTTP
Basic), takes CloudEvents only with a token it issued, can refuse the next N of them with
503, and records those it took.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import trustme

from tests.api.conftest import free_port

CLI = [str(Path(sys.executable).with_name("critchem"))]
FOOTPRINTS = Path(__file__).parent / "data" / "pact_host_footprints.json"


def trust(ca_file: Path) -> ssl.SSLContext:
    """A client TLS context trusting only ``ca_file``."""
    return ssl.create_default_context(cafile=str(ca_file))


@dataclass
class Certificates:
    """A throw-away CA and a server certificate for 127.0.0.1 and localhost."""

    ca: trustme.CA
    server: trustme.LeafCert
    ca_file: Path
    cert_file: Path
    key_file: Path

    @classmethod
    def make(cls, folder: Path) -> Certificates:
        ca = trustme.CA()
        server = ca.issue_cert("127.0.0.1", "localhost")
        ca_file, cert_file, key_file = (folder / n for n in ("ca.pem", "cert.pem", "key.pem"))
        ca.cert_pem.write_to_path(str(ca_file))
        cert_file.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
        server.private_key_pem.write_to_path(str(key_file))
        return cls(ca, server, ca_file, cert_file, key_file)


@dataclass
class Recipient:
    """The second HTTPS server: every event it took (path, headers, JSON body).

    ``client_id`` and ``client_secret`` are the credentials it issued to the data owner's
    host; ``fail_next`` events are refused with 503 before any is taken; ``refused`` counts
    the events refused (no or a wrong token, or ``fail_next``); ``tokens`` are those issued.
    """

    url: str
    client_id: str = field(default_factory=lambda: secrets.token_hex(8))
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    fail_next: int = 0
    refused: list[int] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    received: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, seconds: float = 30) -> list[tuple[str, dict[str, str], Any]]:
        """The first ``count`` events taken, waiting up to ``seconds`` for them."""
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, seconds), (
                f"{len(self.received)} event(s) arrived in {seconds:g} s, expected {count}"
            )
            return list(self.received[:count])


def start_recipient(certificates: Certificates) -> tuple[Recipient, ThreadingHTTPServer]:
    """Serve a PACT Action Events endpoint with its token endpoint over HTTPS on a free port."""
    port = free_port()
    recipient = Recipient(url=f"https://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/.well-known/openid-configuration":
                self._json(200, {"issuer": recipient.url,
                                 "token_endpoint": f"{recipient.url}/auth/token"})  # fmt: skip
            else:
                self._json(404, {"code": "NotFound", "message": self.path})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/auth/token":
                self._token()
                return
            with recipient.arrived:
                authorization = self.headers.get("Authorization", "")
                if authorization.removeprefix("Bearer ") not in recipient.tokens:
                    recipient.refused.append(401)
                    self._json(401, {"code": "BadRequest", "message": "Invalid token provided"})
                    return
                if recipient.fail_next > 0:
                    recipient.fail_next -= 1
                    recipient.refused.append(503)
                    self._json(503, {"code": "InternalError", "message": "unavailable"})
                    return
                recipient.received.append((self.path, dict(self.headers), json.loads(body)))
                recipient.arrived.notify_all()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _token(self) -> None:
            expected = f"{recipient.client_id}:{recipient.client_secret}".encode()
            basic = "Basic " + base64.b64encode(expected).decode()
            if self.headers.get("Authorization") != basic:
                self._json(401, {"error": "invalid_client", "error_description": "failed"})
                return
            token = secrets.token_urlsafe(16)
            recipient.tokens.append(token)
            self._json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificates.server.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return recipient, server


@dataclass
class Host:
    """The running host: its base URL, the client's credentials, the CA to trust."""

    base: str
    client_id: str
    client_secret: str
    ca_file: Path
    port: int
    env: dict[str, str]

    def client(self) -> httpx.Client:
        return httpx.Client(verify=trust(self.ca_file), timeout=20)


def cli(env: dict[str, str], *args: str) -> Any:
    """Run a critchem command with ``env``; its JSON output."""
    result = subprocess.run(
        [*CLI, *args, "--format", "json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def host_env(home: Path, ca_file: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CRITCHEM_")}
    return {
        **clean,
        "CRITCHEM_HOME": str(home),
        "CRITCHEM_ENVIRONMENT": "production",
        "CRITCHEM_SECRET_KEY": secrets.token_urlsafe(48),
        "SSL_CERT_FILE": str(ca_file),  # the host trusts the recipient's certificate
    }


def run_host(home: Path, certificates: Certificates) -> Iterator[Host]:
    """Publish the footprints, make a client, serve over TLS; stop the server after."""
    env = host_env(home, certificates.ca_file)
    published = cli(env, "pact", "footprints", "publish", str(FOOTPRINTS))
    assert published["published"] == 3 and published["rejected"] == 0
    client = cli(env, "pact", "clients", "add", "conformance")
    port = free_port()
    server = subprocess.Popen(
        [
            *CLI,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ssl-certfile",
            str(certificates.cert_file),
            "--ssl-keyfile",
            str(certificates.key_file),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"{base}/health", verify=trust(certificates.ca_file))
                if health.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the host did not answer in 90 s"
            time.sleep(0.2)
        yield Host(
            base=f"{base}/pact",
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            ca_file=certificates.ca_file,
            port=port,
            env=env,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


def allow_recipient(host: Host, recipient: Recipient, client: str = "conformance") -> Any:
    """Allow the recipient as a callback host of ``client``, with its credentials (CLI)."""
    env = {**host.env, "CRITCHEM_PACT_REMOTE_SECRET": recipient.client_secret}
    return cli(
        env, "pact", "clients", "allow", client,
        "--callback-host", recipient.url.removeprefix("https://"),
        "--remote-client-id", recipient.client_id,
    )  # fmt: skip
