"""Public schemas of the API that the services do not define: pages, trade rows, requests."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

T = TypeVar("T")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: object) -> object:
    """Let only ``YYYY-MM-DD`` text through (pydantic alone also takes ``0.0`` as 1970-01-01)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date as YYYY-MM-DD, not {value!r}")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
"""A date parameter given as ``YYYY-MM-DD`` (no timestamps)."""

MAX_PAGE = 500
"""The largest page a list route returns."""


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, how many match in all, and where the page starts."""

    items: list[T]
    total: int = Field(description="How many items match, over all pages.")
    limit: int = Field(description="The page size asked for.")
    offset: int = Field(description="How many matching items come before this page.")


class TradePeriodOut(BaseModel):
    """Trade indicators of one period (month ``YYYY-MM`` or year ``YYYY``) from one source."""

    source: str
    reporter: str
    period: str
    import_value: float | None = None
    import_net_mass_kg: float | None = None
    import_unit_value: float | None = None
    extra_import_value: float | None = None
    extra_import_share: float | None = None
    export_value: float | None = None
    extra_import_export_ratio: float | None = None
    hhi: float | None = None
    gov_hhi: float | None = None
    top_supplier: str | None = None
    top_supplier_share: float | None = None


class SupplierOut(BaseModel):
    """One extra-EU origin; confidential origins have no share."""

    partner: str
    category: str | None = None
    value: float | None = None
    net_mass_kg: float | None = None
    unit_value: float | None = None
    share: float | None = None
    wgi: float | None = None
    wgi_imputed: bool | None = None


class SuppliersOut(BaseModel):
    """Extra-EU supplier shares of a code or molecule in one year, with HHI and governance HHI."""

    query: str
    target: str
    codes: list[str]
    source: str | None
    reporter: str
    year: int
    basis: str | None = None
    hhi: float | None
    gov_hhi: float | None
    top_supplier: str | None
    top_supplier_share: float | None
    code_weights: dict[str, float] = Field(
        default_factory=dict,
        description="Weight each code counts with: a group code's sourced share, else 1.",
    )
    group_upper_bound: bool = Field(
        default=False,
        description="A group code without a sourced share counts in full: an upper bound.",
    )
    marker: str = Field(default="", description="'group code, upper bound' on an upper bound.")
    codes_note: str = Field(default="", description="Which codes counted at a share or in full.")
    shares: dict[str, float] = Field(description="Share of each known extra-EU origin (sum 1).")
    suppliers: list[SupplierOut]


class DependencyOut(BaseModel):
    """The ``eu-dependency`` screen of one product or molecule.

    Besides ``item`` and ``dependent``, each criterion ``c`` gives ``c_met`` and one value
    ``c_<year>`` per year of the window.
    """

    model_config = ConfigDict(extra="allow")

    item: str
    dependent: bool | None


class AcknowledgeIn(BaseModel):
    """An optional note on acknowledging an alert (who: the authenticated user)."""

    note: str | None = Field(default=None, max_length=4000)


class CloseIn(BaseModel):
    """Why an alert is closed (who: the authenticated user)."""

    reason: str = Field(min_length=1, max_length=4000, description="Why it is closed.")


class HealthOut(BaseModel):
    """The service is up."""

    status: str
    version: str
