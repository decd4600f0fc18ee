"""Change-point evaluation of ``detect_breaks``: tuning series, held-out series, baselines.

Three sets are kept apart:

* **tuning series** (:func:`synthetic_cases` with :data:`TUNING_SEEDS`): seeded synthetic
  series shaped like real ones. The penalty and the minimum segment length of
  :func:`critchem.surveillance.detect_breaks` are chosen on them only (:func:`tune`);
* **held-out synthetic series**: the same kinds with :data:`HELD_OUT_SEEDS`;
* **held-out real series** (:func:`real_cases`): nine annotated series of the Turing
  Change Point Dataset (``data/tcpd.json``, sources and licences in ``data/SOURCES.md``),
  the Nile among them, scored against every annotator.

Scores are the F1 (margin 5) and covering of van den Burg & Williams (2020)
(:func:`critchem.evaluation.metrics.f_measure`, :func:`~critchem.evaluation.metrics.covering`).
The baselines (:data:`BASELINES`) are the no-change prediction and ruptures' binary
segmentation and kernel change-point detection (its C implementation, linear kernel = the
same L2 cost as ``detect_breaks``) with the BIC penalty ``2·σ̂²·log n`` and the modified BIC
``3·σ̂²·log n`` (Zhang & Siegmund 2007, as the R ``changepoint`` package approximates it),
``σ̂`` the MAD of first differences over √2, minimum segment length 2.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np

from critchem.evaluation.ground_truth import piecewise_linear, seasonal_wave, with_outliers
from critchem.evaluation.metrics import covering, f_measure
from critchem.surveillance import detect_breaks

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
TUNING_SEEDS: tuple[int, ...] = tuple(range(10))
HELD_OUT_SEEDS: tuple[int, ...] = tuple(range(1000, 1010))
MARGIN = 5


@dataclass(frozen=True, slots=True)
class Case:
    """One series with its annotations (one list of change points per annotator)."""

    kind: str
    values: FloatArray
    annotations: list[list[int]]
    real: bool


def real_cases() -> list[Case]:
    """The held-out annotated real series (TCPD subset, ``data/tcpd.json``)."""
    text = (files("critchem.evaluation") / "data" / "tcpd.json").read_text(encoding="utf-8")
    out = []
    for name, s in json.loads(text)["series"].items():
        x = np.array([np.nan if v is None else float(v) for v in s["values"]])
        out.append(Case(name, x, [list(a) for a in s["annotations"].values()], True))
    return out


def _shifts(n: int, k: int, rng: np.random.Generator) -> list[int]:
    gap = n // (k + 1)
    return [gap * (i + 1) + int(rng.integers(-gap // 4, gap // 4 + 1)) for i in range(k)]


def _ar(rng: np.random.Generator, n: int, rho: float) -> FloatArray:
    x = np.zeros(n)
    for t in range(1, n):
        x[t] = rho * x[t - 1] + rng.normal()
    return x


def synthetic_cases(seed: int) -> list[Case]:
    """Seeded series shaped like real ones, with their true change points (one annotator)."""
    rng = np.random.default_rng(seed)
    out: list[tuple[str, FloatArray, list[int]]] = []
    n = 200
    (b,) = _shifts(n, 1, rng)
    walk = np.cumsum(rng.normal(0, 0.3, n)) + rng.normal(0, 1, n)
    walk[b:] += 4.0
    out.append(("random walk + shift", walk, [b]))
    n = 144
    (b,) = _shifts(n, 1, rng)
    season = 100 * seasonal_wave(n, amplitude=0.2) * rng.lognormal(0, 0.05, n)
    season[b:] *= 1.3
    out.append(("seasonal monthly", season, [b]))
    n = 500
    bs = _shifts(n, 2, rng)
    ar = _ar(rng, n, 0.5)
    ar[bs[0] :] += 3.0
    ar[bs[1] :] -= 2.5
    out.append(("AR(1) sensor + outliers", with_outliers(ar, seed=seed, rate=0.01, size=8), bs))
    line = piecewise_linear(150, n_breaks=1, seed=seed, noise=1.0, slope=0.3)
    out.append(("trend, slope change", line.values, line.breaks))
    short = rng.normal(0, 1, 24)
    short[12:] += 4.0
    out.append(("short (24)", short, [12]))
    n = 4000
    bs = _shifts(n, 5, rng)
    long = rng.standard_t(3, n)
    for b in bs:
        long[b:] += rng.choice([-1, 1]) * 2.5
    out.append(("long (4000), t(3) noise", long, bs))
    out.append(("no change (AR(1), 300)", _ar(rng, 300, 0.7), []))
    n = 60
    growth = np.exp(np.cumsum(rng.normal(0.04, 0.03, n)))
    out.append(("annual growth, no change (60)", growth, []))
    out.append(("random walk, no change (100)", np.cumsum(rng.normal(0, 1, 100)), []))
    return [Case(kind, x, [truth], False) for kind, x, truth in out]


def sigma(x: FloatArray) -> float:
    """``1.4826·MAD(Δx)/√2`` of the observed values, 1 when zero.

    >>> round(sigma(np.array([0.0, 1.0, 3.0, 6.0, 10.0])), 3), sigma(np.zeros(4))
    (1.048, 1.0)
    """
    d = np.diff(x[np.isfinite(x)])
    return float(1.4826 * np.median(np.abs(d - np.median(d))) / math.sqrt(2)) or 1.0


def _observed(run: Callable[[FloatArray, float], list[int]], factor: float) -> Method:
    """Run a ruptures search on the observed values; map its breaks back to positions."""

    def method(x: FloatArray) -> list[int]:
        seen = np.flatnonzero(np.isfinite(x))
        y = x[seen]
        if len(y) < 4:
            return []
        pen = factor * sigma(y) ** 2 * math.log(len(y))
        return [int(seen[b]) for b in run(y, pen) if b < len(y)]

    return method


def _binseg(y: FloatArray, pen: float) -> list[int]:
    import ruptures as rpt

    return [int(b) for b in rpt.Binseg(model="l2", min_size=2, jump=1).fit(y).predict(pen=pen)]


def _kernel(y: FloatArray, pen: float) -> list[int]:
    import ruptures as rpt

    algo = rpt.KernelCPD(kernel="linear", min_size=2, jump=1).fit(y.reshape(-1, 1))
    return [int(b) for b in algo.predict(pen=pen)]


Method = Callable[[FloatArray], list[int]]
BASELINES: dict[str, Method] = {
    "zero (no change)": lambda x: [],
    "ruptures Binseg + BIC": _observed(_binseg, 2.0),
    "ruptures Binseg + MBIC": _observed(_binseg, 3.0),
    "ruptures KernelCPD + BIC": _observed(_kernel, 2.0),
    "ruptures KernelCPD + MBIC": _observed(_kernel, 3.0),
}
"""The baselines, by name (ruptures is imported only when one runs)."""


def scores(method: Method, cases: Sequence[Case]) -> list[tuple[str, float, float]]:
    """Per case: kind, F1 (margin 5) and covering of ``method``'s change points."""
    out = []
    for case in cases:
        found = method(case.values)
        out.append(
            (
                case.kind,
                f_measure(case.annotations, found, margin=MARGIN),
                covering(case.annotations, found, n_obs=len(case.values)),
            )
        )
    return out


