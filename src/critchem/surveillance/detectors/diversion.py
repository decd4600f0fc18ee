"""Trade diversion after an EU trade-defence case, as a detector the monitor runs.

The series is one product's extra-EU imports (kg) with the mass per origin in ``extra``
(input kind ``partner_volumes``). For every case of the trade-defence register
(:mod:`critchem.events`) whose codes cover the product and that names countries, the
screen of :func:`critchem.surveillance.diversion.suspects` compares the ``months`` months
before the initiation with the ``months`` months from the first measure: an origin ``B``
not named by the case is flagged when its mean monthly volume rises by at least 50 %
(``M_B1 / M_B0 - 1 ≥ 0.5``), its share of extra-EU imports by at least 5 points, and the
named countries' volume falls (``M_A1 / M_A0 - 1 < 0``) (the change of trade pattern of
Article 13 of Regulation (EU) 2016/1036).

Each suspect is one amber event on the origin, dated the month of the first measure (so
later months of data confirm the same event rather than raise new ones), with the case's id
and source in its evidence. Family ``volume``: every criterion is a volume, so a diversion
and an import surge on the same origin are one kind of evidence and do not make red
together. The share-gain criterion also reads the origin's share of the imports, which a
``concentration_shift`` share gain measures, so fusion counts the two as one piece of
evidence too (``ALSO_READS`` in :mod:`critchem.surveillance.alerts.fusion`). It is not a
screening detector: it only looks where a sourced case exists, so an
event-free series cannot raise it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import date
from typing import ClassVar, Self

import numpy as np

from critchem.events import RegisterEvent, load_events
from critchem.surveillance.base import Detector, Event, Family, Series
from critchem.surveillance.detectors._common import FittedMixin, make_event
from critchem.surveillance.diversion import MIN_RISE, MIN_SHARE_GAIN, measure_month, suspects


def cases_on(product: str, cases: Sequence[RegisterEvent]) -> list[RegisterEvent]:
    """The trade-defence ``cases`` naming countries whose codes cover CN code ``product``.

    >>> [c.id for c in cases_on("28230000", load_events("trade-defence"))]
    ['td-ad696-tio2-cn']
    """
    return [
        c
        for c in cases
        if c.kind == "trade-defence"
        and c.countries
        and any(product.startswith(code) for code in c.codes)
    ]


def _first(d: date) -> date:
    return date(d.year, d.month, 1)


class TradeDiversionDetector(FittedMixin, Detector):
    """Origins whose imports rise after an EU trade-defence measure on other countries."""

    name = "trade_diversion"
    version = "1.0"
    family: ClassVar[Family] = "volume"

    def __init__(
        self,
        *,
        months: int = 12,
        min_rise: float = MIN_RISE,
        min_share_gain: float = MIN_SHARE_GAIN,
        cases: Sequence[RegisterEvent] | None = None,
    ) -> None:
        self.months, self.min_rise, self.min_share_gain = months, min_rise, min_share_gain
        self._cases = cases

    def fit(self, series: Series) -> Self:
        """Keep ``series`` (values: total import mass; ``extra``: mass per origin)."""
        self._series = series
        return self

    def detect(self) -> list[Event]:
        """One amber event per diversion suspect, at the month of the case's first measure."""
        series = self._fitted()
        product = series.key.get("product", "")
        register = self._cases if self._cases is not None else load_events("trade-defence")
        origins = {
            k: np.asarray(v, dtype=np.float64)
            for k, v in series.extra.items()
            if len(v) == len(series.periods)
        }
        if not origins:
            return []
        events = []
        for case in cases_on(product, register):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an origin without data
                found = suspects(
                    case,
                    product,
                    series.periods,
                    origins,
                    months=self.months,
                    min_rise=self.min_rise,
                    min_share_gain=self.min_share_gain,
                )
            month = _first(measure_month(case))
            if not found or month not in series.periods:
                continue
            index = series.periods.index(month)
            named = ", ".join(case.countries)
            for s in found:
                events.append(
                    make_event(
                        self,
                        series,
                        index,
                        statistic=s.partner_change,
                        threshold=self.min_rise,
                        level="amber",
                        key={**series.key, "partner": s.partner, "measure": "net_mass_kg"},
                        message=(
                            f"{s.partner} up {s.partner_change:+.0%} ({s.share_before:.0%} to "
                            f"{s.share_after:.0%} of extra-EU imports) after the EU "
                            f"{case.measure} case on {named} ({case.id}); {named} "
                            f"{s.targeted_change:+.0%}"
                        ),
                        evidence={
                            **s.to_dict(),
                            "case_product": case.product,
                            "case_measure": case.measure,
                            "case_start": case.start.isoformat(),
                            "measure_month": month.isoformat()[:7],
                        },
                    )
                )
        return sorted(events, key=lambda e: (e.period, e.key.get("partner", "")))
