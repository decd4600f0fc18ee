"""Benchmark: accuracy of every detector and of the fused alerts in a live-replay back-test.

    python -m bench.bench_backtest [--codes 16] [--seeds 1300900 1300901] [--workers 2] [--no-results]

For each seed, :func:`critchem.trade.synthetic.generate` makes ``--codes`` products of EU27
monthly trade, 2019-01 to 2025-12, with the four injected event types spread over the codes
in turn, one of each type per dataset (import surge x3 for 3 months, unit-value collapse
x0.5 for 6 months, exit of the third supplier, a fourth supplier gaining 20 points of share in
3 months); the other codes carry no event. Every built-in
detector is replayed month by month from month 24 as if live (no look-ahead,
:func:`critchem.evaluation.backtest.replay`) on the series it watches, and the fused alerts
are made of all the detectors' events together (:func:`critchem.evaluation.backtest.fused`).

Scores (:func:`critchem.evaluation.synthetic_scoring.score_by_type`, tolerance 2 months): per
detector and per event type the recall, the precision (detections on events of that type
against those plus the false alarms), F1, the mean detection delay in months (first month of
raising minus the event's start); per detector the false alarms per 100 series-years (a false
alarm matches no injected event; exposure = series watched x 60 replayed months). The fused
alerts are counted on the exposure of the per-origin volume series. Targets of the issue:
recall >= 0.9 for surges and supplier disruptions at <= 1 false alarm per 100 series-years.
The seeds are pooled; each seed is also reported apart, as a check that no figure rests on
one seed. The default seeds are held-out evaluation seeds
(:func:`critchem.evaluation.sweep.evaluation_seeds`); the tuning seeds
(:data:`critchem.evaluation.sweep.TUNING_SEEDS`) are refused.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from bench._results import write_section
from critchem.evaluation.backtest import Detection, fused, replay_detector
from critchem.evaluation.metrics import false_alarms_per_100_series_years
from critchem.evaluation.sweep import TUNING_SEEDS, evaluation_seeds
from critchem.evaluation.synthetic_scoring import TARGETS, TypeScore, score_by_type
from critchem.surveillance.inputs import INPUTS, inputs
from critchem.trade import synthetic

MARKER = "bench_backtest"
START, END, REPLAY_FROM = "2019-01", "2025-12", 24
TOLERANCE = 2
COST = {"seasonal_anomaly": 5, "structural_break": 4, "bocpd": 2}
"""Rough relative run times, to start the slow detectors first."""


def codes(n: int) -> tuple[str, ...]:
    """``n`` made-up CN8 codes (the generator only needs eight digits)."""
    return tuple(f"29{i:04d}00" for i in range(n))


def _dataset(seed: int, n_codes: int) -> synthetic.SyntheticDataset:
    return synthetic.generate(codes(n_codes), start=START, end=END, seed=seed)


def _run(task: tuple[int, int, str]) -> tuple[int, str, list[Detection], int, float]:
    """Replay one detector on one seed's dataset: detections, series watched, seconds."""
    seed, n_codes, name = task
    kinds = inputs(_dataset(seed, n_codes).table)
    began = time.perf_counter()
    found = replay_detector(name, kinds, start=REPLAY_FROM)
    return seed, name, found, len(kinds[INPUTS[name]]), time.perf_counter() - began


@dataclass
class Row:
    """Pooled counts of one (detector, event type) over the seeds."""

    n_true: int = 0
    found: int = 0
    matching: int = 0
    delay_sum: float = 0.0

    def add(self, s: TypeScore) -> None:
        self.n_true += s.n_true
        self.found += s.found
        self.matching += s.n_matching
        self.delay_sum += (s.mean_delay or 0.0) * s.found


