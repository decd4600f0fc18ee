"""Horizontal grouped bars: one group per category, one bar per series, a reference level."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from critchem.web.charts.svg import PALETTE, Scale, frame, nice_ticks, no_data, text

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 156, 48, 34, 34
BAR, GAP = 10, 10
"""Height of one bar and the space between two groups (pixels)."""


@dataclass(frozen=True, slots=True)
class BarSeries:
    """One bar of every group: a label, a value per category (``None``: not shown) and tips."""

    label: str
    values: Sequence[float | None]
    tips: Sequence[str]
    missing: str = "withheld"


def _percent(value: float) -> str:
    return f"{value:.0%}"


def grouped_bars(
    ident: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    unit: str,
    reference: tuple[float, str] | None = None,
    fmt: Callable[[float], str] = _percent,
) -> str:
    """Bars of each series for each category on one value axis in ``unit``.

    A missing value is written (``series.missing``) where its bar would be; ``reference`` is
    a vertical dashed level with its label (e.g. demand at 100 %). The ``<desc>`` lists each
    category's values.
    """
    if not categories or not series:
        return no_data(ident, WIDTH, title)
    values = [v for s in series for v in s.values if v is not None]
    top = max([*values, reference[0] if reference else 0.0, 0.0])
    ticks = nice_ticks(0.0, top or 1.0)
    group = BAR * len(series) + GAP
    height = TOP + group * len(categories) + BOTTOM
    x = Scale(0.0, ticks[-1], LEFT, WIDTH - RIGHT)
    body = []
    for tick in ticks:
        body.append(
            f'<line class="grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP - 4}" '
            f'y2="{height - BOTTOM}"/>'
        )
        body.append(text(x(tick), height - BOTTOM + 14, fmt(tick), anchor="middle", cls="axis"))
    body.append(text((LEFT + WIDTH - RIGHT) / 2, height - 6, unit, anchor="middle", cls="axis"))
    lines = []
    for i, category in enumerate(categories):
        y0 = TOP + i * group
        body.append(text(LEFT - 6, y0 + BAR * len(series) / 2 + 4, category, anchor="end",
                         cls="axis"))  # fmt: skip
        parts = []
        for j, s in enumerate(series):
            value, tip = s.values[i], s.tips[i]
            y = y0 + j * BAR
            if value is None:
                body.append(text(LEFT + 4, y + BAR - 1, s.missing, cls="missing"))
                parts.append(f"{s.label} {s.missing}")
                continue
            colour = PALETTE[j % len(PALETTE)]
            body.append(
                f'<rect class="mark bar" x="{LEFT}" y="{y:.1f}" '
                f'width="{max(x(value) - LEFT, 0.5):.1f}" height="{BAR - 1}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            body.append(text(x(value) + 3, y + BAR - 1, fmt(value), cls="label"))
            parts.append(f"{s.label} {fmt(value)}")
        lines.append(f"{category}: {', '.join(parts)}")
    if reference is not None:
        level, label = reference
        body.append(
            f'<line class="reference" x1="{x(level):.1f}" x2="{x(level):.1f}" y1="{TOP - 4}" '
            f'y2="{height - BOTTOM}"/>'
        )
        body.append(text(x(level), TOP - 8, label, anchor="middle", cls="axis"))
    legend_x = 8.0
    for j, s in enumerate(series):
        body.append(
            f'<rect x="{legend_x:.1f}" y="6" width="14" height="10" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/>'
        )
        body.append(text(legend_x + 18, 15, s.label, cls="legend"))
        legend_x += 30 + 6.5 * len(s.label)
    description = f"{unit}. " + "; ".join(lines) + "."
    return frame(ident, WIDTH, height, title, description, "".join(body))
