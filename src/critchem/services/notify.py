"""Notification services: manage subscriptions and deliver alerts, returning public schemas.

Secrets never leave this layer in full: ``SubscriptionOut.secret`` is masked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from critchem import notify
from critchem.core.settings import Settings
from critchem.notify.models import Delivery, Subscription
from critchem.surveillance.alerts import AlertStore


class SubscriptionOut(BaseModel):
    """One subscription, its secret masked."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    channel: str
    target: str
    secret: str | None
    min_severity: str
    product_prefix: str | None
    molecule_id: str | None
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, subscription: Subscription) -> SubscriptionOut:
        """The public view of ``subscription``."""
        return cls(
            id=subscription.id,
            name=subscription.name,
            channel=subscription.channel,
            target=subscription.target,
            secret=notify.mask(subscription.secret),
            min_severity=subscription.min_severity,
            product_prefix=subscription.product_prefix,
            molecule_id=subscription.molecule_id,
            active=subscription.active,
            created_at=subscription.created_at,
        )


class DeliveryOut(BaseModel):
    """One delivery and the log of its attempts."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    subscription_id: int
    alert_id: int
    status: str
    attempts: int
    http_status: int | None
    last_error: str | None
    delivered_at: datetime | None
    log: list[dict[str, Any]]


SUBSCRIPTION_COLUMNS = [
    "id",
    "name",
    "channel",
    "target",
    "secret",
    "min_severity",
    "product_prefix",
    "molecule_id",
    "active",
]
"""The columns of the subscription table in the CLI."""
DELIVERY_COLUMNS = [
    "id",
    "subscription_id",
    "alert_id",
    "status",
    "attempts",
    "http_status",
    "last_error",
]
"""The columns of the delivery table in the CLI."""


def open_store(url: str | None = None) -> AlertStore:
    """The alert database at ``url`` (default: the ``database_url`` setting)."""
    return AlertStore(url or Settings().database_url)


def add_subscription(
    store: AlertStore,
    *,
    name: str,
    channel: str,
    target: str,
    secret: str | None = None,
    min_severity: str = "amber",
    product_prefix: str | None = None,
    molecule_id: str | None = None,
) -> SubscriptionOut:
    """Add an active subscription (``CritchemError`` naming the bad input otherwise)."""
    subscription = notify.add(
        store,
        name=name,
        channel=channel,
        target=target,
        secret=secret,
        min_severity=min_severity,
        product_prefix=product_prefix,
        molecule_id=molecule_id,
    )
    return SubscriptionOut.of(subscription)


def list_subscriptions(store: AlertStore) -> list[SubscriptionOut]:
    """Every subscription, oldest first, secrets masked."""
    return [SubscriptionOut.of(s) for s in notify.list_all(store)]


def remove_subscription(store: AlertStore, subscription_id: int) -> SubscriptionOut:
    """Remove a subscription and its delivery log (``NotFoundError`` for an unknown id)."""
    return SubscriptionOut.of(notify.remove(store, subscription_id))


def deliver(
    store: AlertStore, alert_ids: list[int] | None = None, *, settings: Settings | None = None
) -> list[DeliveryOut]:
    """Send pending alerts to matching subscriptions (see ``notify.notify``)."""
    deliveries: list[Delivery] = notify.notify(store, alert_ids, settings=settings)
    return [DeliveryOut.model_validate(d) for d in deliveries]
