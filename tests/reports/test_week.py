"""ISO week parsing and bounds (Monday 00:00 UTC to the next Monday, exclusive)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from critchem.core.errors import CritchemError
from critchem.reports import InvalidWeekError, parse_week


@pytest.mark.parametrize(
    ("text", "monday", "sunday"),
    [
        ("2025-W01", date(2024, 12, 30), date(2025, 1, 5)),  # ISO year starts in December
        ("2025-W48", date(2025, 11, 24), date(2025, 11, 30)),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),  # 2020 has 53 weeks
        ("2021-W01", date(2021, 1, 4), date(2021, 1, 10)),
        ("2026W09", date(2026, 2, 23), date(2026, 3, 1)),
    ],
)
def test_week_bounds(text: str, monday: date, sunday: date) -> None:
    week = parse_week(text)
    assert (week.monday, week.sunday) == (monday, sunday)
    assert week.start == datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    assert (week.end - week.start).days == 7
    assert week.label == text.replace("W", "-W") if "-" not in text else text


def test_week_that_does_not_exist_is_a_clear_error() -> None:
    with pytest.raises(InvalidWeekError, match=r"2025-W53 does not exist.*W01 to W52"):
        parse_week("2025-W53")
    with pytest.raises(InvalidWeekError, match="W00"):
        parse_week("2025-W00")


@pytest.mark.parametrize("text", ["2025-48", "W48", "2025-11-24", "", "2025-W488"])
def test_malformed_week_names_the_expected_form(text: str) -> None:
    with pytest.raises(CritchemError, match="YYYY-Www"):
        parse_week(text)
