"""The Commission's CBAM default values for the goods of the chemical chain.

Regulation (EU) 2023/956, Article 7(2) and Annex IV point 4.1: where the actual embedded
emissions cannot be adequately determined, the default values are used. They are set by
Annex I to Commission Implementing Regulation (EU) 2025/2621, replaced in full by Annex I to
Implementing Regulation (EU) 2026/1740 (OJ L, 2026/1740, 31.7.2026, applicable from
1 January 2026), one table per country of origin plus "Other countries and territories".

``data/cbam_default_values.csv`` ships, for hydrogen (2804 10 00), nitric acid (2808 00 00),
ammonia (2814), potassium nitrate (2834 21 00) and the fertilisers of 3102 and 3105, the
tables of "Other countries and territories" and of Algeria, China, Egypt, India, Trinidad and
Tobago, Türkiye, Ukraine and the United States (see ``data/SOURCES.md`` for the copy read and
the values checked against a second source). The introductory part of that Annex I says:

* the default value of the column "total emissions" is selected (direct + indirect for the
  fertilisers; direct only for hydrogen, an Annex II good of Regulation 2023/956);
* it is increased by a mark-up (``data/cbam_default_markup.csv``): hydrogen 10 % in 2026,
  20 % in 2027, 30 % from 2028; fertilisers 1 % from 2026;
* where a country is not listed, the table "Other countries and territories" is used, and
  where a listed country shows no value for a good, that table's value is used.

    SEE_default = T_total · (1 + m_y / 100)

The shipped file holds only some country tables, so a country it does not hold is refused
(the caller may declare ``OTHER`` after checking that the country is not listed in Annex I).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from critchem.core.errors import CarbonInputError

VALUES_FILE = "cbam_default_values.csv"
MARKUP_FILE = "cbam_default_markup.csv"
OTHER = "OTHER"
ACT = (
    "Annex I to Implementing Regulation (EU) 2025/2621 as replaced by "
    "Implementing Regulation (EU) 2026/1740"
)


class DefaultValue(BaseModel):
    """One row of an Annex I table: a country (or ``OTHER``), a CN code and its values."""

    model_config = ConfigDict(frozen=True)

    country: str
    iso3: str
    annex_table: str
    cn_code: str
    sector: str
    direct_tco2e_per_t: float
    indirect_tco2e_per_t: float | None
    total_tco2e_per_t: float
    source: str
    checked: str


class Markup(BaseModel):
    """The mark-up of a sector for the years ``from_year`` to ``to_year`` (open when None)."""

    model_config = ConfigDict(frozen=True)

    sector: str
    from_year: int
    to_year: int | None
    markup_pct: float
    source: str


class DefaultSee(BaseModel):
    """The default specific embedded emissions applied to a shipment, and where they come from."""

    model_config = ConfigDict(frozen=True)

    see_tco2e_per_t: float
    total_tco2e_per_t: float
    markup_pct: float
    annex_table: str
    cn_code: str
    year: int
    label: str


def _read(name: str) -> list[dict[str, str]]:
    text = (resources.files("critchem.carbon") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def default_values() -> dict[tuple[str, str], DefaultValue]:
    """The shipped rows keyed by (country, CN8); country is ISO alpha-2 or ``OTHER``."""
    table: dict[tuple[str, str], DefaultValue] = {}
    for row in _read(VALUES_FILE):
        indirect = row["indirect_tco2e_per_t"]
        value = DefaultValue(
            country=row["country"],
            iso3=row["iso3"],
            annex_table=row["annex_table"],
            cn_code=row["cn_code"],
            sector=row["sector"],
            direct_tco2e_per_t=float(row["direct_tco2e_per_t"]),
            indirect_tco2e_per_t=float(indirect) if indirect else None,
            total_tco2e_per_t=float(row["total_tco2e_per_t"]),
            source=row["source"],
            checked=row["checked"],
        )
        table[(value.country, value.cn_code)] = value
    return table


@cache
def markups() -> tuple[Markup, ...]:
    """The shipped mark-up schedule."""
    return tuple(
        Markup(
            sector=row["sector"],
            from_year=int(row["from_year"]),
            to_year=int(row["to_year"]) if row["to_year"] else None,
            markup_pct=float(row["markup_pct"]),
            source=row["source"],
        )
        for row in _read(MARKUP_FILE)
    )


def markup_pct(sector: str, year: int) -> float:
    """The mark-up (percent) of ``sector`` for imports in ``year``.

    >>> markup_pct("Hydrogen", 2026), markup_pct("Hydrogen", 2031), markup_pct("Fertilisers", 2030)
    (10.0, 30.0, 1.0)
    """
    for m in markups():
        if m.sector == sector and m.from_year <= year and (m.to_year is None or year <= m.to_year):
            return m.markup_pct
    raise CarbonInputError(f"no CBAM default-value mark-up shipped for {sector} in {year}")


def marked_up(total: float, pct: float) -> float:
    """``SEE_default = T_total · (1 + m/100)``, the total default value with its mark-up.

    >>> round(marked_up(26.64, 10.0), 6), round(marked_up(1.9, 1.0), 6)
    (29.304, 1.919)
    """
    return total * (1.0 + pct / 100.0)


def _country_key(country: str) -> str:
    """The shipped table of ``country`` (ISO alpha-2 or alpha-3, any case, or ``OTHER``)."""
    code = country.strip().upper()
    aliases = {OTHER: OTHER}
    for row in default_values().values():
        aliases[row.country] = row.country
        if row.iso3:
            aliases[row.iso3] = row.country
    if code in aliases:
        return aliases[code]
    shipped = sorted(set(aliases.values()) - {OTHER})
    raise CarbonInputError(
        f"no shipped CBAM default-value table for country {country!r} (shipped: "
        f"{', '.join(shipped)} and OTHER); declare see_tco2e_per_t with its source, or "
        "default_table 'OTHER' if the country is not listed in Annex I"
    )


def default_see(country: str, cn_code: str, year: int) -> DefaultSee:
    """The default SEE of ``cn_code`` from ``country`` for imports in ``year``.

    A listed country without a value for the good takes the "Other countries and territories"
    value (Annex I, introductory part).

    >>> d = default_see("US", "2808 00 00", 2026)
    >>> d.total_tco2e_per_t, d.markup_pct, round(d.see_tco2e_per_t, 6)
    (1.9, 1.0, 1.919)
    """
    code = cn_code.replace(" ", "").replace(".", "")
    key = _country_key(country)
    table = default_values()
    row = table.get((key, code)) or table.get((OTHER, code))
    if row is None:
        listed = sorted({cn for _, cn in table})
        raise CarbonInputError(
            f"no shipped CBAM default value for CN {code} (the shipped tables list: "
            f"{', '.join(listed)}); declare see_tco2e_per_t with its source"
        )
    pct = markup_pct(row.sector, year)
    see = marked_up(row.total_tco2e_per_t, pct)
    fallback = "" if row.country == key else f" (no value for {key}: Other countries table)"
    label = (
        f"default value: {ACT}, table '{row.annex_table}'{fallback}, CN {row.cn_code}, "
        f"total {row.total_tco2e_per_t} tCO2e/t + {pct:g} % mark-up for {year}"
    )
    return DefaultSee(
        see_tco2e_per_t=see,
        total_tco2e_per_t=row.total_tco2e_per_t,
        markup_pct=pct,
        annex_table=row.annex_table,
        cn_code=row.cn_code,
        year=year,
        label=label,
    )