def run(seeds: list[int], n_codes: int, workers: int) -> dict[str, object]:
    """Every detector on every seed; the scores pooled and per seed."""
    names = sorted(INPUTS, key=lambda n: -COST.get(n, 1))
    tasks = [(seed, n_codes, name) for name in names for seed in seeds]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_run, tasks))
    found: dict[tuple[int, str], list[Detection]] = {}
    exposure: dict[tuple[int, str], int] = {}
    seconds: dict[str, float] = defaultdict(float)
    for seed, name, detections, n_series, took in results:
        found[(seed, name)], exposure[(seed, name)] = detections, n_series
        seconds[name] += took
    months = len(synthetic._month_list(START, END)) - REPLAY_FROM
    rows: dict[tuple[str, str], Row] = defaultdict(Row)
    false: dict[str, int] = defaultdict(int)
    series: dict[str, int] = defaultdict(int)
    per_seed: list[tuple[int, str, str, float, float]] = []
    for seed in seeds:
        data = _dataset(seed, n_codes)
        periods = inputs(data.table)["volume"][0].periods
        every = [d for name in names for d in found[(seed, name)]]
        subjects = [(n, found[(seed, n)], exposure[(seed, n)]) for n in names]
        volume_series = exposure[(seed, "import_surge")]
        subjects.append(("fused alerts (all)", fused(every), volume_series))
        amber = fused(every, min_severity="amber")
        subjects.append(("fused alerts (amber, red)", amber, volume_series))
        subjects.append(("fused alerts (red)", fused(every, red_only=True), volume_series))
        for name, detections, n_series in subjects:
            scores = score_by_type(
                name, detections, data.events, periods=periods, tolerance=TOLERANCE
            )
            for s in scores:
                rows[(name, s.event_type)].add(s)
            n_false = scores[0].n_false if scores else 0
            false[name] += n_false
            series[name] += n_series
            rate = false_alarms_per_100_series_years(n_false, n_series, months)
            for s in scores:
                per_seed.append((seed, name, s.event_type, s.recall, rate))
    return {
        "rows": rows,
        "false": false,
        "series": series,
        "months": months,
        "per_seed": per_seed,
        "seconds": seconds,
        "names": [*names, "fused alerts (all)", "fused alerts (amber, red)", "fused alerts (red)"],
    }


def previous_rates(text: str) -> dict[str, float]:
    """Pooled false alarms per 100 series-years by detector in an earlier section ``text``.

    Read from the first table (last column); empty when there is none.

    >>> previous_rates("| cusum | **import_surge** | 2 | 2 | 1.00 | 0.00 | 0.01 | -1.0 | 99.96 |")
    {'cusum': 99.96}
    """
    out: dict[str, float] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[0] not in {"detector", "---"}:
            try:
                out.setdefault(cells[0], float(cells[-1]))
            except ValueError:
                continue
    return out


def _previous_section() -> str:
    from bench._results import RESULTS

    if not RESULTS.exists():
        return ""
    text = RESULTS.read_text(encoding="utf-8")
    start, end = f"<!-- {MARKER} -->", f"<!-- /{MARKER} -->"
    return text.split(start, 1)[1].split(end, 1)[0] if start in text and end in text else ""


