"""Row-wise versions of the detectors' helpers, for many series (rows) at once.

Each gives, row by row, exactly what its one-series counterpart in
:mod:`critchem.surveillance.detectors` gives (the same order statistics and the same
floating-point operations), without a Python loop over the series.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from critchem.surveillance.detectors._common import MAD_TO_SIGMA, nanmedian_last

FloatArray = npt.NDArray[np.float64]


def seasonal_reference_rows(y: FloatArray, *, years: int = 3, period: int = 12) -> FloatArray:
    """:func:`~critchem.surveillance.detectors._common.seasonal_reference` of each row.

    >>> seasonal_reference_rows(np.arange(40.0)[None, :])[0, 36:].tolist()
    [12.0, 13.0, 14.0, 15.0]
    """
    k, n = y.shape
    lagged = np.full((k, n, years), np.nan)
    for j in range(1, years + 1):
        if n > period * j:
            lagged[:, period * j :, j - 1] = y[:, : n - period * j]
    return nanmedian_last(lagged)


def trailing_z_rows(
    d: FloatArray, *, window: int = 36, gap: int = 6, min_values: int = 12
) -> FloatArray:
    """:func:`~critchem.surveillance.detectors.cusum.trailing_z` of each row of ``d``.

    >>> d = np.r_[np.tile([0.0, 1.0], 15), 9.0][None, :]
    >>> round(float(trailing_z_rows(d, window=24, gap=2)[0, -1]), 2)
    11.47
    """
    k, n = d.shape
    padded = np.concatenate((np.full((k, gap + window), np.nan), d), axis=1)
    past = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)[:, :n]
    enough = np.isfinite(past).sum(axis=2) >= min_values
    center = nanmedian_last(past)
    scale = MAD_TO_SIGMA * nanmedian_last(np.abs(past - center[:, :, None]))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(scale > 0, (d - center) / scale, np.nan)
    return np.asarray(np.where(enough, z, np.nan), dtype=np.float64)


def cusum_alarm_rows(z: FloatArray, *, k: float, h: float) -> list[list[tuple[int, int, float]]]:
    """:func:`~critchem.surveillance.detectors.cusum.cusum_alarms` of each row of ``z``.

    >>> cusum_alarm_rows(np.array([[0.0] * 5 + [2.0] * 5, [0.0] * 10]), k=0.5, h=5.0)
    [[(8, 5, 6.0)], []]
    """
    rows = z.shape[0]
    hi, lo = np.zeros(rows), np.zeros(rows)
    start_hi = np.zeros(rows, dtype=np.int64)
    start_lo = np.zeros(rows, dtype=np.int64)
    alarms: list[list[tuple[int, int, float]]] = [[] for _ in range(rows)]
    for t in range(z.shape[1]):
        value = z[:, t]
        ok = np.isfinite(value)
        start_hi = np.where(ok & (hi == 0.0), t, start_hi)
        start_lo = np.where(ok & (lo == 0.0), t, start_lo)
        hi = np.where(ok, np.maximum(0.0, hi + value - k), hi)
        lo = np.where(ok, np.maximum(0.0, lo - value - k), lo)
        fired = ok & ((hi > h) | (lo > h))
        for r in np.flatnonzero(fired):
            up = bool(hi[r] > h)
            start = int(start_hi[r] if up else start_lo[r])
            alarms[r].append((t, start, float(hi[r] if up else -lo[r])))
        hi[fired], lo[fired] = 0.0, 0.0
    return alarms
