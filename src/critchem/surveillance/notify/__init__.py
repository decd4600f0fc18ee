"""Notifications: tell subscribers about alerts by signed webhook or by e-mail.

``Subscription`` rows say who wants which alerts (``matches`` is the rule); ``notify``
delivers each matching alert once per subscription and keeps a ``Delivery`` log of every
attempt. The tables live in the alert database and come with its Alembic migrations.
"""

from __future__ import annotations

from critchem.surveillance.notify.attempts import MAX_ATTEMPTS, Outcome, backoff
from critchem.surveillance.notify.dispatch import notify
from critchem.surveillance.notify.matching import matches
from critchem.surveillance.notify.models import (
    CHANNELS,
    DELIVERY_STATUSES,
    Delivery,
    Subscription,
)
from critchem.surveillance.notify.subscriptions import add, list_all, mask, remove
from critchem.surveillance.notify.webhook import signature

__all__ = [
    "CHANNELS",
    "DELIVERY_STATUSES",
    "MAX_ATTEMPTS",
    "Delivery",
    "Outcome",
    "Subscription",
    "add",
    "backoff",
    "list_all",
    "mask",
    "matches",
    "notify",
    "remove",
    "signature",
]
