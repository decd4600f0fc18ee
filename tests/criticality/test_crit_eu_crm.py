"""The eu-crm methodology end to end: input files → verdicts, explanations and provenance."""

from __future__ import annotations

import hashlib

import pytest

from critchem.criticality import InputFiles, demo_files, get_methodology
from critchem.criticality.engine import assess as assess_files
from critchem.criticality.schemas import AssessmentOut
from tests.criticality.crit_helpers import HEADER, WriteCsv


def assess(files: InputFiles, **kw: int) -> AssessmentOut:
    return assess_files(get_methodology("eu-crm"), files, **kw)


def test_worked_examples_2017(write_csv: WriteCsv) -> None:
    inputs = write_csv(
        "inputs.csv",
        f"""
        {HEADER}
        antimony,processing,GS+EU,1.00,0.28,0.9,,7.1,5.7
        cobalt,extraction,GS+EU,0.32,0,1.0,,3.6,1.3
        """,
    )
    out = assess(InputFiles(inputs=inputs))
    sb, co = out.material("antimony"), out.material("cobalt")
    # 6.4 · 0.72 · 0.9 = 4.147 (published 4.3); 3.6·0.16 + 1.3·0.84 = 1.668 (published 1.6)
    assert sb.criteria["sr"].value == pytest.approx(4.3, abs=0.3)
    assert co.criteria["sr"].value == pytest.approx(1.6, abs=0.3)
    assert sb.components["sr_stage"] == "processing" and co.components["sr_stage"] == "extraction"
    # no EI inputs: SR alone cannot settle "critical" under the rule SR ≥ 1 and EI ≥ 2.8
    assert sb.critical is None and sb.criteria["ei"].value is None
    assert any("no end-uses table" in m for m in sb.missing)


def test_demo_set_reproduces_the_worked_examples() -> None:
    out = assess(demo_files())
    assert {m.material for m in out.materials} == {"antimony", "cobalt"}
    assert out.material("antimony").criteria["sr"].value == pytest.approx(4.1472)
    assert out.material("cobalt").criteria["sr"].value == pytest.approx(1.668)
    assert out.material("cobalt").components["max_q_meur"] == 204_200.0


def test_supply_basis_gs_eu_and_blend(write_csv: WriteCsv) -> None:
    inputs = write_csv(
        "inputs.csv",
        f"""
        {HEADER}
        gs,extraction,GS,,0,1,,4.0,
        eu,extraction,EU,,0,1,,,2.0
        blend,extraction,GS+EU,0.5,0,1,,4.0,2.0
        """,
    )
    out = assess(InputFiles(inputs=inputs))
    # GS: 4.0; EU: 2.0; GS+EU at IR 50 %: 4.0·0.25 + 2.0·0.75 = 2.5
    assert out.material("gs").criteria["sr"].value == pytest.approx(4.0)
    assert out.material("eu").criteria["sr"].value == pytest.approx(2.0)
    assert out.material("blend").criteria["sr"].value == pytest.approx(2.5)
    assert out.material("gs").stages[0].hhi_eu is None
    assert out.material("gs").stages[0].import_reliance is None
    # only the inputs the supply basis uses are cited
    assert {r.indicator for r in out.material("gs").inputs} == {"hhi_wgi_t_gs", "eol_rir", "si_sr"}
    assert {r.indicator for r in out.material("eu").inputs} == {"hhi_wgi_t_eu", "eol_rir", "si_sr"}


def test_stage_max_drives_supply_risk(write_csv: WriteCsv) -> None:
    inputs = write_csv(
        "inputs.csv",
        f"""
        {HEADER}
        m,extraction,GS,,0.5,1,,2.0,
        m,processing,GS,,0,0.9,,3.0,
        """,
    )
    m = assess(InputFiles(inputs=inputs)).material("m")
    # extraction 2.0·0.5·1 = 1.0; processing 3.0·1·0.9 = 2.7 → SR 2.7 from processing
    assert {s.stage: s.sr for s in m.stages} == pytest.approx(
        {"extraction": 1.0, "processing": 2.7}
    )
    assert m.criteria["sr"].value == pytest.approx(2.7)
    assert m.criteria["sr"].driver == "processing"
    row = m.flat_row(["extraction", "processing"])
    assert row["sr_extraction"] == pytest.approx(1.0) and row["sr_processing"] == pytest.approx(2.7)


def test_threshold_boundaries(toy_files: InputFiles) -> None:
    out = assess(toy_files)
    border = out.material("borderline")
    # SR = 1.0 exactly and EI = 1.0·10·280/1000 = 2.8 exactly: critical (thresholds inclusive)
    assert border.criteria["sr"].value == 1.0 and border.criteria["ei"].value == pytest.approx(2.8)
    assert border.critical is True
    assert out.material("far-above").critical is True
    assert out.material("far-below").critical is False
    assert [m.material for m in out.materials] == ["far-above", "borderline", "far-below"]
    assert [m.rank for m in out.materials] == [1, 2, 3]


