"""Benchmark: the surveillance detectors' throughput, and ``detect_breaks`` against baselines.

    python -m bench.bench_surveillance [--series 100000] [--sample 2000] [--no-results]

1. Scan: ``--series`` monthly series of 120 months (seeded, log-normal noise, seasonal, a level
   shift in one series out of ten). Each detector is timed on ``--sample`` of them (the
   cross-section detectors on panels of 15 origins, counted as 15 series each) and the time of
   the full scan is extrapolated linearly from that sample, as is ruptures' PELT (``l2`` cost,
   ``min_size = 3``, ``jump = 1``, penalty ``3·log n``) on the same series.
2. Writes its section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import math
import platform
import time

import numpy as np
import ruptures as rpt

from bench._results import write_section
from critchem.evaluation.changepoints import sigma
from critchem.evaluation.ground_truth import (
    ORIGINS,
    seasonal_wave,
)
from critchem.surveillance import detect_breaks
from critchem.surveillance.base import Series
from critchem.surveillance.registry import builtin_detectors
from critchem.trade.periods import monthly_periods

MARKER = "bench_surveillance"
N_MONTHS = 120
CROSS_SECTION = {"unit_value_outlier", "concentration_shift"}


def _volume(rng: np.random.Generator, periods: tuple[object, ...]) -> Series:
    x = 1e6 * seasonal_wave(N_MONTHS, amplitude=0.1) * rng.lognormal(0, 0.1, N_MONTHS)
    if rng.random() < 0.1:
        x[rng.integers(40, 110) :] *= 1.8
    key = {"product": "99999999", "reporter": "EU27", "flow": "1", "partner": "CN"}
    return Series(key, periods, x, {"value": x * 2.0 * rng.lognormal(0, 0.03, N_MONTHS)})  # type: ignore[arg-type]


def _panel(rng: np.random.Generator, periods: tuple[object, ...], prices: bool) -> Series:
    extra = {
        o: (2.0 if prices else 1e6) * rng.lognormal(0, 0.1, N_MONTHS) * rng.uniform(0.2, 3.0)
        for o in (*ORIGINS, "BR", "MY", "TW", "ZA", "NO")
    }
    key = {"product": "99999999", "reporter": "EU27", "flow": "1"}
    return Series(key, periods, np.sum(list(extra.values()), axis=0), extra)  # type: ignore[arg-type]


def scan(n_series: int, sample: int) -> list[tuple[str, float, float]]:
    """``(detector, seconds per series, extrapolated seconds for n_series)``."""
    rng = np.random.default_rng(7)
    periods = monthly_periods(N_MONTHS)
    volumes = [_volume(rng, periods) for _ in range(sample)]
    panels = max(1, sample // 15)
    rows = []
    for name, cls in sorted(builtin_detectors().items()):
        if name in CROSS_SECTION:
            inputs = [_panel(rng, periods, name == "unit_value_outlier") for _ in range(panels)]
            per = 15
        else:
            inputs, per = volumes, 1
        start = time.perf_counter()
        for series in inputs:
            cls().fit(series).detect()
        each = (time.perf_counter() - start) / (len(inputs) * per)
        rows.append((name, each, each * n_series))
    start = time.perf_counter()
    for series in volumes:
        z = np.log(series.values)
        rpt.Pelt(model="l2", min_size=3, jump=1).fit(z).predict(
            pen=3 * math.log(N_MONTHS) * sigma(z) ** 2
        )
    each = (time.perf_counter() - start) / len(volumes)
    rows.append(("ruptures Pelt (l2, jump=1)", each, each * n_series))
    start = time.perf_counter()
    for series in volumes:
        detect_breaks(np.log(series.values))
    each = (time.perf_counter() - start) / len(volumes)
    rows.append(("detect_breaks", each, each * n_series))
    return rows


def render(n_series: int, sample: int, scan_rows: list[tuple[str, float, float]]) -> str:
    lines = [
        f"<!-- {MARKER} -->",
        "## Surveillance detectors (`python -m bench.bench_surveillance`)",
        "",
        f"Machine: {platform.machine()}, CPython {platform.python_version()}, NumPy {np.__version__}.",
        "",
        f"### Full scan: {n_series:,} monthly series x {N_MONTHS} months",
        "",
        f"Timed on a sample of {sample:,} seeded series per detector (cross-section detectors:",
        "panels of 15 origins, time per origin series) and **extrapolated linearly** to the full",
        "scan; one process, one core. The series are synthetic (log-normal noise, seasonal,",
        "a level shift in one in ten).",
        "",
        "| detector | ms / series | series / s | full scan (extrapolated) |",
        "|---|---|---|---|",
    ]
    for name, each, total in scan_rows:
        lines.append(f"| {name} | {each * 1e3:.3f} | {1 / each:,.0f} | {total:,.0f} s |")
    total = sum(t for name, _, t in scan_rows if not name.startswith(("ruptures", "detect_")))
    lines += [
        "",
        f"Every detector on every series: about {total / 60:,.1f} min for {n_series:,} series.",
        "",
        "### `detect_breaks` against baselines",
        "",
        "Held-out scores on annotated real series, against ruptures' Binseg and KernelCPD, are",
        "in the section `bench_breaks` (`python -m bench breaks`).",
    ]
    lines.append(f"<!-- /{MARKER} -->")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    scan_rows = scan(args.series, args.sample)
    text = render(args.series, args.sample, scan_rows)
    print(text)
    if not args.no_results:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
