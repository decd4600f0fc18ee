"""The chart of the alert console: the evidence series, its baseline and the detected month."""

from __future__ import annotations

from critchem.web.charts import Line, line_chart
from critchem.web.pages.alert_detail import AlertPageOut

UNITS = {
    "net_mass_kg": "kg",
    "value": "EUR",
    "unit_value": "EUR per kg",
    "share": "share (0 to 1)",
}
"""Axis units by the evidence's measure (the measure itself when not listed)."""


def alert_chart(data: AlertPageOut) -> str | None:
    """The SVG of the alert's evidence series, or ``None`` when its events carry none."""
    s = data.series
    if s is None:
        return None
    lines = [Line(s.measure.replace("_", " "), s.values)]
    if s.baseline is not None:
        lines.append(Line("baseline", s.baseline, dashed=True))
    marker = f", detected {s.detected}" if s.detected else ""
    return line_chart(
        "chart-alert",
        f"{data.alert.title} ({s.detector}{marker})",
        s.periods,
        lines,
        unit=UNITS.get(s.measure, s.measure),
    )
