"""The PACT host and client for the CLI: clients, publication, requests to other hosts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from critchem.accounts.secret import ensure_secret
from critchem.carbon.importer import ImportReport
from critchem.carbon.models import ProductFootprint
from critchem.carbon.pact import events
from critchem.carbon.pact.client import PactRemote
from critchem.carbon.pact.host import NewClient, PactHost
from critchem.core.settings import Settings
from critchem.services.alerts import open_store
from critchem.services.carbon import import_footprints


def open_host(db: str | None = None) -> PactHost:
    """The PACT host on the database ``db`` (default: the settings' database)."""
    settings = ensure_secret(Settings())
    return PactHost(
        open_store(db).session,
        secret=settings.secret_key,
        token_minutes=settings.access_token_minutes,
        timeout=settings.webhook_timeout_seconds,
        retry_first=timedelta(seconds=settings.pact_retry_first_seconds),
    )


def add_client(name: str, db: str | None = None, callback_hosts: Sequence[str] = ()) -> NewClient:
    """Make a PACT client allowed to name ``callback_hosts`` (its secret is shown once)."""
    return open_host(db).add_client(name, callback_hosts)


def allow_callback(
    name: str,
    host: str,
    *,
    remote_client_id: str | None,
    remote_secret: str | None,
    auth_url: str | None,
    db: str | None = None,
) -> dict[str, Any]:
    """Allow a client's callback host and store the credentials used there (encrypted)."""
    return open_host(db).allow_callback(
        name,
        host,
        remote_client_id=remote_client_id,
        remote_secret=remote_secret,
        auth_url=auth_url,
    )


def deliver(db: str | None = None) -> dict[str, Any]:
    """Send the answers that are due; counts and one row per attempt."""
    report = open_host(db).outbox.deliver_due()
    return {
        "delivered": report.delivered,
        "retrying": report.retrying,
        "expired": report.expired,
        "attempts": report.attempts,
    }


def outbox(status: str | None = None, db: str | None = None) -> list[dict[str, Any]]:
    """The answers in the outbox (optionally of one status), oldest first."""
    return open_host(db).outbox.entries(status)


def list_clients(db: str | None = None) -> list[dict[str, Any]]:
    """Every PACT client (never a secret)."""
    return open_host(db).clients()


def publish_file(path: Path, fmt: str | None = None, db: str | None = None) -> ImportReport:
    """Validate a footprint file and publish its valid footprints on the host."""
    report = import_footprints(path, fmt)
    open_host(db).publish(report.footprints)
    return report


def request_footprints(
    remote: PactRemote, criteria: dict[str, Any], *, reply_to: str
) -> dict[str, Any]:
    """Send a RequestCreatedEvent to ``remote``; the answer is to reach ``reply_to``."""
    event = events.make_event(events.REQUEST_CREATED, source=reply_to, data=criteria)
    response = remote.send_event(event)
    return {"event_id": event["id"], "status": response.status_code, "answer_to": reply_to}


def pull_footprints(remote: PactRemote, criteria: dict[str, Any]) -> dict[str, Any]:
    """ListFootprints on ``remote`` (all pages), each footprint validated against PACT v3."""
    valid: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    for document in remote.list_footprints(criteria):
        try:
            valid.append(ProductFootprint.model_validate(document).to_pact())
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            errors.append({"id": str(document.get("id")), "field": field, "message": first["msg"]})
    return {"source": remote.base_url, "valid": len(valid), "rejected": errors, "data": valid}
