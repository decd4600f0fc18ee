"""PACT v3 footprints read from miniature JSON and CSV files (fictitious companies)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon import ProductFootprint, parse_footprints, read_footprints
from critchem.cli.main import build_app
from critchem.core.errors import CarbonInputError

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def test_json_keeps_the_good_rows_and_names_the_bad_field() -> None:
    report = read_footprints(DATA / "footprints_v3.json")
    assert (report.read, report.valid, report.rejected) == (3, 2, 1)
    fields = {(e.row, e.field) for e in report.errors}
    # row 3: companyIds[0] is not a URN, pcf.fossilGhgEmissions is negative
    assert fields == {(3, "companyIds.0"), (3, "pcf.fossilGhgEmissions")}
    first = report.footprints[0]
    assert first.company_name == "Example Chemicals A"
    assert first.pcf.pcf_excluding_biogenic_uptake == Decimal("2.132")
    assert first.pcf.geography == "TR"
    assert report.footprints[1].pcf.geography == "Western Europe"


def test_pcf_per_kg_uses_the_declared_unit_or_the_product_mass() -> None:
    ammonia, cylinder = read_footprints(DATA / "footprints_v3.json").footprints
    assert ammonia.pcf_per_kg() == pytest.approx(2.132)  # kilogram: 2.132 / 1
    assert cylinder.pcf_per_kg() == pytest.approx(2.0)  # piece of 25 kg: 50 / 25


def test_round_trip_is_pact_json() -> None:
    footprint = read_footprints(DATA / "footprints_v3.json").footprints[0]
    pact = footprint.to_pact()
    assert pact["pcf"]["pcfExcludingBiogenicUptake"] == "2.132"
    assert pact["pcf"]["dqi"] == {
        "technologicalDQR": "1.2", "geographicalDQR": "2.0", "temporalDQR": "1.2"
    }  # fmt: skip
    assert "geographyRegionOrSubregion" not in pact["pcf"]
    assert ProductFootprint.model_validate(pact) == footprint


def test_csv_rows_and_fields_are_named() -> None:
    report = read_footprints(DATA / "footprints_v3.csv")
    assert (report.read, report.valid, report.rejected) == (2, 1, 1)
    assert {(e.row, e.field) for e in report.errors} == {
        (2, "pcf.geographyCountry"),
        (2, "pcf.dqi.technologicalDQR"),
    }
    urea = report.footprints[0]
    assert len(urea.company_ids) == 2
    assert urea.pcf.cross_sectoral_standards == ["ISO14067", "PACT-3.0"]
    assert urea.pcf.primary_data_share == Decimal(40)


def test_two_geographies_are_refused() -> None:
    record = json.loads((DATA / "footprints_v3.json").read_text())["data"][0]
    record["pcf"]["geographyRegionOrSubregion"] = "Western Asia"
    report = parse_footprints(json.dumps([record]), "json")
    assert report.rejected == 1
    assert report.errors[0].field == "pcf"
    assert "at most one geography" in report.errors[0].message


def test_duplicate_ids_are_rejected() -> None:
    record = json.loads((DATA / "footprints_v3.json").read_text())["data"][0]
    report = parse_footprints(json.dumps([record, record]), "json")
    assert (report.valid, report.rejected) == (1, 1)
    assert report.errors[0].message == "duplicate of row 1"


def test_unreadable_json_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CarbonInputError, match=r"bad.json: not valid JSON \(line 1"):
        read_footprints(bad)


def test_cli_import_json(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(json.loads((DATA / "footprints_v3.json").read_text())["data"][:2]))
    result = runner.invoke(build_app(), ["pcf", "import", str(good), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["read"], payload["valid"], payload["rejected"]) == (2, 2, 0)
    assert payload["footprints"][1]["pcf"]["declaredUnitOfMeasurement"] == "piece"


def test_cli_import_with_rejections_exits_2_and_still_reports() -> None:
    result = runner.invoke(
        build_app(), ["pcf", "import", str(DATA / "footprints_v3.csv"), "--format", "json"]
    )
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["valid"] == 1 and payload["rejected"] == 1
    assert payload["errors"][0]["row"] == 2
    assert "Traceback" not in result.output


def test_excel_has_the_csv_layout(tmp_path: Path) -> None:
    """The CSV fixture written to a real .xlsx (numbers as numbers, a date as an Excel date)."""
    import csv
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with (DATA / "footprints_v3.csv").open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.reader(handle)):
            cells: list[object] = [
                float(v) if n and v.replace(".", "", 1).isdigit() else v for v in row
            ]
            if n == 1:
                cells[2] = datetime(2026, 3, 1)  # created
            sheet.append(cells)
    path = tmp_path / "footprints.xlsx"
    book.save(path)
    report = read_footprints(path)
    assert (report.format, report.read, report.valid, report.rejected) == ("xlsx", 2, 1, 1)
    assert {(e.row, e.field) for e in report.errors} == {
        (2, "pcf.geographyCountry"),
        (2, "pcf.dqi.technologicalDQR"),
    }
    urea = report.footprints[0]
    assert urea.created.isoformat() == "2026-03-01T00:00:00+00:00"
    assert urea.pcf.primary_data_share == Decimal(40)
