"""``detect_breaks``: where a new regime begins in a 1-D series, with fixed defaults.

The method, chosen to behave on real series of many kinds (economic, sensor, population),
of lengths 15 to a few thousand, with outliers, gaps and autocorrelation:

1. **Gaps.** NaN are skipped: the observed values are segmented and each break is reported at
   the index of the first observed value of its new regime (interpolating would invent a
   ramp inside a gap that straddles a break); fewer than ``MIN_LENGTH`` observed values give
   no break.
2. **Scale.** The series is centred on its median and divided by a robust noise scale, the
   MAD of first differences ``σ = 1.4826·MAD(Δx)/√2`` (unaffected by level shifts), falling
   back to the MAD and then the standard deviation of the levels; a constant series gives no
   break. This makes the result invariant to ``a·x + b`` for ``a > 0``. Values are rounded to
   1e-6 after scaling so that floating rounding cannot break a tie differently.
3. **Outliers.** Each value's deviation from a running median of width 5 is winsorised at
   ±3σ (a Huber-type cleaning), so that isolated spikes cannot open segments.
4. **Segmentation.** PELT (Killick, Fearnhead & Eckley 2012) minimises
   ``Σ_segments Σ (z - mean)² + β·(number of breaks)`` exactly, with minimum segment length
   ``max(3, ⌊0.01·n⌋)`` and penalty ``β = 10·log n``, far stricter than the BIC (``2·log n``
   for a mean and a location) and the modified BIC of Zhang & Siegmund 2007 (about
   ``3·log n``): with ``3·log n`` real series were cut into many short segments (covering
   below the no-change prediction). The factor and the share were chosen by a grid (factors
   3, 4, 6, 8, 10, 14, 20, 30; shares 0.01, 0.05, 0.1 for the first three) on synthetic
   tuning series only (:func:`critchem.evaluation.changepoints.tune`, seeds 0-9), under one
   constraint: the Nile's change of 1899 must still be found. 10 has the best mean F1 and
   covering under it (0.865 and 0.847, against 0.767 and 0.772 with 3·log n); 14 scored
   higher (0.880, 0.856) but finds no change in the Nile. The other annotated real series are
   held out for reporting (``bench/RESULTS.md``, ``bench_breaks``).
5. **Dependence.** Real series are autocorrelated, which makes any i.i.d. penalty too weak
   (and the difference-based scale too small). From the residuals of a fit, their robust
   scale ``σ_r`` and lag-1 autocorrelation ``ρ`` (clipped to 0..0.9) give the AR(1) long-run
   variance ``σ_r²·(1 + ρ)/(1 - ρ)``, which multiplies the penalty (never below 1); PELT runs
   again, up to three rounds or until the breaks no longer change (in the spirit of Lavielle
   & Moulines 2000, *J. Time Series Anal.* 21(1)).

6. **Trends.** A trending series would become a staircase of mean shifts. So the series is
   also segmented into (discontinuous) lines, by the same PELT with the least-squares line
   cost, segments of at least 5 and a penalty 1.5 times larger (a line has two parameters);
   the lines replace the mean shifts when that model has the lower BIC,
   ``n·log(RSS/n) + k·log n`` with ``k`` the parameters of the segments plus one location per
   break. Seasonality is not modelled. The method is deterministic; time ``O(n)`` to
``O(n²)`` with numpy (a few ms at n = 1,000).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt

from critchem.surveillance.pelt import (
    candidate_costs,
    cumulative_sums,
    pelt_pruned,
    pelt_rows,
    segment_costs,
)

FloatArray = npt.NDArray[np.float64]

MIN_LENGTH = 8
"""Shorter series (observed values) give no break."""
PENALTY_FACTOR = 10.0
"""``β = PENALTY_FACTOR · log n`` per break before the dependence correction (see step 4)."""
CLIP = 3.0
"""Deviations from the running median are winsorised at this many noise scales."""
MAX_RHO = 0.9
ITERATIONS = 3
"""Rounds of re-estimating the noise (scale and autocorrelation) from the segmentation."""
MIN_LINEAR = 5
"""Minimum length of a segment of the piecewise-linear model."""
MIN_FRACTION = 0.01
"""Minimum segment length as a share of the observed values (at least 3)."""


def _mad(x: FloatArray) -> float:
    return float(1.4826 * np.median(np.abs(x - np.median(x))))


def robust_scale(x: FloatArray) -> float:
    """Noise scale ``1.4826·MAD(Δx)/√2``, then MAD of levels, then std; 0 when constant.

    >>> robust_scale(np.array([0.0, 1.0, 0.0, 1.0, 0.0])) > 0, robust_scale(np.ones(5))
    (True, 0.0)
    """
    for scale in (_mad(np.diff(x)) / math.sqrt(2), _mad(x), float(np.std(x))):
        if scale > 1e-12 * max(1.0, float(np.max(np.abs(x)))):
            return scale
    return 0.0


def _running_median(z: FloatArray, width: int = 5) -> FloatArray:
    half = width // 2
    padded = np.pad(z, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    return np.median(windows, axis=1)


def pelt(z: FloatArray, *, penalty: float, min_size: int, linear: bool = False) -> list[int]:
    """Exact PELT for the L2 cost of mean (or line) shifts; the starts of the new segments.

    See :mod:`critchem.surveillance.pelt` (costs of all segments at once, then the recursion).

    >>> pelt(np.array([0.0] * 10 + [5.0] * 10), penalty=5.0, min_size=2)
    [10]
    >>> pelt(np.r_[np.arange(10.0), 9 - np.arange(10.0)], penalty=5.0, min_size=3, linear=True)
    [10]
    """
    return pelt_rows(segment_costs(z, linear=linear), penalty=penalty, min_size=min_size)


def noise_factor(z: FloatArray, cuts: list[int], *, linear: bool = False) -> float:
    """Long-run variance of the residuals of a segmentation, in units of ``z`` (at least 1).

    ``σ_r²·(1 + ρ)/(1 - ρ)`` with ``σ_r`` the robust scale of the residuals from the segment
    medians and ``ρ`` their lag-1 autocorrelation (clipped to 0..0.9), the AR(1) long-run
    variance.
    """
    bounds = [0, *cuts, len(z)]
    parts = []
    for a, b in itertools.pairwise(bounds):
        seg = z[a:b]
        if linear and len(seg) > 2:
            t = np.arange(len(seg), dtype=np.float64)
            seg = seg - np.polyval(np.polyfit(t, seg, 1), t)
        parts.append(seg - np.median(seg))
    resid = np.concatenate(parts)
    sigma = _mad(resid)
    denom = float(np.dot(resid, resid))
    rho = float(np.dot(resid[:-1], resid[1:])) / denom if denom > 0 else 0.0
    rho = min(max(rho, 0.0), MAX_RHO)
    return max(1.0, sigma * sigma * (1 + rho) / (1 - rho))


def base_penalty(n: int, *, linear: bool, penalty_factor: float = PENALTY_FACTOR) -> float:
    """``β = penalty_factor·log n``, 1.5 times that for lines (step 4 of the module docstring).

    >>> round(base_penalty(120, linear=False), 3), round(base_penalty(120, linear=True), 3)
    (47.875, 71.812)
    """
    return penalty_factor * math.log(n) * (1.5 if linear else 1.0)


DENSE_LIMIT = 512
"""Series up to this length are segmented on their full cost matrix; longer ones by the
pruned recursion on the surviving candidates (the matrix would take ``8·n²`` bytes)."""


def _segment(
    z: FloatArray, min_size: int, *, linear: bool = False, penalty_factor: float = PENALTY_FACTOR
) -> tuple[list[int], Callable[[int, int], float]]:
    """PELT with the dependence-corrected penalty (steps 4 and 5); the breaks and the costs."""
    if len(z) <= DENSE_LIMIT:
        cost = segment_costs(z, linear=linear)

        def run(pen: float) -> list[int]:
            return pelt_rows(cost, penalty=pen, min_size=min_size)

        def lookup(a: int, b: int) -> float:
            return float(cost[b, a])

    else:
        sums = cumulative_sums(z, linear=linear)

        def run(pen: float) -> list[int]:
            return pelt_pruned(z, penalty=pen, min_size=min_size, linear=linear)

        def lookup(a: int, b: int) -> float:
            return float(candidate_costs(sums, np.array([a]), b, linear=linear)[0])

    penalty = base_penalty(len(z), linear=linear, penalty_factor=penalty_factor)
    cuts = run(penalty)
    for _ in range(ITERATIONS):
        factor = noise_factor(z, cuts, linear=linear)
        again = run(penalty * factor)
        if again == cuts:
            break
        cuts = again
    return cuts, lookup


def _bic(cost: Callable[[int, int], float], n: int, cuts: list[int], *, linear: bool) -> float:
    bounds = [0, *cuts, n]
    rss = sum(cost(a, b) for a, b in itertools.pairwise(bounds))
    per_segment = 2 if linear else 1
    params = per_segment * (len(cuts) + 1) + len(cuts)
    return n * math.log(max(rss, 1e-12) / n) + params * math.log(n)


def segmentation_bic(cost: FloatArray, cuts: list[int], *, linear: bool) -> float:
    """``n·log(RSS/n) + k·log n``; ``k`` = parameters per segment + a location per break.

    ``cost`` is the matrix of :func:`~critchem.surveillance.pelt.segment_costs`.

    >>> z = np.r_[np.zeros(10), np.ones(10)]
    >>> round(segmentation_bic(segment_costs(z + 0.1 * np.sin(np.arange(20))), [10], linear=False), 2)
    -99.69
    """
    n = int(cost.shape[-1]) - 1
    return _bic(lambda a, b: float(cost[b, a]), n, cuts, linear=linear)


def prepare(values: Sequence[float] | FloatArray) -> FloatArray | None:
    """The observed values, cleaned and scaled as PELT sees them; ``None`` if too short/constant.

    >>> prepare([1.0, 2.0]) is None, prepare([3.0] * 20) is None
    (True, True)
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    x = x[np.isfinite(x)]
    if len(x) < MIN_LENGTH:
        return None
    scale = robust_scale(x)
    if scale == 0.0:
        return None
    z = (x - np.median(x)) / scale
    smooth = _running_median(z)
    z = smooth + np.clip(z - smooth, -CLIP, CLIP)
    return np.round(z, 6)


