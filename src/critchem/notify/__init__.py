"""Notifications: tell subscribers about alerts by signed webhook or by e-mail.

``Subscription`` rows say who wants which alerts (``matches`` is the rule); ``notify``
delivers each matching alert once per subscription and keeps a ``Delivery`` log of every
attempt. The tables live in the application database (:mod:`critchem.core.migrate`, revision 0002).
"""

from __future__ import annotations

from critchem.notify.attempts import MAX_ATTEMPTS, Outcome, backoff
from critchem.notify.dispatch import notify
from critchem.notify.matching import matches
from critchem.notify.models import (
    CHANNELS,
    DELIVERY_STATUSES,
    Delivery,
    Subscription,
)
from critchem.notify.subscriptions import add, list_all, mask, remove
from critchem.notify.webhook import signature

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
