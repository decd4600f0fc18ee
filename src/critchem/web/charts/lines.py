"""Time-series charts: lines over periods, and stacked bars of shares per period."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from critchem.web.charts.svg import (
    PALETTE,
    Scale,
    compact,
    frame,
    nice_ticks,
    no_data,
    polyline,
    text,
)

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 44


@dataclass(frozen=True, slots=True)
class Line:
    """One series of a line chart: a label and one value per period (``None`` for a gap)."""

    label: str
    values: Sequence[float | None]
    dashed: bool = False


def _period_ticks(periods: Sequence[str], scale: Scale) -> str:
    step = max(1, math.ceil(len(periods) / 8))
    marks = []
    for i in range(0, len(periods), step):
        x = scale(i)
        marks.append(
            f'<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{HEIGHT - BOTTOM}" '
            f'y2="{HEIGHT - BOTTOM + 4}"/>'
        )
        marks.append(text(x, HEIGHT - BOTTOM + 18, periods[i], anchor="middle", cls="axis"))
    return "".join(marks)


def _value_axis(ticks: list[float], scale: Scale, fmt: Callable[[float], str]) -> str:
    out = []
    for tick in ticks:
        y = scale(tick)
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        out.append(text(LEFT - 6, y + 4, fmt(tick), anchor="end", cls="axis"))
    return "".join(out)


def _axis_title(label: str) -> str:
    middle = (TOP + HEIGHT - BOTTOM) / 2
    return (
        f'<text class="axis" transform="translate(14 {middle:.0f}) rotate(-90)" '
        f'text-anchor="middle">{escape(label)}</text>'
    )


def _legend(items: Sequence[tuple[str, str, bool]]) -> str:
    """A one-row legend of (label, colour, dashed) items above the plot."""
    out, x = [], float(LEFT)
    for label, colour, dashed in items:
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        out.append(
            f'<line x1="{x:.1f}" x2="{x + 18:.1f}" y1="12" y2="12" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
        )
        out.append(text(x + 22, 16, label, cls="legend"))
        x += 30 + 6.5 * len(label)
    return "".join(out)


def line_chart(
    ident: str,
    title: str,
    periods: Sequence[str],
    lines: Sequence[Line],
    *,
    unit: str,
    fmt: Callable[[float], str] = compact,
    references: Sequence[tuple[float, str]] = (),
) -> str:
    """Lines over ``periods`` with a value axis in ``unit``, a legend and reference levels.

    ``references`` are horizontal dotted lines (value, label), e.g. concentration thresholds.
    The ``<desc>`` gives each line's first, last, lowest and highest values.
    """
    finite = [v for line in lines for v in line.values if v is not None and math.isfinite(v)]
    finite += [value for value, _ in references]
    if not periods or not finite:
        return no_data(ident, WIDTH, title)
    lo = min(0.0, min(finite))
    ticks = nice_ticks(lo, max(finite))
    y = Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    x = Scale(0, max(len(periods) - 1, 1), LEFT, WIDTH - RIGHT)
    body = [_value_axis(ticks, y, fmt), _period_ticks(periods, x)]
    body.append(_axis_title(unit))
    for value, label in references:
        body.append(
            f'<line class="reference" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
        )
        body.append(text(WIDTH - RIGHT - 4, y(value) - 4, label, anchor="end", cls="axis"))
    parts = []
    for i, line in enumerate(lines):
        colour = PALETTE[i % len(PALETTE)]
        points = [(x(j), y(v) if v is not None else math.nan) for j, v in enumerate(line.values)]
        dash = ' stroke-dasharray="5 3"' if line.dashed else ""
        body.append(
            f'<path class="mark line" d="{polyline(points)}" stroke="{colour}" '
            f'fill="none" stroke-width="2"{dash}><title>{escape(line.label)}</title></path>'
        )
        known = [v for v in line.values if v is not None]
        if known:
            parts.append(
                f"{line.label}: from {fmt(known[0])} to {fmt(known[-1])} "
                f"(lowest {fmt(min(known))}, highest {fmt(max(known))})"
            )
    body.append(
        _legend([(ln.label, PALETTE[i % len(PALETTE)], ln.dashed) for i, ln in enumerate(lines)])
    )
    description = f"{unit} from {periods[0]} to {periods[-1]}. " + "; ".join(parts) + "."
    return frame(ident, WIDTH, HEIGHT, title, description, "".join(body))


def stacked_bars(
    ident: str,
    title: str,
    periods: Sequence[str],
    shares: Sequence[dict[str, float]],
) -> str:
    """One bar per period split by partner share (0..1), the same colour for a partner in all.

    Partners are coloured in order of their total share; the rest of a bar is grey
    ("others").
    """
    if not periods:
        return no_data(ident, WIDTH, title)
    totals: dict[str, float] = {}
    for row in shares:
        for partner, share in row.items():
            totals[partner] = totals.get(partner, 0.0) + share
    partners = sorted(totals, key=lambda p: -totals[p])[: len(PALETTE) - 1]
    y = Scale(0.0, 1.0, HEIGHT - BOTTOM, TOP)
    band = (WIDTH - LEFT - RIGHT) / len(periods)
    body = [_value_axis([0, 0.25, 0.5, 0.75, 1.0], y, lambda v: f"{v:.0%}")]
    body.append(_axis_title("share of extra-EU imports"))
    for i, (period, row) in enumerate(zip(periods, shares, strict=True)):
        x0 = LEFT + i * band + band * 0.15
        bottom = 0.0
        for j, partner in [*enumerate(partners), (len(PALETTE) - 1, "")]:
            share = row.get(partner, 0.0) if partner else max(0.0, 1.0 - bottom)
            if share <= 0:
                continue
            label = partner or "others"
            body.append(
                f'<rect class="mark bar" x="{x0:.1f}" y="{y(bottom + share):.1f}" '
                f'width="{band * 0.7:.1f}" height="{y(bottom) - y(bottom + share):.1f}" '
                f'fill="{PALETTE[j]}"><title>{escape(period)}: {escape(label)} '
                f"{share:.1%}</title></rect>"
            )
            bottom += share
        body.append(
            text(x0 + band * 0.35, HEIGHT - BOTTOM + 18, period, anchor="middle", cls="axis")
        )
    legend = [(p, PALETTE[i], False) for i, p in enumerate(partners)]
    body.append(_legend([*legend, ("others", PALETTE[-1], False)]))
    last = shares[-1]
    top = ", ".join(f"{p} {last.get(p, 0.0):.0%}" for p in partners[:5])
    description = (
        f"Supplier shares per period from {periods[0]} to {periods[-1]}; in {periods[-1]}: {top}."
    )
    return frame(ident, WIDTH, HEIGHT, title, description, "".join(body))
