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
import os
import platform
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


def _run(store: Path, database: Path, *, batched: bool) -> dict[str, Any]:
    from critchem.services.demo import DEMO_RECENT_MONTHS
    from critchem.services.monitor import run_monitor

    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    report = run_monitor(
        store_root=store,
        database_url=f"sqlite:///{database}",
        recent=DEMO_RECENT_MONTHS,
        full=True,
        batched=batched,
    )
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "load": (load_before, os.getloadavg()[0]),
        "report": report,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench monitor")
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = _store(root)
        runs = {
            "series by series": _run(store, root / "single.db", batched=False),
            "batched": _run(store, root / "batched.db", batched=True),
        }
    single, batched = runs["series by series"]["report"], runs["batched"]["report"]
    same = single.alerts == batched.alerts and single.events == batched.events
    lines = [
        f"<!-- {MARKER} -->",
        "## Live monitor on the demo store: series by series against batched",
        "",
        "`python -m bench monitor`: a full `critchem monitor` run (every series, 24 recent months)",
        "on the demo's store (bundled real extracts + the demo's SYNTHETIC dataset), into a fresh",
        f"alert database each time; {batched.series} series, {batched.events} events, "
        f"{len(batched.alerts)} alerts, identical both ways: {'yes' if same else 'NO'}.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared, one BLAS thread.",
        "",
        "| monitor | wall (s) | CPU (s) | load average (1 min) before → after |",
        "|---|---:|---:|---|",
    ]
    for name, run in runs.items():
        lines.append(
            f"| {name} | {run['wall']:.1f} | {run['cpu']:.1f} | "
            f"{run['load'][0]:.2f} → {run['load'][1]:.2f} |"
        )
    ratio = runs["series by series"]["wall"] / runs["batched"]["wall"]
    lines += ["", f"Batched is {ratio:.1f}× faster in wall time.", f"<!-- /{MARKER} -->"]
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
