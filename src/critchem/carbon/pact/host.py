"""The PACT v3 host: clients and their tokens, published footprints, Action Events.

One service for the API routes and the CLI. Clients authenticate with the OAuth 2.0 client
credentials grant (RFC 6749 section 4.4); their secret is 32 random bytes, of which only the
SHA-256 is stored. Access tokens are JWTs (HS256, audience ``pact``) signed with the
server's key, so a PACT token is no user token and a user token is no PACT token.

Each client has an allow-list of callback hosts (:mod:`critchem.carbon.pact.callbacks`),
and answers to its requests go through the durable outbox
(:mod:`critchem.carbon.pact.outbox`), authenticated at the requester's host.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import ssl
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from critchem.carbon.models import ProductFootprint
from critchem.carbon.pact import events
from critchem.carbon.pact.callbacks import Credentials, SecretBox, host_of, normalise_host
from critchem.carbon.pact.filters import FootprintFilter, validity_period
from critchem.carbon.pact.models import PactCallbackHost, PactClient, PactEvent, PactFootprint
from critchem.carbon.pact.outbox import FIRST_DELAY, Clock, Outbox, utc_now
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
        clock: Clock = utc_now,
        verify: bool | ssl.SSLContext = True,
        retry_first: timedelta = FIRST_DELAY,
    ) -> None:
        self._session = session
        self._secret = secret
        self._minutes = token_minutes
        self._box = SecretBox(secret)
        self.outbox = Outbox(
            session,
            self.credentials_for,
            clock=clock,
            verify=verify,
            timeout=timeout,
            first=retry_first,
        )

    # clients and tokens -------------------------------------------------------------

    def add_client(self, name: str, callback_hosts: Iterable[str] = ()) -> NewClient:
        """Make a client called ``name`` allowed to name ``callback_hosts`` as ``source``.

        ``PactError`` 400 if the name is taken or a host is not ``HOST`` or ``HOST:PORT``.
        """
        name = name.strip()
        if not name:
            raise PactError(400, "BadRequest", "a client needs a name")
        hosts = sorted({normalise_host(h) for h in callback_hosts})
        client_id = secrets.token_hex(16)
        secret = secrets.token_urlsafe(32)
        with self._session() as session, session.begin():
            if session.scalar(select(PactClient).where(PactClient.name == name)) is not None:
                raise PactError(400, "BadRequest", f"a client called {name!r} exists already")
            session.add(PactClient(name=name, client_id=client_id, secret_sha256=_sha256(secret)))
            for host in hosts:
                session.add(PactCallbackHost(client_id=client_id, host=host))
        return NewClient(name=name, client_id=client_id, client_secret=secret)

    def allow_callback(
        self,
        name: str,
        host: str,
        *,
        remote_client_id: str | None = None,
        remote_secret: str | None = None,
        auth_url: str | None = None,
    ) -> dict[str, Any]:
        """Allow client ``name`` to name ``host`` as ``source``; store how to authenticate there.

        ``remote_client_id`` and ``remote_secret`` are the credentials the requester's host
        issued to this host (the secret is stored encrypted); ``auth_url`` is that host's
        auth base URL when it differs from the request's base URL. Given again, they replace
        the stored ones.
        """
        entry = normalise_host(host)
        if (remote_client_id is None) != (remote_secret is None):
            raise PactError(400, "BadRequest", "give the remote client id and secret together")
        if auth_url is not None and not auth_url.startswith("https://"):
            raise PactError(400, "BadRequest", f"auth URL {auth_url!r} must be an https URL")
        with self._session() as session, session.begin():
            client = session.scalar(select(PactClient).where(PactClient.name == name.strip()))
            if client is None:
                raise PactError(404, "NotFound", f"no client called {name!r}")
            row = session.scalar(
                select(PactCallbackHost).where(
                    PactCallbackHost.client_id == client.client_id, PactCallbackHost.host == entry
                )
            )
            if row is None:
                row = PactCallbackHost(client_id=client.client_id, host=entry)
                session.add(row)
            if remote_client_id is not None and remote_secret is not None:
                row.remote_client_id = remote_client_id
                row.remote_secret = self._box.seal(remote_secret)
            if auth_url is not None:
                row.auth_url = auth_url.rstrip("/")
            return {
                "client": client.name,
                "host": entry,
                "credentials": row.remote_client_id is not None,
                "auth_url": row.auth_url,
            }

    def _callback_row(self, client_id: str | None, target: str) -> PactCallbackHost | None:
        with self._session() as session:
            return session.scalar(
                select(PactCallbackHost).where(
                    PactCallbackHost.client_id == client_id,
                    PactCallbackHost.host == host_of(target),
                )
            )

    def check_source(self, client_id: str, target: str) -> None:
        """``PactError`` 403 (``AccessDenied``) unless ``target``'s host is allowed for the client.

        PACT v3 ``#api-action-events-case-2``: the data owner's host "MUST validate the value
        of ``source`` before sending the response".
        """
        if self._callback_row(client_id, target) is None:
            raise PactError(
                403,
                "AccessDenied",
                f"source: {host_of(target)} is not a callback host allowed for this client "
                "(the host's operator allows it with critchem pact clients allow)",
            )

    def credentials_for(self, client_id: str | None, target: str) -> Credentials | None:
        """The credentials stored for answering ``client_id`` at ``target``, if any."""
        row = self._callback_row(client_id, target)
        if row is None or row.remote_client_id is None or row.remote_secret is None:
            return None
        secret = self._box.open(row.remote_secret, where=f"callback host {row.host}")
        return Credentials(row.remote_client_id, secret, row.auth_url)

    def clients(self) -> list[dict[str, Any]]:
        """Every client: name, client_id, active, created (never the secret)."""
        with self._session() as session:
            rows = session.scalars(select(PactClient).order_by(PactClient.id)).all()
            hosts: dict[str, list[str]] = {}
            for h in session.scalars(select(PactCallbackHost).order_by(PactCallbackHost.host)):
                mark = "" if h.remote_client_id else " (no credentials)"
                hosts.setdefault(h.client_id, []).append(h.host + mark)
            return [
                {
                    "name": c.name,
                    "client_id": c.client_id,
                    "active": c.active,
                    "created": c.created_at.isoformat(),
                    "callback_hosts": ", ".join(hosts.get(c.client_id, [])),
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

    def answer(
        self,
        request: dict[str, Any],
        criteria: FootprintFilter,
        *,
        own_source: str,
        client_id: str | None = None,
    ) -> str:
        """Answer a RequestCreatedEvent at its requester's host; returns the first outcome.

        The footprints meeting the request's criteria go back in a RequestFulfilledEvent;
        none found gives a RequestRejectedEvent (``NotFound``). The answer is written to the
        outbox for :func:`events.answer_url` of the request's ``source`` and a first attempt
        is made at once; later attempts are made by ``critchem pact deliver``
        (:mod:`critchem.carbon.pact.outbox`).
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
        entry = self.outbox.put(reply, target=url, client_id=client_id)
        report = self.outbox.deliver_due(only=entry)
        attempt = report.attempts[0] if report.attempts else {"outcome": "queued", "status": ""}
        outcome = f"POST {url}: {attempt['outcome']} ({attempt['status'] or 'pending'})"
        log.info("PACT answer %s to request %s: %s", reply["type"], request["id"], outcome)
        self.record("out", reply, client_id=client_id, outcome=outcome)
        return outcome
