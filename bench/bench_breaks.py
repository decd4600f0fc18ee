"""Benchmark: ``detect_breaks`` against ruptures and the no-change baseline, and its speed.

    python -m bench breaks [--no-results]

Accuracy (:mod:`critchem.evaluation.changepoints`): change-point F1 (margin 5) and covering
of van den Burg & Williams (2020) on the held-out real series (TCPD subset, every annotator),
on held-out synthetic series, and, apart, on the tuning series the settings were chosen on.
Speed: our PELT and ruptures' ``KernelCPD`` (C implementation, linear kernel = the same L2
cost) on the same problem (same penalty ``10·log n``, same minimum segment, same scaled
series, the answers compared), and the whole ``detect_breaks``, one series at a time and all
at once, side by side in the same process, best of 3 (see :func:`timing`).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

import numpy as np

from bench._results import write_section
from critchem.evaluation.changepoints import (
    BASELINES,
    HELD_OUT_SEEDS,
    TUNING_SEEDS,
    Case,
    Method,
    mean_scores,
    real_cases,
    scores,
    synthetic_cases,
)
from critchem.surveillance import detect_breaks
from critchem.surveillance.breaks_api import MIN_FRACTION, PENALTY_FACTOR

MARKER = "bench_breaks"
PREVIOUS = {"penalty_factor": 3.0, "min_fraction": 0.01}
"""The settings of ``detect_breaks`` before this round (penalty 3·log n, segments ≥ 1 %)."""


def methods() -> dict[str, Method]:
    return {
        "detect_breaks": lambda x: detect_breaks(x),
        "detect_breaks, previous settings": lambda x: detect_breaks(
            x, penalty_factor=PREVIOUS["penalty_factor"], min_fraction=PREVIOUS["min_fraction"]
        ),
        **BASELINES,
    }


def _table(title: str, cases: list[Case], per_series: bool) -> list[str]:
    lines = [f"### {title}", ""]
    results = {name: scores(run, cases) for name, run in methods().items()}
    if per_series:
        names = list(results)
        lines += [
            "| series | n | " + " | ".join(names) + " |",
            "|---|---:|" + "---|" * len(names),
        ]
        for i, case in enumerate(cases):
            cells = [f"{results[m][i][1]:.3f} / {results[m][i][2]:.3f}" for m in names]
            lines.append(f"| {case.kind} | {len(case.values)} | " + " | ".join(cells) + " |")
        lines += ["", "Each cell: F1 / covering.", ""]
    lines += ["| method | mean F1 | mean covering |", "|---|---:|---:|"]
    for name, rows in results.items():
        f1, cover = mean_scores(rows)
        lines.append(f"| {name} | {f1:.3f} | {cover:.3f} |")
    return [*lines, ""]


def _best(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best wall time of each callable over ``repeat`` rounds, the callables interleaved."""
    best = dict.fromkeys(runs, np.inf)
    for _ in range(repeat):
        for name, run in runs.items():
            t = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def timing(n_series: int = 200, n: int = 120, repeat: int = 3) -> list[str]:
    """Speed against ruptures' ``KernelCPD`` on the same problem, side by side, best of ``repeat``.

    1. One PELT pass with the same cost (L2 = linear kernel), the same penalty ``10·log n``,
       the same minimum segment (3) on the same cleaned and scaled series
       (:func:`~critchem.surveillance.breaks_api.prepare`): our PELT one series at a time and
       for all series at once, and ``KernelCPD`` (C); the breaks are compared series by series.
    2. The whole ``detect_breaks`` (cleaning, mean and line models, up to four passes each
       for the autocorrelation correction, the BIC choice), one series at a time and
       ``detect_breaks_many`` for all at once.
    """
    import ruptures as rpt

    from critchem.surveillance.breaks_api import pelt, prepare
    from critchem.surveillance.breaks_many import detect_breaks_many
    from critchem.surveillance.pelt import pelt_many, stacked_costs

    rng = np.random.default_rng(2026)
    xs = [
        rng.normal(0, 1, n) + np.where(np.arange(n) >= 60, 2.0 * (i % 2), 0.0)
        for i in range(n_series)
    ]
    zs = [z for z in (prepare(x) for x in xs) if z is not None]
    matrix = np.vstack(zs)
    pen = PENALTY_FACTOR * float(np.log(n))
    ours = [pelt(z, penalty=pen, min_size=3) for z in zs]
    theirs = [
        rpt.KernelCPD(kernel="linear", min_size=3, jump=1)
        .fit(z.reshape(-1, 1))
        .predict(pen=pen)[:-1]
        for z in zs
    ]
    batched = pelt_many(stacked_costs(matrix), np.full(len(zs), pen), min_size=3)
    agree = sum(a == b == c for a, b, c in zip(ours, theirs, batched, strict=True))
    kernel = "ruptures KernelCPD (linear kernel, C), one series at a time"
    best = _best(
        {
            kernel: lambda: [
                rpt.KernelCPD(kernel="linear", min_size=3, jump=1)
                .fit(z.reshape(-1, 1))
                .predict(pen=pen)
                for z in zs
            ],
            "our PELT, one series at a time": lambda: [
                pelt(z, penalty=pen, min_size=3) for z in zs
            ],
            "our PELT, all series at once": lambda: pelt_many(
                stacked_costs(matrix), np.full(len(zs), pen), min_size=3
            ),
            "detect_breaks (whole method), one series at a time": lambda: [
                detect_breaks(x) for x in xs
            ],
            "detect_breaks_many (whole method), all series at once": lambda: detect_breaks_many(
                np.vstack(xs)
            ),
        },
        repeat,
    )
    load = os.getloadavg()
    lines = [
        f"### Speed: {n_series} series of {n} months (half with a level shift), side by side, "
        f"best of {repeat}",
        "",
        f"Load average after the timing: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}. "
        f"One PELT pass is the same problem for both (L2 cost = linear kernel, penalty "
        f"{PENALTY_FACTOR:g}·log n, minimum segment 3, the same cleaned and scaled series): "
        f"our breaks and KernelCPD's are the same on {agree} of {len(zs)} series. The whole "
        "method runs two models with up to four passes each.",
        "",
        "| method | ms / series | / KernelCPD |",
        "|---|---:|---:|",
    ]
    for name, sec in best.items():
        ratio = sec / best[kernel]
        lines.append(f"| {name} | {sec / len(zs) * 1e3:.3f} | {ratio:.2f}x |")
    return [*lines, ""]


