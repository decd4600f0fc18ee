"""The alert lifecycle: ``new -> acknowledged -> closed`` and ``new -> closed``.

Any other move raises ``AlertStateError`` with a message naming the alert, its state and what
it may become. (A closed alert is reopened only by the store, when its anomaly recurs.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from critchem.core.errors import AlertStateError
from critchem.surveillance.alerts.models import Alert, AlertTransition

ALLOWED: dict[str, frozenset[str]] = {
    "new": frozenset({"acknowledged", "closed"}),
    "acknowledged": frozenset({"closed"}),
    "closed": frozenset(),
}
"""The state machine: from each state, the states a person may move an alert to."""


def apply_transition(
    alert: Alert, to_state: str, who: str, note: str | None, now: datetime
) -> None:
    """Move ``alert`` to ``to_state``, recording who, when and why; refuse illegal moves.

    Raises
    ------
    AlertStateError
        When the state machine does not allow the move.
    """
    if to_state not in ALLOWED[alert.state]:
        raise AlertStateError(_refusal(alert, to_state))
    alert.transitions.append(
        AlertTransition(from_state=alert.state, to_state=to_state, by=who, at=now, note=note)
    )
    alert.state = to_state
    alert.updated_at = now
    if to_state == "acknowledged":
        alert.acknowledged_by, alert.acknowledged_at = who, now
    else:
        alert.closed_by, alert.closed_at, alert.close_reason = who, now, note


def _refusal(alert: Alert, to_state: str) -> str:
    verb = {"acknowledged": "acknowledge", "closed": "close"}[to_state]
    if alert.state == to_state:
        who = alert.acknowledged_by if to_state == "acknowledged" else alert.closed_by
        return f"alert {alert.id} is already {to_state} (by {who}); cannot {verb} it again"
    allowed: Sequence[str] = sorted(ALLOWED[alert.state]) or ["nothing (it reopens on recurrence)"]
    return (
        f"alert {alert.id} is {alert.state}: cannot {verb} it; from {alert.state} it may move "
        f"to {', '.join(allowed)}"
    )
