"""Scoring on the partner with a declared tolerance; lead times of trade-defence cases."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import critchem
from critchem.evaluation import Detection, LabelledEvent, case_outcomes, from_register, score
from critchem.events import load_events

EVENT = LabelledEvent("28230000", "EU27", "CN", "surge", date(2024, 1, 1), date(2024, 3, 1), "u")


def test_detections_are_matched_on_the_partner() -> None:
    wrong_partner = [Detection("28230000", "IN", date(2024, 2, 1))]
    s = score(wrong_partner, [EVENT], tolerance=2)
    assert (s.found, s.true_detections, s.precision, s.recall) == (0, 0, 0.0, 0.0)
    right = [Detection("28230000", "CN", date(2024, 2, 1))]
    assert score(right, [EVENT], tolerance=2).f1 == 1.0


def test_the_tolerance_is_declared_and_applied() -> None:
    late = [Detection("28230000", "CN", date(2024, 6, 1))]  # 3 months after the end
    assert score(late, [EVENT], tolerance=2).found == 0
    s = score(late, [EVENT], tolerance=3)
    assert s.found == 1 and s.tolerance_months == 3


def test_zero_detections_do_not_earn_precision_one() -> None:
    s = score([], [EVENT], tolerance=3)
    assert s.precision is None and s.f1 == 0.0 and s.recall == 0.0


def test_register_rows_become_labels_per_code_and_country() -> None:
    labels = from_register(load_events("trade-defence"))
    tio2 = [e for e in labels if e.product in ("28230000", "32061100")]
    assert {e.partner for e in tio2} == {"CN"} and len(tio2) == 2
    assert all(e.start == date(2023, 11, 13) and e.source.startswith("https://") for e in tio2)
    # rows whose codes could not be sourced give no label
    assert not [e for e in labels if e.product == ""]


def test_case_outcomes_report_lead_time_miss_and_no_data() -> None:
    cases = [
        e for e in load_events("trade-defence") if e.id in ("td-ad696-tio2-cn", "td-valine-cn")
    ]
    alerts = [
        {
            "product": "32061100",
            "partner": "CN",
            "flow": "1",
            "severity": "amber",
            "period": "2023-06-01",
        },
        {
            "product": "32061100",
            "partner": "CN",
            "flow": "1",
            "severity": "info",
            "period": "2023-01-01",
        },  # info does not count
        {
            "product": "32061100",
            "partner": "IN",
            "flow": "1",
            "severity": "red",
            "period": "2023-02-01",
        },  # another country
    ]
    held = {("32061100", "CN"), ("32061100", "IN")}
    by_case = {o.case: o for o in case_outcomes(cases, alerts, held)}
    tio2 = by_case["td-ad696-tio2-cn"]
    assert (tio2.status, tio2.months_before, tio2.first_alert) == ("alerted", 5, "2023-06")
    assert by_case["td-valine-cn"].status == "no data"
    missed = case_outcomes(cases[:1] if cases[0].id == "td-ad696-tio2-cn" else cases[1:], [], held)
    assert missed[0].status == "missed" and missed[0].months_before is None


def test_no_live_module_imports_the_evaluation_package() -> None:
    root = Path(critchem.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "evaluation" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.startswith("critchem.evaluation") for n in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
