"""``detect_breaks_many``: :func:`~critchem.surveillance.detect_breaks` on many series at once.

The rows of a ``k × n`` matrix are grouped by their number of observed values ``m`` (rows
without gaps form one group); each group is cleaned and scaled as
:func:`~critchem.surveillance.breaks_api.prepare` does, row by row in array operations, and
segmented by :func:`~critchem.surveillance.pelt.pelt_many` in chunks, with the same
penalty, the same rounds of the dependence correction and the same choice between mean
shifts and lines. The breaks are the same as those of ``detect_breaks`` on each row; the
tests compare the two on a few hundred series.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt

from critchem.surveillance.breaks_api import (
    CLIP,
    DENSE_LIMIT,
    ITERATIONS,
    MAX_RHO,
    MIN_FRACTION,
    MIN_LENGTH,
    MIN_LINEAR,
    PENALTY_FACTOR,
    base_penalty,
    detect_breaks,
    noise_factor,
    robust_scale,
)
from critchem.surveillance.pelt import pelt_many, stacked_costs

FloatArray = npt.NDArray[np.float64]
CHUNK = 512
"""Series segmented together: the costs of a chunk take ``CHUNK·(n+1)²·8`` bytes (60 MB)."""


def _mad_rows(x: FloatArray) -> FloatArray:
    """``1.4826·MAD`` of each row, as ``breaks_api`` computes it for one series."""
    center = np.median(x, axis=1, keepdims=True)
    return np.asarray(1.4826 * np.median(np.abs(x - center), axis=1), dtype=np.float64)


def prepare_rows(x: FloatArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Each row of ``x`` (no gaps) as ``prepare`` makes it, and which rows are usable.

    A row whose noise scale is 0 (constant) is not usable; the others equal
    :func:`~critchem.surveillance.breaks_api.prepare` of the row.

    >>> z, ok = prepare_rows(np.array([[0.0, 1.0] * 5, [2.0] * 10]))
    >>> ok.tolist(), z[0, :3].tolist()
    ([True, False], [-0.674491, 0.674491, -0.674491])
    """
    scale = _mad_rows(np.diff(x, axis=1)) / math.sqrt(2)
    floor = 1e-12 * np.maximum(1.0, np.max(np.abs(x), axis=1))
    for i in np.flatnonzero(~(scale > floor)):
        scale[i] = robust_scale(x[i])
    ok = scale > 0
    safe = np.where(ok, scale, 1.0)
    z = (x - np.median(x, axis=1, keepdims=True)) / safe[:, None]
    padded = np.pad(z, ((0, 0), (2, 2)), mode="edge")
    smooth = np.median(np.lib.stride_tricks.sliding_window_view(padded, 5, axis=1), axis=2)
    z = smooth + np.clip(z - smooth, -CLIP, CLIP)
    return np.round(z, 6), ok


def _bic_row(costs: FloatArray, row: int, cuts: list[int], *, linear: bool) -> float:
    """``segmentation_bic`` of one row of a stacked cost tensor (``costs[t, row, s]``)."""
    n = int(costs.shape[-1]) - 1
    rss = sum(float(costs[b, row, a]) for a, b in itertools.pairwise([0, *cuts, n]))
    params = (2 if linear else 1) * (len(cuts) + 1) + len(cuts)
    return n * math.log(max(rss, 1e-12) / n) + params * math.log(n)


def _noise_factors(z: FloatArray, cuts: dict[int, list[int]], *, linear: bool) -> dict[int, float]:
    """``noise_factor`` of the rows ``cuts`` names; rows without breaks of the mean model at once.

    For those the residuals are ``z - median(z)``: medians and MADs are taken along the rows
    (the same order statistics), the two dot products row by row as for one series.
    """
    plain = [i for i, c in cuts.items() if not c and not linear]
    out = {i: noise_factor(z[i], c, linear=linear) for i, c in cuts.items() if c or linear}
    if plain:
        resid = z[plain] - np.median(z[plain], axis=1, keepdims=True)
        sigmas = _mad_rows(resid)
        for i, r, sigma in zip(plain, resid, sigmas.tolist(), strict=True):
            denom = float(np.dot(r, r))
            rho = float(np.dot(r[:-1], r[1:])) / denom if denom > 0 else 0.0
            rho = min(max(rho, 0.0), MAX_RHO)
            out[i] = max(1.0, sigma * sigma * (1 + rho) / (1 - rho))
    return out


