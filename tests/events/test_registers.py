"""The event registers: a source and a date on every row, the CLI, and links to alerts."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from critchem.core.errors import ReferenceDataError
from critchem.events import KINDS, events_for, load_events
from critchem.events.registers import _parse
from critchem.services.events import linked_events, list_events

HEADER = (
    "id,kind,product,codes,codes_basis,countries,measure,start,initiation_ref,provisional_date,"
    "provisional_ref,definitive_date,definitive_ref,end,source_url,notes\n"
)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_row_has_a_source_and_a_date(kind: str) -> None:
    rows = load_events(kind)  # type: ignore[arg-type]
    assert rows
    for row in rows:
        assert row.source_url.startswith("https://") or row.source_url.startswith("http://")
        assert date(2015, 1, 1) <= row.start <= date(2026, 12, 31)
        assert row.kind == kind
        assert all(len(c) >= 4 and c.isdigit() for c in row.codes)
        assert all(len(c) == 2 for c in row.countries)
        if row.provisional_date and row.definitive_date:
            assert row.start < row.provisional_date < row.definitive_date
    assert len({r.id for r in rows}) == len(rows)


def test_the_issue_s_export_controls_are_there_with_their_dates() -> None:
    starts = {e.id: e.start for e in load_events("export-control")}
    assert starts["ec-cn-gallium-germanium"] == date(2023, 8, 1)
    assert starts["ec-cn-graphite"] == date(2023, 12, 1)
    assert starts["ec-cn-antimony"] == date(2024, 9, 15)


def test_a_row_without_a_source_is_refused_with_its_line() -> None:
    text = HEADER + "x,surveillance,P,2825,basis,,prior surveillance,2020-01-01,,,,,,,,\n"
    with pytest.raises(ReferenceDataError, match=r"f.csv line 2: every row needs a source URL"):
        _parse("surveillance", "f.csv", text)
    bad_date = HEADER + "x,surveillance,P,2825,b,,m,2020-13-01,,,,,,,https://e.eu,\n"
    with pytest.raises(ReferenceDataError, match=r"line 2: start '2020-13-01' is not a date"):
        _parse("surveillance", "f.csv", bad_date)


def test_alert_links_are_on_the_same_code_and_country() -> None:
    assert [e.id for e in events_for("28230000", "CN")] == ["td-ad696-tio2-cn"]
    assert events_for("28230000", "IN") == []
    assert [e.id for e in events_for("81129289", "CN")] == ["ec-cn-gallium-germanium"]
    assert events_for(None, "CN") == []
    # an erga omnes surveillance measure covers every partner of its headings
    assert [e.id for e in linked_events("76061100", "TR")] == ["sv-eu-aluminium-2018"]


def test_cli_lists_a_register_as_json() -> None:
    result = CliRunner().invoke(
        build_app(), ["events", "list", "--kind", "trade-defence", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == len(list_events("trade-defence"))
    tio2 = next(r for r in rows if r["id"] == "td-ad696-tio2-cn")
    assert tio2["start"] == "2023-11-13"
    assert tio2["provisional_ref"].startswith("Commission Implementing Regulation (EU) 2024/1923")


def test_cli_unknown_register_is_a_clear_error() -> None:
    result = CliRunner().invoke(build_app(), ["events", "list", "--kind", "bogus"])
    assert result.exit_code != 0
    assert "no event register 'bogus'" in result.output
