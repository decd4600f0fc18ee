"""What a chain-of-custody record is made of, validated on construction.

A record (``RecordIn``) is one batch transfer: ``quantity`` ``unit`` of a product (a registry
molecule and/or a CN code) from ``supplier`` to ``recipient`` on ``transferred_on``, made from
the ``inputs`` (earlier records' batches the supplier received, with the quantity drawn from
each, in that record's unit). ``certified_quantity`` of it is claimed under ``custody_model``
(an ISO 22095:2020 model of ``data/content_claims.yaml``) and rests on ``certificates``.
``conversion_factor`` is the output units one input unit yields (e.g. 0.3 t of ethylene per
t of naphtha), used to carry the inputs' certified quantities into the output's unit.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

CustodyModelId = Literal[
    "identity-preserved", "segregated", "controlled-blending", "mass-balance", "book-and-claim"
]
"""The ISO 22095:2020 models (the ids of ``custody_models`` in ``data/content_claims.yaml``)."""

Unit = Literal["kg", "t", "l", "m3", "MJ", "kWh", "piece"]
"""Units of a batch quantity."""

LINE = r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"
"""One line of text, not blank, no control character."""
RECORD_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
"""A record id: letters, digits and ``. _ : -``, at most 64 characters."""

_URN_UUID = re.compile(r"^urn:uuid:", re.IGNORECASE)


def _footprint_id(value: str) -> str:
    """A PACT footprint id (a UUID, bare or as ``urn:uuid:...``), in lower case."""
    try:
        return str(UUID(_URN_UUID.sub("", value.strip())))
    except ValueError:
        raise ValueError(
            f"{value!r} is not a PACT footprint id (a UUID, or urn:uuid:<UUID>)"
        ) from None


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Quantity = Annotated[float, Field(gt=0, le=1e12), AfterValidator(_finite)]
Text = Annotated[str, Field(min_length=1, max_length=200, pattern=LINE)]
Site = Annotated[str, Field(min_length=1, max_length=100, pattern=LINE)]
Product = Annotated[str, Field(pattern=r"^(\d{8}|[a-z0-9][a-z0-9-]{0,99})$")]
"""A product of an account: a registry molecule id or an 8-digit CN code."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Certificate(_In):
    """A chain-of-custody certificate: scheme (e.g. ISCC PLUS), number and validity."""

    scheme: Annotated[str, Field(min_length=1, max_length=100, pattern=LINE)]
    number: Annotated[str, Field(min_length=1, max_length=100, pattern=LINE)]
    valid_from: date
    valid_to: date

    @model_validator(mode="after")
    def _period(self) -> Certificate:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def valid_on(self, day: date) -> bool:
        """Whether the certificate is valid on ``day`` (both ends included)."""
        return self.valid_from <= day <= self.valid_to


class InputIn(_In):
    """``quantity`` (in that record's unit) of the batch of record ``record`` went in."""

    record: Annotated[str, Field(pattern=RECORD_ID)]
    quantity: Quantity


class RecordIn(_In):
    """A batch transfer to record (see the module docstring)."""

    id: Annotated[str, Field(pattern=RECORD_ID)] | None = Field(
        default=None, description="The record's id (made up when absent)."
    )
    batch: Annotated[str, Field(min_length=1, max_length=100, pattern=LINE)]
    supplier: Text
    recipient: Text
    molecule: (
        Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")] | None
    ) = None
    cn_code: Annotated[str, Field(pattern=r"^\d{8}$")] | None = None
    description: Annotated[str, Field(max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""
    quantity: Quantity
    unit: Unit
    pcf_id: Annotated[str, AfterValidator(_footprint_id)] | None = Field(
        default=None, description="The PACT footprint of the batch (UUID or urn:uuid:UUID)."
    )
    custody_model: CustodyModelId
    certified_quantity: Annotated[float, Field(ge=0, le=1e12), AfterValidator(_finite)] = 0.0
    conversion_factor: Annotated[float, Field(gt=0, le=1e6), AfterValidator(_finite)] = 1.0
    certificates: list[Certificate] = Field(default=[], max_length=20)
    inputs: list[InputIn] = Field(default=[], max_length=100)
    origin_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    produced_on: date | None = None
    transferred_on: date
    supplier_site: Site | None = Field(
        default=None, description="The supplier's site the batch leaves (its account books it)."
    )
    recipient_site: Site | None = Field(
        default=None, description="The recipient's site the batch arrives at."
    )

    @model_validator(mode="after")
    def _coherent(self) -> RecordIn:
        if self.molecule is None and self.cn_code is None:
            raise ValueError("give the product: molecule, cn_code or both")
        if self.supplier.strip().casefold() == self.recipient.strip().casefold():
            raise ValueError("supplier and recipient are the same organisation")
        if self.certified_quantity > self.quantity:
            raise ValueError(
                f"certified_quantity {self.certified_quantity:g} exceeds quantity {self.quantity:g}"
            )
        if self.produced_on is not None and self.produced_on > self.transferred_on:
            raise ValueError("produced_on is after transferred_on")
        seen = [i.record for i in self.inputs]
        if len(set(seen)) < len(seen):
            raise ValueError("an input record is listed twice")
        if self.id is not None and self.id in seen:
            raise ValueError("the record lists itself as an input")
        return self


class InputOut(BaseModel):
    """An input drawn into a batch."""

    record: str
    quantity: float


class RecordOut(BaseModel):
    """A stored record, as its two parties and the secretariat see it."""

    id: str
    batch: str
    supplier: str
    recipient: str
    molecule: str | None
    cn_code: str | None
    description: str
    quantity: float
    unit: str
    pcf_id: str | None
    custody_model: str
    certified_quantity: float
    conversion_factor: float
    certificates: list[Certificate]
    inputs: list[InputOut]
    origin_country: str | None
    produced_on: date | None
    transferred_on: date
    created_by: str
    supplier_site: str | None = None
    recipient_site: str | None = None


class AccountInput(_In):
    """An input product credited to the account: ``factor`` product units per input unit."""

    product: Product
    factor: Annotated[float, Field(gt=0, le=1e6), AfterValidator(_finite)] = 1.0


class AccountIn(_In):
    """A site's mass-balance account of one product, with its declared carry-over rule."""

    organisation: Text
    site: Site
    product: Product = Field(description="What the site claims out: a molecule id or CN code.")
    unit: Unit
    inputs: list[AccountInput] = Field(min_length=1, max_length=20)
    period: Literal["month", "quarter", "year"]
    carry_periods: int = Field(
        ge=0,
        le=120,
        description="A credit booked in a period may be claimed in it and this many following "
        "periods, then expires (0: the balance expires at each period's end).",
    )
    opens_on: date
    rule_source: Annotated[str, Field(min_length=1, max_length=500, pattern=LINE)] = Field(
        description="Where the rule is declared (e.g. the certification scheme's document)."
    )

    @model_validator(mode="after")
    def _distinct_inputs(self) -> AccountIn:
        seen = [i.product for i in self.inputs]
        if len(set(seen)) < len(seen):
            raise ValueError("an input product is listed twice")
        return self


class AccountOut(BaseModel):
    """A declared account."""

    id: str
    organisation: str
    site: str
    product: str
    unit: str
    inputs: list[AccountInput]
    period: Literal["month", "quarter", "year"]
    carry_periods: int
    opens_on: date
    rule_source: str
    created_by: str
