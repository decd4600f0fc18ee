"""Unfair competition: the injury picture a trade-defence complaint documents, from trade data.

Over the last ``months`` months (window *w1*) against the ``months`` before (*w0*), for EU27
imports of one product from one partner (``WORLD`` = all extra-EU origins):

- **volume increase** (absolute): ``M1 / M0 - 1 >= 10 %`` (masses, kg);
- **volume increase relative to EU consumption**: ``M1 / C1 - M0 / C0 >= 2 points``, with
  ``C`` the EU apparent consumption in kg (PRODCOM: production + imports - exports);
  undetermined without it;
- **undercutting**: ``(P_ref - p_m) / P_ref > 0`` in *w1*, with ``p_m`` the import unit value
  (EUR/kg) and ``P_ref`` the EU producer price (PRODCOM) when given, otherwise the unit value
  of the EU27's exports of the same code (extra-EU, or to WORLD for sources without
  partners): the price EU producers get abroad, a proxy that the result names;
- **price depression**: the reference price falls by at least 5 %, ``P_ref1 / P_ref0 - 1 <= -5 %``;
- **loss of EU market share**: the EU industry's share of consumption, ``1 - M / C``, falls
  by at least 2 points; undetermined without consumption.

These follow the injury indicators of Article 3(2)-(5) of Regulation (EU) 2016/1036 (volume
of dumped imports absolute and relative to consumption; price undercutting; price
depression; market share of the Union industry). The **suspicion** is raised when the
volume increase and the undercutting are both met and at least one of the other three is.
Every criterion carries its numbers; an undetermined one says why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Status = Literal["met", "not met", "undetermined"]
VOLUME_RISE = 0.10
RELATIVE_RISE = 0.02
DEPRESSION = -0.05
SHARE_LOSS = 0.02


@dataclass(frozen=True, slots=True)
class Criterion:
    """One injury indicator: met or not (or why undetermined), with its value and threshold."""

    name: str
    status: Status
    value: float | None
    threshold: float
    detail: str


@dataclass(frozen=True, slots=True)
class UnfairCompetition:
    """The combined signal and its evidence."""

    suspicion: bool
    reference_price: str
    criteria: tuple[Criterion, ...]
    window: tuple[str, str]
    """First and last month of the recent window (``YYYY-MM``)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return asdict(self)


def _sum(a: npt.NDArray[np.float64]) -> float:
    return float(np.nansum(a))


def _ratio(value: npt.NDArray[np.float64], mass: npt.NDArray[np.float64]) -> float | None:
    m = _sum(mass)
    return _sum(value) / m if m > 0 else None


def assess(
    periods: list[str],
    import_mass: npt.NDArray[np.float64],
    import_value: npt.NDArray[np.float64],
    export_mass: npt.NDArray[np.float64],
    export_value: npt.NDArray[np.float64],
    *,
    months: int = 12,
    consumption_kg: tuple[float, float] | None = None,
    producer_price: tuple[float, float] | None = None,
) -> UnfairCompetition:
    """The unfair-competition criteria over the last ``2 * months`` months of the series.

    ``consumption_kg`` and ``producer_price`` are the EU apparent consumption (kg) and the EU
    producer price (EUR/kg) in the earlier and the recent window, when PRODCOM gives them.

    >>> p = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    >>> im = np.array([100.0] * 12 + [150.0] * 12); iv = np.array([300.0] * 12 + [300.0] * 12)
    >>> xm = np.array([50.0] * 24); xv = np.array([250.0] * 12 + [225.0] * 12)
    >>> r = assess(p, im, iv, xm, xv)
    >>> r.suspicion, [c.status for c in r.criteria]
    (True, ['met', 'undetermined', 'met', 'met', 'undetermined'])
    """
    if len(periods) < 2 * months:
        raise ValueError(f"need {2 * months} months, got {len(periods)}")
    w0, w1 = slice(-2 * months, -months), slice(-months, None)
    m0, m1 = _sum(import_mass[w0]), _sum(import_mass[w1])
    criteria: list[Criterion] = []

    rise = m1 / m0 - 1 if m0 > 0 else None
    criteria.append(
        Criterion(
            "volume increase",
            "undetermined" if rise is None else ("met" if rise >= VOLUME_RISE else "not met"),
            rise,
            VOLUME_RISE,
            "no imports in the earlier window"
            if rise is None
            else f"imports {m0:,.0f} kg then {m1:,.0f} kg ({rise:+.0%})",
        )
    )
    if consumption_kg and consumption_kg[0] > 0 and consumption_kg[1] > 0:
        c0, c1 = consumption_kg
        rel = m1 / c1 - m0 / c0
        criteria.append(
            Criterion(
                "volume increase relative to consumption",
                "met" if rel >= RELATIVE_RISE else "not met",
                rel,
                RELATIVE_RISE,
                f"imports {m0 / c0:.1%} then {m1 / c1:.1%} of EU consumption",
            )
        )
    else:
        criteria.append(
            Criterion(
                "volume increase relative to consumption",
                "undetermined",
                None,
                RELATIVE_RISE,
                "EU apparent consumption (PRODCOM) not available",
            )
        )
    ref0: float | None
    ref1: float | None
    if producer_price:
        ref0, ref1 = producer_price
        ref_name = "EU producer price (PRODCOM)"
    else:
        ref0 = _ratio(export_value[w0], export_mass[w0])
        ref1 = _ratio(export_value[w1], export_mass[w1])
        ref_name = "unit value of EU27 exports (proxy for the EU price)"
    p1 = _ratio(import_value[w1], import_mass[w1])
    if ref1 and p1 is not None:
        margin = (ref1 - p1) / ref1
        criteria.append(
            Criterion(
                "undercutting",
                "met" if margin > 0 else "not met",
                margin,
                0.0,
                f"imports at {p1:.3g} EUR/kg against {ref1:.3g} EUR/kg ({ref_name}): {margin:+.0%}",
            )
        )
    else:
        criteria.append(
            Criterion("undercutting", "undetermined", None, 0.0, f"no {ref_name} or import price")
        )
    if ref0 and ref1:
        change = ref1 / ref0 - 1
        criteria.append(
            Criterion(
                "price depression",
                "met" if change <= DEPRESSION else "not met",
                change,
                DEPRESSION,
                f"{ref_name} {ref0:.3g} then {ref1:.3g} EUR/kg ({change:+.0%})",
            )
        )
    else:
        criteria.append(
            Criterion("price depression", "undetermined", None, DEPRESSION, f"no {ref_name}")
        )
    if consumption_kg and consumption_kg[0] > 0 and consumption_kg[1] > 0:
        c0, c1 = consumption_kg
        s0, s1 = 1 - m0 / c0, 1 - m1 / c1
        criteria.append(
            Criterion(
                "loss of EU market share",
                "met" if s0 - s1 >= SHARE_LOSS else "not met",
                s1 - s0,
                -SHARE_LOSS,
                f"EU industry {s0:.1%} then {s1:.1%} of consumption",
            )
        )
    else:
        criteria.append(
            Criterion(
                "loss of EU market share",
                "undetermined",
                None,
                -SHARE_LOSS,
                "EU apparent consumption (PRODCOM) not available",
            )
        )
    met = {c.name for c in criteria if c.status == "met"}
    others = met & {
        "volume increase relative to consumption",
        "price depression",
        "loss of EU market share",
    }
    suspicion = {"volume increase", "undercutting"} <= met and bool(others)
    return UnfairCompetition(suspicion, ref_name, tuple(criteria), (periods[-months], periods[-1]))
