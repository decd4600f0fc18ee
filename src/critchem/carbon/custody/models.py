"""The chain-of-custody tables: batch transfers, the inputs each was made from.

``CustodyRecord`` is one transfer of a batch (lot) of a product from a supplier organisation
to a recipient organisation: quantity and unit, the PACT footprint that describes the batch,
the ISO 22095 custody model its claim is made under, the quantity of it claimed as certified
and the certificates the claim rests on. ``CustodyInput`` says the batch was made from
``quantity`` (in the input's unit) of an earlier record's batch, one the supplier received.
``CustodyAccount`` is a site's declared mass-balance account (product, inputs and their
conversion factors, period and carry-over rule); a record's ``supplier_site`` and
``recipient_site`` book it out of and into such accounts. They derive from the application's
``Base``, so one Alembic history covers them (revisions 0012 and 0013).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from critchem.core.database import Base, UtcDateTime, utcnow


class CustodyRecord(Base):
    """A batch transfer between two organisations, with its claim and certificates."""

    __tablename__ = "custody_record"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    batch: Mapped[str] = mapped_column(String(100))
    supplier: Mapped[str] = mapped_column(String(200), index=True)
    recipient: Mapped[str] = mapped_column(String(200), index=True)
    molecule: Mapped[str | None] = mapped_column(String(100))
    cn_code: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(8))
    pcf_id: Mapped[str | None] = mapped_column(String(36))
    custody_model: Mapped[str] = mapped_column(String(32))
    certified_quantity: Mapped[float] = mapped_column(Float, default=0.0)
    conversion_factor: Mapped[float] = mapped_column(Float, default=1.0)
    certificates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    origin_country: Mapped[str | None] = mapped_column(String(2))
    produced_on: Mapped[date | None] = mapped_column(Date)
    transferred_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    supplier_site: Mapped[str | None] = mapped_column(String(100), default=None)
    recipient_site: Mapped[str | None] = mapped_column(String(100), default=None)


class CustodyAccount(Base):
    """A site's mass-balance account of one product: its inputs, period and carry-over rule."""

    __tablename__ = "custody_account"
    __table_args__ = (UniqueConstraint("organisation_key", "site_key", "product"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    organisation_key: Mapped[str] = mapped_column(String(200), index=True)
    site: Mapped[str] = mapped_column(String(100))
    site_key: Mapped[str] = mapped_column(String(100))
    product: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(8))
    inputs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    period: Mapped[str] = mapped_column(String(8))
    carry_periods: Mapped[int] = mapped_column(Integer)
    opens_on: Mapped[date] = mapped_column(Date)
    rule_source: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CustodyInput(Base):
    """``quantity`` of the batch of record ``input_id`` went into the batch of ``record_id``."""

    __tablename__ = "custody_input"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(
        ForeignKey("custody_record.id", ondelete="CASCADE"), index=True
    )
    input_id: Mapped[str] = mapped_column(ForeignKey("custody_record.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
