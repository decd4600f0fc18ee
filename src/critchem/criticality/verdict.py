"""Verdicts, ranking scores and ranks, vectorised over materials (and Monte Carlo draws).

The verdict is three-valued: a material is critical, not critical, or undetermined when a
criterion it needs could not be assessed (NaN). With the rule ``all`` (EU CRM: SR ≥ 1.0 *and*
EI ≥ 2.8) one criterion below its threshold settles "not critical" even if another is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from critchem.criticality.formulas import FloatArray, meets

BoolArray = npt.NDArray[np.bool_]


def verdict(
    rule: str,
    values: Mapping[str, FloatArray],
    thresholds: Mapping[str, npt.ArrayLike],
) -> tuple[BoolArray, BoolArray]:
    """``(critical, not_critical)``; where both are False the verdict is undetermined.

    Examples
    --------
    >>> sr = np.array([1.0, 0.5, 2.0, 2.0])
    >>> ei = np.array([2.8, 5.0, np.nan, 1.0])
    >>> yes, no = verdict("all", {"sr": sr, "ei": ei}, {"sr": 1.0, "ei": 2.8})
    >>> yes.tolist(), no.tolist()
    ([True, False, False, False], [False, True, False, True])
    """
    met = [meets(values[c], thresholds[c]) for c in values]
    known = [~np.isnan(values[c]) for c in values]
    failed = [k & ~m for k, m in zip(known, met, strict=True)]
    if rule == "all":
        critical = np.logical_and.reduce(met)
        not_critical = np.logical_or.reduce(failed)
    elif rule == "any":
        critical = np.logical_or.reduce(met)
        not_critical = np.logical_and.reduce(failed)
    else:
        raise ValueError(f"unknown verdict rule {rule!r}")
    return np.asarray(critical), np.asarray(not_critical)


def weighted_ratio(
    values: Mapping[str, FloatArray],
    weights: Mapping[str, npt.ArrayLike],
    thresholds: Mapping[str, npt.ArrayLike],
) -> FloatArray:
    """Ranking score ``Σ_c w_c · value_c / threshold_c`` (1 = on every threshold).

    >>> float(weighted_ratio({"sr": np.array(2.0), "ei": np.array(2.8)},
    ...                      {"sr": 0.5, "ei": 0.5}, {"sr": 1.0, "ei": 2.8}))
    1.5
    """
    total: FloatArray | None = None
    for c, v in values.items():
        term = np.asarray(weights[c]) * v / np.asarray(thresholds[c])
        total = term if total is None else total + term
    assert total is not None
    return np.asarray(total, dtype=np.float64)


def ranks(score: FloatArray) -> npt.NDArray[np.int32]:
    """Rank 1 for the highest score along the last axis; NaN scores rank last (then masked).

    >>> ranks(np.array([0.5, 2.0, np.nan, 1.0])).tolist()
    [3, 1, 4, 2]
    """
    order = np.argsort(-score, axis=-1, kind="stable")
    out = np.empty(score.shape, dtype=np.int32)
    positions = np.broadcast_to(np.arange(1, score.shape[-1] + 1, dtype=np.int32), score.shape)
    np.put_along_axis(out, order, positions, axis=-1)
    return out
