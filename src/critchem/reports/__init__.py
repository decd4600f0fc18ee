"""Reports: the weekly early-warning bulletin (HTML, PDF and a JSON twin).

``bulletin`` selects the alerts that are new or escalated during one ISO week, ``charts``
draws their evidence and writes the PDF, ``maps`` places their origins on a plain
longitude/latitude grid, and ``render`` fills the HTML templates.
"""

from __future__ import annotations

from critchem.reports.bulletin import (
    BulletinItem,
    EventRecord,
    InvalidWeekError,
    IsoWeek,
    classify,
    parse_week,
    select_alerts,
    severity_at,
)

__all__ = [
    "BulletinItem",
    "EventRecord",
    "InvalidWeekError",
    "IsoWeek",
    "classify",
    "parse_week",
    "select_alerts",
    "severity_at",
]
