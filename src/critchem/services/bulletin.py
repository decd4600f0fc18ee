"""The weekly bulletin service: select the week's alerts and write HTML, PDF and JSON.

``make_bulletin("2025-W48", database_url=..., out_dir=...)`` writes
``bulletin-2025-W48.html`` (charts inline as SVG, no external assets),
``bulletin-2025-W48.pdf`` (a summary page, one page per alert, one for the map) and
``bulletin-2025-W48.json`` (the same alerts, for machines). See ``critchem.reports.bulletin``
for which alerts are listed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from critchem.core.database import utcnow
from critchem.core.labels import data_labels, label_line
from critchem.reports import charts, maps
from critchem.reports.bulletin import (
    BulletinItem,
    parse_period,
    parse_week,
    select_alerts,
    select_period,
)
from critchem.reports.render import render
from critchem.services.alerts import open_store
from critchem.surveillance.alerts.ingest import code_version
from critchem.surveillance.base import Severity

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class BulletinAlertOut(BaseModel):
    """One alert of the bulletin, as summarised."""

    model_config = ConfigDict(frozen=True)

    id: int
    severity: str
    change: str
    severity_before: str | None
    subject: str
    reporter: str
    partner: str
    chart: bool


class BulletinOut(BaseModel):
    """What ``make_bulletin`` wrote: the files and the counts."""

    model_config = ConfigDict(frozen=True)

    week: str
    start: date
    end: date
    html: Path
    pdf: Path
    json_path: Path
    pdf_pages: int
    alerts: int
    new: int
    escalated: int
    red: int
    amber: int
    charts: int
    origins: int
    items: list[BulletinAlertOut]


@dataclass(frozen=True, slots=True)
class _Entry:
    item: BulletinItem
    svg: Markup | None
    description: str
    figure: Figure | None


def _entries(items: list[BulletinItem]) -> list[_Entry]:
    entries = []
    for item in items:
        series = charts.evidence_series(item)
        if series is None:
            entries.append(_Entry(item, None, "", None))
            continue
        figure = charts.alert_figure(item, series)
        description = charts.chart_description(item, series)
        svg = charts.figure_svg(figure, charts.alert_title(item), description, f"chart-{item.id}")
        entries.append(_Entry(item, Markup(svg), description, figure))
    return entries


@dataclass(frozen=True, slots=True)
class _Window:
    """What a bulletin covers: an ISO week (by creation) or a trade month (by trade period)."""

    kind: str
    """``week`` or ``trade period``."""
    label: str
    monday: date
    """The first day covered."""
    sunday: date
    """The last day covered."""

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.sunday + timedelta(days=1), time(), tzinfo=UTC)


def _counts(items: list[BulletinItem]) -> dict[str, int]:
    counts = {"new": 0, "escalated": 0, "ongoing": 0, "red": 0, "amber": 0, "info": 0}
    for item in items:
        counts[item.change] += 1
        counts[item.severity] += 1
    return counts


def _twin(
    week: _Window,
    generated_at: datetime,
    entries: list[_Entry],
    counts: dict[str, int],
    mapped: list[maps.Origin],
    unmapped: list[str],
) -> dict[str, Any]:
    return {
        "week": week.label,
        "covers": week.kind,
        "start": week.start.isoformat(),
        "end": week.end.isoformat(),
        "generated_at": generated_at.isoformat(),
        "code_version": code_version(),
        "counts": counts,
        "alerts": [{**e.item.model_dump(mode="json"), "chart": e.svg is not None} for e in entries],
        "origins": [
            {"iso2": o.iso2, "name": o.name, "alerts": o.alerts, "severity": o.severity}
            for o in mapped
        ],
        "unmapped_partners": unmapped,
    }


def make_bulletin(
    week: str | None = None,
    *,
    period: str | None = None,
    database_url: str | None = None,
    out_dir: Path | None = None,
    now: datetime | None = None,
    min_severity: Severity = "amber",
) -> BulletinOut:
    """Write the bulletin of ``week`` (``YYYY-Www``) into ``out_dir`` (default: the current folder).

    Parameters
    ----------
    week
        ISO week, e.g. ``2025-W48``: the alerts created or escalated during it; a malformed
        or non-existent week raises ``InvalidWeekError``.
    period
        Trade month, e.g. ``2025-11``, instead of ``week``: the alerts whose trade months
        include it (new when first seen that month, ongoing otherwise).
    database_url
        Alert database (default: the ``database_url`` setting).
    out_dir
        Where to write the three files (created if missing).
    now
        The generation time printed in the bulletin (default: the current UTC time).
    min_severity
        Leave out alerts below this severity (``"red"``: the alerts to act on).
    """
    if (week is None) == (period is None):
        raise ValueError("give a week (YYYY-Www) or a trade period (YYYY-MM), not both")
    store = open_store(database_url)
    try:
        if week is not None:
            w = parse_week(week)
            iso = _Window("week", w.label, w.monday, w.sunday)
            items = select_alerts(store, w, min_severity=min_severity)
        else:
            p = parse_period(period or "")
            last = (p.first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            iso = _Window("trade period", p.label, p.first, last)
            items = select_period(store, p, min_severity=min_severity)
    finally:
        store.dispose()
    generated_at = now or utcnow()
    folder = out_dir or Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"bulletin-{iso.label}"

    entries = _entries(items)
    mapped, unmapped = maps.origins(items)
    heading = f"Early-warning bulletin {iso.label} ({iso.monday} to {iso.sunday})"
    data_label = label_line(data_labels([i.model_dump(mode="json") for i in items]))
    if data_label:
        heading = f"{heading}. {data_label}"
    map_fig = maps.map_figure(mapped, f"Origins of the alerts, {iso.kind} {iso.label}")
    map_desc = maps.map_description(mapped, unmapped)
    counts = _counts(items)

    page = render(
        "bulletin.html.j2",
        week=iso,
        generated_at=f"{generated_at:%Y-%m-%d %H:%M} UTC",
        items=items,
        entries=entries,
        counts=counts,
        origins=mapped,
        unmapped=unmapped,
        map_svg=Markup(charts.figure_svg(map_fig, "Map of origins", map_desc, "map")),
        map_description=map_desc,
        version=code_version(),
        data_label=data_label,
    )
    html_path = stem.with_suffix(".html")
    html_path.write_text(page, encoding="utf-8")

    figures = [charts.summary_figure(items, heading)]
    figures += [e.figure for e in entries if e.figure is not None]
    figures.append(map_fig)
    pdf_path = stem.with_suffix(".pdf")
    pages = charts.write_pdf(pdf_path, figures, title=heading)

    json_path = stem.with_suffix(".json")
    twin = {**_twin(iso, generated_at, entries, counts, mapped, unmapped), "data_label": data_label}
    json_path.write_text(json.dumps(twin, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    return BulletinOut(
        week=iso.label,
        start=iso.monday,
        end=iso.sunday,
        html=html_path,
        pdf=pdf_path,
        json_path=json_path,
        pdf_pages=pages,
        alerts=len(items),
        new=counts["new"],
        escalated=counts["escalated"],
        red=counts["red"],
        amber=counts["amber"],
        charts=sum(e.svg is not None for e in entries),
        origins=len(mapped),
        items=[
            BulletinAlertOut(
                id=e.item.id,
                severity=e.item.severity,
                change=e.item.change,
                severity_before=e.item.severity_before,
                subject=e.item.subject,
                reporter=e.item.reporter,
                partner=e.item.partner,
                chart=e.svg is not None,
            )
            for e in entries
        ],
    )
