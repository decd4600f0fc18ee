"""Adding, listing and removing subscriptions, with their inputs checked."""

from __future__ import annotations

import builtins
from urllib.parse import urlsplit

from sqlalchemy import select

from critchem.core.errors import CritchemError, NotFoundError
from critchem.notify.models import CHANNELS, Subscription
from critchem.surveillance.alerts.store import AlertStore
from critchem.surveillance.base import SEVERITIES


def mask(secret: str | None) -> str | None:
    """``secret`` with all but its last two characters hidden (short ones entirely).

    >>> mask("correct-horse-battery")
    '****ry'
    >>> mask("short")
    '****'
    """
    if secret is None:
        return None
    return "****" + (secret[-2:] if len(secret) >= 12 else "")


def _check(
    name: str,
    channel: str,
    target: str,
    secret: str | None,
    min_severity: str,
    product_prefix: str | None,
) -> None:
    if not name.strip():
        raise CritchemError("a subscription needs a name")
    if channel not in CHANNELS:
        raise CritchemError(f"unknown channel {channel!r}: one of {', '.join(CHANNELS)}")
    if min_severity not in SEVERITIES:
        raise CritchemError(f"unknown severity {min_severity!r}: one of {', '.join(SEVERITIES)}")
    if product_prefix is not None and not (product_prefix.isdigit() and len(product_prefix) <= 8):
        raise CritchemError(f"product prefix {product_prefix!r}: give 1 to 8 digits of a CN code")
    if channel == "webhook":
        url = urlsplit(target)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise CritchemError(f"webhook {target!r}: give an http:// or https:// URL")
        if not secret:
            raise CritchemError(f"webhook {target!r}: a secret is needed to sign the requests")
    elif "@" not in target.strip("@"):
        raise CritchemError(f"e-mail address {target!r}: expected name@domain")


def add(
    store: AlertStore,
    *,
    name: str,
    channel: str,
    target: str,
    secret: str | None = None,
    min_severity: str = "amber",
    product_prefix: str | None = None,
    molecule_id: str | None = None,
) -> Subscription:
    """Store a new active subscription (``CritchemError`` naming the bad input otherwise)."""
    _check(name, channel, target, secret, min_severity, product_prefix)
    subscription = Subscription(
        name=name.strip(),
        channel=channel,
        target=target,
        secret=secret if channel == "webhook" else None,
        min_severity=min_severity,
        product_prefix=product_prefix,
        molecule_id=molecule_id,
        active=True,
    )
    with store.session() as session, session.begin():
        session.add(subscription)
    return subscription


def list_all(store: AlertStore) -> builtins.list[Subscription]:
    """Every subscription, oldest first."""
    with store.session() as session:
        return builtins.list(session.scalars(select(Subscription).order_by(Subscription.id)))


def remove(store: AlertStore, subscription_id: int) -> Subscription:
    """Delete subscription ``subscription_id`` and its delivery log."""
    with store.session() as session, session.begin():
        subscription = session.get(Subscription, subscription_id)
        if subscription is None:
            raise NotFoundError(f"no subscription with id {subscription_id}")
        session.delete(subscription)
    return subscription