def mean_scores(rows: Sequence[tuple[str, float, float]]) -> tuple[float, float]:
    """Mean F1 and mean covering over ``rows``, each kind weighted equally."""
    kinds: dict[str, list[tuple[float, float]]] = {}
    for kind, f1, cover in rows:
        kinds.setdefault(kind, []).append((f1, cover))
    f = [float(np.mean([a for a, _ in v])) for v in kinds.values()]
    c = [float(np.mean([b for _, b in v])) for v in kinds.values()]
    return float(np.mean(f)), float(np.mean(c))


def tune(
    penalties: Sequence[float], fractions: Sequence[float], seeds: Sequence[int] = TUNING_SEEDS
) -> list[tuple[float, float, float, float]]:
    """Mean F1 and covering of ``detect_breaks`` on the tuning series for each setting.

    Rows ``(penalty_factor, min_fraction, F1, covering)``, best (mean of both) first.
    Refuses held-out seeds.
    """
    if set(seeds) & set(HELD_OUT_SEEDS):
        raise ValueError("tune on tuning seeds only; held-out seeds are for reporting")
    cases = [c for s in seeds for c in synthetic_cases(s)]
    rows = []
    for p in penalties:
        for m in fractions:

            def run(x: FloatArray, p: float = p, m: float = m) -> list[int]:
                return detect_breaks(x, penalty_factor=p, min_fraction=m)

            f1, cover = mean_scores(scores(run, cases))
            rows.append((p, m, f1, cover))
    return sorted(rows, key=lambda r: -(r[2] + r[3]))
