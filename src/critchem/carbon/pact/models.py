"""The tables of the PACT host: clients, published footprints and exchanged events.

``PactClient`` is a data recipient allowed to call the host: its ``client_id`` and the
SHA-256 of its secret (the secret itself is shown once, when the client is made, and never
stored). ``PactFootprint`` is one ProductFootprint the host publishes, kept as its PACT JSON
with the columns the ListFootprints filters need. ``PactEvent`` is one CloudEvent received
or sent through Action Events. ``PactCallbackHost`` is a host a client may name as the
``source`` of its requests (the allow-list), with the credentials this host uses to
authenticate there, the secret encrypted. ``PactOutbox`` is one answer waiting to be
delivered, with its attempts and the time of the next. They derive from the application's ``Base``
(``critchem.core.database``), so one Alembic history covers them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from critchem.core.database import Base, UtcDateTime, utcnow


class PactClient(Base):
    """A data recipient: name, ``client_id`` and the SHA-256 of its secret."""

    __tablename__ = "pact_client"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PactFootprint(Base):
    """A published ProductFootprint (its PACT v3 JSON) with its filter columns."""

    __tablename__ = "pact_footprint"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    created: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_to: Mapped[datetime] = mapped_column(UtcDateTime)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PactEvent(Base):
    """A CloudEvent received (``in``) or sent (``out``) through Action Events."""

    __tablename__ = "pact_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    event_id: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(2000))
    client_id: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PactCallbackHost(Base):
    """A host a client may name as ``source``, and the credentials to authenticate there.

    ``host`` is ``hostname`` or ``hostname:port`` (lower case, no default port).
    ``remote_client_id`` and ``remote_secret`` (Fernet-encrypted with a key derived from the
    server's secret key) are the client credentials this host was given by the requester's
    host; ``auth_url`` is that host's auth base URL when it is not the requester's base URL.
    """

    __tablename__ = "pact_callback_host"
    __table_args__ = (UniqueConstraint("client_id", "host"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), index=True)
    host: Mapped[str] = mapped_column(String(300))
    remote_client_id: Mapped[str | None] = mapped_column(String(500))
    remote_secret: Mapped[str | None] = mapped_column(Text)
    auth_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PactOutbox(Base):
    """An answer (CloudEvent) to deliver to a requester's Action Events endpoint.

    ``status`` is ``pending`` until the requester's host takes it (``delivered``) or the
    retry period ends (``expired``); ``next_attempt_at`` is when it is next due.
    """

    __tablename__ = "pact_outbox"
    __table_args__ = (Index("ix_pact_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), index=True)
    request_event_id: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(2000))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_outcome: Mapped[str] = mapped_column(Text, default="")