def test_just_below_a_threshold_is_not_critical(write_csv: WriteCsv, toy_files: InputFiles) -> None:
    inputs = write_csv(
        "inputs.csv",
        f"""
        {HEADER}
        far-above,processing,GS,,0,1.0,1.0,6.0,
        far-below,extraction,GS,,0.5,0.5,0.5,0.2,
        borderline,extraction,GS,,0,0.99,1.0,1.0,
        """,
    )
    out = assess(InputFiles(inputs, toy_files.end_uses, toy_files.value_added))
    assert out.material("borderline").critical is False
    assert "SR 0.99 < 1" in out.material("borderline").explanation


def test_economic_importance_from_tables(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nm,extraction,GS,,0,1,0.8,2.0,")
    end_uses = write_csv("uses.csv", "material,sector,share\nm,C20,0.25\nm,C28,0.75")
    value_added = write_csv("va.csv", "sector,value_added_meur\nC20,100000\nC28,204200\nC10,50000")
    m = assess(InputFiles(inputs, end_uses, value_added)).material("m")
    # Σ A·Q = 0.25·100,000 + 0.75·204,200 = 25,000 + 153,150 = 178,150 M€
    # EI = 0.8 · 10 · 178,150 / 204,200 = 6.9794
    assert m.components["sum_aq_meur"] == pytest.approx(178_150.0)
    assert m.components["max_q_sector"] == "C28"
    assert m.criteria["ei"].value == pytest.approx(0.8 * 10 * 178_150 / 204_200)
    terms = [c for c in m.criteria["ei"].contributions if c.kind == "term"]
    assert [t.component for t in terms] == ["C28", "C20"]
    assert sum(t.value for t in terms) == pytest.approx(m.criteria["ei"].value)
    assert m.critical is True


def test_contributions_add_up(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nsb,processing,GS+EU,1.0,0.28,0.9,,7.1,5.7")
    sr = assess(InputFiles(inputs)).material("sb").criteria["sr"]
    terms = {c.component: c.value for c in sr.contributions if c.kind == "term"}
    reductions = {c.component: c.value for c in sr.contributions if c.kind == "reduction"}
    # terms: 7.1·0.5·0.72·0.9 = 2.3004 and 5.7·0.5·0.72·0.9 = 1.8468 (sum 4.1472)
    assert terms == pytest.approx(
        {"global supply (HHI_GS)": 2.3004, "EU sourcing (HHI_EU)": 1.8468}
    )
    # HHI 6.4 minus recycling 6.4·0.28 = 1.792 minus substitution 6.4·0.72·0.1 = 0.4608
    assert sum(reductions.values()) == pytest.approx(4.1472 - 6.4)


def test_sr_below_threshold_settles_verdict_without_ei(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nlow,extraction,GS,,0,0.5,,1.0,")
    m = assess(InputFiles(inputs)).material("low")
    assert m.critical is False and m.criteria["ei"].value is None and m.rank is None


def test_supply_shares_compute_the_hhi(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nm,processing,GS,,0,1,,,")
    shares = write_csv(
        "shares.csv",
        """
        material,stage,scope,country,share,t
        m,processing,GS,CN,0.6,
        m,processing,GS,FI,0.4,1
        """,
    )
    out = assess(InputFiles(inputs, supply_shares=shares))
    m = out.material("m")
    # WGI 2023 (2024 release), mean of the six estimates rescaled (2.5 − mean)·2:
    # CN mean −0.2901075 → 5.580215; FI mean 1.6731569 → 1.653686;
    # 0.36·5.580215 + 0.16·1.653686 = 2.2734672
    assert m.criteria["sr"].value == pytest.approx(2.2734672, abs=1e-6)
    ref = next(r for r in m.inputs if r.indicator == "hhi_wgi_t_gs")
    assert ref.file == "shares.csv" and ref.lines == [2, 3]
    assert any("2024 release, year 2023" in r for r in out.provenance.reference_data)


def test_provenance_and_flat_rows(toy_files: InputFiles) -> None:
    out = assess(toy_files)
    files = {f.role: f for f in out.provenance.files}
    assert set(files) == {"inputs", "end_uses", "value_added"}
    assert files["inputs"].sha256 == hashlib.sha256(toy_files.inputs.read_bytes()).hexdigest()
    assert out.provenance.methodology == "eu-crm" and out.provenance.methodology_version == "2017"
    assert len(out.provenance.methodology_sha256) == 64
    rows = out.rows()
    assert len(rows) == 3 and all(list(r) == out.columns() for r in rows)
    for column in ("material", "sr", "ei", "critical", "hhi_gs", "sum_aq_meur", "max_q_meur"):
        assert column in out.columns()
    borderline = next(r for r in rows if r["material"] == "borderline")
    assert borderline["sr_threshold"] == 1.0 and borderline["ei_threshold"] == 2.8
    # every input value cites its file and line
    refs = out.material("borderline").inputs
    assert {(r.indicator, r.file, tuple(r.lines)) for r in refs} >= {
        ("si_ei", "inputs.csv", (4,)),
        ("end_use_share", "end_uses.csv", (4,)),
        ("value_added", "value_added.csv", (2,)),
    }


def test_json_round_trip(toy_files: InputFiles) -> None:
    out = assess(toy_files, draws=50)
    assert AssessmentOut.model_validate_json(out.model_dump_json()) == out
