"""Per trade-defence case: did the system raise an amber or red alert first, and how early?

For each case of the trade-defence register and each of its (code, country) pairs, the
alerts on imports (flow ``"1"``) of a CN8 code under one of the case's codes from one of the
named countries, of severity amber or red, in the ``lookback`` months up to and including the
initiation month. The lead is the number of months from the first such alert to the
initiation (0 = the month of initiation). Cases whose codes are not in the store at all are
reported as ``no data``, not as misses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from critchem.events import RegisterEvent

LOOKBACK_MONTHS = 24


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """What the alerts said before one case was initiated."""

    case: str
    product: str
    countries: tuple[str, ...]
    initiated: str
    status: str
    """``alerted``, ``missed`` (the store holds the trade, no alert) or ``no data``."""
    months_before: int | None
    first_alert: str | None


def _month(text: str) -> int:
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def case_outcomes(
    cases: Iterable[RegisterEvent],
    alerts: Iterable[Mapping[str, Any]],
    held: set[tuple[str, str]],
    *,
    lookback: int = LOOKBACK_MONTHS,
) -> list[CaseOutcome]:
    """The outcome of each case given the stored ``alerts`` and the (product, partner)
    pairs ``held`` by the store (imports).

    ``alerts`` are mappings with ``product``, ``partner``, ``flow``, ``severity`` and
    ``period`` (``YYYY-MM...``), as the alert services return them.
    """
    alerts = [a for a in alerts if a.get("flow") == "1" and a.get("severity") in ("amber", "red")]
    out = []
    for case in cases:
        start = _month(case.start.isoformat())

        def concerns(product: str, partner: str, case: RegisterEvent = case) -> bool:
            return partner in case.countries and any(product.startswith(c) for c in case.codes)

        hits = sorted(
            (a for a in alerts if concerns(str(a.get("product") or ""), str(a["partner"]))),
            key=lambda a: str(a["period"]),
        )
        hits = [a for a in hits if start - lookback <= _month(str(a["period"])) <= start]
        has_data = any(concerns(p, c) for p, c in held)
        status = "alerted" if hits else ("missed" if has_data else "no data")
        out.append(
            CaseOutcome(
                case=case.id,
                product=case.product,
                countries=case.countries,
                initiated=case.start.isoformat(),
                status=status,
                months_before=start - _month(str(hits[0]["period"])) if hits else None,
                first_alert=str(hits[0]["period"])[:7] if hits else None,
            )
        )
    return out
