"""How fast the commands a user types first answer, against bare baselines.

    python -m bench cli_speed [--home DIR] [--repeat 5]

Each command runs as a fresh process (``critchem ...`` from the virtual environment) on the
demo data (``critchem demo`` into ``--home``, or a temporary home made first). Baselines:
``python -c pass`` for the commands, and for the server a bare FastAPI app under uvicorn
(``bench/_bare_app.py``): time from start to the first answer, and the first request of a
molecule page against the bare route's first request. Wall time and CPU time (user + system
of the child) are both given: on a shared machine the wall time grows with the load, the CPU
time much less. Best and median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench._results import write_section

BIN = Path(sys.executable).parent
CRITCHEM = str(BIN / "critchem")
COMMANDS: list[tuple[str, list[str], float]] = [
    ("critchem --help", [CRITCHEM, "--help"], 0.5),
    ("critchem --version", [CRITCHEM, "--version"], 0.5),
    ("critchem molecules show ammonia", [CRITCHEM, "molecules", "show", "ammonia"], 0.5),
    ("critchem codes show 29012100", [CRITCHEM, "codes", "show", "29012100"], 0.5),
    (
        "critchem trade series ethylene --freq A",
        [CRITCHEM, "trade", "series", "ethylene", "--freq", "A"],
        1.5,
    ),
]


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv`` (which must succeed)."""
    cpu0, t0 = _cpu_children(), time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0, _cpu_children() - cpu0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def time_server(
    argv: Callable[[int], list[str]],
    ready_path: str,
    page: str,
    env: dict[str, str],
    *,
    after_ready: str | None = None,
) -> tuple[float, float, float | None, float | None]:
    """Seconds from start to the first 200 on ``ready_path``, then of the first ``page``.

    With ``after_ready``, also the seconds from start to the ``ready`` line the server
    writes on standard error, and then of the first request of ``after_ready`` (a page the
    warm-up did not request).
    """
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv(port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    ready_at: list[float] = []

    def watch() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "ready" in line and not ready_at:
                ready_at.append(time.perf_counter() - t0)

    threading.Thread(target=watch, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(base + ready_path, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.perf_counter() - t0 > 120:
                raise RuntimeError(f"{argv(port)} did not answer")
            time.sleep(0.02)
        answering = time.perf_counter() - t0
        t1 = time.perf_counter()
        assert httpx.get(base + page, timeout=60).status_code == 200
        first = time.perf_counter() - t1
        if after_ready is None:
            return answering, first, None, None
        while not ready_at:
            if proc.poll() is not None or time.perf_counter() - t0 > 300:
                raise RuntimeError(f"{argv(port)} never said it was ready")
            time.sleep(0.02)
        t2 = time.perf_counter()
        assert httpx.get(base + after_ready, timeout=60).status_code == 200
        return answering, first, ready_at[0], time.perf_counter() - t2
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _stats(values: list[float]) -> tuple[float, float]:
    return min(values), statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, help="A critchem home holding the demo data.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="Do not update RESULTS.md.")
    args = parser.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="critchem-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRITCHEM_")}
    env["CRITCHEM_HOME"] = str(home)
    if not (home / "store").exists():
        print(f"critchem demo into {home} ...", flush=True)
        subprocess.run([CRITCHEM, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    load = os.getloadavg()
    baseline = [run_once([sys.executable, "-c", "pass"], env) for _ in range(args.repeat)]
    base_wall, _ = _stats([w for w, _ in baseline])
    base_cpu, _ = _stats([c for _, c in baseline])
    rows = []
    for label, command, target in COMMANDS:
        runs = [run_once(command, env) for _ in range(args.repeat)]
        wall_best, wall_median = _stats([w for w, _ in runs])
        cpu_best, _ = _stats([c for _, c in runs])
        rows.append((label, wall_best, wall_median, cpu_best, target))
        print(f"{label}: {wall_best:.2f} s (median {wall_median:.2f}), cpu {cpu_best:.2f} s")
    bare = [
        time_server(
            lambda p: [sys.executable, "-m", "uvicorn", "bench._bare_app:app", "--port", str(p)],
            "/constant",
            "/constant",
            {**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        for _ in range(max(1, args.repeat // 2))
    ]
    ours = [
        time_server(
            lambda p: [CRITCHEM, "serve", "--port", str(p)],
            "/health",
            "/molecules/ethylene",
            env,
            after_ready="/molecules/ammonia",
        )
        for _ in range(max(1, args.repeat // 2))
    ]
    end_load = os.getloadavg()
    bare_ready, _ = _stats([r[0] for r in bare])
    bare_first, _ = _stats([r[1] for r in bare])
    ours_ready, ours_ready_median = _stats([r[0] for r in ours])
    ours_first, ours_first_median = _stats([r[1] for r in ours])
    said, said_median = _stats([r[2] or 0.0 for r in ours])
    later, later_median = _stats([r[3] or 0.0 for r in ours])
    print(
        f"serve answering {ours_ready:.2f} s (bare {bare_ready:.2f}); ready {said:.2f} s; "
        f"ethylene page {ours_first:.2f} s; ammonia page after ready {later:.2f} s"
    )
    lines = [
        "<!-- bench_cli_speed -->",
        "## Command and server start-up (`python -m bench cli_speed`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} cores shared with other "
        f"work, load average at start {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} and at the "
        f"end {end_load[0]:.1f}; Python {platform.python_version()}; demo data (`critchem "
        f"demo`). Each command is a fresh process; best (median) of {args.repeat} runs. CPU = "
        "user + system time of the process. On a shared machine the wall times grow with the "
        "load; the CPU times are what the command itself costs. The reference tables and the "
        "compiled SQL of the indicators are built at the first run (not counted: best of "
        "the runs) and read from the cache after.",
        "",
        "| command | wall, best (median) | CPU | ratio to `python -c pass` (wall / CPU) | target |",
        "|---|---:|---:|---:|---:|",
        f"| `python -c pass` (baseline) | {base_wall:.2f} s | {base_cpu:.2f} s | 1 | |",
    ]
    for label, wall_best, wall_median, cpu_best, target in rows:
        met = "met" if wall_best < target else "not met"
        lines.append(
            f"| `{label}` | {wall_best:.2f} s ({wall_median:.2f} s) | {cpu_best:.2f} s | "
            f"{wall_best / base_wall:.0f}x / {cpu_best / max(base_cpu, 1e-3):.0f}x | "
            f"< {target:g} s: {met} |"
        )
    lines += [
        "",
        "| server | start to first answer, best (median) | first request | target |",
        "|---|---:|---:|---:|",
        f"| bare FastAPI route under uvicorn (baseline) | {bare_ready:.2f} s | {bare_first:.3f} s | |",
        f"| `critchem serve` (`/health`; then `/molecules/ethylene` at once) | {ours_ready:.2f} s "
        f"({ours_ready_median:.2f} s) | {ours_first:.2f} s ({ours_first_median:.2f} s) | "
        f"answering < 3 s: {'met' if ours_ready < 3 else 'not met'}; page < 1 s: "
        f"{'met' if ours_first < 1 else 'not met'} |",
        f"| `critchem serve` (says `ready`; then `/molecules/ammonia`, not warmed) | "
        f"{said:.2f} s ({said_median:.2f} s) | {later:.2f} s ({later_median:.2f} s) | "
        f"page < 1 s: {'met' if later < 1 else 'not met'} |",
        "",
        f"Ratios: serve start {ours_ready / bare_ready:.1f}x the bare app; first molecule page "
        f"{ours_first / max(bare_first, 1e-3):.0f}x the bare route's first request.",
        "",
        "<!-- /bench_cli_speed -->",
    ]
    if not args.no_write:
        write_section("bench_cli_speed", "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