def detect_breaks(
    values: Sequence[float] | FloatArray,
    *,
    dates: Sequence[date] | None = None,
    penalty_factor: float = PENALTY_FACTOR,
    min_fraction: float = MIN_FRACTION,
) -> list[int]:
    """The 0-based indices at which a new regime begins in ``values`` (see module docstring).

    ``dates``, when given, must be as long as ``values``; they are only checked (the method
    works on positions).

    >>> detect_breaks([0.0, 0.1, -0.1, 0.05] * 5 + [5.0, 5.1, 4.9, 5.05] * 5)
    [20]
    >>> detect_breaks([1.0, 2.0, 3.0]), detect_breaks([2.0] * 50)
    ([], [])
    """
    if dates is not None and len(dates) != len(values):
        raise ValueError(f"{len(dates)} dates for {len(values)} values; give one per value")
    z = prepare(values)
    if z is None:
        return []
    n = len(z)
    min_size = max(3, int(n * min_fraction))
    cuts, cost = _segment(z, min_size, penalty_factor=penalty_factor)
    if n >= 2 * MIN_LINEAR:
        lines, line_cost = _segment(
            z, max(min_size, MIN_LINEAR), linear=True, penalty_factor=penalty_factor
        )
        if _bic(line_cost, n, lines, linear=True) < _bic(cost, n, cuts, linear=False):
            cuts = lines
    observed = np.flatnonzero(np.isfinite(np.asarray(values, dtype=np.float64).ravel()))
    return [int(observed[c]) for c in cuts]
