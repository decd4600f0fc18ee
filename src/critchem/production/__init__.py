"""EU chemical production: the public register of sites and its aggregates."""

from critchem.production.aggregates import CountryAggregate, sites_per_country
from critchem.production.sites import (
    RejectedRow,
    Site,
    SiteLoad,
    load_sites,
    parse_point,
    parse_sites,
    read_sites,
)

__all__ = [
    "CountryAggregate",
    "RejectedRow",
    "Site",
    "SiteLoad",
    "load_sites",
    "parse_point",
    "parse_sites",
    "read_sites",
    "sites_per_country",
]
