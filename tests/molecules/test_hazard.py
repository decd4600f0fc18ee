"""Hazard (CLP Annex VI) and regulatory status beside the verdict, against the case table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.core.errors import ReferenceDataError
from critchem.molecules import load_registry
from critchem.molecules.hazard import (
    INSTRUMENTS,
    _clp_row,
    _regulatory_row,
    clp_classes,
    clp_of,
    load_clp,
    load_regulatory,
)

CASES = Path(__file__).resolve().parents[1] / "cases"


def read_cases(name: str) -> list[dict[str, str]]:
    with (CASES / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("case", read_cases("clp_annex_vi.tsv"), ids=lambda c: c["name"])
def test_case_table_clp_annex_vi(case: dict[str, str]) -> None:
    molecule = load_registry().by_cas(case["cas"])
    assert molecule is not None, f"{case['name']} ({case['cas']}) is not in the registry"
    entries = clp_of(molecule.id)
    assert case["index_no"] in {e.index_no for e in entries}, case["note"]
    expected = [c.strip() for c in case["expected_classes"].split(";")]
    entry = next(e for e in entries if e.index_no == case["index_no"])
    assert clp_classes([entry]) == expected, case["note"]


def test_every_clp_row_is_a_registry_molecule_with_a_legal_source() -> None:
    registry = load_registry()
    for molecule_id, entries in load_clp().items():
        assert molecule_id in registry
        for entry in entries:
            assert entry.celex.startswith("3"), entry
            assert entry.atp.startswith(("CLP00", "ATP")), entry


def test_every_regulatory_row_has_reference_date_and_source() -> None:
    registry = load_registry()
    rows = [e for entries in load_regulatory().values() for e in entries]
    assert len(rows) >= 20
    for entry in rows:
        assert entry.molecule_id in registry
        assert entry.instrument in INSTRUMENTS
        assert entry.reference and entry.date and entry.source_url.startswith("http")


def test_phase_outs_named_in_the_issue_are_registered() -> None:
    reg = load_regulatory()
    assert any("2024/573" in e.reference for e in reg["hfc-134a"])
    assert any("2024/590" in e.reference for e in reg["hcfc-22"])
    assert any(e.instrument == "Universal PFAS restriction proposal" for e in reg["hfo-1234yf"])
    assert any("2021/2030" in e.reference for e in reg["dimethylformamide"])
    assert any("2018/588" in e.reference for e in reg["nmp"])
    assert any("2024/1328" in e.reference for e in reg["octamethylcyclotetrasiloxane"])


def test_entries_sourced_in_the_second_pass() -> None:
    reg = load_regulatory()
    dmf = [e for e in reg["dimethylformamide"] if e.instrument == "REACH SVHC candidate list"]
    assert [(e.date, e.date_is) for e in dmf] == [("2012-12-19", "included")]
    (edc,) = [e for e in reg["ethylene-dichloride"] if e.instrument == "REACH Annex XIV"]
    assert "895/2014" in edc.reference and edc.date == "2017-11-22"
    for isocyanate in ("mdi", "tdi"):
        assert any("2020/1149" in e.reference for e in reg[isocyanate])
    for hfo in ("hfo-1234yf", "hfo-1234ze"):
        (fgas,) = [e for e in reg[hfo] if e.instrument == "F-gas Regulation (EU) 2024/573"]
        # no HFC quota is claimed for a hydrofluoroolefin
        assert "quota" not in fgas.status and "phase-down" not in fgas.status


def test_bad_rows_name_the_row_and_the_field() -> None:
    good = {
        "molecule_id": "benzene",
        "instrument": "REACH Annex XVII",
        "status": "restricted",
        "reference": "Regulation (EC) No 1907/2006",
        "date": "2009-06-01",
        "source_url": "https://example.org",
    }
    with pytest.raises(ReferenceDataError, match="row 7: 'date' is required"):
        _regulatory_row({**good, "date": ""}, "regulatory_status.tsv: row 7")
    with pytest.raises(ReferenceDataError, match="row 7: date '1 June 2009' is not YYYY-MM-DD"):
        _regulatory_row({**good, "date": "1 June 2009"}, "regulatory_status.tsv: row 7")
    with pytest.raises(ReferenceDataError, match="instrument 'Rumour'"):
        _regulatory_row({**good, "instrument": "Rumour"}, "regulatory_status.tsv: row 7")
    with pytest.raises(ReferenceDataError, match="row 3: no hazard class"):
        _clp_row({"molecule_id": "x", "index_no": "1", "hazard_classes": ""}, "clp: row 3")


def test_molecules_show_benzene_json_carries_clp_and_regulatory() -> None:
    result = CliRunner().invoke(build_app(), ["molecules", "show", "benzene", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["hazard"]["clp"][:3] == ["Flam. Liq. 2", "Carc. 1A", "Muta. 1B"]
    assert "1272/2008" in data["hazard"]["source"]
    assert data["hazard"]["entries"][0]["index_no"] == "601-020-00-8"
    entry = data["regulatory"][0]
    assert set(entry) >= {"instrument", "status", "reference", "date", "source_url"}
    assert entry["instrument"] == "REACH Annex XVII"


def test_molecule_without_annex_vi_entry_says_so_not_harmless() -> None:
    result = CliRunner().invoke(build_app(), ["molecules", "show", "lysine", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["hazard"]["clp"] == []
    assert "no entry in CLP Annex VI" in data["hazard"]["note"]


def test_nonpaper_group_entries_cover_their_members() -> None:
    registry = load_registry()
    covered = {m.id for m in registry.tagged("cca-nonpaper-2025-covered")}
    assert covered == {"p-xylene", "sodium-bicarbonate"}
    assert len(registry.tagged("cca-nonpaper-2025")) == 18  # the non-paper's own 18 entries
    watched = {m.id for m in registry.tagged("eu-surveillance-2025")}
    assert watched == {"ethylene-alpha-olefin-copolymer", "urea", "ammonium-sulphate"}


def test_taric_code_of_valine_and_its_checks() -> None:
    from critchem.molecules.taric import load_taric, parse_taric

    (valine,) = load_taric()["valine"]
    assert valine.taric10 == "2922498587" and valine.cn8 == "29224985"
    row = {
        "molecule_id": "valine",
        "taric10": "2922498587",
        "cn8": "29224985",
        "measure": "anti-dumping",
        "reference": "Regulation",
        "date": "2026-02-12",
        "source_url": "https://example.org",
    }
    with pytest.raises(ReferenceDataError, match="row 2: TARIC code '29224985' must have ten"):
        parse_taric({**row, "taric10": "29224985"}, "taric_codes.tsv: row 2", {"29224985"})
    with pytest.raises(ReferenceDataError, match="must extend a CN8 code of 'valine'"):
        parse_taric(row, "taric_codes.tsv: row 2", {"29224100"})
