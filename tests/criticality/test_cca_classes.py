"""cca 0.2: the four classes and the agreement with the Alliance's reference lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.criticality.classes import (
    ClassRules,
    agreement,
    classify,
    classify_one,
    load_class_rules,
    load_reference_lists,
)
from critchem.reports.criticality_report import write_report
from critchem.services.criticality import assess_demo

RULES = ClassRules("0.2", 2, ("battery",), 0.5, "")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # hand-made cases: threshold 1.0, so the strategic SR floor is 0.5
        ({"critical": True, "sr": 2.0, "sectors": []}, "critical"),
        ({"critical": None, "sr": None, "sectors": ["health", "energy"]}, "undetermined"),
        ({"critical": False, "sr": 0.5, "sectors": ["health", "energy"]}, "strategic"),
        ({"critical": False, "sr": 0.49, "sectors": ["health", "energy"]}, "not critical"),
        ({"critical": False, "sr": 3.0, "sectors": ["health"]}, "not critical"),
        ({"critical": False, "sr": 3.0, "sectors": ["consumer"], "tags": ["battery"]}, "strategic"),
        (
            {"critical": False, "sr": 0.1, "sectors": ["health", "energy"], "production": True},
            "strategic",
        ),
    ],
)
def test_classify_one(kwargs: dict[str, object], expected: str) -> None:
    cls, reason = classify_one(
        critical=kwargs["critical"],  # type: ignore[arg-type]
        sr=kwargs["sr"],  # type: ignore[arg-type]
        sr_threshold=1.0,
        sectors=kwargs["sectors"],  # type: ignore[arg-type]
        tags=kwargs.get("tags", ()),  # type: ignore[arg-type]
        critical_production=kwargs.get("production", False),  # type: ignore[arg-type]
        rules=RULES,
    )
    assert cls == expected and reason


def test_shipped_rules_and_lists_are_declared_with_sources() -> None:
    rules = load_class_rules()
    assert rules.version == "0.2" and rules.sr_share_of_threshold == 0.5
    lists = {r.key: r for r in load_reference_lists()}
    assert len(lists["nonpaper-2025"].molecules) == 20  # 18 entries + 2 covered by group names
    assert {"p-xylene", "sodium-bicarbonate"} <= set(lists["nonpaper-2025"].molecules)
    plan = lists["action-plan-2025"]
    assert {"ethylene", "ammonia", "chlorine", "methanol"} <= set(plan.molecules)
    assert plan.reference.startswith("Communication COM(2025) 530") and plan.date == "2025-07-08"


def test_demo_classes_and_agreement_each_with_a_reason() -> None:
    out = assess_demo("cca")
    classes = {c.material: c for c in classify(out)}
    assert {c.cls for c in classes.values()} <= {"critical", "strategic", "not critical"}
    for m in out.materials:  # critical stays exactly the cca verdict
        assert (classes[m.material].cls == "critical") is bool(m.critical)
    rows = agreement(out)
    assert all(r.reason for r in rows)
    disagree = [r for r in rows if r.agrees is False]
    assert disagree and all("not critical" in r.reason for r in disagree)
    # p-xylene is on the non-paper list (under "xylenes") but not in the demo assessment
    assert any(r.molecule == "p-xylene" and r.agrees is None for r in rows)


def test_report_has_the_classes_and_the_agreement_table(tmp_path: Path) -> None:
    out = assess_demo("cca")
    html = write_report(out, tmp_path / "r.html").html.read_text(encoding="utf-8")
    assert 'id="classes"' in html and 'id="agreement"' in html
    assert "Communication COM(2025) 530 final" in html
    assert "Non-paper of eight Member States" in html


def test_report_shows_the_sites_and_withholds_their_verdict(tmp_path: Path) -> None:
    from critchem.services.sites import sites_under

    out = assess_demo("cca")
    sites = sites_under(out, illustrative=True)
    assert sites is not None and set(sites["counts"]) == {"not assessed"}
    html = write_report(out, tmp_path / "r.html", sites=sites).html.read_text(encoding="utf-8")
    assert 'id="sites"' in html and "ILLUSTRATIVE" in html and "Yara Sluiskil" in html
    # an inputs file of unknown provenance gives no site verdict either
    unknown = sites_under(out, illustrative=False)
    assert unknown is not None and set(unknown["counts"]) == {"not assessed"}
    assert "without provenance" in unknown["sites"][0]["reason"]
