"""Dispatch: send each alert to the active subscriptions it matches, once.

``notify`` is idempotent. There is at most one ``Delivery`` per (subscription, alert):
delivered ones are never sent again, failed ones are tried again on the next run until they
have used ``max_attempts`` attempts in all (4xx replies included, in case the receiver is
fixed meanwhile). Within one run a delivery is retried with exponential backoff on
connection errors, 5xx replies and transient SMTP replies.

Without explicit ids every alert that is not closed is considered. An alert that escalates
after it was delivered is not sent again to the same subscription; one whose minimum
severity it now reaches gets it for the first time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from critchem.core.settings import Settings
from critchem.notify import email, webhook
from critchem.notify.attempts import (
    BASE_DELAY,
    MAX_ATTEMPTS,
    Outcome,
    attempt_until_done,
)
from critchem.notify.matching import matches
from critchem.notify.models import Delivery, Subscription
from critchem.surveillance.alerts.models import Alert
from critchem.surveillance.alerts.store import AlertStore


def _alerts(session: Session, alert_ids: Iterable[int] | None) -> list[Alert]:
    query = select(Alert).order_by(Alert.id)
    if alert_ids is None:
        query = query.where(Alert.state != "closed")
    else:
        query = query.where(Alert.id.in_(list(alert_ids)))
    return list(session.scalars(query))


def _sender(
    subscription: Subscription,
    alert: Alert,
    delivery: Delivery,
    settings: Settings,
    client: httpx.Client,
) -> Callable[[], Outcome]:
    if subscription.channel == "webhook":
        secret = subscription.secret or ""
        return lambda: webhook.post(client, subscription.target, secret, alert, delivery.id)
    return lambda: email.send(settings, subscription.target, alert)


def notify(
    store: AlertStore,
    alert_ids: Iterable[int] | None = None,
    *,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    base_delay: float = BASE_DELAY,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    """Deliver the alerts ``alert_ids`` (default: all not closed) to matching subscriptions.

    Parameters
    ----------
    store
        The alert database; subscriptions and deliveries live beside the alerts.
    alert_ids
        The alerts to send; ``None``: every alert that is not closed.
    settings
        SMTP settings and the webhook timeout (default: ``Settings()``).
    client
        HTTP client for webhooks (default: one with ``webhook_timeout_seconds``).
    max_attempts, base_delay, sleep
        Retry policy: attempts per delivery in all, seconds before the first retry
        (doubling), and the function that waits.

    Returns
    -------
    list[Delivery]
        The deliveries attempted in this run, with their status and log; delivered and
        exhausted ones are left out.
    """
    settings = settings or Settings()
    own_client = client is None
    http = client or httpx.Client(timeout=settings.webhook_timeout_seconds)
    done: list[Delivery] = []
    try:
        with store.session() as session:
            subscriptions = list(
                session.scalars(
                    select(Subscription).where(Subscription.active).order_by(Subscription.id)
                )
            )
            existing = {
                (d.subscription_id, d.alert_id): d for d in session.scalars(select(Delivery))
            }
            for alert in _alerts(session, alert_ids):
                for subscription in subscriptions:
                    if not matches(subscription, alert):
                        continue
                    delivery = existing.get((subscription.id, alert.id))
                    if delivery is None:
                        delivery = Delivery(
                            subscription_id=subscription.id,
                            alert_id=alert.id,
                            attempts=0,
                            status="pending",
                            log=[],
                        )
                        session.add(delivery)
                        session.commit()  # the id goes into the request headers
                    elif delivery.status == "delivered" or delivery.attempts >= max_attempts:
                        continue
                    send = _sender(subscription, alert, delivery, settings, http)
                    attempt_until_done(
                        delivery,
                        send,
                        max_attempts=max_attempts,
                        base_delay=base_delay,
                        sleep=sleep,
                    )
                    session.commit()
                    done.append(delivery)
    finally:
        if own_client:
            http.close()
    return done
