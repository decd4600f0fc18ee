"""Alert services: list, show, acknowledge and close, returning public schemas.

The CLI (and later the API and the web pages) call these; they never touch ORM objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from critchem.accounts import Accounts, Principal, at_least
from critchem.core.errors import AuthenticationError, PermissionDeniedError
from critchem.core.labels import data_source_of
from critchem.core.settings import Settings
from critchem.services.events import EventOut, linked_events
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.alerts.models import Alert


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class AlertOut(_Row):
    """One alert, as listed."""

    id: int
    severity: str
    state: str
    title: str
    molecule_id: str | None
    product: str | None
    reporter: str
    partner: str
    flow: str | None
    families: list[str]
    first_seen_period: date
    last_seen_period: date
    created_at: datetime
    updated_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None
    close_reason: str | None
    data_source: str = "real"
    """``synthetic`` when a load behind the alert holds synthetic data, else ``real``."""


class AlertEventOut(_Row):
    """A detector event behind an alert."""

    detector: str
    detector_version: str
    family: str
    period: date
    statistic: float
    threshold: float
    severity: str
    message: str
    key: dict[str, str]
    evidence: dict[str, Any]


class AlertTransitionOut(_Row):
    """One recorded state change."""

    from_state: str | None
    to_state: str
    by: str
    at: datetime
    note: str | None


class AlertDetailOut(AlertOut):
    """One alert with its provenance, evidence, events and state history."""

    fingerprint: str
    provenance: dict[str, Any]
    evidence: list[dict[str, Any]]
    events: list[AlertEventOut]
    transitions: list[AlertTransitionOut]
    linked_events: list[EventOut] = []
    """Register events (trade defence, export controls, surveillance) on the same code and
    partner country."""


LIST_COLUMNS = [
    "id",
    "severity",
    "state",
    "title",
    "families",
    "last_seen_period",
    "acknowledged_by",
    "closed_by",
]
"""The columns of the alert table in the CLI."""


def open_store(url: str | None = None) -> AlertStore:
    """The alert store at ``url`` (default: the ``database_url`` setting)."""
    return AlertStore(url or Settings().database_url)


def _out(alert: Alert) -> AlertOut:
    out = AlertOut.model_validate(alert)
    return out.model_copy(update={"data_source": data_source_of(alert.provenance)})


def list_alerts(
    store: AlertStore,
    *,
    state: str | None = None,
    severity: str | None = None,
    molecule: str | None = None,
    product: str | None = None,
    since: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[AlertOut]:
    """Alerts matching the filters, latest period first (see ``AlertStore.list``).

    Answered from the store's memo while no alert has changed since the same query.
    """

    def compute() -> list[AlertOut]:
        found = store.list(
            state=state,
            severity=severity,
            molecule=molecule,
            product=product,
            since=since,
            limit=limit,
            offset=offset,
        )
        return [_out(a) for a in found]

    key = ("list", state, severity, molecule, product, since, limit, offset)
    return list(store.memo.get(key, store.version(), compute))


def count_alerts(
    store: AlertStore,
    *,
    state: str | None = None,
    severity: str | None = None,
    molecule: str | None = None,
    product: str | None = None,
    since: date | None = None,
) -> int:
    """How many alerts match the filters (for pagination; memoised like ``list_alerts``)."""
    key = ("count", state, severity, molecule, product, since)
    return store.memo.get(
        key,
        store.version(),
        lambda: store.count(
            state=state, severity=severity, molecule=molecule, product=product, since=since
        ),
    )


def page_alerts(
    store: AlertStore,
    *,
    state: str | None = None,
    severity: str | None = None,
    molecule: str | None = None,
    product: str | None = None,
    since: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AlertOut], int]:
    """One page of ``list_alerts`` and the ``count_alerts`` of all pages, under one version."""
    filters: dict[str, Any] = {
        "state": state,
        "severity": severity,
        "molecule": molecule,
        "product": product,
        "since": since,
    }

    def compute() -> tuple[list[AlertOut], int]:
        found = store.list(**filters, limit=limit, offset=offset)
        return [_out(a) for a in found], store.count(**filters)

    key = ("page", *filters.values(), limit, offset)
    items, total = store.memo.get(key, store.version(), compute)
    return list(items), total


def show_alert(store: AlertStore, alert_id: int) -> AlertDetailOut:
    """One alert with its events and transitions."""
    detail = AlertDetailOut.model_validate(store.get(alert_id))
    cited = [str(e.evidence["case"]) for e in detail.events if e.evidence.get("case")]
    return detail.model_copy(
        update={
            "linked_events": linked_events(detail.product, detail.partner, cited),
            "data_source": data_source_of(detail.provenance),
        }
    )


def acknowledge_alert(
    store: AlertStore, alert_id: int, *, by: str, note: str | None = None
) -> AlertOut:
    """Acknowledge a new alert (``AlertStateError`` otherwise)."""
    return _out(store.acknowledge(alert_id, by, note))


def close_alert(store: AlertStore, alert_id: int, *, by: str, reason: str) -> AlertOut:
    """Close a new or acknowledged alert with a reason (``AlertStateError`` otherwise)."""
    return _out(store.close(alert_id, by, reason))


def _require_analyst(principal: Principal) -> str:
    if principal.username is None:
        raise AuthenticationError("sign in to change an alert's state")
    if not at_least(principal.role, "analyst"):
        raise PermissionDeniedError(
            f"changing an alert's state needs the analyst role; {principal.username} is "
            f"{principal.role}"
        )
    return principal.username


def acknowledge_as(
    store: AlertStore,
    accounts: Accounts,
    principal: Principal,
    alert_id: int,
    *,
    note: str | None = None,
    ip: str | None = None,
) -> AlertOut:
    """Acknowledge an alert as ``principal`` (analyst role at least), recorded in the audit log.

    The one path of every interface (API, web pages) that acknowledges on a user's behalf.
    """
    by = _require_analyst(principal)
    out = acknowledge_alert(store, alert_id, by=by, note=note)
    accounts.audit(principal.actor, "alert.ack", f"alerts/{alert_id}", {"note": note}, ip=ip)
    return out


def close_as(
    store: AlertStore,
    accounts: Accounts,
    principal: Principal,
    alert_id: int,
    *,
    reason: str,
    ip: str | None = None,
) -> AlertOut:
    """Close an alert as ``principal`` (analyst role at least), recorded in the audit log."""
    by = _require_analyst(principal)
    out = close_alert(store, alert_id, by=by, reason=reason)
    accounts.audit(principal.actor, "alert.close", f"alerts/{alert_id}", {"reason": reason}, ip=ip)
    return out
