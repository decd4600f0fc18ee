"""Site and capacity indicators from the public registers only, with hand-computed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.core.settings import Settings
from critchem.evidence.base import COMPUTED, MISSING, EvidenceContext, EvidenceValue
from critchem.evidence.builder import build_evidence
from critchem.evidence.families.production_sites import ProductionSites, site_figures
from critchem.production.registers import parse_ammonia_plants, register_hash

MINI = Path(__file__).parents[1] / "production" / "data" / "ammonia_plants_mini.csv"


def _values(molecule: str, year: int) -> dict[str, EvidenceValue]:
    # The family reads the shipped registers only: the context (store, settings) is not used.
    context = EvidenceContext(settings=Settings(home=Path("unused")))
    return {v.indicator: v for v in ProductionSites().compute(context, [molecule], year)}


def test_miniature_register_by_hand() -> None:
    rows = [p for p in parse_ammonia_plants(MINI.read_text(encoding="utf-8")).rows if p.eu27]
    # EU rows with a source: Yara Sluiskil 1700, OCI Geleen 550 (NL), Kothla-Järve 180 (EE),
    # Kavala Fertilizers 165 (GR); total 2595 kt. Billingham is in the UK.
    figures = site_figures(rows)
    assert (figures["eu_producers"], figures["eu_sites"]) == (4.0, 4.0)
    shares = [1700 / 2595, 550 / 2595, 180 / 2595, 165 / 2595]
    assert figures["hhi_capacity_company"] == pytest.approx(sum(s * s for s in shares))
    # NL 2250, EE 180, GR 165
    by_country = [2250 / 2595, 180 / 2595, 165 / 2595]
    assert figures["hhi_eu_production"] == pytest.approx(sum(s * s for s in by_country))


def test_ammonia_from_the_shipped_pypsa_register_by_hand() -> None:
    values = _values("ammonia", 2024)
    # 19 EU plants with a source and a capacity, 12,896 kt; 13 companies as named by the
    # source: Yara 3870 (Sluiskil 1700, Tertre 420, Gonfreville 400, Brunsbuettel 750,
    # Ferrara 600), BASF 1530, Azomures 1600, SKW 1300, Achema 1100, Fertiberia 600, OCI 550,
    # DUSLO 530, Grupa Azoty 524, Nitrogenmuvek 497, Neochim 450, Nitrofert 180, Kavala 165.
    assert values["eu_producers"].value == 13.0
    assert values["eu_sites"].value == 19.0
    # Σ x² = 24,504,910 (kt²) over 12,896² = 166,306,816
    assert values["hhi_capacity_company"].value == pytest.approx(24_504_910 / 166_306_816)
    # by Member State: DE 2930, NL 2250, RO 1600, LT 1100, BE 1070, ES 600, IT 600, SK 530,
    # PL 524, HU 497, BG 450, FR 400, EE 180, GR 165: Σ x² = 20,506,910
    assert values["hhi_eu_production"].value == pytest.approx(20_506_910 / 166_306_816)
    value = values["eu_sites"]
    assert value.status == COMPUTED and value.years == (2023, 2024)
    assert value.provenance.file_hashes == (register_hash("ammonia_plants_pypsa-eur.csv"),)
    assert "not checked to be complete" in value.note


def test_ethylene_closure_share_over_the_published_eu_total() -> None:
    values = _values("ethylene", 2025)
    # closures announced by 2025 with their published capacities (kt): Versalis Brindisi 440,
    # Priolo 450, SABIC Geleen O3 550, ExxonMobil Gravenchon 425, TotalEnergies Antwerp 580,
    # Dow Böhlen 540 = 2,985 kt over the EU total of 24,500 kt (Wood Mackenzie, 2025).
    share = values["closure_share"]
    assert share.status == COMPUTED and share.value == pytest.approx(2_985 / 24_500)
    assert "published in 2025" in share.note
    # the shipped list is partial: no count nor concentration, the coverage in the reason
    assert values["eu_producers"].status == MISSING
    assert "31% of the EU total" in values["hhi_capacity_company"].note
    # a total published after the year is not used for it
    assert _values("ethylene", 2024)["closure_share"].status == MISSING


def test_closure_without_published_capacity_leaves_the_share_missing() -> None:
    share = _values("ammonia", 2024)["closure_share"]
    # BASF Ludwigshafen (CL-001) has no published capacity; Yara Tertre (CL-017) 400 kt
    assert share.status == MISSING and share.value is None
    assert "CL-001 (BASF, Ludwigshafen)" in share.note
    assert "at least 400,000 of 12,896,000 t/year (3.1%)" in share.note


def test_no_register_is_missing_never_zero_nor_a_member_declaration() -> None:
    # propylene has illustrative member declarations, two listed units and sourced closures,
    # but neither a register of all EU plants nor a published EU total
    values = _values("propylene", 2024)
    assert all(v.status == MISSING and v.value is None for v in values.values())
    assert "no public register" in values["eu_producers"].note
    # closures announced by 2024: SABIC Geleen O3 260 kt, ExxonMobil Gravenchon 290 kt = 550,000 t
    assert "550,000 t/year" in values["closure_share"].note


def test_year_before_the_register_is_missing() -> None:
    values = _values("ammonia", 2022)
    assert {v.status for v in values.values()} == {MISSING}
    assert "dates from 2023-2024, after 2022" in values["eu_sites"].note


def test_builder_runs_the_family(tmp_path: Path) -> None:
    table = build_evidence(
        Settings(home=tmp_path),
        year=2024,
        store_root=tmp_path,
        molecules=["ammonia", "lysine"],
        families=["production_sites"],
    )
    got = {(v.molecule, v.indicator): v for v in table.values}
    assert got[("ammonia", "eu_sites")].value == 19.0
    assert got[("lysine", "eu_sites")].status == MISSING
