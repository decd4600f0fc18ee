"""Trade diversion: imports from other countries surging after an EU trade-defence measure.

When the EU opens a trade-defence case against country A on a product, exports of A can be
redirected, and the EU can start importing the same product from a third country B (the
product being shipped through B, or B's own exports displacing its home sales). For one case
of the register (:mod:`critchem.events`) and monthly EU27 imports of one of its codes by
partner (kg), with ``w`` months per window (default 12):

- *before*: the ``w`` months that end the month before the case's initiation;
- *after*: the ``w`` months that start at the first measure (provisional, else definitive,
  else the initiation month), as far as the data go (at least ``w // 2`` months);

a partner ``B`` not named by the case is a **diversion suspect** when, from *before* to
*after*, its monthly mean import volume rises by at least ``min_rise`` (``M_B1 / M_B0 - 1 ≥
0.5``), its share of extra-EU imports rises by at least ``min_share_gain`` (5 points), and the
named countries' volume falls (``M_A1 / M_A0 - 1 < 0``). Each suspect carries these numbers
and the case's source. This is the pattern the anti-circumvention provisions of Article 13 of
Regulation (EU) 2016/1036 look for ("a change in the pattern of trade between third
countries and the Union ... which stems from ... the imposition of the duty"); it is a
screen, not a finding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from critchem.events import RegisterEvent

FloatArray = npt.NDArray[np.float64]
MIN_RISE = 0.5
MIN_SHARE_GAIN = 0.05


@dataclass(frozen=True, slots=True)
class DiversionSuspect:
    """A partner whose imports rose after a measure against other countries, with the numbers."""

    case: str
    case_source: str
    product: str
    partner: str
    targeted: tuple[str, ...]
    before: tuple[str, str]
    after: tuple[str, str]
    partner_kg_before: float
    partner_kg_after: float
    partner_change: float
    share_before: float
    share_after: float
    targeted_change: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return asdict(self)


def _month(d: date) -> int:
    return d.year * 12 + d.month - 1


def measure_month(case: RegisterEvent) -> date:
    """The month trade can first react to the duties: provisional, definitive, else initiation."""
    return case.provisional_date or case.definitive_date or case.start


def suspects(
    case: RegisterEvent,
    product: str,
    periods: Sequence[date],
    imports: Mapping[str, FloatArray],
    *,
    months: int = 12,
    min_rise: float = MIN_RISE,
    min_share_gain: float = MIN_SHARE_GAIN,
) -> list[DiversionSuspect]:
    """The partners of ``imports`` (monthly kg by partner) that look like diversion after ``case``.

    Returns an empty list when the data do not cover a full window before the initiation and
    at least half a window after the measure, or when the case names no country.

    >>> from critchem.events import load_events
    >>> case = RegisterEvent("x", "trade-defence", "p", ("2823",), "CN", ("CN",), "AD",
    ...     date(2022, 1, 1), None, date(2022, 9, 1), None, None, None, None, "u", None)
    >>> ps = [date(2021 + (m // 12), m % 12 + 1, 1) for m in range(36)]
    >>> cn = np.r_[np.full(20, 100.0), np.full(16, 20.0)]
    >>> vn = np.r_[np.full(20, 10.0), np.full(16, 60.0)]
    >>> [(s.partner, round(s.partner_change, 1)) for s in suspects(case, "28230000", ps,
    ...     {"CN": cn, "VN": vn, "US": np.full(36, 50.0)})]
    [('VN', 5.0)]
    """
    if not case.countries or not periods:
        return []
    index = {_month(p): i for i, p in enumerate(periods)}
    start, measure = _month(case.start), _month(measure_month(case))
    before = [index[m] for m in range(start - months, start) if m in index]
    after = [index[m] for m in range(measure, measure + months) if m in index]
    if len(before) < months or len(after) < max(1, months // 2):
        return []
    total = np.nansum(np.vstack(list(imports.values())), axis=0)
    t0, t1 = float(np.mean(total[before])), float(np.mean(total[after]))
    if t0 <= 0 or t1 <= 0:
        return []
    named = [k for k in imports if k in case.countries]
    a0 = float(sum(np.nanmean(imports[k][before]) for k in named))
    a1 = float(sum(np.nanmean(imports[k][after]) for k in named))
    targeted_change = a1 / a0 - 1 if a0 > 0 else float("nan")
    if not targeted_change < 0:
        return []
    out = []
    for partner, x in sorted(imports.items()):
        if partner in case.countries:
            continue
        b0, b1 = float(np.nanmean(x[before])), float(np.nanmean(x[after]))
        if b0 <= 0:
            continue
        change, s0, s1 = b1 / b0 - 1, b0 / t0, b1 / t1
        if change >= min_rise and s1 - s0 >= min_share_gain:
            out.append(
                DiversionSuspect(
                    case=case.id,
                    case_source=case.source_url,
                    product=product,
                    partner=partner,
                    targeted=case.countries,
                    before=(_label(periods[before[0]]), _label(periods[before[-1]])),
                    after=(_label(periods[after[0]]), _label(periods[after[-1]])),
                    partner_kg_before=b0,
                    partner_kg_after=b1,
                    partner_change=change,
                    share_before=s0,
                    share_after=s1,
                    targeted_change=targeted_change,
                )
            )
    return out


def _label(d: date) -> str:
    return d.isoformat()[:7]
