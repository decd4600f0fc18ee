"""Bio-based content and chain-of-custody claims: terms as data, declared claims read by them.

The terms (``data/content_claims.yaml``) are those of EN 16575:2014 (bio-based product),
EN 16640 (bio-based carbon content, % of total carbon, radiocarbon method), EN 16785-1:2015
(bio-based content, % of mass, radiocarbon and elemental analysis) and ISO 22095:2020,
clause 3.3 (chain-of-custody models: identity preserved, segregated, controlled blending,
mass balance, book and claim), each with the public pages its clause and scope were checked
on. A claim is declared data (share, model, source); reading it says which standard measures
the share and whether the model keeps a physical link between the claimed input and the
product (ISO 22095:2020: yes for 3.3.1-3.3.3; on average only for mass balance, 3.3.4; not
at all for book and claim, 3.3.5). No threshold is shipped: none was verified.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from critchem.core.errors import CarbonInputError, NotFoundError


class Quantity(BaseModel):
    """A bio-based quantity and the standard that defines or measures it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    unit: str | None
    standard: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    source_urls: list[str] = Field(min_length=1)


class CustodyModel(BaseModel):
    """A chain-of-custody model of ISO 22095:2020 and whether it keeps a physical link."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    clause: str = Field(min_length=1)
    physical_link: bool
    summary: str = Field(min_length=1)
    source_urls: list[str] = Field(min_length=1)


class Terms(BaseModel):
    """The versioned file of terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    checked: str
    quantities: list[Quantity]
    custody_models: list[CustodyModel]


class ContentClaim(BaseModel):
    """A declared claim: ``share_pct`` of ``quantity`` under ``custody_model``, with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    quantity: str = Field(min_length=1, description="Id of a quantity, e.g. bio-based-content.")
    share_pct: float = Field(ge=0, le=100)
    custody_model: str = Field(min_length=1, description="Id of an ISO 22095 model.")
    source: str = Field(min_length=1, description="Who declares it (certificate, supplier).")
    certificate: str | None = Field(default=None, description="e.g. a certification scheme id.")


class ClaimReading(BaseModel):
    """What a declared claim says, by the terms of its standards."""

    quantity: str
    unit: str | None
    share_pct: float
    measured_by: str
    custody_model: str
    custody_clause: str
    physical_link: bool
    statement: str
    source: str
    certificate: str | None


Row = TypeVar("Row", Quantity, CustodyModel)


@cache
def terms() -> Terms:
    """The shipped terms."""
    text = (resources.files("critchem.carbon") / "data" / "content_claims.yaml").read_text(
        encoding="utf-8"
    )
    return Terms.model_validate(yaml.safe_load(text))


def _pick(rows: Sequence[Row], wanted: str, what: str) -> Row:
    known = {r.id: r for r in rows}
    if wanted not in known:
        raise NotFoundError(f"no {what} {wanted!r} (known: {', '.join(known)})", list(known))
    return known[wanted]


def parse_claim(data: object) -> ContentClaim:
    """A :class:`ContentClaim` from a mapping; ``CarbonInputError`` naming the field if invalid."""
    try:
        return ContentClaim.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "claim"
        raise CarbonInputError(f"claim: {field}: {first['msg']}") from exc


def read_claim(claim: ContentClaim) -> ClaimReading:
    """What ``claim`` says: the standard of its quantity, its custody model's physical link.

    >>> r = read_claim(ContentClaim(quantity="bio-based-carbon-content", share_pct=30,
    ...     custody_model="mass-balance", source="supplier declaration"))
    >>> r.physical_link, r.custody_clause.split(",")[0]
    (False, 'ISO 22095:2020')
    """
    quantity = _pick(terms().quantities, claim.quantity, "quantity")
    model = _pick(terms().custody_models, claim.custody_model, "custody model")
    if quantity.unit is None:
        measured = [q.id for q in terms().quantities if q.unit is not None]
        raise CarbonInputError(
            f"claim: quantity: {quantity.id!r} is a term, not a measured share; "
            f"claim one of {', '.join(measured)}"
        )
    head = (
        f"{quantity.name} {claim.share_pct:g} {quantity.unit} ({quantity.standard.split(' (')[0]})"
    )
    where = f"{model.name.lower()}, {model.clause.split(' (')[0]}"
    if model.physical_link:
        statement = f"{head}: physically in the product ({where})"
    elif model.id == "mass-balance":
        statement = (
            f"{head}: attributed by mass balance, true on average over the system and period, "
            f"not necessarily in this product ({where})"
        )
    else:
        statement = (
            f"{head}: claimed through certificates; the product may hold none of it ({where})"
        )
    return ClaimReading(
        quantity=quantity.id,
        unit=quantity.unit,
        share_pct=claim.share_pct,
        measured_by=quantity.standard,
        custody_model=model.id,
        custody_clause=model.clause,
        physical_link=model.physical_link,
        statement=statement,
        source=claim.source,
        certificate=claim.certificate,
    )