def _segment_rows(
    z: FloatArray, costs: FloatArray, min_size: int, *, linear: bool, penalty_factor: float
) -> list[list[int]]:
    """``_segment`` of ``breaks_api`` for every row of ``z`` (``costs`` from ``stacked_costs``)."""
    penalty = base_penalty(z.shape[1], linear=linear, penalty_factor=penalty_factor)
    cuts = pelt_many(costs, np.full(len(z), penalty), min_size=min_size)
    used = [penalty] * len(z)
    active = list(range(len(z)))
    for _ in range(ITERATIONS):
        factors = _noise_factors(z, {i: cuts[i] for i in active}, linear=linear)
        pens = {i: penalty * factors[i] for i in active}
        # The penalty that gave a row's breaks gives them again: those rows are done.
        active = [i for i in active if pens[i] != used[i]]
        if not active:
            break
        if 2 * len(active) > len(z):
            # Most rows run again: all of them, the others with the penalty of their breaks
            # (which gives those breaks again), rather than copying the costs of the subset.
            every = pelt_many(
                costs, np.array([pens.get(i, used[i]) for i in range(len(z))]), min_size=min_size
            )
            again = [every[i] for i in active]
        else:
            again = pelt_many(
                costs[:, active, :], np.array([pens[i] for i in active]), min_size=min_size
            )
        moved = []
        for i, new in zip(active, again, strict=True):
            if new != cuts[i]:
                cuts[i], used[i] = new, pens[i]
                moved.append(i)
        active = moved
    return cuts


def _breaks_of_group(
    z: FloatArray, *, penalty_factor: float, min_fraction: float
) -> list[list[int]]:
    """Breaks (positions among the observed values) of prepared rows of one length."""
    n = z.shape[1]
    min_size = max(3, int(n * min_fraction))
    out: list[list[int]] = []
    buffers = [np.empty((n + 1) * min(CHUNK, len(z)) * (n + 1)) for _ in range(2)]
    for lo in range(0, len(z), CHUNK):
        part = z[lo : lo + CHUNK]
        mean_costs = stacked_costs(part, out=buffers[0])
        cuts = _segment_rows(
            part, mean_costs, min_size, linear=False, penalty_factor=penalty_factor
        )
        if n >= 2 * MIN_LINEAR:
            mean_bic = [_bic_row(mean_costs, i, c, linear=False) for i, c in enumerate(cuts)]
            line_costs = stacked_costs(part, linear=True, out=buffers[1])
            lines = _segment_rows(
                part,
                line_costs,
                max(min_size, MIN_LINEAR),
                linear=True,
                penalty_factor=penalty_factor,
            )
            for i, found in enumerate(lines):
                if _bic_row(line_costs, i, found, linear=True) < mean_bic[i]:
                    cuts[i] = found
        out.extend(cuts)
    return out


def detect_breaks_many(
    matrix: FloatArray,
    *,
    penalty_factor: float = PENALTY_FACTOR,
    min_fraction: float = MIN_FRACTION,
) -> list[list[int]]:
    """``detect_breaks`` of each row of ``matrix`` (``k × n``, NaN = no value).

    >>> x = np.r_[[0.0, 0.1, -0.1, 0.05] * 5, [5.0, 5.1, 4.9, 5.05] * 5]
    >>> detect_breaks_many(np.vstack([x, np.full(40, 2.0), np.r_[x[:10], [np.nan] * 30]]))
    [[20], [], []]
    """
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"detect_breaks_many needs a 2-D array (series x periods), got {x.shape}")
    found: list[list[int]] = [[] for _ in range(len(x))]
    observed = np.isfinite(x)
    counts = observed.sum(axis=1)
    for m in np.unique(counts):
        if m < MIN_LENGTH:
            continue
        rows = np.flatnonzero(counts == m)
        if m > DENSE_LIMIT:
            # Long series: the cost matrices would not fit; one at a time, pruned.
            for i in rows:
                found[i] = detect_breaks(
                    x[i], penalty_factor=penalty_factor, min_fraction=min_fraction
                )
            continue
        values = x[rows] if m == x.shape[1] else np.vstack([x[i][observed[i]] for i in rows])
        z, ok = prepare_rows(values)
        rows, z = rows[ok], z[ok]
        groups = _breaks_of_group(z, penalty_factor=penalty_factor, min_fraction=min_fraction)
        for i, cuts in zip(rows, groups, strict=True):
            where = np.flatnonzero(observed[i])
            found[i] = [int(where[c]) for c in cuts]
    return found
