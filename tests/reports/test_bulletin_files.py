"""The bulletin files: HTML (well-formed, inline SVG, no external assets), PDF and JSON twin."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from critchem.cli.bulletin import bulletin
from critchem.services.bulletin import BulletinOut, make_bulletin
from critchem.surveillance.alerts import AlertStore
from tests.reports.factory import build_history

VOID = {"meta", "link", "br", "hr", "img", "input", "area", "base", "col", "source", "wbr"}
NOW = datetime(2025, 12, 1, 6, 0, tzinfo=UTC)


class _Balance(HTMLParser):
    """Checks that elements close in order and ids are unique; counts the top-level ``<svg>``."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.svgs = 0
        self.titled_svgs = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]
        if tag == "svg" and "svg" not in self.stack:
            self.svgs += 1
        if tag == "title" and self.stack[-1:] == ["svg"]:
            self.titled_svgs += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack, f"</{tag}> closes nothing"
        opened = self.stack.pop()
        assert opened == tag, f"<{opened}> closed by </{tag}>"


def _parse(page: str) -> _Balance:
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert len(parser.ids) == len(set(parser.ids)), "duplicate ids"
    return parser


def _pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'alerts.db'}"
    store = AlertStore(url)
    build_history(store)
    store.dispose()
    return url


@pytest.fixture(scope="module")
def week48(database: str, tmp_path_factory: pytest.TempPathFactory) -> BulletinOut:
    out = tmp_path_factory.mktemp("out")
    return make_bulletin("2025-W48", database_url=database, out_dir=out, now=NOW)


def test_writes_the_three_files_with_the_counts(week48: BulletinOut) -> None:
    assert week48.html.name == "bulletin-2025-W48.html"
    assert week48.pdf.name == "bulletin-2025-W48.pdf"
    assert week48.json_path.name == "bulletin-2025-W48.json"
    counts = (week48.alerts, week48.new, week48.escalated, week48.red, week48.amber)
    assert counts == (3, 2, 1, 2, 1)
    assert week48.charts == 2
    assert week48.origins == 2  # CN and US; EXTRA_EU has no centroid


def test_html_is_well_formed_with_one_svg_per_chart_and_the_map(week48: BulletinOut) -> None:
    page = week48.html.read_text(encoding="utf-8")
    parsed = _parse(page)
    assert parsed.svgs == week48.charts + 1
    assert parsed.titled_svgs == parsed.svgs
    assert page.index("alert-") < page.index('id="map"')
    # Red first: the new red alert, then the escalated one, then the amber one.
    order = [page.index(f"{p}</h3>") for p in ("from CN", "from US", "from EXTRA_EU")]
    assert order == sorted(order)
    assert "from amber to red" in page
    assert "No plottable evidence" in page  # the escalated alert has no series
    assert "Partners not placed on the map (no country centroid): EXTRA_EU" in page
    assert "<caption>" in page


def test_html_has_no_external_assets(week48: BulletinOut) -> None:
    page = week48.html.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "http://" not in page
    assert "https://" not in page
    assert "<script" not in page
    assert "<link" not in page
    assert "@import" not in page


def test_pdf_has_summary_one_page_per_chart_and_the_map(week48: BulletinOut) -> None:
    assert week48.pdf.read_bytes()[:4] == b"%PDF"
    assert week48.pdf_pages == 1 + week48.charts + 1
    assert _pdf_pages(week48.pdf) == week48.pdf_pages


def test_json_twin_lists_the_same_alerts(week48: BulletinOut) -> None:
    twin = json.loads(week48.json_path.read_text(encoding="utf-8"))
    assert twin["week"] == "2025-W48"
    assert twin["start"] == "2025-11-24T00:00:00+00:00"
    assert [a["id"] for a in twin["alerts"]] == [i.id for i in week48.items]
    assert [(a["partner"], a["change"], a["chart"]) for a in twin["alerts"]] == [
        ("CN", "new", True),
        ("US", "escalated", False),
        ("EXTRA_EU", "new", True),
    ]
    assert twin["counts"]["escalated"] == 1
    assert twin["unmapped_partners"] == ["EXTRA_EU"]
    assert {o["iso2"]: o["severity"] for o in twin["origins"]} == {"CN": "red", "US": "red"}


def test_an_empty_week_says_so(database: str, tmp_path: Path) -> None:
    result = make_bulletin("2025-W40", database_url=database, out_dir=tmp_path, now=NOW)
    assert (result.alerts, result.charts, result.origins) == (0, 0, 0)
    page = result.html.read_text(encoding="utf-8")
    assert _parse(page).svgs == 0  # no chart, and no origin to map
    assert "No new or escalated alerts this week." in page
    assert "No origin to map this week." in page
    assert result.pdf_pages == _pdf_pages(result.pdf) == 2  # summary and (empty) map
    assert json.loads(result.json_path.read_text(encoding="utf-8"))["alerts"] == []


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(bulletin)
    return app


def test_cli_writes_the_bulletin_and_prints_json(database: str, tmp_path: Path) -> None:
    args = ["--week", "2025-W48", "--db", database, "--out", str(tmp_path), "--format", "json"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["alerts"], summary["pdf_pages"]) == (3, 4)
    assert (tmp_path / "bulletin-2025-W48.html").exists()


def test_cli_rejects_a_week_that_does_not_exist(database: str, tmp_path: Path) -> None:
    args = ["--week", "2025-W53", "--db", database, "--out", str(tmp_path)]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 2
    assert "2025-W53 does not exist" in result.output
    assert not list(tmp_path.iterdir())


def test_bulletin_by_trade_period(database: str, tmp_path: Path) -> None:
    # every alert of the history is on the trade of 2025-09 (factory.PERIOD)
    result = make_bulletin(period="2025-09", database_url=database, out_dir=tmp_path, now=NOW)
    assert result.week == "2025-09" and result.alerts >= 1
    assert (result.start.isoformat(), result.end.isoformat()) == ("2025-09-01", "2025-09-30")
    page = result.html.read_text(encoding="utf-8")
    assert "bulletin, trade period 2025-09" in page and "Alerts on the trade of 2025-09" in page
    assert "<strong>In brief.</strong>" in page  # the executive summary
    assert "CN 28012000 Fluorine, chlorine, bromine and iodine › Iodine" in page  # product name
    _parse(page)
    twin = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert twin["covers"] == "trade period"
    assert {a["change"] for a in twin["alerts"]} == {"new"}  # first seen in 2025-09
    empty = make_bulletin(period="2025-10", database_url=database, out_dir=tmp_path, now=NOW)
    assert empty.alerts == 0
    assert "No alerts this trade period." in empty.html.read_text(encoding="utf-8")


def test_cli_period_and_week_are_exclusive(database: str, tmp_path: Path) -> None:
    both = ["--week", "2025-W48", "--period", "2025-09", "--db", database, "--out", str(tmp_path)]
    assert CliRunner().invoke(_app(), both).exit_code == 2
    bad = ["--period", "2025-13", "--db", database, "--out", str(tmp_path)]
    result = CliRunner().invoke(_app(), bad)
    assert result.exit_code != 0 and "write it YYYY-MM" in result.output
    ok = ["--period", "2025-09", "--db", database, "--out", str(tmp_path), "--format", "json"]
    result = CliRunner().invoke(_app(), ok)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bulletin-2025-09.pdf").exists()
