"""A real PACT host for the tests: ``critchem serve`` over TLS, and a second HTTPS server.

The host runs in production mode (HTTPS only) with a certificate from a throw-away CA
(``trustme``); the footprints of ``data/pact_host_footprints.json`` are published and a
client is made with the CLI, as an operator would. The second server stands for a data
recipient's host: it records the CloudEvents posted to it.
"""

from __future__ import annotations

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
    """The second HTTPS server: every POST it received (path, headers, JSON body)."""

    url: str
    received: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, seconds: float = 30) -> list[tuple[str, dict[str, str], Any]]:
        """The first ``count`` POSTs, waiting up to ``seconds`` for them."""
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, seconds), (
                f"{len(self.received)} event(s) arrived in {seconds:g} s, expected {count}"
            )
            return list(self.received[:count])


def start_recipient(certificates: Certificates) -> tuple[Recipient, ThreadingHTTPServer]:
    """Serve a recording Action Events endpoint over HTTPS on a free port."""
    port = free_port()
    recipient = Recipient(url=f"https://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            with recipient.arrived:
                recipient.received.append((self.path, dict(self.headers), json.loads(body)))
                recipient.arrived.notify_all()

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
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
