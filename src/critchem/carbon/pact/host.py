"""The PACT v3 host: clients and their tokens, published footprints, Action Events.

One service for the API routes and the CLI. Clients authenticate with the OAuth 2.0 client
credentials grant (RFC 6749 section 4.4); their secret is 32 random bytes, of which only the
SHA-256 is stored. Access tokens are JWTs (HS256, audience ``pact``) signed with the
server's key, so a PACT token is no user token and a user token is no PACT token.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from critchem.carbon.models import ProductFootprint
from critchem.carbon.pact import events
from critchem.carbon.pact.filters import FootprintFilter, validity_period
from critchem.carbon.pact.models import PactClient, PactEvent, PactFootprint
from critchem.core.errors import PactAuthError, PactError

log = logging.getLogger(__name__)

AUDIENCE = "pact"
ALGORITHM = "HS256"


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewClient:
    """A client just made: its secret is shown now and never again."""

    name: str
    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Page:
    """One page of ListFootprints: the footprints and the total that matched."""

    footprints: list[dict[str, Any]]
    total: int


class PactHost:
    """Clients, tokens, footprints and events of the host, on one database."""

    def __init__(
        self,
        session: Callable[[], Session],
        *,
        secret: str,
        token_minutes: int = 60,
        timeout: float = 10.0,
        attempts: int = 5,
        first_delay: float = 1.0,
    ) -> None:
        self._session = session
        self._secret = secret
        self._minutes = token_minutes
        self._timeout = timeout
        self._attempts = attempts
        self._first_delay = first_delay

    # clients and tokens -------------------------------------------------------------

    def add_client(self, name: str) -> NewClient:
        """Make a client called ``name``; ``PactError`` 400 if the name is taken."""
        name = name.strip()
        if not name:
            raise PactError(400, "BadRequest", "a client needs a name")
        client_id = secrets.token_hex(16)
        secret = secrets.token_urlsafe(32)
        with self._session() as session, session.begin():
            if session.scalar(select(PactClient).where(PactClient.name == name)) is not None:
                raise PactError(400, "BadRequest", f"a client called {name!r} exists already")
            session.add(PactClient(name=name, client_id=client_id, secret_sha256=_sha256(secret)))
        return NewClient(name=name, client_id=client_id, client_secret=secret)

    def clients(self) -> list[dict[str, Any]]:
        """Every client: name, client_id, active, created (never the secret)."""
        with self._session() as session:
            rows = session.scalars(select(PactClient).order_by(PactClient.id)).all()
            return [
                {
                    "name": c.name,
                    "client_id": c.client_id,
                    "active": c.active,
                    "created": c.created_at.isoformat(),
                }
                for c in rows
            ]

    def issue_token(self, client_id: str, client_secret: str) -> tuple[str, int]:
        """An access token and its lifetime in seconds; ``PactAuthError`` (401) if refused."""
        with self._session() as session:
            client = session.scalar(select(PactClient).where(PactClient.client_id == client_id))
            known = client is not None and client.active
            digest = client.secret_sha256 if client is not None else _sha256("")
        if not hmac.compare_digest(digest, _sha256(client_secret)) or not known:
            raise PactAuthError(401, "invalid_client", "Client authentication failed")
        now = datetime.now(UTC)
        seconds = self._minutes * 60
        claims = {
            "sub": client_id,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + timedelta(seconds=seconds),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), seconds

    def client_of(self, token: str) -> str:
        """The client_id of a valid access token; ``PactError`` 401 otherwise."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                options={"require": ["sub", "exp", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise PactError(401, "TokenExpired", "The access token has expired") from exc
        except jwt.InvalidTokenError as exc:
            raise PactError(401, "BadRequest", "Invalid token provided") from exc
        client_id = str(claims["sub"])
        with self._session() as session:
            client = session.scalar(select(PactClient).where(PactClient.client_id == client_id))
            if client is None or not client.active:
                raise PactError(401, "BadRequest", "Invalid token provided")
        return client_id

    # footprints ---------------------------------------------------------------------

    def publish(self, footprints: Iterable[ProductFootprint]) -> int:
        """Publish (insert or replace) footprints; returns how many."""
        count = 0
        with self._session() as session, session.begin():
            for footprint in footprints:
                document = footprint.to_pact()
                start, end = validity_period(document)
                session.merge(
                    PactFootprint(
                        id=str(footprint.id),
                        status=footprint.status.value,
                        created=footprint.created,
                        valid_from=start,
                        valid_to=end,
                        document=document,
                        published_at=datetime.now(UTC),
                    )
                )
                count += 1
        return count

    def find(self, criteria: FootprintFilter, *, offset: int = 0, limit: int | None = None) -> Page:
        """The footprints meeting ``criteria``, newest first, from ``offset`` (at most ``limit``)."""
        with self._session() as session:
            documents = session.scalars(
                select(PactFootprint.document).order_by(
                    PactFootprint.created.desc(), PactFootprint.id
                )
            ).all()
        matched = [d for d in documents if criteria.matches(d)]
        end = None if limit is None else offset + limit
        return Page(footprints=matched[offset:end], total=len(matched))

    def get(self, footprint_id: str) -> dict[str, Any]:
        """The footprint with this id; ``PactError`` 404 (NotFound) if there is none."""
        with self._session() as session:
            row = session.get(PactFootprint, footprint_id.lower())
            if row is None:
                raise PactError(
                    404, "NotFound", f"Footprint with ID {footprint_id!r} does not exist"
                )
            return dict(row.document)

    # events -------------------------------------------------------------------------

    def record(
        self, direction: str, event: dict[str, Any], *, client_id: str | None, outcome: str = ""
    ) -> None:
        """Keep an event received (``in``) or sent (``out``) with what came of it."""
        with self._session() as session, session.begin():
            session.add(
                PactEvent(
                    direction=direction,
                    event_id=str(event.get("id", ""))[:200],
                    type=str(event.get("type", ""))[:100],
                    source=str(event.get("source", ""))[:2000],
                    client_id=client_id,
                    body=event,
                    outcome=outcome,
                )
            )

    def events(self, direction: str | None = None) -> list[dict[str, Any]]:
        """The events kept, oldest first (optionally only ``in`` or ``out``)."""
        query = select(PactEvent).order_by(PactEvent.id)
        if direction is not None:
            query = query.where(PactEvent.direction == direction)
        with self._session() as session:
            return [
                {
                    "direction": e.direction,
                    "id": e.event_id,
                    "type": e.type,
                    "source": e.source,
                    "client_id": e.client_id,
                    "outcome": e.outcome,
                    "at": e.at.isoformat(),
                    "body": e.body,
                }
                for e in session.scalars(query)
            ]

    def answer(self, request: dict[str, Any], criteria: FootprintFilter, *, own_source: str) -> str:
        """Answer a RequestCreatedEvent at its requester's host; returns the outcome.

        The footprints meeting the request's criteria go back in a RequestFulfilledEvent;
        none found gives a RequestRejectedEvent (``NotFound``). The answer is posted to
        :func:`events.answer_url` of the request's ``source`` and kept, with the status the
        requester's host answered (or why it could not be reached).
        """
        found = self.find(criteria).footprints
        if found:
            data: dict[str, Any] = {"requestEventId": request["id"], "pfs": found}
            reply = events.make_event(events.REQUEST_FULFILLED, source=own_source, data=data)
        else:
            error = {"code": "NotFound", "message": "No footprint meets the request's criteria"}
            data = {"requestEventId": request["id"], "error": error}
            reply = events.make_event(events.REQUEST_REJECTED, source=own_source, data=data)
        url = events.answer_url(str(request["source"]))
        outcome = self._deliver(url, reply)
        log.info("PACT answer %s to request %s: %s", reply["type"], request["id"], outcome)
        self.record("out", reply, client_id=None, outcome=outcome)
        return outcome

    def _deliver(self, url: str, event: dict[str, Any]) -> str:
        """POST ``event`` to ``url``, retrying with exponential backoff; the outcome.

        The specification asks a data owner whose recipient cannot be reached to retry with
        exponential backoff: a transport error, 429 or a 5xx is retried after ``first_delay``,
        then twice as long each time, ``attempts`` times in all (the default 5 attempts take
        about 15 s; retries are not kept across restarts).
        """
        delay = self._first_delay
        outcomes: list[str] = []
        for attempt in range(1, self._attempts + 1):
            try:
                response = httpx.post(
                    url,
                    json=event,
                    headers={"Content-Type": f"{events.MEDIA_TYPE}; charset=UTF-8"},
                    timeout=self._timeout,
                )
                outcomes.append(f"HTTP {response.status_code}")
                if response.status_code != 429 and response.status_code < 500:
                    break
            except httpx.HTTPError as exc:
                outcomes.append(f"failed ({type(exc).__name__}: {exc})")
            if attempt < self._attempts:
                time.sleep(delay)
                delay *= 2
        return f"POST {url}: " + "; ".join(outcomes)
