"""Benchmark: ``critchem monitor`` on the demo store, series by series against batched.

    python -m bench monitor [--no-results]

Builds the demo's trade store in a temporary folder (the bundled real extracts and the
demo's seeded SYNTHETIC dataset for the candidates' codes, as ``critchem demo`` ingests
them), then runs a full monitor (every series, ``recent`` = the demo's 24 months) twice into
two fresh alert databases: once with every detector fitted series by series (the monitor
before the batched path), once batched (:func:`critchem.surveillance.scan.detect_series`).
Each run is measured on its own (wall and CPU time of the process, load average before and
after), and the two runs' alerts are compared: the section is written only when they are
identical. One BLAS thread. Nothing is extrapolated.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._results import write_section

MARKER = "bench_monitor"


def _store(root: Path) -> Path:
    from critchem.services.demo import REAL_EXTRACTS, _synthetic_file, bundled_extract
    from critchem.services.molecules import critical_candidates
    from critchem.services.trade import ingest_paths

    codes = sorted({code for m in critical_candidates() for code in m.cn8})
    synthetic = _synthetic_file(root / "synthetic", codes)
    paths = [*(bundled_extract(name) for name in REAL_EXTRACTS), synthetic]
    ingest_paths(paths, store_root=root / "store", progress=False)
    return root / "store"


def _child(store: Path, database: Path, batched: bool) -> dict[str, Any]:
    """One monitor run, timed in this process (the detectors' own time beside the whole)."""
    from critchem.services import monitor
    from critchem.services.demo import DEMO_RECENT_MONTHS

    detect = monitor._detect
    spent = {"wall": 0.0, "cpu": 0.0}

    def timed(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return detect(*args, **kwargs)
        finally:
            spent["wall"] += time.perf_counter() - wall
            spent["cpu"] += time.process_time() - cpu

    monitor._detect = timed
    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    report = monitor.run_monitor(
        store_root=store,
        database_url=f"sqlite:///{database}",
        recent=DEMO_RECENT_MONTHS,
        full=True,
        batched=batched,
    )
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "detect_wall": spent["wall"],
        "detect_cpu": spent["cpu"],
        "load": [load_before, os.getloadavg()[0]],
        "series": report.series,
        "events": report.events,
        "alerts": report.alerts,
    }


def _run(store: Path, database: Path, *, batched: bool) -> dict[str, Any]:
    """:func:`_child` in a fresh process (both runs start equally cold)."""
    command = [sys.executable, "-m", "bench.bench_monitor", "--child", str(store), str(database)]
    done = subprocess.run(
        [*command, "--batched"] if batched else command,
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench monitor")
    parser.add_argument("--no-results", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("STORE", "DATABASE"))
    parser.add_argument("--batched", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        store, database = (Path(p) for p in args.child)
        print(json.dumps(_child(store, database, args.batched), default=str))
        return 0
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = _store(root)
        runs = {
            "series by series": _run(store, root / "single.db", batched=False),
            "batched": _run(store, root / "batched.db", batched=True),
        }
    single, batched = runs["series by series"], runs["batched"]
    same = single["alerts"] == batched["alerts"] and single["events"] == batched["events"]
    lines = [
        f"<!-- {MARKER} -->",
        "## Live monitor on the demo store: series by series against batched",
        "",
        "`python -m bench monitor`: a full `critchem monitor` run (every series, 24 recent months)",
        "on the demo's store (bundled real extracts + the demo's SYNTHETIC dataset), into a fresh",
        f"alert database each time, each run in a fresh process; {batched['series']} series, "
        f"{batched['events']} events, {len(batched['alerts'])} alerts, "
        f"identical both ways: {'yes' if same else 'NO'}.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared, one BLAS thread.",
        "",
        "| monitor | wall (s) | CPU (s) | detectors wall (s) | detectors CPU (s) | load (1 min) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, run in runs.items():
        lines.append(
            f"| {name} | {run['wall']:.1f} | {run['cpu']:.1f} | {run['detect_wall']:.1f} | "
            f"{run['detect_cpu']:.1f} | {run['load'][0]:.2f} → {run['load'][1]:.2f} |"
        )
    whole = single["cpu"] / batched["cpu"]
    detectors = single["detect_cpu"] / batched["detect_cpu"]
    lines += [
        "",
        f"CPU time: the whole run {whole:.1f}× less batched, the detectors alone {detectors:.1f}×;",
        "the rest (reading the store, the quality gate, fusion, the alert database) is unchanged.",
        f"<!-- /{MARKER} -->",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not same:
        print("the two runs' alerts differ: section not written")
        return 1
    if not args.no_results:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
