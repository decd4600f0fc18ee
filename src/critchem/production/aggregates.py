"""Aggregates of the production sites per country, with statistical disclosure control."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from critchem.accounts.disclosure import MIN_COMPANIES, suppress_small_aggregates
from critchem.production.sites import Site


@dataclass(frozen=True)
class CountryAggregate:
    """Sites and companies of one country, and their 2014 ETS emissions (t CO2).

    ``emissions_ets_2014_t`` is ``None`` when fewer than ``MIN_COMPANIES`` companies
    reported emissions (suppressed, as in official statistics).
    """

    country: str
    sites: int
    companies: int
    emissions_ets_2014_t: float | None
    suppressed: bool


def sites_per_country(
    sites: Iterable[Site], *, min_companies: int = MIN_COMPANIES
) -> list[CountryAggregate]:
    """Count sites and companies per country and sum the ETS emissions, suppressing small groups.

    >>> from critchem.production.sites import Site
    >>> def s(i, company, country, t):
    ...     return Site(i, company, i, "", country, None, None, "Chemical industry", t, None)
    >>> rows = [s("1", "a", "DE", 1.0), s("2", "b", "DE", 2.0), s("3", "c", "DE", 3.0),
    ...         s("4", "a", "FR", 5.0)]
    >>> [(a.country, a.sites, a.emissions_ets_2014_t) for a in sites_per_country(rows)]
    [('DE', 3, 6.0), ('FR', 1, None)]
    """
    rows = list(sites)
    countries = sorted({s.country for s in rows})
    groups = {
        c: [
            (s.company, s.emissions_ets_2014_t)
            for s in rows
            if s.country == c and s.emissions_ets_2014_t is not None
        ]
        for c in countries
    }
    sums = suppress_small_aggregates(groups, min_companies)
    return [
        CountryAggregate(
            country=c,
            sites=sum(1 for s in rows if s.country == c),
            companies=len({s.company for s in rows if s.country == c}),
            emissions_ets_2014_t=sums[c].value,
            suppressed=sums[c].suppressed,
        )
        for c in countries
    ]
