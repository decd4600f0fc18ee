"""Held-out evaluation of the detectors: recall against event magnitude, false alarms.

Two seed sets are kept apart. :data:`TUNING_SEEDS` are the seeds the detectors' thresholds
and the fusion rule were chosen on; they are never scored here. Every figure comes from
:func:`evaluation_seeds`, which draws from a separate range and refuses a tuning seed.

* **Magnitude sweep** (:func:`sweep_cell`): ``n_events`` products, each carrying one
  injected event of one type and one magnitude (:data:`SWEEP`), at a position drawn in the
  second half of the period (:func:`planted`). Each detector is replayed as if live
  (:func:`critchem.evaluation.backtest.replay`: at month ``t`` it sees the data up to ``t``)
  on the series the event touches, over the event's window plus the tolerance, and an event
  is found when a detection on the same product *and partner* falls in
  ``[start, end + tolerance]`` (:func:`critchem.evaluation.scoring.matches`). The fused
  alerts (amber or red, and red) are made of every detector's detections on that window.
* **False alarms** (:func:`false_alarms`): event-free datasets (an empty plan), every
  series replayed from month 25 to the end; every detection is a false alarm. The rate is
  per 100 series-years of replayed months
  (:func:`critchem.evaluation.metrics.false_alarms_per_100_series_years`); fused alerts
  are counted on the exposure of the per-partner volume series.

The data are SYNTHETIC (:mod:`critchem.trade.synthetic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from critchem.evaluation.backtest import Detection as Raised
from critchem.evaluation.backtest import fused, replay
from critchem.evaluation.labels import Detection, LabelledEvent
from critchem.evaluation.metrics import false_alarms_per_100_series_years
from critchem.evaluation.scoring import matches
from critchem.surveillance.base import Series
from critchem.surveillance.inputs import INPUTS, inputs
from critchem.surveillance.registry import builtin_detectors
from critchem.trade import synthetic

TUNING_SEEDS: tuple[int, ...] = (synthetic.DEFAULT_SEED, 7)
"""The seeds the thresholds and the fusion rule were tuned on; never scored."""

EVALUATION_BASE = 1_300_000
"""Evaluation seeds are ``EVALUATION_BASE + i``: a range that holds no tuning seed."""

SWEEP: dict[str, tuple[float, ...]] = {
    "import_surge": (1.5, 2.0, 3.0, 5.0),
    "price_collapse": (0.9, 0.75, 0.5, 0.25),
    "concentration_shift": (0.05, 0.10, 0.20, 0.30),
    "supplier_exit": (0.0,),
}
"""Magnitudes swept per event type: volume factor of a surge, unit-value factor of a price
drop, share points gained in a share shift (0.20 = 20 points); an exit has none."""

_SHAPE: dict[str, tuple[int, int | None]] = {
    "import_surge": (1, 3),
    "price_collapse": (2, 6),
    "supplier_exit": (3, None),
    "concentration_shift": (4, 3),
}
"""Supplier rank hit and length in months of each type, as in the default plan."""

START, END, REPLAY_FROM, TOLERANCE, RECENT = "2019-01", "2025-12", 24, 2, 3
FUSED = ("fused (amber, red)", "fused (red)")


def evaluation_seeds(n: int, *, offset: int = 0) -> list[int]:
    """``n`` evaluation seeds, disjoint from :data:`TUNING_SEEDS`.

    >>> evaluation_seeds(2, offset=10)
    [1300010, 1300011]
    """
    seeds = [EVALUATION_BASE + offset + i for i in range(n)]
    tuned = set(seeds) & set(TUNING_SEEDS)
    if tuned:
        raise ValueError(f"evaluation seeds overlap the tuning seeds: {sorted(tuned)}")
    return seeds


def codes(n: int) -> tuple[str, ...]:
    """``n`` made-up CN8 codes."""
    return tuple(f"29{i:04d}00" for i in range(n))


def planted(
    event_type: str, magnitude: float, *, seed: int, n_events: int
) -> synthetic.SyntheticDataset:
    """``n_events`` products, each with one event of ``event_type`` and ``magnitude``.

    Positions are drawn uniformly in 45-85 % of the period (seeded by ``seed``).
    """
    if seed in TUNING_SEEDS:
        raise ValueError(f"seed {seed} is a tuning seed; evaluate on held-out seeds")
    rank, length = _SHAPE[event_type]
    positions = np.random.default_rng([seed, 13]).uniform(0.45, 0.85, n_events)
    plan: list[synthetic.EventPlan] = [
        (event_type, float(p), rank, length, magnitude)  # type: ignore[misc]
        for p in positions
    ]
    return synthetic.generate(codes(n_events), start=START, end=END, seed=seed, plan=plan)


def _cut(series: Series, end: int) -> Series:
    return Series(
        series.key,
        series.periods[:end],
        series.values[:end],
        {k: v[:end] for k, v in series.extra.items()},
    )


def _labelled(e: synthetic.Event) -> LabelledEvent:
    return LabelledEvent(
        e.product,
        e.reporter,
        e.partner,
        e.event_type,
        date.fromisoformat(f"{e.start}-01"),
        date.fromisoformat(f"{e.end}-01"),
        "synthetic",
    )


def _as_detection(raised: Raised) -> Detection:
    key = raised.event.key
    return Detection(str(key.get("product", "")), str(key.get("partner", "")), raised.event.period)


@dataclass(frozen=True, slots=True)
class CellResult:
    """Events found per detector (and fused rule) for one (type, magnitude, seed)."""

    event_type: str
    magnitude: float
    seed: int
    events: int
    found: dict[str, int]
    delays: dict[str, list[int]]


def sweep_cell(
    event_type: str,
    magnitude: float,
    *,
    seed: int,
    n_events: int,
    names: Sequence[str] | None = None,
    tolerance: int = TOLERANCE,
) -> CellResult:
    """Replay every detector around each planted event; count the events found."""
    data = planted(event_type, magnitude, seed=seed, n_events=n_events)
    kinds = inputs(data.table)
    makers = builtin_detectors()
    chosen = list(names or sorted(INPUTS))
    found = dict.fromkeys([*chosen, *FUSED], 0)
    delays: dict[str, list[int]] = {n: [] for n in found}
    for event in data.events:
        label = _labelled(event)
        periods = kinds["volume"][0].periods
        first = periods.index(label.start)
        last = periods.index(label.end)
        stop = min(last + tolerance + RECENT, len(periods))
        raised_all: list[Raised] = []
        for name in chosen:
            kind = INPUTS[name]
            watched = [
                s
                for s in kinds[kind]
                if s.key["product"] == event.product
                and (kind in ("suppliers", "unit_values") or s.key["partner"] == event.partner)
            ]
            raised = [r for s in watched for r in replay(makers[name], _cut(s, stop), start=first)]
            raised_all += raised
            _tally(name, raised, label, tolerance, first, found, delays)
        _tally(
            FUSED[0],
            fused(raised_all, min_severity="amber"),
            label,
            tolerance,
            first,
            found,
            delays,
        )
        _tally(FUSED[1], fused(raised_all, red_only=True), label, tolerance, first, found, delays)
    return CellResult(event_type, magnitude, seed, len(data.events), found, delays)


def _tally(
    name: str,
    raised: list[Raised],
    label: LabelledEvent,
    tolerance: int,
    first: int,
    found: dict[str, int],
    delays: dict[str, list[int]],
) -> None:
    hits = [r for r in raised if matches(_as_detection(r), label, tolerance=tolerance)]
    if hits:
        found[name] += 1
        delays[name].append(min(r.raised_at for r in hits) - first)


@dataclass(frozen=True, slots=True)
class FalseAlarms:
    """Detections per detector on event-free series, with their exposure."""

    seed: int
    series: dict[str, int]
    alarms: dict[str, int]
    months: int

    def rate(self, name: str) -> float:
        """False alarms per 100 series-years of ``name``."""
        return false_alarms_per_100_series_years(self.alarms[name], self.series[name], self.months)


def false_alarms(*, seed: int, n_codes: int, names: Sequence[str] | None = None) -> FalseAlarms:
    """Replay every detector on ``n_codes`` event-free products; count what they raise."""
    if seed in TUNING_SEEDS:
        raise ValueError(f"seed {seed} is a tuning seed; evaluate on held-out seeds")
    data = synthetic.generate(codes(n_codes), start=START, end=END, seed=seed, plan=[])
    kinds = inputs(data.table)
    makers = builtin_detectors()
    chosen = list(names or sorted(INPUTS))
    series: dict[str, int] = {}
    alarms: dict[str, int] = {}
    raised_all: list[Raised] = []
    for name in chosen:
        watched = kinds[INPUTS[name]]
        raised = [r for s in watched for r in replay(makers[name], s, start=REPLAY_FROM)]
        raised_all += raised
        series[name], alarms[name] = len(watched), len(raised)
    for rule, made in zip(
        FUSED,
        (fused(raised_all, min_severity="amber"), fused(raised_all, red_only=True)),
        strict=True,
    ):
        series[rule], alarms[rule] = len(kinds["volume"]), len(made)
    months = len(kinds["volume"][0].periods) - REPLAY_FROM
    return FalseAlarms(seed, series, alarms, months)
