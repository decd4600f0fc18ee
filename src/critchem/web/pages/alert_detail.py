"""The alert console: one alert with everything an analyst needs to judge it.

The series with its baseline and the detected month, the evidence numbers, the product's
full CN label, the reporter and partner in words, the detectors and the fusion rule behind
the severity, the register events on the same code and country, the data source (real or
SYNTHETIC) and the lifecycle history.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict

from critchem.services.alerts import AlertDetailOut, show_alert
from critchem.surveillance.alerts import AlertStore

FUSION_RULE = (
    "Severity is the highest effective severity of the alert's events, except that red needs "
    "at least two independent families (volume, price, concentration, policy) each at least "
    "amber, from events that read no evidence in common (a trade diversion also reads the "
    "origin's share, so it does not corroborate a concentration shift); screening detectors "
    "count as info unless a low-false-alarm detector corroborates them."
)


class SeriesOut(BaseModel):
    """The evidence series of one event, ready to chart."""

    model_config = ConfigDict(frozen=True)

    detector: str
    measure: str
    periods: list[str]
    values: list[float | None]
    baseline: list[float | None] | None
    detected: str | None


class AlertPageOut(BaseModel):
    """The alert console's data (the ``/alerts/{id}.json`` twin)."""

    model_config = ConfigDict(frozen=True)

    alert: AlertDetailOut
    cn_label: list[str]
    """The product's CN labels from chapter to the CN8 line (empty when the code is unknown)."""
    reporter_name: str
    partner_name: str
    flow_name: str
    data_source: str
    """``real`` or ``SYNTHETIC``."""
    sources: list[str]
    detectors: list[str]
    fusion_rule: str
    series: SeriesOut | None


def _label(product: str | None) -> list[str]:
    if not product:
        return []
    from critchem.core.errors import CritchemError
    from critchem.services.codes import show_code

    try:
        code = show_code(product)
    except CritchemError:
        return []
    return [f"{p.code} {p.description}" for p in code.parents] + [f"{code.code} {code.label}"]


def _name(code: str) -> str:
    if code in ("*", "WORLD"):
        return "all origins" if code == "*" else "all partners (world)"
    if code == "EU27":
        return "European Union (27)"
    from critchem.nomenclature.countries import load_countries

    return load_countries().name(code)


def _numbers(raw: Any, length: int) -> list[float | None] | None:
    if not isinstance(raw, list) or len(raw) != length:
        return None
    out: list[float | None] = []
    for v in raw:
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            out.append(None)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out.append(float(v))
        else:
            return None
    return out


def _series(alert: AlertDetailOut) -> SeriesOut | None:
    """The series of the alert's most severe plottable event."""
    rank = {"info": 0, "amber": 1, "red": 2}
    for event in sorted(
        alert.events, key=lambda e: (rank.get(e.severity, 0), e.period), reverse=True
    ):
        ev = event.evidence
        nested = ev.get("series")
        src: dict[str, Any] = nested if isinstance(nested, dict) else ev
        periods = src.get("periods")
        if not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
            continue
        values = _numbers(src.get("values"), len(periods))
        if values is None or len(values) < 2:
            continue
        raw = src.get("baseline", ev.get("baseline"))
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            baseline: list[float | None] | None = [float(raw)] * len(values)
        else:
            baseline = _numbers(raw, len(values))
        month = event.period.isoformat()[:7]
        return SeriesOut(
            detector=event.detector,
            measure=str(src.get("measure", ev.get("measure", "value"))),
            periods=[p[:7] for p in periods],
            values=values,
            baseline=baseline,
            detected=month if any(p[:7] == month for p in periods) else None,
        )
    return None


def alert_page(store: AlertStore, alert_id: int) -> AlertPageOut:
    """Everything the alert console shows for alert ``alert_id``."""
    alert = show_alert(store, alert_id)
    raw = alert.provenance.get("sources") or [alert.provenance.get("source")]
    sources = [str(s) for s in raw if s]
    synthetic = any("synthetic" in s.lower() for s in sources) or any(
        e.key.get("source", "").lower() == "synthetic" for e in alert.events
    )
    return AlertPageOut(
        alert=alert,
        cn_label=_label(alert.product),
        reporter_name=_name(alert.reporter),
        partner_name=_name(alert.partner),
        flow_name={"1": "imports", "2": "exports"}.get(alert.flow or "", "trade"),
        data_source="SYNTHETIC" if synthetic else "real",
        sources=sources,
        detectors=sorted({e.detector for e in alert.events}),
        fusion_rule=FUSION_RULE,
        series=_series(alert),
    )
