"""Scores of detectors against a known truth.

Two families:

* event detection in monitored series (the back-test): precision, recall and F1 with a
  tolerance margin, detection delay, false alarms per 100 series-years;
* change-point detection, as defined by G. J. J. van den Burg and C. K. I. Williams, *An
  evaluation of change point detection algorithms*, arXiv:2003.06222 (2020), section 4.1:
  the F1 score with a margin (default 5) where the first index 0 counts as a change point in
  both the annotations and the predictions, and the covering metric of Arbelaez et al. (2011).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1 (each 0..1) with the counts they come from."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    n_predicted: int
    n_true: int


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _matched(true: Sequence[int], predicted: Sequence[int], margin: int) -> set[int]:
    """True locations matched one-to-one to the nearest unused prediction within ``margin``.

    The ``true_positives`` function of van den Burg & Williams (2020), true locations taken
    in increasing order so the result is deterministic.
    """
    left = sorted(set(predicted))
    hits: set[int] = set()
    for tau in sorted(set(true)):
        if not left:
            break
        nearest = min(left, key=lambda x: (abs(tau - x), x))
        if abs(tau - nearest) <= margin:
            hits.add(tau)
            left.remove(nearest)
    return hits


def precision_recall(true: Sequence[int], predicted: Sequence[int], *, margin: int = 2) -> Scores:
    """Precision, recall and F1 of ``predicted`` locations against ``true`` ones.

    A true location is found when a prediction lies within ``margin`` of it; each prediction
    matches at most one true location. With nothing to find and nothing predicted, all are 1.

    >>> s = precision_recall([10, 50], [11, 30, 49], margin=2)
    >>> round(s.precision, 4), s.recall, s.f1
    (0.6667, 1.0, 0.8)
    """
    hits = len(_matched(true, predicted, margin))
    n_pred, n_true = len(set(predicted)), len(set(true))
    precision = hits / n_pred if n_pred else 1.0
    recall = hits / n_true if n_true else 1.0
    return Scores(precision, recall, _f1(precision, recall), hits, n_pred, n_true)


def detection_delay(true_start: int, detections: Sequence[int]) -> int | None:
    """Months from ``true_start`` to the first detection at or after it, or ``None``.

    >>> detection_delay(10, [3, 12, 15]), detection_delay(10, [3]) is None
    (2, True)
    """
    after = [d for d in detections if d >= true_start]
    return min(after) - true_start if after else None


def false_alarms_per_100_series_years(n_false: int, n_series: int, n_months: int) -> float:
    """False alarms scaled to 100 series observed for one year: ``100·F / (S·M/12)``.

    >>> false_alarms_per_100_series_years(3, 50, 24)
    3.0
    """
    exposure = n_series * n_months / 12
    return 100.0 * n_false / exposure if exposure else 0.0


def f_measure(
    annotations: Sequence[Sequence[int]], predictions: Sequence[int], *, margin: int = 5
) -> float:
    """The change-point F1 of van den Burg & Williams (2020), eq. (2)-(3).

    ``annotations`` holds one list of change points per annotator. The index 0 is added to
    every set. Precision is the share of predictions matching a location of any annotator;
    recall is averaged over annotators; F1 is their harmonic mean.

    Hand check: truth {0, 50}, predictions {0, 52, 80}: P = 2/3, R = 2/2, F1 = 0.8.

    >>> f_measure([[50]], [52, 80])
    0.8
    >>> f_measure([[50]], [])  # P = 1/1, R = 1/2
    0.6666666666666666
    """
    sets = [set(a) | {0} for a in annotations] or [{0}]
    x = set(predictions) | {0}
    union = set().union(*sets)
    precision = len(_matched(sorted(union), sorted(x), margin)) / len(x)
    recall = sum(len(_matched(sorted(t), sorted(x), margin)) / len(t) for t in sets) / len(sets)
    return _f1(precision, recall)


def _segments(locations: Sequence[int], n_obs: int) -> list[tuple[int, int]]:
    """The partition of ``0..n_obs-1`` started at ``0`` and at each location, as [a, b)."""
    cuts = sorted({c for c in locations if 0 < c < n_obs} | {0, n_obs})
    return list(itertools.pairwise(cuts))


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def covering(
    annotations: Sequence[Sequence[int]], predictions: Sequence[int], *, n_obs: int
) -> float:
    """The covering metric, van den Burg & Williams (2020) eq. (1), averaged over annotators.

    ``C(G', G) = (1/T) Σ_{A ∈ G} |A| · max_{A' ∈ G'} |A ∩ A'| / |A ∪ A'|`` where ``G`` is the
    partition of an annotator and ``G'`` that of the predictions.

    Hand check: T = 10, truth {5}, no prediction: segments [0,5) and [5,10) each have Jaccard
    5/10 with the single predicted segment, so C = (5·0.5 + 5·0.5)/10 = 0.5.

    >>> covering([[5]], [], n_obs=10)
    0.5
    >>> covering([[5]], [5], n_obs=10)
    1.0
    """
    predicted = _segments(predictions, n_obs)
    scores = []
    for annotation in annotations or [[]]:
        total = sum(
            (b - a) * max(_jaccard((a, b), p) for p in predicted)
            for a, b in _segments(annotation, n_obs)
        )
        scores.append(total / n_obs)
    return sum(scores) / len(scores)
