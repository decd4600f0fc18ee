"""The criticality report: the matrix chart has one mark per material and both thresholds."""

from __future__ import annotations

import re
from pathlib import Path

from critchem.criticality import demo_files
from critchem.criticality.schemas import AssessmentOut
from critchem.reports.criticality_report import (
    CHAR_WIDTH,
    LABEL_HEIGHT,
    matrix_points,
    place_labels,
    write_report,
)
from critchem.services.criticality import assess, assess_demo, critical_list


def _svg(page: str) -> str:
    match = re.search(r"<svg\b.*?</svg>", page, flags=re.DOTALL)
    assert match is not None, "no inline SVG in the report"
    return match.group(0)


def test_report_has_one_mark_per_material_and_the_thresholds(tmp_path: Path) -> None:
    out = assess_demo("cca", sensitivity_draws=50, seed=1)
    written = write_report(out, tmp_path / "r" / "cca.html", critical=critical_list(out))
    page = written.html.read_text(encoding="utf-8")
    svg = _svg(page)
    names = sorted(m.material for m in out.materials)
    marks = sorted(re.findall(r'<g id="matrix-point-([^"]+)"', svg))
    assert marks == names and len(marks) == 18
    # Each mark group draws exactly one marker.
    for name in names:
        group = svg.split(f'<g id="matrix-point-{name}"', 1)[1].split("</g>", 1)[0]
        assert group.count("<use ") == 1, name
    assert 'id="matrix-threshold-sr"' in svg and 'id="matrix-threshold-ei"' in svg
    # Labels are text (svg.fonttype none), one per material.
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", svg)
    assert all(labels.count(n) == 1 for n in names)
    assert "SR threshold 1" in svg and "EI threshold 2.8" in svg
    # Nothing is fetched: no external URL in any src or href.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    # The critical list is in the page, with its explanations.
    critical = [m.material for m in out.materials if m.critical]
    assert critical and all(f'<th scope="row">{n}</th>' in page for n in critical)
    assert "extra-EU supply (IR · HHI_x)" in page
    # The JSON twin is the assessment itself.
    twin = AssessmentOut.model_validate_json(written.json_path.read_text(encoding="utf-8"))
    assert twin == out


def test_material_without_a_criterion_is_listed_not_plotted(tmp_path: Path) -> None:
    text = demo_files("cca").inputs.read_text(encoding="utf-8")
    # ethylene's import reliance emptied: its SR cannot be computed.
    changed = text.replace("ethylene,2.0,0.15,0.10,", "ethylene,2.0,0.15,,")
    assert changed != text
    path = tmp_path / "cca_inputs.csv"
    path.write_text(changed, encoding="utf-8")
    out = assess("cca", path)
    points, others = matrix_points(out)
    assert others == ["ethylene"] and len(points) == 17
    written = write_report(out, tmp_path / "report.html")
    page = written.html.read_text(encoding="utf-8")
    assert len(re.findall(r'<g id="matrix-point-', _svg(page))) == 17
    assert "not placed (a criterion not assessed): ethylene" in page
    assert "SR not assessed for &#39;ethylene&#39;: empty import_reliance" in page


def test_demo_labels_do_not_overlap() -> None:
    out = assess_demo("cca")
    points, _ = matrix_points(out)
    x_max = max(p.ei for p in points) * 1.2
    y_max = max(p.sr for p in points) * 1.12
    anchors = [(p.ei / x_max, p.sr / y_max) for p in points]
    names = [p.material for p in points]
    spots = place_labels(anchors, names)
    boxes = [
        (x, y, x + CHAR_WIDTH * len(n), y + LABEL_HEIGHT)
        for (x, y, _), n in zip(spots, names, strict=True)
    ]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= 1 and a[3] <= 1
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_report_shows_hazard_and_regulation_beside_the_verdict(tmp_path: Path) -> None:
    from critchem.services import criticality as service

    out = service.assess_demo("cca")
    written = write_report(out, tmp_path / "r.html")
    html = written.html.read_text(encoding="utf-8")
    section = html[html.index('id="hazard"') :]
    assert "Carc. 1A, Muta. 1B" in section  # benzene, CLP Annex VI
    assert "Commission Regulation (EU) 2018/589" in section  # methanol, REACH entry 69
    json_twin = written.json_path.read_text(encoding="utf-8")
    assert "Carc. 1A" not in json_twin  # beside the verdict, never inside the assessment
