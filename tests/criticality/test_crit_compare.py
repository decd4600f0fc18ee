"""Comparing two assessments: what entered, left and moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.criticality import InputFiles, compare_assessments, get_methodology
from critchem.criticality.engine import assess as assess_files
from critchem.services import criticality as service
from tests.criticality.crit_helpers import HEADER, WriteCsv


def test_entered_left_moved(write_csv: WriteCsv, toy_files: InputFiles, tmp_path: Path) -> None:
    a = assess_files(get_methodology("eu-crm"), toy_files)
    # year b: borderline's SR drops below 1 (left), far-below rises above both (entered),
    # far-above is no longer assessed (removed), newcomer appears (added)
    inputs_b = write_csv(
        "inputs_b.csv",
        f"""
        {HEADER}
        far-below,extraction,GS,,0,1.0,1.0,9.0,
        borderline,extraction,GS,,0,0.9,1.0,1.0,
        newcomer,extraction,GS,,0,1.0,1.0,2.0,
        """,
    )
    uses_b = write_csv(
        "uses_b.csv", "material,sector,share\nfar-below,C28,1\nborderline,C20,1\nnewcomer,C20,1"
    )
    b = assess_files(get_methodology("eu-crm"), InputFiles(inputs_b, uses_b, toy_files.value_added))
    diff = compare_assessments(a, b)
    assert diff.entered == ["far-below", "newcomer"]
    assert diff.left == ["borderline", "far-above"]
    assert diff.added == ["newcomer"] and diff.removed == ["far-above"]
    moves = {m.material: m for m in diff.moved}
    assert set(moves) == {"far-below", "borderline"}
    # far-below: rank 3 → 1 (up 2); SR 0.05 → 9.0; EI 0.5 → 10.0
    assert (moves["far-below"].rank_a, moves["far-below"].rank_b) == (3, 1)
    assert moves["far-below"].rank_delta == 2
    assert moves["far-below"].deltas["sr"] == pytest.approx(9.0 - 0.05)
    assert moves["far-below"].deltas["ei"] == pytest.approx(10.0 - 0.5)
    assert diff.moved[0].material == "far-below"  # largest rank change first
    assert moves["borderline"].critical_a is True and moves["borderline"].critical_b is False

    # the service compares saved JSON files as well
    pa, pb = tmp_path / "a.json", tmp_path / "b.json"
    pa.write_text(a.model_dump_json(), encoding="utf-8")
    pb.write_text(b.model_dump_json(), encoding="utf-8")
    assert service.compare(pa, pb) == diff


def test_identical_assessments_show_no_change(toy_files: InputFiles) -> None:
    a = assess_files(get_methodology("eu-crm"), toy_files)
    diff = compare_assessments(a, a)
    assert diff.entered == diff.left == diff.added == diff.removed == []
    assert all(m.rank_delta == 0 and m.score_delta == 0 for m in diff.moved)
