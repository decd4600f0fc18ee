"""Benchmark: held-out recall against event magnitude, and false alarms on event-free series.

    python -m bench evaluation [--events 50] [--false-codes 16] [--false-seeds 2] [--workers 2]

See :mod:`critchem.evaluation.sweep` for the method. Every seed used here is an evaluation
seed (:func:`critchem.evaluation.sweep.evaluation_seeds`), never a tuning seed; both lists
are written in the results.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from bench._results import write_section
from critchem.evaluation.metrics import false_alarms_per_100_series_years
from critchem.evaluation.sweep import (
    FUSED,
    REPLAY_FROM,
    SWEEP,
    TOLERANCE,
    TUNING_SEEDS,
    CellResult,
    FalseAlarms,
    evaluation_seeds,
    false_alarms,
    sweep_cell,
)
from critchem.surveillance.inputs import INPUTS

MARKER = "bench_evaluation"
UNITS = {
    "import_surge": "volume x{m:g}",
    "price_collapse": "unit value -{d:.0f} %",
    "concentration_shift": "+{p:.0f} share points",
    "supplier_exit": "exit",
}


def _label(event_type: str, m: float) -> str:
    return UNITS[event_type].format(m=m, d=(1 - m) * 100, p=m * 100)


def _cell(task: tuple[str, float, int, int]) -> tuple[CellResult, float]:
    kind, magnitude, seed, n = task
    began = time.perf_counter()
    return sweep_cell(kind, magnitude, seed=seed, n_events=n), time.perf_counter() - began


def _false(task: tuple[int, int]) -> tuple[FalseAlarms, float]:
    seed, n = task
    began = time.perf_counter()
    return false_alarms(seed=seed, n_codes=n), time.perf_counter() - began


def run(
    n_events: int, false_codes: int, false_seeds: int, workers: int
) -> tuple[list[CellResult], list[FalseAlarms], float, float]:
    cells = [(k, m) for k, ms in SWEEP.items() for m in ms]
    seeds = evaluation_seeds(len(cells))
    tasks = [(k, m, s, n_events) for (k, m), s in zip(cells, seeds, strict=True)]
    fa_tasks = [(s, false_codes) for s in evaluation_seeds(false_seeds, offset=500)]
    began = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        fa_futures = [pool.submit(_false, t) for t in fa_tasks]
        results = list(pool.map(_cell, tasks))
        fa = [f.result() for f in fa_futures]
    wall = time.perf_counter() - began
    cpu = sum(t for _, t in results) + sum(t for _, t in fa)
    return [r for r, _ in results], [f for f, _ in fa], wall, cpu


def render(
    cells: list[CellResult],
    alarms: list[FalseAlarms],
    args: argparse.Namespace,
    wall: float,
    cpu: float,
    load: tuple[float, float, float],
) -> str:
    names = [*sorted(INPUTS), *FUSED]
    sweep_seeds = ", ".join(str(c.seed) for c in cells)
    fa_seeds = ", ".join(str(a.seed) for a in alarms)
    lines = [
        f"<!-- {MARKER} -->",
        "## Held-out evaluation: recall against magnitude, false alarms "
        "(`python -m bench evaluation`)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared (load average at start "
        f"{load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}), CPython {platform.python_version()}, "
        f"NumPy {np.__version__}; {args.workers} worker processes; {wall:.0f} s wall, "
        f"{cpu:.0f} s CPU. Command: `python -m bench evaluation --events {args.events} "
        f"--false-codes {args.false_codes} --false-seeds {args.false_seeds}`.",
        "",
        f"SYNTHETIC data (`critchem.trade.synthetic`). **Tuning seeds** (the thresholds and "
        f"the fusion rule were chosen on them; not reported here): "
        f"{', '.join(str(s) for s in TUNING_SEEDS)}. **Evaluation seeds** (held out): sweep "
        f"{sweep_seeds} (one per cell, in the order of the rows below); event-free series "
        f"{fa_seeds}. Method: `critchem.evaluation.sweep`. Each cell is {args.events} "
        "products, each carrying one injected event of that type and magnitude at a month "
        "drawn in 45-85 % of 2019-01..2025-12; every detector is replayed month by month as "
        "if live around the event; an event is found when a detection names the same "
        f"product **and partner** within [start, end + {TOLERANCE} months]. Fused alerts are "
        "made of all the detectors' detections (`critchem.surveillance.alerts.fusion`).",
        "",
    ]
    by_type: dict[str, list[CellResult]] = defaultdict(list)
    for c in cells:
        by_type[c.event_type].append(c)
    for kind, group in by_type.items():
        total = sum(c.events for c in group)
        lines += [
            f"### {kind}: recall by magnitude ({total} events)",
            "",
            "| detector | " + " | ".join(_label(kind, c.magnitude) for c in group) + " |",
            "|---|" + "---:|" * len(group),
        ]
        for name in names:
            cells_text = []
            for c in group:
                delay = c.delays[name]
                mean = f" ({sum(delay) / len(delay):.1f})" if delay else ""
                cells_text.append(f"{c.found[name] / c.events:.2f}{mean}")
            lines.append(f"| {name} | " + " | ".join(cells_text) + " |")
        lines.append("")
    lines[-1:] = [
        "",
        "Recall (in brackets: mean months from the event's start to the first raising).",
        "",
        "### False alarms per 100 series-years on event-free series",
        "",
        "| detector | series watched | series-years | "
        + " | ".join(f"seed {a.seed}" for a in alarms)
        + " | pooled |",
        "|---|---:|---:|" + "---:|" * (len(alarms) + 1),
    ]
    months = alarms[0].months
    for name in names:
        n_series = sum(a.series[name] for a in alarms)
        n_alarms = sum(a.alarms[name] for a in alarms)
        pooled = false_alarms_per_100_series_years(n_alarms, n_series, months)
        per = " | ".join(f"{a.rate(name):.2f}" for a in alarms)
        lines.append(
            f"| {name} | {n_series} | {n_series * months / 12:,.0f} | {per} | {pooled:.2f} |"
        )
    lines += [
        "",
        f"{args.false_codes} event-free products per seed, replayed from month "
        f"{REPLAY_FROM + 1} ({months} months); every detection is a false alarm. Fused alerts "
        "are counted on the per-partner volume series.",
        f"<!-- /{MARKER} -->",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--false-codes", type=int, default=16)
    parser.add_argument("--false-seeds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    cells, alarms, wall, cpu = run(args.events, args.false_codes, args.false_seeds, args.workers)
    text = render(cells, alarms, args, wall, cpu, load)
    print(text)
    if not args.no_results:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
