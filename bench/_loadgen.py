"""A closed-loop HTTP load generator: ``clients`` concurrent keep-alive clients, no think time.

    python -m bench._loadgen URL [--clients 50] [--requests 3000] [--seconds 20] [--warmup 200]

Run in its own process (the benchmark starts it as a subprocess, so the load comes from a
second process). Each client, on its own keep-alive connection (asyncio streams), sends
``GET URL``, waits for the whole answer and sends the next, until ``--requests`` answers in
all or ``--seconds`` have passed, whichever comes first; ``--warmup`` answers before that
are not counted. Loopback addresses only. Prints one JSON object: answers, errors, seconds,
requests per second, latency percentiles (ms) and the sorted latencies (s).
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import sys
import time
from urllib.parse import urlsplit


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) by the nearest-rank method: the ⌈q·n⌉-th smallest value.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.0
    >>> percentile([1.0, 2.0, 3.0, 4.0], 0.99)
    4.0
    """
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"refusing to load {host}: loopback addresses only")


class _Connection:
    """One keep-alive HTTP/1.1 connection that sends ``GET path`` and reads whole answers.

    Minimal on purpose: the answers must carry ``Content-Length`` (FastAPI's do), so the
    client spends little of the CPU it shares with the server. httpx's connection pool,
    measured on this machine, tops out near 200 requests/s with 50 clients, below the
    servers under test.
    """

    def __init__(self, host: str, port: int, path: str) -> None:
        self.host, self.port = host, port
        self.request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self) -> int:
        """Send the request and read the answer; its status code (0: the connection broke)."""
        try:
            return await self._get()
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            return 0

    async def _get(self) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(self.request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        lengths = [ln.split(":", 1)[1] for ln in lines if ln.lower().startswith("content-length:")]
        if not lengths:
            raise SystemExit(f"no Content-Length in the answer: {lines[0]}")
        await reader.readexactly(int(lengths[0]))
        return status

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _run(
    url: str, clients: int, requests: int, seconds: float, warmup: int
) -> dict[str, object]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connections = [_Connection(host, port, path) for _ in range(clients)]
    latencies: list[float] = []
    errors = 0
    # Warm-up: open the connections and let the server fill its caches.
    pending = iter(range(warmup))

    async def warm(connection: _Connection) -> None:
        for _ in pending:
            await connection.get()

    await asyncio.gather(*(warm(c) for c in connections))
    deadline = time.perf_counter() + seconds
    remaining = iter(range(requests))

    async def work(connection: _Connection) -> None:
        nonlocal errors
        for _ in remaining:
            if time.perf_counter() > deadline:
                return
            start = time.perf_counter()
            status = await connection.get()
            latencies.append(time.perf_counter() - start)
            if status != 200:
                errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(work(c) for c in connections))
    elapsed = time.perf_counter() - began
    for connection in connections:
        connection.close()
    ordered = sorted(latencies)
    return {
        "url": url,
        "clients": clients,
        "answers": len(ordered),
        "errors": errors,
        "seconds": elapsed,
        "rps": len(ordered) / elapsed,
        "p50_ms": 1000 * percentile(ordered, 0.50),
        "p90_ms": 1000 * percentile(ordered, 0.90),
        "p99_ms": 1000 * percentile(ordered, 0.99),
        "max_ms": 1000 * ordered[-1],
        "latencies": ordered,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args(argv)
    _check_loopback(args.url)
    result = asyncio.run(_run(args.url, args.clients, args.requests, args.seconds, args.warmup))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
