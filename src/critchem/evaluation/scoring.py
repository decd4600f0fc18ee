"""Precision, recall and F1 of detections against labelled events, matched on the partner.

A detection matches an event when it names the event's product (an event code that is a
prefix of the detection's CN8 also counts) and the same partner, and falls within
``[start - before, end + tolerance]`` months. Each event is found or not (recall = found /
events); each detection is true or false (precision = true / detections). With no
detections precision is undefined (``None``), never 1.0, and F1 is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from critchem.evaluation.labels import Detection, LabelledEvent


def _month(d: object) -> int:
    return d.year * 12 + d.month - 1  # type: ignore[attr-defined,no-any-return]


def matches(d: Detection, e: LabelledEvent, *, tolerance: int, before: int = 0) -> bool:
    """Whether detection ``d`` is about event ``e`` (same product and partner, in its window).

    >>> from datetime import date
    >>> e = LabelledEvent("28230000", "EU27", "CN", "td", date(2024, 1, 1), date(2024, 3, 1), "u")
    >>> matches(Detection("28230000", "CN", date(2024, 5, 1)), e, tolerance=2)
    True
    >>> matches(Detection("28230000", "IN", date(2024, 2, 1)), e, tolerance=2)
    False
    """
    if d.partner != e.partner or not d.product.startswith(e.product):
        return False
    return _month(e.start) - before <= _month(d.period) <= _month(e.end) + tolerance


@dataclass(frozen=True, slots=True)
class Score:
    """The outcome of one scoring, with the tolerance it was scored under."""

    events: int
    found: int
    detections: int
    true_detections: int
    tolerance_months: int

    @property
    def recall(self) -> float | None:
        """Found / events (``None`` without events)."""
        return self.found / self.events if self.events else None

    @property
    def precision(self) -> float | None:
        """True / all detections; ``None`` (undefined) when nothing was detected."""
        return self.true_detections / self.detections if self.detections else None

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0 when either is undefined or zero."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else 0.0


def score(
    detections: Sequence[Detection],
    events: Sequence[LabelledEvent],
    *,
    tolerance: int,
    before: int = 0,
) -> Score:
    """Score ``detections`` against ``events`` with a declared ``tolerance`` (months).

    >>> from datetime import date
    >>> e = LabelledEvent("2823", "EU27", "CN", "td", date(2024, 1, 1), date(2024, 1, 1), "u")
    >>> s = score([], [e], tolerance=3)
    >>> s.precision is None, s.recall, s.f1
    (True, 0.0, 0.0)
    """
    found = sum(
        any(matches(d, e, tolerance=tolerance, before=before) for d in detections) for e in events
    )
    true = sum(
        any(matches(d, e, tolerance=tolerance, before=before) for e in events) for d in detections
    )
    return Score(len(events), found, len(detections), true, tolerance)