def _fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def render(
    result: dict[str, object],
    seeds: list[int],
    n_codes: int,
    workers: int,
    before: dict[str, float] | None = None,
) -> str:
    rows: dict[tuple[str, str], Row] = result["rows"]  # type: ignore[assignment]
    false: dict[str, int] = result["false"]  # type: ignore[assignment]
    series: dict[str, int] = result["series"]  # type: ignore[assignment]
    months = int(result["months"])  # type: ignore[call-overload]
    names: list[str] = result["names"]  # type: ignore[assignment]
    seconds: dict[str, float] = result["seconds"]  # type: ignore[assignment]
    per_seed: list[tuple[int, str, str, float, float]] = result["per_seed"]  # type: ignore[assignment]
    seed_list = ", ".join(str(s) for s in seeds)
    lines = [
        f"<!-- {MARKER} -->",
        "## Back-test: detectors and fused alerts on the synthetic dataset "
        "(`python -m bench.bench_backtest`)",
        "",
        f"Machine: {platform.machine()}, CPython {platform.python_version()}, "
        f"NumPy {np.__version__}; {workers} worker processes. Command: `python -m bench "
        f"backtest --codes {n_codes} --seeds {' '.join(str(s) for s in seeds)}`.",
        "",
        f"SYNTHETIC data (`critchem.trade.synthetic`), held-out evaluation seeds {seed_list} "
        f"pooled (the tuning seeds {', '.join(str(s) for s in TUNING_SEEDS)}, on which the "
        f"thresholds and the fusion rule were chosen, are not reported): {n_codes} codes "
        f"per seed, {START} to {END}, all 27 reporters; the generator injects one event of "
        "each type per dataset, on the first four codes (surge x3 for 3 months on the "
        "dominant supplier, unit value x0.5 for 6 months on the second, exit of the third, +20 "
        "share points in 3 months for the fourth); the other codes are event-free, the "
        f"exposure for false alarms. Live replay from month {REPLAY_FROM + 1} ({months} months replayed, no "
        f"look-ahead), tolerance {TOLERANCE} months. Precision for a type counts the "
        "detections on events of that type against those plus the false alarms (detections "
        "on no injected event); detections on another type are left out; with neither "
        "(nothing flagged) the precision is undefined (-), not 1. Delay: months from "
        "the event's start to the first raising. **Bold**: the detector's target types.",
        "",
        "| detector | event type | events | found | recall | precision | F1 | mean delay "
        "| false alarms / 100 series-years |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        rate = false_alarms_per_100_series_years(false[name], series[name], months)
        targets = TARGETS.get(name, frozenset({"import_surge", "supplier_exit"}))
        for (who, kind), row in sorted(rows.items()):
            if who != name:
                continue
            recall = row.found / row.n_true if row.n_true else 0.0
            flagged = row.matching + false[name]
            precision = row.matching / flagged if flagged else None
            f1 = (
                None
                if precision is None
                else 0.0
                if precision + recall == 0
                else 2 * precision * recall / (precision + recall)
            )
            delay = row.delay_sum / row.found if row.found else None
            label = f"**{kind}**" if kind in targets else kind
            lines.append(
                f"| {name} | {label} | {row.n_true} | {row.found} | {recall:.2f} | "
                f"{_fmt(precision)} | {_fmt(f1)} | {_fmt(delay, 1)} | {rate:.2f} |"
            )
    lines += [
        "",
        "Against the targets (recall >= 0.9 on surges and supplier disruptions, <= 1 false "
        "alarm per 100 series-years), per seed:",
        "",
        "| detector | seed | surge recall | exit recall | share-shift recall "
        "| false alarms / 100 series-years | target met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    checked = (
        "import_surge",
        "concentration_shift",
        "fused alerts (all)",
        "fused alerts (amber, red)",
        "fused alerts (red)",
    )
    for name in checked:
        for seed in seeds:
            got = {k: (r, f) for s, n, k, r, f in per_seed if s == seed and n == name}
            rate = next(iter(got.values()))[1] if got else 0.0
            surge = got.get("import_surge", (0.0, 0.0))[0]
            exit_ = got.get("supplier_exit", (0.0, 0.0))[0]
            shift = got.get("concentration_shift", (0.0, 0.0))[0]
            wanted = [surge] if name == "import_surge" else [exit_, shift]
            if name.startswith("fused"):
                wanted = [surge, exit_]
            met = all(r >= 0.9 for r in wanted) and rate <= 1.0
            lines.append(
                f"| {name} | {seed} | {surge:.2f} | {exit_:.2f} | {shift:.2f} | {rate:.2f} "
                f"| {'yes' if met else 'no'} |"
            )
    if before:
        lines += [
            "",
            "False alarms per 100 series-years, pooled, in the previous run recorded here and "
            "in this one (fused alerts: amber or red alerts were not counted apart before):",
            "",
            "| detector | previous run | this run |",
            "|---|---:|---:|",
        ]
        for name in names:
            rate = false_alarms_per_100_series_years(false[name], series[name], months)
            lines.append(f"| {name} | {_fmt(before.get(name))} | {rate:.2f} |")
    lines += [
        "",
        "Replay time per detector (all seeds, one worker's CPU): "
        + ", ".join(f"{n} {seconds[n]:.0f} s" for n in sorted(seconds))
        + ".",
        f"<!-- /{MARKER} -->",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--codes", type=int, default=16)
    parser.add_argument("--seeds", type=int, nargs="+", default=evaluation_seeds(2, offset=900))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    tuned = sorted(set(args.seeds) & set(TUNING_SEEDS))
    if tuned:
        parser.error(f"seeds {tuned} are tuning seeds; report held-out seeds only")
    before = previous_rates(_previous_section())
    result = run(args.seeds, args.codes, args.workers)
    text = render(result, args.seeds, args.codes, args.workers, before)
    print(text)
    if not args.no_results:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
