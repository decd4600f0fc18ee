"""Charts of the bulletin: one evidence chart per alert, the summary page, SVG and PDF output.

Figures are built on matplotlib's Agg canvas inside each function (``Figure`` plus
``FigureCanvasAgg``), so importing this module neither loads matplotlib nor changes the
global backend. The same figures go inline into the HTML as SVG (text kept as text, with a
``<title>`` and ``<desc>`` for screen readers) and into the PDF through ``PdfPages``.

Plottable evidence
------------------
A detector event can carry its series in ``evidence``: ``periods`` (ISO dates or ``YYYY-MM``)
and ``values`` (numbers, ``null`` for gaps) of the same length, at the top level or under
``series``; optionally ``baseline`` (one number, or a list aligned with ``values``) and
``measure`` (the axis label). The chart shows the series, the baseline dashed and the event's
period marked. An alert whose events carry no such series gets no chart; the bulletin says so
and lists the events' statistics instead.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from critchem.reports.bulletin import BulletinItem, EventRecord
from critchem.surveillance.alerts.fusion import RANK
from critchem.surveillance.base import Severity

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SEVERITY_COLOURS: dict[str, str] = {"red": "#b2182b", "amber": "#d97f00", "info": "#3b6ea5"}
"""Marker colours by severity (distinguishable in grey scale too: red is the darkest)."""
A4_LANDSCAPE = (11.69, 8.27)
SUMMARY_ROWS = 30
"""At most this many alerts in the PDF summary table (the HTML and JSON list them all)."""


@dataclass(frozen=True, slots=True)
class EvidenceSeries:
    """A series found in an event's evidence, ready to plot."""

    detector: str
    measure: str
    periods: tuple[str, ...]
    values: tuple[float, ...]
    """NaN for gaps."""
    baseline: tuple[float, ...] | None
    detected: int | None
    """Index of the event's period in ``periods`` (``None`` when it is not among them)."""
    severity: str


def _number(value: Any) -> float | None:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _numbers(values: Any, length: int | None = None) -> tuple[float, ...] | None:
    if not isinstance(values, list) or (length is not None and len(values) != length):
        return None
    numbers = [_number(v) for v in values]
    if any(n is None for n in numbers):
        return None
    return tuple(cast(list[float], numbers))


def _from_event(event: EventRecord) -> EvidenceSeries | None:
    evidence = event.evidence
    source = evidence.get("series") if isinstance(evidence.get("series"), dict) else evidence
    assert isinstance(source, dict)
    periods, values = source.get("periods"), _numbers(source.get("values"))
    if not isinstance(periods, list) or values is None or len(values) < 2:
        return None
    if len(periods) != len(values) or not all(isinstance(p, str) for p in periods):
        return None
    if not any(math.isfinite(v) for v in values):
        return None
    raw_baseline = source.get("baseline", evidence.get("baseline"))
    scalar = _number(raw_baseline) if not isinstance(raw_baseline, list) else None
    if scalar is not None and math.isfinite(scalar):
        baseline: tuple[float, ...] | None = (scalar,) * len(values)
    else:
        baseline = _numbers(raw_baseline, len(values))
    month = event.period.isoformat()[:7]
    detected = next((i for i, p in enumerate(periods) if p[:7] == month), None)
    measure = source.get("measure", evidence.get("measure", "value"))
    return EvidenceSeries(
        detector=event.detector,
        measure=str(measure),
        periods=tuple(periods),
        values=values,
        baseline=baseline,
        detected=detected,
        severity=event.severity,
    )


def evidence_series(item: BulletinItem) -> EvidenceSeries | None:
    """The series to plot for ``item``: from its most severe, then latest, plottable event."""
    ranked = sorted(
        item.events,
        key=lambda e: (RANK[cast(Severity, e.severity)], e.period, e.recorded_at),
        reverse=True,
    )
    for event in ranked:
        found = _from_event(event)
        if found is not None:
            return found
    return None


def new_figure(size: tuple[float, float]) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def alert_title(item: BulletinItem) -> str:
    """The heading of one alert: id, severity, subject, reporter and partner (and its label)."""
    label = " (SYNTHETIC data)" if item.data_source == "synthetic" else ""
    return f"#{item.id} {item.severity}: {item.subject}, {item.reporter} from {item.partner}{label}"


