"""Small SVG building blocks: a linear scale, round tick values, the accessible ``<svg>`` frame."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#6b6b6b")
"""Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), grey last."""


@dataclass(frozen=True, slots=True)
class Scale:
    """A linear map from the data interval ``[lo, hi]`` to the pixel interval ``[start, end]``."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        """The pixel position of ``value``.

        >>> Scale(0, 10, 100, 0)(2.5)
        75.0
        """
        span = self.hi - self.lo or 1.0
        return self.start + (value - self.lo) / span * (self.end - self.start)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values covering ``[lo, hi]`` (steps of 1, 2 or 5 × 10^k).

    >>> nice_ticks(0, 0.83)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    >>> nice_ticks(3, 3)
    [2.0, 3.0, 4.0]
    """
    if hi <= lo:
        return [lo - 1.0, float(lo), lo + 1.0]
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks = []
    value = first
    while value < hi + step * 0.999:
        ticks.append(round(value, 12))
        value += step
        if ticks[-1] >= hi:
            break
    return ticks


def compact(value: float) -> str:
    """A short label for an axis value: 1.2k, 3.4M, 5.6bn, or up to 3 significant digits.

    >>> compact(1_500_000), compact(0.25), compact(2_000_000_000)
    ('1.5M', '0.25', '2bn')
    """
    size = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def frame(ident: str, width: int, height: int, title: str, description: str, body: str) -> str:
    """An inline SVG with ``role="img"``, a ``<title>`` and a ``<desc>``, scaled to its box."""
    return (
        f'<svg id="{ident}" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>{body}</svg>'
    )


def no_data(ident: str, width: int, title: str) -> str:
    """A short frame saying there is nothing to plot."""
    message = "No data to plot."
    return frame(ident, width, 60, title, message, text(width / 2, 34, message, anchor="middle"))


def text(x: float, y: float, label: str, *, anchor: str = "start", cls: str = "") -> str:
    """A ``<text>`` element (escaped)."""
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{escape(label)}</text>'


def polyline(points: list[tuple[float, float]]) -> str:
    """The ``d`` of a path through ``points``, broken where a point is missing (NaN)."""
    parts = []
    pen_down = False
    for x, y in points:
        if math.isnan(y):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
    return "".join(parts)
