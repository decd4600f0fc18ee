"""Benchmark: ``critchem serve`` under 50 concurrent clients, beside a bare FastAPI endpoint.

    python -m bench.bench_load [--clients 50] [--requests 3000] [--seconds 20] [--rounds 2]
                               [--home DIR] [--no-write]

1. Makes a home folder with the bundled demo data (``critchem demo``: SQLite alerts, DuckDB
   trade store), unless ``--home`` names one that has it.
2. Starts ``critchem serve`` on it and, in another process, a bare FastAPI app whose one
   route returns a constant (``bench/_bare_app.py``: the limit of one uvicorn process on this
   machine), both on 127.0.0.1 only.
3. Drives each endpoint from a second process (``bench/_loadgen.py``: ``--clients``
   keep-alive clients, no think time, at most ``--requests`` answers or ``--seconds`` each
   run, after a warm-up), interleaving the endpoints over ``--rounds`` rounds so that all
   see the same machine load; the rounds' latencies are pooled.
4. Reports requests per second and p50/p99 latency of each endpoint beside the bare one, as
   ratios, against the goal p99 < 100 ms; writes its section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench._loadgen import percentile
from bench._results import write_section

MARKER = "bench_load"
ROOT = Path(__file__).resolve().parent.parent
GOAL_P99_MS = 100.0
UVICORN = [sys.executable, "-m", "uvicorn"]
ENDPOINTS = {
    "bare FastAPI constant (limit)": ("bare", "/constant"),
    "critchem `/health`": ("critchem", "/health"),
    "alerts list `/api/v1/alerts`": ("critchem", "/api/v1/alerts"),
    "molecule `/api/v1/molecules/ethylene`": ("critchem", "/api/v1/molecules/ethylene"),
    "molecule page `/molecules/ethylene`": ("critchem", "/molecules/ethylene"),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _critchem() -> list[str]:
    script = Path(sys.executable).with_name("critchem")
    return [str(script)] if script.exists() else [sys.executable, "-m", "critchem.cli.main"]


def _demo_home(home: Path | None) -> Path:
    if home is not None and (home / "critchem.db").exists():
        return home
    home = home or Path(tempfile.mkdtemp(prefix="critchem-load-"))
    env = {**os.environ, "CRITCHEM_HOME": str(home)}
    print(f"critchem demo into {home} ...", flush=True)
    subprocess.run(
        [*_critchem(), "demo", "--format", "json"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return home


def _start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            probe = "/health" if "serve" in command else "/constant"
            if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit(f"{' '.join(command)} did not start")
        time.sleep(0.2)


def _load(url: str, args: argparse.Namespace) -> dict[str, object]:
    command = [sys.executable, "-m", "bench._loadgen", url, "--clients", str(args.clients)]
    command += ["--requests", str(args.requests), "--seconds", str(args.seconds)]
    command += ["--warmup", str(args.warmup)]
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    result: dict[str, object] = json.loads(out)
    return result


def _pool(runs: list[dict[str, object]]) -> dict[str, float]:
    latencies = sorted(float(x) for run in runs for x in run["latencies"])  # type: ignore[attr-defined]
    answers = len(latencies)
    seconds = sum(float(run["seconds"]) for run in runs)  # type: ignore[arg-type, misc]
    return {
        "answers": answers,
        "errors": sum(int(run["errors"]) for run in runs),  # type: ignore[call-overload]
        "rps": answers / seconds,
        "p50": 1000 * percentile(latencies, 0.50),
        "p99": 1000 * percentile(latencies, 0.99),
    }


def _table(stats: dict[str, dict[str, float]], skipped: dict[str, str]) -> str:
    bare = stats["bare FastAPI constant (limit)"]
    lines = [
        "| endpoint | req/s | p50 | p99 | req/s vs bare | p99 vs bare | p99 < 100 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in stats.items():
        ok = "yes" if s["p99"] < GOAL_P99_MS else "**no**"
        errors = f" ({int(s['errors'])} errors)" if s["errors"] else ""
        lines.append(
            f"| {name}{errors} | {s['rps']:,.0f} | {s['p50']:.1f} ms | {s['p99']:.1f} ms "
            f"| {s['rps'] / bare['rps']:.2f}× | {s['p99'] / bare['p99']:.1f}× | {ok} |"
        )
    for name, why in skipped.items():
        lines.append(f"| {name} | — | — | — | — | — | {why} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--home", type=Path, default=None, help="a home with the demo data")
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = parser.parse_args(argv)
    made_home = args.home is None
    home = _demo_home(args.home)
    ports = {"critchem": _free_port(), "bare": _free_port()}
    env = {**os.environ, "CRITCHEM_HOME": str(home)}
    local = ["--host", "127.0.0.1"]
    commands = {
        "critchem": [*_critchem(), "serve", *local, "--port", str(ports["critchem"])],
        "bare": [*UVICORN, "bench._bare_app:app", *local, "--port", str(ports["bare"])],
    }
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    servers = {name: _start(command, env, ports[name]) for name, command in commands.items()}
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in ENDPOINTS}
    skipped: dict[str, str] = {}
    try:
        for name, (server, path) in ENDPOINTS.items():
            probe = httpx.get(f"http://127.0.0.1:{ports[server]}{path}", timeout=60)
            if probe.status_code != 200:
                skipped[name] = f"answers {probe.status_code}: not measured"
        for round_ in range(args.rounds):
            for name, (server, path) in ENDPOINTS.items():
                if name in skipped:
                    continue
                run = _load(f"http://127.0.0.1:{ports[server]}{path}", args)
                runs[name].append(run)
                print(
                    f"round {round_ + 1} {name}: {run['rps']:.0f} req/s, "
                    f"p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms",
                    flush=True,
                )
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(timeout=20)
        if made_home:
            shutil.rmtree(home, ignore_errors=True)
    stats = {name: _pool(r) for name, r in runs.items() if r}
    missed = [
        f"{name} (p99 {s['p99']:.0f} ms)"
        for name, s in stats.items()
        if "bare" not in name and s["p99"] >= GOAL_P99_MS
    ]
    verdict = "met by every endpoint" if not missed else "NOT met by " + ", ".join(missed)
    text = f"""<!-- {MARKER} -->
## Load test of `critchem serve` (`python -m bench.bench_load`)

Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work (load average
at start {load_before}), {platform.python_implementation()} {platform.python_version()}.
`critchem serve` (one uvicorn process, SQLite alerts and DuckDB store from `critchem demo`)
and a bare FastAPI app returning a constant (one uvicorn process, a sync route like
critchem's) run on 127.0.0.1; a second process drives each with {args.clients} concurrent
keep-alive clients without think time (asyncio streams: httpx's pool tops out near 200
req/s here), at most {args.requests:,} answers or {args.seconds:.0f} s per run after
{args.warmup} warm-up answers, endpoints interleaved over {args.rounds} rounds, latencies
pooled. Server and load generator share the 2 cores.

{_table(stats, skipped)}

Goal p99 < {GOAL_P99_MS:.0f} ms: {verdict}.
<!-- /{MARKER} -->
"""
    print(text)
    if not args.no_write:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
