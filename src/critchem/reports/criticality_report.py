"""The criticality report: a criticality matrix chart, the critical list and every record.

``write_report(assessment, path)`` writes ``path`` (HTML, the chart inline as SVG, no external
assets) and its JSON twin beside it (``path`` with ``.json``: the assessment exactly as
``critchem assess --format json`` gives it, so ``critchem compare`` reads it).

The matrix puts economic importance on the x axis and supply risk on the y axis, as the EU
critical raw materials assessments do: one labelled point per material whose two criteria are
known, the two thresholds drawn as dashed lines; the top-right quadrant is the critical zone.
Materials with a criterion not assessed cannot be placed; the report lists them apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from critchem.criticality.schemas import AssessmentOut, MaterialOut
from critchem.reports.beside import beside_rows
from critchem.reports.charts import figure_svg, new_figure
from critchem.reports.render import render

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CRITICAL_COLOUR = "#b2182b"
OTHER_COLOUR = "#3b6ea5"
PRODUCTION_EDGE = "#000000"
ID = "matrix"
"""The prefix of every id of the matrix SVG (``matrix-point-<material>``, ``matrix-threshold-sr``)."""


@dataclass(frozen=True, slots=True)
class MatrixPoint:
    """One material on the matrix."""

    material: str
    ei: float
    sr: float
    critical: bool
    critical_production: bool


@dataclass(frozen=True, slots=True)
class ReportOut:
    """What ``write_report`` wrote."""

    html: Path
    json_path: Path
    plotted: tuple[str, ...]
    not_plotted: tuple[str, ...]


def matrix_points(assessment: AssessmentOut) -> tuple[list[MatrixPoint], list[str]]:
    """The materials that can be placed (both SR and EI known) and the others, by name."""
    points: list[MatrixPoint] = []
    others: list[str] = []
    for m in assessment.materials:
        sr, ei = _value(m, "sr"), _value(m, "ei")
        if sr is None or ei is None:
            others.append(m.material)
            continue
        points.append(
            MatrixPoint(
                material=m.material,
                ei=ei,
                sr=sr,
                critical=m.critical is True,
                critical_production=m.components.get("critical_production") is True,
            )
        )
    return points, others


def _value(m: MaterialOut, cid: str) -> float | None:
    crit = m.criteria.get(cid)
    if crit is None or crit.value is None or not math.isfinite(crit.value):
        return None
    return crit.value


Box = tuple[float, float, float, float]
"""A rectangle in axes fractions: left, bottom, right, top."""

CHAR_WIDTH, LABEL_HEIGHT = 0.0098, 0.028
"""The size of a label character and of a label line in axes fractions (8 pt text on the
8 × 6 in figure)."""


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    anchors: list[tuple[float, float]], names: list[str], obstacles: Sequence[Box] = ()
) -> list[tuple[float, float, bool]]:
    """Where to put each label: its lower-left corner and whether it needs a leader line.

    ``anchors`` are the points in axes fractions. Each label tries eight places around its
    point (right, left, above, below, then the diagonals), close first and then farther
    (with a leader line), and takes the first inside the axes that overlaps no point, no
    label placed before it and no ``obstacle``; if none is free it goes to the right.

    Examples
    --------
    Two points close above one another: the first label goes to the right of its point; the
    place right of the second point is then taken, so its label goes to the left.

    >>> spots = place_labels([(0.5, 0.5), (0.5, 0.52)], ["aaaa", "bbbb"])
    >>> [(round(x, 3), round(y, 3), line) for x, y, line in spots]
    [(0.51, 0.486, False), (0.451, 0.506, False)]
    """
    r_point = 0.008
    points: list[Box] = [(x - r_point, y - r_point, x + r_point, y + r_point) for x, y in anchors]
    taken: list[Box] = [*obstacles]
    out: list[tuple[float, float, bool]] = []
    for i, ((x, y), name) in enumerate(zip(anchors, names, strict=True)):
        w, h = CHAR_WIDTH * len(name), LABEL_HEIGHT
        chosen: tuple[float, float, bool] | None = None
        for r in (0.01, 0.03, 0.06, 0.1):
            for dx, dy in (
                (r, -h / 2),
                (-r - w, -h / 2),
                (-w / 2, r),
                (-w / 2, -r - h),
                (r, r * 0.7),
                (r, -r * 0.7 - h),
                (-r - w, r * 0.7),
                (-r - w, -r * 0.7 - h),
            ):
                box = (x + dx, y + dy, x + dx + w, y + dy + h)
                inside = box[0] >= 0 and box[1] >= 0 and box[2] <= 1 and box[3] <= 1
                others = [p for j, p in enumerate(points) if j != i]
                if inside and not any(_overlaps(box, o) for o in [*taken, *others]):
                    chosen = (box[0], box[1], r > 0.01)
                    break
            if chosen is not None:
                break
        if chosen is None:
            chosen = (x + 0.01, y - h / 2, False)
        out.append(chosen)
        taken.append((chosen[0], chosen[1], chosen[0] + w, chosen[1] + h))
    return out


def matrix_figure(assessment: AssessmentOut) -> Figure:
    """The criticality matrix: EI (x) against SR (y), thresholds dashed, points labelled."""
    points, _ = matrix_points(assessment)
    t_sr, t_ei = assessment.thresholds["sr"], assessment.thresholds["ei"]
    figure = new_figure((8.0, 6.0))
    ax: Axes = figure.add_subplot()
    x_max = max([t_ei * 1.6, *(p.ei * 1.2 for p in points)])
    y_max = max([t_sr * 1.6, *(p.sr * 1.12 for p in points)])
    ax.set_xlim(0.0, x_max)
    ax.set_ylim(0.0, y_max)
    ax.fill_between([t_ei, x_max], t_sr, y_max, color="#f6dcdc", zorder=0, gid="zone")
    ax.axhline(t_sr, color="#444444", linestyle="--", linewidth=1.2, gid="threshold-sr")
    ax.axvline(t_ei, color="#444444", linestyle="--", linewidth=1.2, gid="threshold-ei")
    ax.text(x_max, t_sr, f"SR threshold {t_sr:g} ", ha="right", va="bottom", fontsize=8)
    ax.text(t_ei + x_max * 0.006, y_max, f"EI threshold {t_ei:g}", ha="left", va="top", fontsize=8)
    ordered = sorted(points, key=lambda p: (not p.critical, -p.sr, p.ei))
    anchors = [(p.ei / x_max, p.sr / y_max) for p in ordered]
    # The threshold captions (top of the EI line, right end of the SR line) are obstacles.
    captions: list[Box] = [
        (t_ei / x_max, 1.0 - LABEL_HEIGHT, t_ei / x_max + 0.17, 1.0),
        (1.0 - 0.17, t_sr / y_max, 1.0, t_sr / y_max + LABEL_HEIGHT),
    ]
    spots = place_labels(anchors, [p.material for p in ordered], captions)
    for p, (lx, ly, leader) in zip(ordered, spots, strict=True):
        colour = CRITICAL_COLOUR if p.critical else OTHER_COLOUR
        ax.scatter(
            [p.ei],
            [p.sr],
            s=60 if p.critical else 36,
            color=colour,
            marker="o",
            edgecolors=PRODUCTION_EDGE if p.critical_production else "white",
            linewidths=1.8 if p.critical_production else 0.6,
            zorder=3,
            gid=f"point-{_slug(p.material)}",
        )
        ax.annotate(
            p.material,
            (p.ei, p.sr),
            xytext=(lx, ly),
            textcoords="axes fraction",
            fontsize=8,
            ha="left",
            va="bottom",
            color="#1a1a1a",
            arrowprops={"arrowstyle": "-", "color": "#8a8a8a", "linewidth": 0.6}
            if leader
            else None,
            zorder=4,
        )
    ax.set_xlabel("Economic importance (EI)")
    ax.set_ylabel("Supply risk (SR)")
    ax.set_title(_chart_title(assessment), fontsize=10, loc="left")
    ax.grid(True, color="#e4e4e4", linewidth=0.6, zorder=1)
    from matplotlib.lines import Line2D

    legend = [
        Line2D([], [], marker="o", linestyle="", color=CRITICAL_COLOUR, label="critical"),
        Line2D([], [], marker="o", linestyle="", color=OTHER_COLOUR, label="not critical"),
    ]
    if any(p.critical_production for p in points):
        legend.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color="#ffffff",
                markeredgecolor=PRODUCTION_EDGE,
                markeredgewidth=1.8,
                label="critical EU production (black ring)",
            )
        )
    ax.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=len(legend),
        fontsize=8,
        frameon=False,
    )
    return figure


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _chart_title(assessment: AssessmentOut) -> str:
    return (
        f"Criticality matrix, {assessment.methodology} {assessment.methodology_version}: "
        "critical when SR and EI are both at or above their thresholds"
    )


def matrix_description(assessment: AssessmentOut) -> str:
    """A sentence describing the matrix, for its ``<desc>`` and the caption."""
    points, others = matrix_points(assessment)
    critical = [p.material for p in points if p.critical]
    t_sr, t_ei = assessment.thresholds["sr"], assessment.thresholds["ei"]
    text = (
        f"{len(points)} materials placed by economic importance (x) and supply risk (y); "
        f"thresholds SR {t_sr:g} and EI {t_ei:g} dashed; "
        f"{len(critical)} in the critical zone"
    )
    text += f" ({', '.join(critical)})" if critical else ""
    if others:
        text += f"; not placed (a criterion not assessed): {', '.join(others)}"
    return text + "."


def write_report(
    assessment: AssessmentOut,
    path: Path,
    *,
    critical: Sequence[Mapping[str, object]] = (),
    note: str = "",
    now: datetime | None = None,
    sites: Mapping[str, object] | None = None,
) -> ReportOut:
    """Write the HTML report ``path`` and its JSON twin ``path.with_suffix('.json')``.

    Parameters
    ----------
    assessment
        The assessment to report.
    path
        The HTML file to write (its folder is created if missing).
    critical
        The critical list rows (``critchem.services.criticality.critical_list``); the report
        lists them in a table of their own.
    note
        A sentence printed at the top (e.g. that the inputs are illustrative).
    now
        The generation time printed (default: now, UTC).
    sites
        The critical production sites under the assessment's classes
        (``critchem.services.sites``, as JSON), printed in a section of their own.
    """
    points, others = matrix_points(assessment)
    figure = matrix_figure(assessment)
    description = matrix_description(assessment)
    svg = figure_svg(figure, _chart_title(assessment), description, ID)
    generated = now or datetime.now(UTC)
    page = render(
        "criticality_report.html.j2",
        a=assessment,
        critical=list(critical),
        beside=beside_rows([m.material for m in assessment.materials]),
        **_classes_context(assessment),
        matrix_svg=Markup(svg),
        matrix_description=description,
        not_plotted=others,
        note=note,
        sites=sites,
        generated_at=f"{generated:%Y-%m-%d %H:%M} UTC",
        fmt=_fmt,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    json_path = path.with_suffix(".json")
    json_path.write_text(assessment.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return ReportOut(
        html=path,
        json_path=json_path,
        plotted=tuple(p.material for p in points),
        not_plotted=tuple(others),
    )


def _classes_context(assessment: AssessmentOut) -> dict[str, object]:
    """The four classes and the agreement with the reference lists (``cca`` only)."""
    if assessment.methodology != "cca":
        return {"classes": [], "agreement": [], "reference_lists": [], "class_rules": None}
    from critchem.criticality.classes import (
        agreement,
        classify,
        load_class_rules,
        load_reference_lists,
    )

    classes = classify(assessment)
    return {
        "classes": classes,
        "agreement": agreement(assessment, classes),
        "reference_lists": load_reference_lists(),
        "class_rules": load_class_rules(),
    }


def _fmt(value: object, digits: int = 2) -> str:
    """A cell: numbers rounded, booleans as yes/no, missing as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)
