"""Which alerts a subscription wants: a pure rule, no database.

An alert matches a subscription when all of these hold:

* its severity is at least the subscription's minimum (``info < amber < red``);
* if the subscription names a product prefix, the alert is about a product code starting
  with it (alerts about a molecule carry no product and do not match);
* if the subscription names a molecule, the alert is about that molecule.

Whether the subscription is active is the dispatcher's business, not this rule's.
"""

from __future__ import annotations

from typing import Protocol, cast

from critchem.surveillance.alerts.fusion import RANK
from critchem.surveillance.base import Severity


class Filters(Protocol):
    """What ``matches`` reads of a subscription."""

    @property
    def min_severity(self) -> str: ...
    @property
    def product_prefix(self) -> str | None: ...
    @property
    def molecule_id(self) -> str | None: ...


class Subject(Protocol):
    """What ``matches`` reads of an alert."""

    @property
    def severity(self) -> str: ...
    @property
    def product(self) -> str | None: ...
    @property
    def molecule_id(self) -> str | None: ...


def matches(subscription: Filters, alert: Subject) -> bool:
    """Whether ``alert`` passes the filters of ``subscription`` (see the module docstring).

    >>> from types import SimpleNamespace as S
    >>> sub = S(min_severity="amber", product_prefix="2901", molecule_id=None)
    >>> matches(sub, S(severity="red", product="29012100", molecule_id=None))
    True
    >>> matches(sub, S(severity="info", product="29012100", molecule_id=None))
    False
    """
    if RANK[cast(Severity, alert.severity)] < RANK[cast(Severity, subscription.min_severity)]:
        return False
    prefix = subscription.product_prefix
    if prefix and not (alert.product or "").startswith(prefix):
        return False
    return not (subscription.molecule_id and alert.molecule_id != subscription.molecule_id)