def alert_figure(item: BulletinItem, series: EvidenceSeries) -> Figure:
    """The evidence chart of one alert: the series, its baseline and the detected point."""
    figure = new_figure((8.0, 3.4))
    ax = figure.add_subplot()
    x = list(range(len(series.values)))
    ax.plot(x, series.values, color="#1f3b57", linewidth=1.6, marker=".", label=series.measure)
    if series.baseline is not None:
        ax.plot(
            x, series.baseline, color="#555555", linestyle="--", linewidth=1.2, label="baseline"
        )
    if series.detected is not None:
        i = series.detected
        ax.scatter(
            [i],
            [series.values[i]],
            s=90,
            color=SEVERITY_COLOURS.get(series.severity, "#000000"),
            edgecolor="black",
            zorder=3,
            label=f"detected ({series.severity}) {series.periods[i][:7]}",
        )
    step = max(1, math.ceil(len(x) / 12))
    ax.set_xticks(x[::step], [p[:7] for p in series.periods[::step]], rotation=45, ha="right")
    ax.set_ylabel(series.measure)
    ax.set_xlabel("month")
    ax.set_title(f"{alert_title(item)} ({series.detector})", fontsize=10, loc="left")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.legend(loc="best", fontsize=8, frameon=False)
    return figure


def chart_description(item: BulletinItem, series: EvidenceSeries) -> str:
    """A sentence describing the chart, for its ``<desc>`` and the figure caption."""
    finite = [v for v in series.values if math.isfinite(v)]
    parts = [
        f"{series.measure} from {series.periods[0][:7]} to {series.periods[-1][:7]}, "
        f"between {min(finite):,.4g} and {max(finite):,.4g}"
    ]
    if series.baseline is not None and math.isfinite(series.baseline[-1]):
        parts.append(f"baseline {series.baseline[-1]:,.4g} at the end")
    if series.detected is not None:
        i = series.detected
        parts.append(
            f"{series.detector} flagged {series.periods[i][:7]} "
            f"(value {series.values[i]:,.4g}, {series.severity})"
        )
    return "; ".join(parts) + "."


def summary_figure(items: Sequence[BulletinItem], heading: str) -> Figure:
    """The summary page of the PDF: a table of the alerts (at most ``SUMMARY_ROWS``)."""
    figure = new_figure(A4_LANDSCAPE)
    ax = figure.add_subplot()
    ax.axis("off")
    ax.set_title(heading, loc="left", fontsize=14)
    if not items:
        ax.text(0.0, 0.9, "No new or escalated alerts this week.", fontsize=12, va="top")
        return figure
    columns = ["id", "severity", "change", "subject", "reporter", "partner", "families", "last"]
    rows = [
        [
            str(i.id),
            i.severity if i.severity_before is None else f"{i.severity_before} > {i.severity}",
            i.change,
            i.subject,
            i.reporter,
            i.partner,
            ", ".join(i.families),
            i.last_seen_period.isoformat()[:7],
        ]
        for i in items[:SUMMARY_ROWS]
    ]
    table = ax.table(
        cellText=rows,
        colLabels=columns,
        loc="upper left",
        cellLoc="left",
        colWidths=[0.06, 0.12, 0.09, 0.27, 0.08, 0.08, 0.2, 0.08],
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    for (row, _), cell in table.get_celld().items():
        cell.set_edgecolor("#999999")
        if row == 0:
            cell.set_text_props(weight="bold")
    for row, item in enumerate(items[:SUMMARY_ROWS], start=1):
        table[row, 1].set_text_props(color=SEVERITY_COLOURS.get(item.severity, "black"))
    if len(items) > SUMMARY_ROWS:
        ax.text(
            0.0,
            0.0,
            f"... and {len(items) - SUMMARY_ROWS} more alerts: see the HTML or JSON bulletin.",
            fontsize=9,
        )
    return figure


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def figure_svg(figure: Figure, title: str, description: str, ident: str) -> str:
    """``figure`` as an inline SVG element with ``<title>`` and ``<desc>``, no external assets.

    ``ident`` prefixes every id of the SVG (so that several figures can share one page) and
    names the title and description.
    """
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    # Inline in HTML: the namespaces are implied, and every id must be unique in the page.
    text = re.sub(r'\sxmlns(:xlink)?="[^"]*"', "", text)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{ident}-\1"', text)
    text = re.sub(r'(href="#|url\(#)([^")]+)', rf"\1{ident}-\2", text)
    opening = _SVG_OPEN.search(text)
    assert opening is not None
    tag = re.sub(r'\s(width|height)="[^"]*"', "", opening.group(0))
    tag = tag.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" '
        'width="100%" preserveAspectRatio="xMidYMid meet"',
        1,
    )
    accessible = (
        f'<title id="{ident}-title">{html.escape(title)}</title>'
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>'
    )
    return text[: opening.start()] + tag + accessible + text[opening.end() :]


def write_pdf(path: Path, figures: Iterable[Figure], *, title: str) -> int:
    """Write ``figures`` into the PDF ``path``, one per page; returns the page count."""
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path, metadata={"Title": title, "Creator": "critchem"}) as pdf:
        for figure in figures:
            pdf.savefig(figure)
        pages = int(pdf.get_pagecount())
    return pages
