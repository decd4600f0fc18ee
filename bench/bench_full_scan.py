"""Benchmark: every detector over 100,000 monthly series of 120 months, measured in full.

    python -m bench full_scan [--series 100000] [--months 120] [--no-results]

The scan (:func:`critchem.surveillance.scan.scan`) runs in a child process with one BLAS
thread, on a seeded synthetic panel built in that process: products of 16 origins each,
import volumes (kg) and values (EUR), log-normal noise around a seasonal level of 2 t to
1,000 t a month, a level shift in three series out of ten, a one-month spike in one out of
seven, four missing months in one out of ten, and a unit-value drop in one product out of
nine. Every registered detector sees every series (the cross-section ones each product's
16 origins side by side). The wall time of the scan alone (the panel already in memory),
its time per detector, the peak resident memory of the process (``ru_maxrss``) and the
load average of the machine before and after are written to the ``bench_full_scan``
section of ``bench/RESULTS.md``. Nothing is extrapolated.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from typing import Any

import numpy as np

from bench._results import write_section

MARKER = "bench_full_scan"
ORIGINS = (
    "CN",
    "US",
    "IN",
    "KR",
    "JP",
    "TR",
    "BR",
    "UK",
    "CH",
    "RU",
    "MY",
    "TW",
    "ZA",
    "NO",
    "SA",
    "MX",
)
SEED = 2026


def synthetic_panel(n_series: int, n_months: int, *, seed: int = SEED) -> Any:
    """The seeded SYNTHETIC panel of the module docstring (``critchem.surveillance.scan.Panel``)."""
    from critchem.surveillance.scan import Panel

    rng = np.random.default_rng(seed)
    k, n = n_series, n_months
    t = np.arange(n)
    level = rng.choice([1e6, 5e4, 2e3], size=(k, 1), p=[0.6, 0.3, 0.1])
    level = level * rng.uniform(0.5, 2.0, (k, 1))
    season = 1 + 0.1 * np.sin(2 * np.pi * (t[None, :] + rng.integers(0, 12, (k, 1))) / 12)
    x = level * season * rng.lognormal(0, 0.1, (k, n))
    shifted = rng.random(k) < 0.3
    start = rng.integers(40, n - 10, k)
    factor = rng.choice([0.4, 1.8, 3.0], k)
    x *= np.where(shifted[:, None] & (t[None, :] >= start[:, None]), factor[:, None], 1.0)
    spiked = np.flatnonzero(rng.random(k) < 1 / 7)
    x[spiked, rng.integers(24, n, len(spiked))] *= rng.choice([0.1, 6.0], len(spiked))
    gaps = np.flatnonzero(rng.random(k) < 0.1)
    for i in gaps:
        x[i, rng.integers(0, n, 4)] = np.nan
    price = rng.uniform(0.5, 5.0, (k, 1)) * rng.lognormal(0, 0.05, (k, n))
    products = np.arange(k) // len(ORIGINS)
    dropped = products % 9 == 0
    price[dropped, n - 20 :] *= 0.5
    keys = tuple(
        {
            "product": f"{90000000 + int(products[i]):08d}",
            "reporter": "EU27",
            "flow": "1",
            "partner": ORIGINS[i % len(ORIGINS)],
            "measure": "net_mass_kg",
            "source": "synthetic",
        }
        for i in range(k)
    )
    periods = tuple(date(2016 + m // 12, m % 12 + 1, 1) for m in range(n))
    return Panel(periods, keys, x, {"value": x * price})


def child(n_series: int, n_months: int) -> dict[str, Any]:
    """Build the panel, then scan it detector by detector; timings and event counts."""
    from critchem.surveillance.registry import builtin_detectors
    from critchem.surveillance.scan import scan

    start = time.perf_counter()
    panel = synthetic_panel(n_series, n_months)
    built = time.perf_counter() - start
    rows = []
    scan_start = time.perf_counter()
    for name, cls in sorted(builtin_detectors().items()):
        began, cpu = time.perf_counter(), time.process_time()
        events = scan(panel, {name: cls()})[name]
        rows.append(
            {
                "detector": name,
                "seconds": time.perf_counter() - began,
                "cpu": time.process_time() - cpu,
                "events": len(events),
            }
        )
    return {
        "series": len(panel),
        "months": n_months,
        "build_seconds": built,
        "scan_seconds": time.perf_counter() - scan_start,
        "detectors": rows,
    }


def render(
    result: dict[str, Any], load_before: tuple[float, ...], load_after: tuple[float, ...]
) -> str:
    total = result["scan_seconds"]
    verdict = "within" if total <= 600 else "over"
    cpu = sum(row["cpu"] for row in result["detectors"])
    lines = [
        f"<!-- {MARKER} -->",
        "## Full scan: every detector over every series (`python -m bench full_scan`)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work, CPython "
        f"{platform.python_version()}, NumPy {np.__version__}; one process, one BLAS thread.",
        f"Load average before the run {', '.join(f'{v:.1f}' for v in load_before)}; "
        f"after it {', '.join(f'{v:.1f}' for v in load_after)} (1, 5, 15 minutes).",
        "",
        f"Data: SYNTHETIC, seeded ({SEED}): {result['series']:,} monthly import series x "
        f"{result['months']} months ({result['series'] // len(ORIGINS):,} products x "
        f"{len(ORIGINS)} origins), volume and value; see the module docstring.",
        "",
        f"**Measured on the full set: {total:,.0f} s ({total / 60:.1f} min) wall for all "
        f"detectors, {verdict} the 10 minutes; {cpu:,.0f} s ({cpu / 60:.1f} min) of CPU.** "
        "Peak resident memory "
        f"{result['peak_mb']:,.0f} MB (the panel included). Building the panel took "
        f"{result['build_seconds']:.1f} s more (not counted).",
        "",
        "| detector | wall s | CPU s | events |",
        "|---|---:|---:|---:|",
    ]
    for row in result["detectors"]:
        lines.append(
            f"| {row['detector']} | {row['seconds']:,.1f} | {row['cpu']:,.1f} | {row['events']:,} |"
        )
    lines += [
        "",
        "`seasonal_anomaly`, `structural_break`, `bocpd` and `cusum` run on all series at once "
        "(`critchem.surveillance.scan`: STL, PELT, the run-length posterior and the CUSUM "
        "statistics as array operations over series x months); their events are those of the "
        "detectors run series "
        "by series (tests in `tests/surveillance/test_scan.py`). CPU below wall means the "
        "process waited for a core. The extrapolation in the section `bench_surveillance` "
        "(82.7 min, per-series detectors) is superseded by this measurement.",
        f"<!-- /{MARKER} -->",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.series, args.months)))
        return 0
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    command = [sys.executable, "-m", "bench.bench_full_scan", "--child"]
    command += ["--series", str(args.series), "--months", str(args.months)]
    load_before = os.getloadavg()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    load_after = os.getloadavg()
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return done.returncode
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    text = render(result, load_before, load_after)
    print(text)
    if not args.no_results:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
