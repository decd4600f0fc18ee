"""The CLI renderer labels data that say they are synthetic or illustrative (fast, no demo)."""

from __future__ import annotations

import csv
import io

import pytest

from critchem.cli.output import Format, render

ROWS = [{"partner": "CN", "value": 1.0, "source": "synthetic"}]


def test_table_title_says_synthetic(capsys: pytest.CaptureFixture[str]) -> None:
    render(ROWS, Format.table, title="Suppliers")
    shown = capsys.readouterr().out
    assert "SYNTHETIC data" in shown and "Suppliers" in shown


def test_title_that_already_says_it_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    render([{"project_source": "illustrative"}], Format.table, title="ILLUSTRATIVE projects")
    assert capsys.readouterr().out.count("ILLUSTRATIVE") == 1


def test_csv_gets_a_data_label_column(capsys: pytest.CaptureFixture[str]) -> None:
    render(ROWS, Format.csv, columns=["partner", "value"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [{"partner": "CN", "value": "1.0", "data_label": "SYNTHETIC"}]


def test_real_data_are_not_labelled(capsys: pytest.CaptureFixture[str]) -> None:
    render([{"partner": "CN", "source": "comext_bulk"}], Format.csv)
    out = capsys.readouterr().out
    assert "data_label" not in out and "SYNTHETIC" not in out


MIXED = [
    {"id": 1, "title": "real alert", "data_source": "real"},
    {"id": 2, "title": "generated alert", "data_source": "synthetic"},
]


def test_mixed_rows_are_labelled_each_on_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    render(MIXED, Format.csv, columns=["id", "title"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["id"], r["data_label"]) for r in rows] == [("1", ""), ("2", "SYNTHETIC")]
    render(MIXED, Format.table, columns=["id", "title"], title="Alerts")
    shown = capsys.readouterr().out
    assert "Data Label" in shown or "data_label" in shown.lower().replace(" ", "_")
    (real_line,) = [line for line in shown.splitlines() if "real alert" in line]
    (fake_line,) = [line for line in shown.splitlines() if "generated alert" in line]
    assert "SYNTHETIC" not in real_line and "SYNTHETIC" in fake_line
