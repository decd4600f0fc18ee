"""STL for many series of one length at once: the loess smoothers as matrix products.

STL (Cleveland, Cleveland, McRae & Terpenning 1990, *J. Official Statistics* 6(1), 3-73) as
``statsmodels.tsa.seasonal.STL`` computes it (its port of the authors' Fortran), for jumps of
1. Every loess fit of STL is, at output ``i``, a weighted sum of its inputs: with the tricube
weights ``K_ij = (1 - (|x_j - x_i|/h_i)³)³`` of the window of ``i`` and the robustness
weights ``ρ_j``, the local mean is ``T0/S0`` and the local line
``T0/S0 + (b/c)·(T1/S0 - a·T0/S0)``, where ``S0 = Σ K ρ``, ``S1 = Σ K ρ d``, ``S2 = Σ K ρ d²``,
``T0 = Σ K ρ y``, ``T1 = Σ K ρ d y``, ``d_j = x_j - x_i``, ``a = S1/S0``, ``b = -a`` and
``c = S2/S0 - a²`` (the line is used when ``√c > 0.001·(n - 1)``). So for all series at once
the sums are products of the ``k × n`` matrices ``ρ`` and ``ρ·y`` with fixed kernel
matrices, built once per length; the low-pass filter (moving averages 12, 12, 3 and a
loess) is one fixed matrix.

The answers agree with ``statsmodels`` to rounding (sums in another order): the tests
compare the remainders on a few hundred series (``|Δ| < 1e-9``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Smoother:
    """Kernel matrices of one loess smoother: ``K``, ``K·d``, ``K·d²`` (outputs × inputs).

    ``fallback[i]`` is the input whose value output ``i`` takes when its weights sum to 0
    (``-1``: none); ``rng = n - 1`` and ``linear`` (degree 1 with ``h > 0``) per output.
    """

    k0: FloatArray
    k1: FloatArray
    k2: FloatArray
    linear: npt.NDArray[np.bool_]
    rng: FloatArray


def _tricube_row(n: int, length: int, xs: int, nleft: int, nright: int) -> tuple[FloatArray, float]:
    """The tricube weights of ``_est`` over inputs ``1..n`` (0 outside ``nleft..nright``)."""
    h = float(max(xs - nleft, nright - xs))
    if length > n:
        h += (length - n) // 2
    row = np.zeros(n)
    j = np.arange(nleft - 1, nright)
    r = np.abs(j + 1.0 - xs)
    w = np.where(r <= 0.001 * h, 1.0, (1.0 - (r / h) ** 3) ** 3) if h > 0 else np.ones(len(j))
    row[j] = np.where(r <= 0.999 * h, w, 0.0)
    return row, h


def _windows(n: int, length: int) -> list[tuple[int, int, int]]:
    """``(xs, nleft, nright)`` of each output of ``_ess`` with a jump of 1."""
    if length >= n:
        return [(i + 1, 1, n) for i in range(n)]
    out = []
    nsh, nleft, nright = (length + 2) // 2, 1, length
    for i in range(n):
        if i + 1 > nsh and nright != n:
            nleft, nright = nleft + 1, nright + 1
        out.append((i + 1, nleft, nright))
    return out


def _smoother(n: int, length: int, degree: int, points: list[tuple[int, int, int]]) -> Smoother:
    rows, hs = zip(*(_tricube_row(n, length, xs, lo, hi) for xs, lo, hi in points), strict=True)
    k0 = np.vstack(rows)
    d = (
        np.arange(1, n + 1)[None, :]
        - np.array([xs for xs, _, _ in points], dtype=np.float64)[:, None]
    )
    linear = (np.array(hs) > 0) & (degree > 0)
    return Smoother(k0, k0 * d, k0 * d * d, linear, np.full(len(points), n - 1.0))


@lru_cache(maxsize=16)
def loess_smoother(n: int, length: int, degree: int) -> Smoother:
    """The smoother of ``_ess`` on ``n`` equally spaced values, window ``length``."""
    return _smoother(n, length, degree, _windows(n, length))


Sums = tuple[FloatArray, FloatArray, FloatArray]


def _weight_sums(s: Smoother, rw: FloatArray | None, rows: int) -> Sums:
    """``S0, S1, S2`` of every output for robustness weights ``rw`` (``None``: all 1)."""
    if rw is None:
        return tuple(  # type: ignore[return-value]
            np.broadcast_to(m.sum(axis=1), (rows, m.shape[0])) for m in (s.k0, s.k1, s.k2)
        )
    if not s.linear.any():
        s0 = rw @ s.k0.T
        return s0, s0, s0
    return rw @ s.k0.T, rw @ s.k1.T, rw @ s.k2.T


def _apply(s: Smoother, y: FloatArray, rw: FloatArray | None, sums: Sums) -> FloatArray:
    """Loess fits of each row of ``y`` with weights ``rw`` and their sums (NaN: no weight)."""
    wy = y if rw is None else rw * y
    s0, s1, s2 = sums
    t0 = wy @ s.k0.T
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = np.where(s0 > 0, t0 / s0, np.nan)
        if s.linear.any():
            t1 = wy @ s.k1.T
            a = s1 / s0
            c = s2 / s0 - a * a
            use = s.linear & (np.sqrt(np.maximum(c, 0.0)) > 0.001 * s.rng)
            line = fit + (-a / c) * (t1 / s0 - a * fit)
            fit = np.where(use, line, fit)
    return np.asarray(fit, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Plan:
    cycle: Smoother
    """Cycle-subseries smoother: ``n`` inputs to ``n + 2·period`` outputs."""
    cycle_source: npt.NDArray[np.int64]
    """Per cycle output: its input (inner outputs), or ``-1 - neighbour output`` (the ends)."""
    season: FloatArray
    """``n × (n + 2·period)``: the season from the cycle-subseries (minus the low-pass)."""
    trend: Smoother


def _moving_average(n: int, length: int) -> FloatArray:
    out = np.zeros((n - length + 1, n))
    for i in range(n - length + 1):
        out[i, i : i + length] = 1.0 / length
    return out


@lru_cache(maxsize=8)
def _plan(
    n: int, period: int, seasonal: int, trend: int, low_pass: int, degrees: tuple[int, int, int]
) -> _Plan:
    seasonal_deg, trend_deg, low_pass_deg = degrees
    width = n + 2 * period
    k0 = np.zeros((width, n))
    k1, k2 = np.zeros((width, n)), np.zeros((width, n))
    linear, rng = np.zeros(width, dtype=bool), np.zeros(width)
    source = np.zeros(width, dtype=np.int64)
    for j in range(period):
        k = (n - (j + 1)) // period + 1
        inputs = np.arange(k) * period + j
        points = [*_windows(k, seasonal)]
        points = [(0, 1, min(seasonal, k)), *points, (k + 1, max(1, k - seasonal + 1), k)]
        sm = _smoother(k, seasonal, seasonal_deg, points)
        outputs = np.arange(k + 2) * period + j
        for block, part in ((k0, sm.k0), (k1, sm.k1), (k2, sm.k2)):
            block[np.ix_(outputs, inputs)] = part
        linear[outputs], rng[outputs] = sm.linear, sm.rng
        source[outputs[1:-1]] = inputs
        source[outputs[0]] = -1 - outputs[1]
        source[outputs[-1]] = -1 - outputs[-2]
    lp = loess_smoother(n, low_pass, low_pass_deg)
    lp_fit = lp.k0.copy()
    if lp.linear.any():
        s0, s1, s2 = lp.k0.sum(axis=1), lp.k1.sum(axis=1), lp.k2.sum(axis=1)
        a = s1 / s0
        c = s2 / s0 - a * a
        use = lp.linear & (np.sqrt(c) > 0.001 * lp.rng)
        b = np.where(use, -a / c, 0.0)
        lp_fit = (lp.k0 + b[:, None] * (lp.k1 - a[:, None] * lp.k0)) / s0[:, None]
    else:
        lp_fit = lp.k0 / lp.k0.sum(axis=1)[:, None]
    averages = (
        _moving_average(n + 2, 3)
        @ _moving_average(n + period + 1, period)
        @ _moving_average(width, period)
    )
    select = np.zeros((n, width))
    select[np.arange(n), np.arange(n) + period] = 1.0
    season = select - lp_fit @ averages
    return _Plan(
        Smoother(k0, k1, k2, linear, rng),
        source,
        season,
        loess_smoother(n, trend, trend_deg),
    )


def _cycle_subseries(plan: _Plan, y: FloatArray, rw: FloatArray | None, sums: Sums) -> FloatArray:
    fit = _apply(plan.cycle, y, rw, sums)
    empty = np.isnan(fit)
    if empty.any():
        src = plan.cycle_source
        rows, cols = np.nonzero(empty & (src >= 0))
        fit[rows, cols] = y[rows, src[cols]]
        rows, cols = np.nonzero(empty & (src < 0))
        fit[rows, cols] = fit[rows, -1 - src[cols]]
    return fit


def _robustness(y: FloatArray, fit: FloatArray) -> FloatArray:
    """Bisquare weights of ``|y - fit|`` over 6 times its median (``_rwts``)."""
    r = np.abs(y - fit)
    n = y.shape[1]
    mid = [n // 2, n - n // 2 - 1]
    part = np.partition(r, mid, axis=1)
    cmad = 3.0 * (part[:, mid[0]] + part[:, mid[1]])
    safe = np.where(cmad == 0, 1.0, cmad)[:, None]
    rw = np.where(
        r <= 0.001 * safe, 1.0, np.where(r <= 0.999 * safe, (1.0 - (r / safe) ** 2) ** 2, 0.0)
    )
    return np.asarray(np.where((cmad == 0)[:, None], 1.0, rw), dtype=np.float64)


def stl_remainders(
    y: FloatArray,
    *,
    period: int,
    seasonal: int,
    trend: int,
    low_pass: int | None = None,
    seasonal_deg: int = 1,
    trend_deg: int = 1,
    low_pass_deg: int = 1,
    robust: bool = False,
) -> FloatArray:
    """The STL remainders ``y - season - trend`` of each row of ``y`` (``k × n``, no NaN).

    Parameters as ``statsmodels.tsa.seasonal.STL`` (jumps of 1; ``low_pass`` defaults to the
    odd number above ``period``); 2 inner and 15 robust outer iterations when ``robust``,
    else 5 and 0, as ``STL.fit`` does.

    >>> t = np.arange(48.0)
    >>> y = np.vstack([np.sin(2 * np.pi * t / 12) + 0.01 * t, np.cos(2 * np.pi * t / 12)])
    >>> bool(np.abs(stl_remainders(y, period=12, seasonal=7, trend=23)).max() < 0.1)
    True
    """
    y = np.ascontiguousarray(y, dtype=np.float64)
    n = y.shape[1]
    if low_pass is None:
        low_pass = period + 1 + period % 2
    plan = _plan(n, period, seasonal, trend, low_pass, (seasonal_deg, trend_deg, low_pass_deg))
    inner, outer = (2, 15) if robust else (5, 0)
    trend_fit = np.zeros_like(y)
    season = np.zeros_like(y)
    rw: FloatArray | None = None
    rows = len(y)
    for step in range(outer + 1):
        cycle_sums = _weight_sums(plan.cycle, rw, rows)
        trend_sums = _weight_sums(plan.trend, rw, rows)
        for _ in range(inner):
            cycle = _cycle_subseries(plan, y - trend_fit, rw, cycle_sums)
            season = cycle @ plan.season.T
            detrended = y - season
            trend_fit = _apply(plan.trend, detrended, rw, trend_sums)
            trend_fit = np.where(np.isnan(trend_fit), detrended, trend_fit)
        if step < outer:
            rw = _robustness(y, trend_fit + season)
    return np.asarray(y - season - trend_fit, dtype=np.float64)
