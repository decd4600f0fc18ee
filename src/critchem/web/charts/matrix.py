"""The criticality matrix: economic importance (x) against supply risk (y), with thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from critchem.web.charts.svg import Scale, frame, nice_ticks, text

WIDTH, HEIGHT = 640, 420
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 20, 48
VERDICT_COLOURS = {True: "#b2182b", False: "#3b6ea5", None: "#6b6b6b"}
"""Critical, not critical, undetermined."""


@dataclass(frozen=True, slots=True)
class MatrixPoint:
    """One material on the matrix (a material missing EI or SR is not plotted)."""

    label: str
    ei: float
    sr: float
    critical: bool | None


def criticality_matrix(
    ident: str,
    title: str,
    points: Sequence[MatrixPoint],
    *,
    ei_threshold: float,
    sr_threshold: float,
) -> str:
    """EI against SR, one labelled dot per material, the thresholds as lines.

    The top right quadrant (both thresholds reached) is shaded: the critical zone.
    """
    eis = [p.ei for p in points] + [ei_threshold]
    srs = [p.sr for p in points] + [sr_threshold]
    x_ticks, y_ticks = nice_ticks(0, max(eis) * 1.05), nice_ticks(0, max(srs) * 1.05)
    x = Scale(x_ticks[0], x_ticks[-1], LEFT, WIDTH - RIGHT)
    y = Scale(y_ticks[0], y_ticks[-1], HEIGHT - BOTTOM, TOP)
    body = [
        f'<rect class="zone" x="{x(ei_threshold):.1f}" y="{TOP}" '
        f'width="{WIDTH - RIGHT - x(ei_threshold):.1f}" height="{y(sr_threshold) - TOP:.1f}"/>'
    ]
    for tick in x_ticks:
        body.append(
            f'<line class="grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP}" '
            f'y2="{HEIGHT - BOTTOM}"/>'
        )
        body.append(text(x(tick), HEIGHT - BOTTOM + 16, f"{tick:g}", anchor="middle", cls="axis"))
    for tick in y_ticks:
        body.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/>'
        )
        body.append(text(LEFT - 6, y(tick) + 4, f"{tick:g}", anchor="end", cls="axis"))
    body.append(
        f'<line class="threshold" x1="{x(ei_threshold):.1f}" x2="{x(ei_threshold):.1f}" '
        f'y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
    )
    body.append(
        f'<line class="threshold" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{y(sr_threshold):.1f}" y2="{y(sr_threshold):.1f}"/>'
    )
    body.append(text(x(ei_threshold) + 4, TOP + 14, f"EI threshold {ei_threshold:g}", cls="axis"))
    body.append(
        text(
            WIDTH - RIGHT - 4,
            y(sr_threshold) - 5,
            f"SR threshold {sr_threshold:g}",
            anchor="end",
            cls="axis",
        )
    )
    body.append(
        text(
            (LEFT + WIDTH - RIGHT) / 2,
            HEIGHT - 10,
            "economic importance (EI)",
            anchor="middle",
            cls="axis",
        )
    )
    body.append(
        f'<text class="axis" transform="translate(14 {(TOP + HEIGHT - BOTTOM) / 2:.0f}) '
        f'rotate(-90)" text-anchor="middle">supply risk (SR)</text>'
    )
    for p in points:
        verdict = {True: "critical", False: "not critical", None: "undetermined"}[p.critical]
        body.append(
            f'<circle class="mark point" cx="{x(p.ei):.1f}" cy="{y(p.sr):.1f}" r="6" '
            f'fill="{VERDICT_COLOURS[p.critical]}" stroke="#000" stroke-width="0.6">'
            f"<title>{escape(p.label)}: EI {p.ei:.2f}, SR {p.sr:.2f}, {verdict}</title></circle>"
        )
        body.append(text(x(p.ei) + 8, y(p.sr) + 4, p.label, cls="label"))
    critical = [p.label for p in points if p.critical]
    description = (
        f"{len(points)} materials by economic importance and supply risk; thresholds EI "
        f"{ei_threshold:g} and SR {sr_threshold:g}. Critical: "
        f"{', '.join(critical) if critical else 'none'}."
    )
    return frame(ident, WIDTH, HEIGHT, title, description, "".join(body))