def render() -> str:
    load = os.getloadavg()
    real = [c for c in real_cases() if c.kind != "nile"]
    nile = [c for c in real_cases() if c.kind == "nile"]
    held = [c for s in HELD_OUT_SEEDS for c in synthetic_cases(s)]
    tuning = [c for s in TUNING_SEEDS for c in synthetic_cases(s)]
    lines = [
        f"<!-- {MARKER} -->",
        "## `detect_breaks` against ruptures and no change (`python -m bench breaks`)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared (load average at start "
        f"{load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}), CPython {platform.python_version()}, "
        f"NumPy {np.__version__}.",
        "",
        f"Settings of `detect_breaks`: penalty {PENALTY_FACTOR:g}·log n (before the "
        f"autocorrelation correction), segments of at least max(3, {MIN_FRACTION:g}·n); chosen "
        f"on the tuning series only (synthetic, seeds {TUNING_SEEDS[0]}..{TUNING_SEEDS[-1]}, "
        "grid in `critchem.evaluation.changepoints.tune`), under the constraint that the "
        "Nile's 1899 change is found (the best setting on the grid, 14·log n, misses it). "
        "Previous settings: penalty 3·log n, "
        "segments of at least max(3, 0.01·n). Baselines: ruptures 1.9 Binseg and KernelCPD "
        "(linear kernel, the L2 cost of `detect_breaks`), penalty 2·σ̂²·log n (BIC) or "
        "3·σ̂²·log n (MBIC), σ̂ the MAD of first differences / √2, minimum segment 2. F1 with a "
        "margin of 5 and covering, van den Burg & Williams (2020), against every annotator.",
        "",
        *_table("Held-out real series (TCPD subset, 8 series)", real, per_series=True),
        *_table(
            "The Nile (a constraint of the tuning: its 1899 change must be found; not held out)",
            nile,
            per_series=True,
        ),
        *_table(
            f"Held-out synthetic series (seeds {HELD_OUT_SEEDS[0]}..{HELD_OUT_SEEDS[-1]}, "
            "each kind weighted equally)",
            held,
            per_series=False,
        ),
        *_table(
            "Tuning series (in-sample, shown only as the reference the settings were chosen on)",
            tuning,
            per_series=False,
        ),
        *timing(),
        f"<!-- /{MARKER} -->",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    text = render()
    print(text)
    if not args.no_results:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
