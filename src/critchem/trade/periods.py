"""Reference periods of trade statistics: months, years and days, as providers write them.

Comext bulk files write ``YYYYMM`` for a month and ``YYYY52`` for the annual total of a year
(which repeats the months: never add it to them). SDMX writes ``YYYY-MM`` and ``YYYY``. The
canonical labels are ``"2024-03"`` (M), ``"2024"`` (A) and ``"2024-03-15"`` (D).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from critchem.trade.schema import FREQ_ANNUAL, FREQ_DAILY, FREQ_MONTHLY

FIRST_YEAR = 1900
LAST_YEAR = 2199
COMEXT_ANNUAL_MONTH = 52
"""The pseudo-month that marks an annual total in Comext bulk files."""

_COMEXT_RE = re.compile(r"^(\d{4})(\d{2})$")
_ISO_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One reference period: a frequency and its first day.

    >>> Period.month(2024, 3).label, Period.year_of(2024).label, Period.day(date(2024, 3, 15)).label
    ('2024-03', '2024', '2024-03-15')
    """

    freq: str
    start: date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The month ``month`` of ``year``."""
        _check_year(year)
        return cls(FREQ_MONTHLY, date(year, month, 1))

    @classmethod
    def year_of(cls, year: int) -> Period:
        """The calendar year ``year``."""
        _check_year(year)
        return cls(FREQ_ANNUAL, date(year, 1, 1))

    @classmethod
    def day(cls, day: date) -> Period:
        """The day ``day``."""
        _check_year(day.year)
        return cls(FREQ_DAILY, day)

    @property
    def year(self) -> int:
        """The calendar year of the period."""
        return self.start.year

    @property
    def label(self) -> str:
        """The canonical label: ``2024-03`` (M), ``2024`` (A), ``2024-03-15`` (D)."""
        if self.freq == FREQ_MONTHLY:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.freq == FREQ_ANNUAL:
            return f"{self.start.year:04d}"
        return self.start.isoformat()


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")


def parse_comext_period(text: str) -> Period:
    """Parse a Comext bulk ``PERIOD``: ``YYYYMM`` is a month, ``YYYY52`` the year's total.

    >>> parse_comext_period("202402")
    Period(freq='M', start=datetime.date(2024, 2, 1))
    >>> parse_comext_period("202452").label
    '2024'
    >>> parse_comext_period("202413")
    Traceback (most recent call last):
    ...
    ValueError: period '202413' is not YYYYMM (month 01-12) or YYYY52 (annual total)
    """
    match = _COMEXT_RE.match(text.strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if FIRST_YEAR <= year <= LAST_YEAR:
            if month == COMEXT_ANNUAL_MONTH:
                return Period.year_of(year)
            if 1 <= month <= 12:
                return Period.month(year, month)
    raise ValueError(f"period {text!r} is not YYYYMM (month 01-12) or YYYY52 (annual total)")


def comext_period_code(period: Period) -> str:
    """The Comext bulk ``PERIOD`` of a monthly or annual period (inverse of the parser).

    >>> comext_period_code(Period.year_of(2023))
    '202352'
    """
    if period.freq == FREQ_MONTHLY:
        return f"{period.start.year:04d}{period.start.month:02d}"
    if period.freq == FREQ_ANNUAL:
        return f"{period.start.year:04d}{COMEXT_ANNUAL_MONTH}"
    raise ValueError(f"Comext bulk files have no {period.freq!r} periods")


def parse_iso_period(text: str, freq: str | None = None) -> Period:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (SDMX ``TIME_PERIOD``, canonical labels).

    When ``freq`` is given, the label must have that frequency.

    >>> parse_iso_period("2023-07", "M").label
    '2023-07'
    >>> parse_iso_period("2023", "M")
    Traceback (most recent call last):
    ...
    ValueError: period '2023' is not a M period
    """
    match = _ISO_RE.match(text.strip())
    if not match:
        raise ValueError(f"period {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    try:
        if day_text is not None:
            period = Period.day(date(year, int(month_text), int(day_text)))
        elif month_text is not None:
            period = Period.month(year, int(month_text))
        else:
            period = Period.year_of(year)
    except ValueError as error:
        raise ValueError(f"period {text!r} is not a valid date ({error})") from None
    if freq is not None and period.freq != freq:
        raise ValueError(f"period {text!r} is not a {freq} period")
    return period


def monthly_periods(n: int, *, start: date = date(2015, 1, 1)) -> tuple[date, ...]:
    """``n`` consecutive first days of months from ``start``.

    >>> monthly_periods(3, start=date(2024, 11, 1))[-1]
    datetime.date(2025, 1, 1)
    """
    first = start.year * 12 + start.month - 1
    return tuple(date((first + i) // 12, (first + i) % 12 + 1, 1) for i in range(n))
