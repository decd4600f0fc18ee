"""The chain-of-custody tables: batch transfers, the inputs each was made from.

``CustodyRecord`` is one transfer of a batch (lot) of a product from a supplier organisation
to a recipient organisation: quantity and unit, the PACT footprint that describes the batch,
the ISO 22095 custody model its claim is made under, the quantity of it claimed as certified
and the certificates the claim rests on. ``CustodyInput`` says the batch was made from
``quantity`` (in the input's unit) of an earlier record's batch, one the supplier received.
They derive from the application's ``Base``, so one Alembic history covers them
(revision 0012).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text
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


class CustodyInput(Base):
    """``quantity`` of the batch of record ``input_id`` went into the batch of ``record_id``."""

    __tablename__ = "custody_input"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(
        ForeignKey("custody_record.id", ondelete="CASCADE"), index=True
    )
    input_id: Mapped[str] = mapped_column(ForeignKey("custody_record.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
