"""Exact PELT on a precomputed cost matrix, for one series or for many at once.

PELT (Killick, Fearnhead & Eckley 2012, *JASA* 107(500), 1590-1598) minimises
``F(t) = min_s F(s) + C(z[s:t]) + β`` with ``F(0) = -β`` and prunes a candidate start ``s``
at ``t`` when ``F(s) + C(z[s:t]) > F(t)``. The cost is the L2 cost of a mean (or a
least-squares line) in a segment, from cumulative sums:
``C(s, t) = Σz² - (Σz)²/m`` (``m = t - s``), less ``S_tz²/S_tt`` for a line, with
``S_tt = Σt² - (Σt)²/m`` and ``S_tz = Σtz - ΣtΣz/m``.

The costs of all segments ``(s, t)`` are computed at once (:func:`segment_costs`), so that
the recursion only adds, compares and prunes; :func:`pelt_rows` runs it for one series in
plain Python, :func:`pelt_many` for many series of one length in NumPy (one step over
``t`` for all series). Both give the same breaks as the loop of
``critchem.surveillance.breaks_api`` before version 2 (same floating-point operations in the
same order, ties to the earliest start); the tests compare them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def segment_costs(z: FloatArray, *, linear: bool = False) -> FloatArray:
    """``C[t, s]``: the L2 cost of ``z[s:t]`` (mean or line), ``inf`` unless ``s < t``.

    >>> c = segment_costs(np.array([0.0, 2.0, 4.0]))
    >>> float(c[2, 0]), float(c[3, 0]), bool(np.isinf(c[0, 2]))
    (2.0, 8.0, True)
    >>> float(segment_costs(np.array([0.0, 2.0, 4.0]), linear=True)[3, 0])
    0.0
    """
    z = np.asarray(z, dtype=np.float64)
    n = z.shape[-1]
    ends = np.arange(n + 1)
    length = (ends[:, None] - ends[None, :]).astype(np.float64)
    sums = _cumsums(z, linear=linear)
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = _cost_formula([c[:, None] - c[None, :] for c in sums], length, linear=linear)
    cost[length <= 0] = np.inf
    return cost


def _cumsums(z: FloatArray, *, linear: bool) -> list[FloatArray]:
    """Cumulative sums (a leading 0) of ``z, z²`` and, for lines, ``t, t², t·z``."""
    t_axis = np.arange(z.shape[-1], dtype=np.float64)
    parts = [z, z * z]
    if linear:
        shape = z.shape
        parts += [np.broadcast_to(t_axis, shape), np.broadcast_to(t_axis * t_axis, shape)]
        parts.append(t_axis * z)
    zero = np.zeros((*z.shape[:-1], 1))
    return [np.concatenate((zero, np.cumsum(v, axis=-1)), axis=-1) for v in parts]


def _cost_formula(d: list[FloatArray], length: FloatArray, *, linear: bool) -> FloatArray:
    """The L2 cost from the segment sums ``d = [Σz, Σz², Σt, Σt², Σtz]`` and lengths."""
    sz, szz = d[0], d[1]
    rss = szz - sz * sz / length
    if linear:
        st, stt, stz = d[2], d[3], d[4]
        sxx = stt - st * st / length
        sxy = stz - st * sz / length
        rss = rss - np.where(sxx > 0, sxy * sxy / sxx, 0.0)
    return np.asarray(np.maximum(rss, 0.0), dtype=np.float64)


def stacked_costs(
    z: FloatArray, *, linear: bool = False, out: FloatArray | None = None
) -> FloatArray:
    """``C[t, i, s]``: :func:`segment_costs` of each row ``i`` of ``z`` (``k × n``).

    Built one end ``t`` at a time, each ``C[t]`` a contiguous ``k × (n + 1)`` block, as
    :func:`pelt_many` reads it. Only ``C[t, :, :t]`` is written (the rest is never read);
    ``out``, when given, is a buffer of at least ``(n + 1) × k × (n + 1)`` values to reuse.

    >>> c = stacked_costs(np.array([[0.0, 2.0, 4.0], [1.0, 1.0, 1.0]]))
    >>> c.shape, float(c[3, 0, 0]), float(c[3, 1, 0])
    ((4, 2, 4), 8.0, 0.0)
    """
    k, n = z.shape
    sums = _cumsums(np.asarray(z, dtype=np.float64), linear=linear)
    size = (n + 1) * k * (n + 1)
    buffer = np.empty(size) if out is None or out.size < size else out.ravel()[:size]
    cost = buffer.reshape(n + 1, k, n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        for t in range(1, n + 1):
            length = (t - np.arange(t)).astype(np.float64)
            cost[t, :, :t] = _cost_formula(
                [c[:, t : t + 1] - c[:, :t] for c in sums], length, linear=linear
            )
    return cost


def candidate_costs(
    sums: list[FloatArray], starts: npt.NDArray[np.int64], t: int, *, linear: bool
) -> FloatArray:
    """The costs of ``z[s:t]`` for the ``starts`` ``s``, from :func:`cumulative_sums`.

    >>> z = np.array([0.0, 2.0, 4.0])
    >>> candidate_costs(cumulative_sums(z, linear=False), np.array([0, 1]), 3, linear=False)
    array([8., 2.])
    """
    length = (t - starts).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _cost_formula([c[t] - c[starts] for c in sums], length, linear=linear)


def cumulative_sums(z: FloatArray, *, linear: bool) -> list[FloatArray]:
    """Cumulative sums (a leading 0) of ``z, z²`` and, for lines, ``t, t², t·z``."""
    return _cumsums(np.asarray(z, dtype=np.float64), linear=linear)


def pelt_pruned(z: FloatArray, *, penalty: float, min_size: int, linear: bool = False) -> list[int]:
    """PELT computing the costs of the surviving candidates only: memory ``O(n)``, for long series.

    The same recursion, pruning and ties as :func:`pelt_rows` (which needs the ``(n+1)²``
    cost matrix).

    >>> pelt_pruned(np.array([0.0] * 10 + [5.0] * 10), penalty=5.0, min_size=2)
    [10]
    """
    n = len(z)
    sums = cumulative_sums(z, linear=linear)
    best = np.full(n + 1, np.inf)
    best[0] = -penalty
    last = np.zeros(n + 1, dtype=np.int64)
    candidates = np.array([0], dtype=np.int64)
    for t in range(min_size, n + 1):
        admissible = candidates[t - candidates >= min_size]
        if len(admissible) == 0:
            continue
        cost = candidate_costs(sums, admissible, t, linear=linear)
        total = best[admissible] + cost + penalty
        k = int(np.argmin(total))
        best[t], last[t] = total[k], admissible[k]
        keep = best[admissible] + cost <= best[t]
        pending = candidates[t - candidates < min_size]
        candidates = np.concatenate((admissible[keep], pending, [t]))
    return _backtrack(last, n)


def _backtrack(last: list[int] | npt.NDArray[np.int64], n: int) -> list[int]:
    cuts: list[int] = []
    t = n
    while t > 0:
        t = int(last[t])
        if t > 0:
            cuts.append(t)
    return sorted(cuts)


def pelt_rows(cost: FloatArray, *, penalty: float, min_size: int) -> list[int]:
    """PELT for one series on its cost matrix (:func:`segment_costs`); the new segments' starts.

    >>> z = np.array([0.0] * 10 + [5.0] * 10)
    >>> pelt_rows(segment_costs(z), penalty=5.0, min_size=2)
    [10]
    """
    n = cost.shape[-1] - 1
    best = np.full(n + 1, np.inf)
    best[0] = -penalty
    last = np.zeros(n + 1, dtype=np.int64)
    alive = np.zeros(n + 1, dtype=bool)
    alive[0] = True
    for t in range(min_size, n + 1):
        top = t - min_size + 1
        admissible = alive[:top]
        value = best[:top] + cost[t, :top]
        total = np.where(admissible, value + penalty, np.inf)
        start = int(np.argmin(total))
        chosen = total[start]
        if chosen == np.inf:
            continue
        best[t], last[t] = chosen, start
        admissible &= value <= chosen
        alive[t] = True
    return _backtrack(last, n)


def pelt_many(costs: FloatArray, penalties: FloatArray, *, min_size: int) -> list[list[int]]:
    """PELT for ``k`` series of one length at once: ``costs`` ``(n+1, k, n+1)``, ``penalties`` ``(k,)``.

    The candidates of each series are a boolean mask; each step over ``t`` scores, chooses
    and prunes for all series in a few array operations. Same result as :func:`pelt_rows`
    on each series.

    >>> z = np.array([[0.0] * 10 + [5.0] * 10, [0.0] * 20])
    >>> pelt_many(stacked_costs(z), np.array([5.0, 5.0]), min_size=2)
    [[10], []]
    """
    k, n = costs.shape[1], costs.shape[-1] - 1
    pen = np.asarray(penalties, dtype=np.float64)[:, None]
    best = np.full((k, n + 1), np.inf)
    best[:, 0] = -pen[:, 0]
    last = np.zeros((k, n + 1), dtype=np.int64)
    alive = np.zeros((k, n + 1), dtype=bool)
    alive[:, 0] = True
    rows = np.arange(k)
    for t in range(min_size, n + 1):
        top = t - min_size + 1
        admissible = alive[:, :top]
        has: npt.NDArray[np.bool_] = np.asarray(admissible.any(axis=1))
        if not has.any():
            continue
        value = best[:, :top] + costs[t, :, :top]
        total = np.where(admissible, value + pen, np.inf)
        start: npt.NDArray[np.int64] = np.argmin(total, axis=1)
        chosen: FloatArray = total[rows, start]
        best[has, t] = chosen[has]
        last[has, t] = start[has]
        alive[:, :top] &= (value <= chosen[:, None]) | ~has[:, None]
        alive[has, t] = True
    return [_backtrack(last[i], n) for i in range(k)]
