"""The ListFootprints filters of the PACT Technical Specifications v3 as pure functions.

Within one criterion the values combine with OR, between criteria with AND; identifiers,
geographies and the status match case-insensitively (v3, Action ListFootprints,
"Filtering"). The validity period is ``validityPeriodStart`` to ``validityPeriodEnd`` when
both are given, otherwise ``referencePeriodEnd`` to three years after it (v3, "Validity
period"); ``validOn`` matches start <= validOn <= end, ``validAfter`` start > validAfter and
``validBefore`` end < validBefore.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, TypeAdapter, ValidationError, WithJsonSchema

from critchem.core.errors import PactError

VALIDITY_YEARS = 3
"""Default validity after ``referencePeriodEnd`` when no validity period is given."""

_DATETIME: TypeAdapter[datetime] = TypeAdapter(datetime)
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?$"
)
"""An RFC 3339 date-time; seconds and offset may be left out (the specification's filter
example writes ``2025-04-01T00:00Z``; no offset means UTC)."""


def parse_time(value: str, name: str) -> datetime:
    """``value`` as an aware UTC datetime (naive means UTC); ``PactError`` 400 naming ``name``.

    >>> parse_time("2025-04-01T00:00Z", "validOn").isoformat()
    '2025-04-01T00:00:00+00:00'
    """
    try:
        if not _RFC3339.match(value):
            raise ValueError(value)
        parsed = _DATETIME.validate_python(value.upper(), strict=False)
    except (ValidationError, ValueError) as exc:
        raise PactError(
            400, "BadRequest", f"{name}: {value!r} is not an RFC 3339 date-time"
        ) from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _checked(value: str) -> str:
    parse_time(value, "date-time")
    return value


DateTimeText = Annotated[
    str, AfterValidator(_checked), WithJsonSchema({"type": "string", "format": "date-time"})
]
"""A date-time kept as its text, checked as :func:`parse_time` reads it."""


def _plus_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def validity_period(document: Mapping[str, Any]) -> tuple[datetime, datetime]:
    """The validity period of a footprint's PACT JSON (see the module docstring)."""
    start, end = document.get("validityPeriodStart"), document.get("validityPeriodEnd")
    if start and end:
        return parse_time(start, "validityPeriodStart"), parse_time(end, "validityPeriodEnd")
    reference_end = parse_time(document["pcf"]["referencePeriodEnd"], "pcf.referencePeriodEnd")
    return reference_end, _plus_years(reference_end, VALIDITY_YEARS)


def _folded(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.casefold() for v in values)


@dataclass(frozen=True)
class FootprintFilter:
    """The criteria of one ListFootprints call or RequestCreatedEvent (empty: no criterion)."""

    product_ids: frozenset[str] = field(default_factory=frozenset)
    company_ids: frozenset[str] = field(default_factory=frozenset)
    geographies: frozenset[str] = field(default_factory=frozenset)
    classifications: frozenset[str] = field(default_factory=frozenset)
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None

    @classmethod
    def build(
        cls,
        *,
        product_ids: Iterable[str] = (),
        company_ids: Iterable[str] = (),
        geographies: Iterable[str] = (),
        classifications: Iterable[str] = (),
        valid_on: str | None = None,
        valid_after: str | None = None,
        valid_before: str | None = None,
        status: str | None = None,
    ) -> FootprintFilter:
        """Criteria from request values; a bad date is ``PactError`` 400 naming it."""
        return cls(
            product_ids=_folded(product_ids),
            company_ids=_folded(company_ids),
            geographies=_folded(geographies),
            classifications=_folded(classifications),
            valid_on=None if valid_on is None else parse_time(valid_on, "validOn"),
            valid_after=None if valid_after is None else parse_time(valid_after, "validAfter"),
            valid_before=(
                None if valid_before is None else parse_time(valid_before, "validBefore")
            ),
            status=None if status is None else status.casefold(),
        )

    def matches(self, document: Mapping[str, Any]) -> bool:
        """Whether the footprint's PACT JSON meets every criterion."""
        pcf = document.get("pcf", {})
        pairs: tuple[tuple[frozenset[str], Iterable[str]], ...] = (
            (self.product_ids, document.get("productIds", ())),
            (self.company_ids, document.get("companyIds", ())),
            (self.classifications, document.get("productClassifications") or ()),
            (
                self.geographies,
                [
                    pcf[k]
                    for k in (
                        "geographyCountry",
                        "geographyCountrySubdivision",
                        "geographyRegionOrSubregion",
                    )
                    if pcf.get(k)
                ],
            ),
        )
        for wanted, values in pairs:
            if wanted and wanted.isdisjoint(_folded(values)):
                return False
        if self.status is not None and str(document.get("status", "")).casefold() != self.status:
            return False
        if self.valid_on or self.valid_after or self.valid_before:
            start, end = validity_period(document)
            if self.valid_on is not None and not start <= self.valid_on <= end:
                return False
            if self.valid_after is not None and not start > self.valid_after:
                return False
            if self.valid_before is not None and not end < self.valid_before:
                return False
        return True
