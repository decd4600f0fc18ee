"""How the indicators classify trade partners and weight them by governance.

Every partner code of a flow falls in exactly one category, seen from an EU reporter:

``aggregate``
    ``WORLD``, ``EU27_2020``, ``EXT_EU27_2020``, ``INT_EU27_2020`` (and any row whose
    ``partner_kind`` is ``aggregate``): totals of other rows, always left out so that nothing
    is counted twice.
``intra``
    The 27 Member States of the ``EU27_2020`` composition (the EU from 1 February 2020,
    applied to every year as Comext does).
``intra_unspecified``
    Comext's codes for intra-EU trade whose partner is not given: ``QR``, ``QV``, ``QY``.
``extra_unspecified``
    The other confidential and non-geographic codes (``QP``, ``QQ``, ``QS``, ``QU``, ``QW``,
    ``QX``, ``QZ``): extra-EU trade whose country of origin is not known.
``extra``
    Every other code: a known extra-EU origin. Codes missing from the shipped partner table
    land here too.

Governance (the WGI mean rescaled 0..10, 10 the worst) comes from the shipped WGI table.
A known origin without WGI estimates (Kosovo, small territories, unknown codes) gets the
median of the scaled WGI of all countries in the WGI table and is flagged as imputed: the
median neither rewards nor penalises an origin we know nothing about, and the flag lets
users see how much of a result rests on imputation.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from critchem.nomenclature import load_countries, load_wgi

if TYPE_CHECKING:
    import ibis.expr.types as ir

AGGREGATE = "aggregate"
INTRA = "intra"
INTRA_UNSPECIFIED = "intra_unspecified"
EXTRA = "extra"
EXTRA_UNSPECIFIED = "extra_unspecified"
CATEGORIES: tuple[str, ...] = (AGGREGATE, INTRA, INTRA_UNSPECIFIED, EXTRA, EXTRA_UNSPECIFIED)
"""Every partner category, in the order of the module docstring."""

EU27_COMPOSITION_DATE = date(2020, 2, 1)
"""The day that fixes the ``EU27_2020`` composition (the day after the UK left)."""

EU27 = "EU27"
"""The reporter label of the sum over the 27 Member State reporters."""

INTRA_EU_UNSPECIFIED_CODES: tuple[str, ...] = ("QR", "QV", "QY")
"""Comext codes of intra-EU trade with an unspecified partner (see ``countries.csv``)."""


@dataclass(frozen=True, slots=True)
class PartnerReference:
    """The code lists and governance values the indicator expressions need."""

    eu27: tuple[str, ...]
    aggregates: tuple[str, ...]
    intra_unspecified: tuple[str, ...]
    extra_unspecified: tuple[str, ...]
    wgi: Mapping[str, float]
    wgi_median: float

    def category(self, partner: ir.StringValue, partner_kind: ir.StringValue) -> ir.StringValue:
        """The Ibis expression giving the category of each partner code."""
        import ibis

        return ibis.cases(
            (partner.isin(self.aggregates) | (partner_kind == AGGREGATE), AGGREGATE),
            (partner.isin(self.eu27), INTRA),
            (partner.isin(self.intra_unspecified), INTRA_UNSPECIFIED),
            (
                partner.isin(self.extra_unspecified)
                | partner_kind.isin(("confidential", "non-geographic")),
                EXTRA_UNSPECIFIED,
            ),
            else_=EXTRA,
        )

    def wgi_table(self) -> ir.Table:
        """An in-memory table ``(wgi_partner, wgi_known)`` of the partners with WGI estimates."""
        import ibis
        import pyarrow as pa

        codes = sorted(self.wgi)
        data = pa.table(
            {
                "wgi_partner": pa.array(codes, pa.string()),
                "wgi_known": pa.array([self.wgi[c] for c in codes], pa.float64()),
            }
        )
        return ibis.memtable(data)


def partner_reference(wgi: Mapping[str, float] | None = None) -> PartnerReference:
    """The partner classification, with ``wgi`` (code → scaled WGI) or the shipped WGI 2020.

    >>> ref = partner_reference()
    >>> len(ref.eu27), "QZ" in ref.extra_unspecified, round(ref.wgi["CN"], 4)
    (27, True, 5.4993)
    >>> partner_reference({"CN": 6.0, "US": 3.0, "JP": 2.0}).wgi_median
    3.0
    """
    if wgi is None:
        return _shipped_reference()
    return _build(dict(wgi))


@cache
def _shipped_reference() -> PartnerReference:
    countries = load_countries()
    governance = load_wgi()
    scaled = {
        p.code: governance[p.iso3].scaled
        for p in countries
        if p.is_geographic and p.iso3 is not None and p.iso3 in governance
    }
    median = statistics.median(g.scaled for g in governance.values())
    return _build(scaled, median)


def _build(wgi: dict[str, float], median: float | None = None) -> PartnerReference:
    if not wgi:
        raise ValueError("The WGI mapping is empty: give at least one country's scaled WGI")
    countries = load_countries()
    unspecified = tuple(
        sorted(
            p.code
            for p in countries
            if p.kind in {"confidential", "non-geographic"}
            and p.code not in INTRA_EU_UNSPECIFIED_CODES
        )
    )
    return PartnerReference(
        eu27=tuple(sorted(p.code for p in countries.eu27(EU27_COMPOSITION_DATE))),
        aggregates=tuple(sorted(p.code for p in countries if p.kind == AGGREGATE)),
        intra_unspecified=INTRA_EU_UNSPECIFIED_CODES,
        extra_unspecified=unspecified,
        wgi=wgi,
        wgi_median=float(statistics.median(wgi.values()) if median is None else median),
    )
