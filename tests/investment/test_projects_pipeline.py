from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from critchem.core.errors import PipelineError, ProjectNotFoundError, ProjectValidationError
from critchem.investment import Pipeline, export_file, import_file, parse_project
from critchem.investment.pipeline import EXPORT_COLUMNS, project_to_row
from tests.investment.conftest import base_data


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("trl", 12, "'trl' = 12"),
        ("country", "NO", "'NO' is not an EU Member State"),
        ("nuts2", "DE-A1", "'nuts2' = 'DE-A1'"),
        ("nuts2", "FR10", "nuts2 'FR10' is not a region of country 'DE'"),
        ("status", "dreaming", "'status' = 'dreaming'"),
        ("funding_gap_meur", 120, "funding_gap_meur 120 exceeds capex_meur 100"),
        ("labels", ["Gold star"], "'labels.0' = 'Gold star'"),
        ("molecules", [{"molecule": "unobtainium", "capacity_t_per_year": 5}], "unobtainium"),
    ],
)
def test_validation_names_field_and_value(field: str, value: Any, needle: str) -> None:
    with pytest.raises(ProjectValidationError) as info:
        parse_project(base_data(**{field: value}))
    assert needle in str(info.value)
    assert info.value.field.split(".")[0] == field


def test_greece_nuts_prefix_and_missing_field(data: dict[str, Any]) -> None:
    assert parse_project(base_data(country="EL", nuts2="EL30")).country == "GR"
    del data["title"]
    with pytest.raises(ProjectValidationError, match="field 'title' = missing"):
        parse_project(data)


def test_every_change_kept(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "p.jsonl"
    pipe = Pipeline(path)
    pipe.add(parse_project(data))
    pipe.update(parse_project({**data, "status": "fid"}))
    pipe.update(parse_project({**data, "status": "construction"}))
    reopened = Pipeline(path)
    versions = reopened.history("P-1")
    assert [v.version for v in versions] == [1, 2, 3]
    assert [v.project.status.value for v in versions] == ["permitting", "fid", "construction"]
    assert reopened.get("P-1").status.value == "construction"
    assert len(reopened.current()) == 1
    with pytest.raises(PipelineError, match="already"):
        reopened.add(parse_project(data))
    with pytest.raises(ProjectNotFoundError):
        reopened.update(parse_project({**data, "id": "P-2"}))
    with pytest.raises(ProjectNotFoundError, match="did you mean P-1") as missing:
        reopened.get("P-2")
    assert str(tmp_path) not in str(missing.value)  # a server's paths never reach a client
    assert missing.value.suggestions == ["P-1"]
    with pytest.raises(
        ProjectNotFoundError, match=r"no project 'ZZZ' in the pipeline \(1 projects\)"
    ):
        reopened.history("ZZZ")


def test_line_separators_in_text_survive_a_reopen(tmp_path: Path, data: dict[str, Any]) -> None:
    # Found by the schema fuzz: JSON leaves these unescaped and str.splitlines cut the entry
    # there, so one submitted title made the whole pipeline unreadable.
    title = "EXAMPLE\u2028line\x85next\x1cfile\x1dgroup\x1erecord\u2029para\x0bvt\x0cff"
    path = tmp_path / "p.jsonl"
    Pipeline(path).add(parse_project({**data, "title": title}))
    assert Pipeline(path).get("P-1").title == title


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(EXPORT_COLUMNS))
        w.writeheader()
        w.writerows(rows)


def _rows() -> list[dict[str, str]]:
    good = project_to_row(parse_project(base_data()))
    second = project_to_row(
        parse_project(
            base_data(
                id="P-2", promoters=[{"name": "B", "country": "FR"}, {"name": "C", "country": "IT"}]
            )
        )
    )
    bad_trl = {**good, "id": "P-3", "trl": "11"}
    bad_mol = {**good, "id": "P-4", "molecules": "ammonia:5"}
    dup = dict(good)
    return [good, second, bad_trl, bad_mol, dup]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_with_bad_rows(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / f"in{suffix}"
    rows = _rows()
    if suffix == ".csv":
        _write_csv(src, rows)
    else:
        book = Workbook()
        sheet = book.active
        sheet.append(list(EXPORT_COLUMNS))
        for r in rows:
            sheet.append([r[c] for c in EXPORT_COLUMNS])
        book.save(src)
    pipe = Pipeline()
    report = import_file(pipe, src)
    assert report.rows_read == 5 == report.imported + report.rejected
    assert (report.added, report.rejected) == (2, 3)
    assert [(e.row, e.column) for e in report.errors] == [(4, "trl"), (5, "molecules"), (6, "id")]
    out = tmp_path / f"out{suffix}"
    assert export_file(pipe.current(), out) == 2
    again = Pipeline()
    report2 = import_file(again, out)
    assert (report2.rows_read, report2.rejected) == (2, 0)
    assert again.current() == pipe.current()
    # re-importing the same file changes nothing; a change makes a new version
    assert import_file(pipe, out).unchanged == 2


def test_example_pipeline_imports_cleanly() -> None:
    from importlib import resources

    path = Path(
        str(resources.files("critchem.investment").joinpath("data", "example_pipeline.csv"))
    )
    report = import_file(Pipeline(), path)
    assert report.rejected == 0 and report.imported == report.rows_read >= 25


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,title\nA,B\n")
    with pytest.raises(PipelineError, match="missing columns"):
        import_file(Pipeline(), path)


def test_a_file_that_is_not_a_pipeline_database_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "pipeline.jsonl"  # the former JSON-lines store
    path.write_text('{"not": "a version"}\n', encoding="utf-8")
    with pytest.raises(
        PipelineError, match=r"^pipeline\.jsonl: not a usable pipeline database"
    ) as bad:
        Pipeline(path)
    assert str(tmp_path) not in str(bad.value)


def test_source_column_is_optional_and_marks_the_example_pipeline(tmp_path: Path) -> None:
    from importlib import resources

    from critchem.investment.pipeline import COLUMNS

    example = parse_project(base_data())
    row = {c: v for c, v in project_to_row(example).items() if c in COLUMNS}
    src = tmp_path / "without_source.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow(row)
    pipe = Pipeline(tmp_path / "p.db")
    report = import_file(pipe, src)
    assert report.imported == 1 and pipe.get(example.id).source == "real"
    shipped = resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    with resources.as_file(shipped) as path:
        import_file(pipe, path)
    assert {p.source for p in pipe.current() if p.id.startswith("EX-")} == {"illustrative"}
