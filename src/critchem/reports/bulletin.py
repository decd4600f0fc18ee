"""The weekly bulletin: which alerts are new or escalated during one ISO week.

Rules
-----
* **The week** is an ISO 8601 week, ``YYYY-Www``: Monday 00:00 UTC (inclusive) to the next
  Monday 00:00 UTC (exclusive). ``2025-W01`` starts on 2024-12-30; ``2020-W53`` exists,
  ``2025-W53`` does not.
* **New**: the alert was created during the week (``start <= created_at < end``).
* **Escalated**: the alert was created before the week, and the severity of its events
  recorded up to the end of the week is higher than the severity of its events recorded
  before the week began. The severity of a set of events is the fusion rule
  (``fusion.fused_severity``: the highest event severity, red only when two independent
  pieces of evidence agree);
  the store sets an alert's severity to exactly that (it never lowers it, and the rule is
  monotone), so the severity *as it was* at any moment can be recomputed from the events'
  ``recorded_at`` without a severity history table.
* An alert that is both created and escalated in the same week is listed once, as new.
  Reopened alerts (``closed -> new``) and alerts that only gained events at the same
  severity are not in the bulletin.
* Only alerts of at least ``min_severity`` (default amber) at the end of the week are
  listed, red first, then amber (then info when asked for), new before escalated, oldest id
  first.

The selection is a pure function of the stored rows (``classify``, ``severity_at``) plus one
query (``select_alerts``); nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from critchem.core.errors import CritchemError
from critchem.core.labels import data_source_of
from critchem.surveillance.alerts import AlertStore
from critchem.surveillance.alerts.fusion import RANK, fused_severity
from critchem.surveillance.alerts.models import Alert
from critchem.surveillance.base import SEVERITIES, Event, Family, Severity

Change = Literal["new", "escalated", "ongoing"]
"""``ongoing``: in a trade-period bulletin, an alert first seen in an earlier month."""
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


class InvalidWeekError(CritchemError, ValueError):
    """A week is not an ISO 8601 week ``YYYY-Www`` that exists."""


@dataclass(frozen=True, slots=True)
class IsoWeek:
    """One ISO 8601 week (Monday to Sunday, UTC).

    >>> week = parse_week("2025-W01")
    >>> week.label, week.monday, week.sunday
    ('2025-W01', datetime.date(2024, 12, 30), datetime.date(2025, 1, 5))
    """

    year: int
    week: int

    def __post_init__(self) -> None:
        last = weeks_in_year(self.year)
        if not 1 <= self.week <= last:
            raise InvalidWeekError(
                f"week {self.year}-W{self.week:02d} does not exist: ISO year {self.year} "
                f"has weeks W01 to W{last:02d}"
            )

    @property
    def label(self) -> str:
        """``YYYY-Www``."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        """The first day of the week."""
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        """The last day of the week."""
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        """Monday 00:00 UTC (inclusive)."""
        return datetime.combine(self.monday, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 UTC (exclusive)."""
        return self.start + timedelta(days=7)


def weeks_in_year(year: int) -> int:
    """How many ISO weeks ``year`` has (52 or 53; 28 December is always in the last one).

    >>> weeks_in_year(2020), weeks_in_year(2025)
    (53, 52)
    """
    return date(year, 12, 28).isocalendar().week


def parse_week(text: str) -> IsoWeek:
    """The ISO week written ``YYYY-Www`` (or ``YYYYWww``).

    Raises
    ------
    InvalidWeekError
        When ``text`` is not of that form or names a week the year does not have.

    >>> parse_week("2020-W53").monday
    datetime.date(2020, 12, 28)
    """
    match = _WEEK.match(text)
    if match is None:
        raise InvalidWeekError(
            f"week {text!r}: expected an ISO week written YYYY-Www, e.g. 2025-W48"
        )
    year, week = int(match.group(1)), int(match.group(2))
    if not 1 <= year <= 9998:
        raise InvalidWeekError(f"week {text!r}: year {year} is out of range")
    return IsoWeek(year, week)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class EventRecord(_Frozen):
    """One stored detector event of an alert, as the bulletin needs it."""

    detector: str
    family: str
    period: date
    statistic: float
    threshold: float
    severity: str
    message: str
    evidence: dict[str, Any]
    recorded_at: datetime


class BulletinItem(_Frozen):
    """One alert in the bulletin: what changed during the week, and its events."""

    id: int
    change: Change
    severity: str
    """Severity at the end of the week."""
    severity_before: str | None
    """Severity at the start of the week (``None`` for a new alert)."""
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
    events: list[EventRecord]
    data_source: str = "real"
    """``synthetic`` when the alert stems from synthetic data (its provenance says so)."""

    @property
    def subject(self) -> str:
        """The product in words: the molecule's name, or the CN code with its label.

        Falls back to ``product <code>`` when the code is not in the nomenclature.
        """
        if self.molecule_id:
            from critchem.molecules.registry import load_registry

            registry = load_registry()
            if self.molecule_id in registry:
                name = registry.get(self.molecule_id).name
                return f"{name} (CN {self.product})" if self.product else name
            return f"molecule {self.molecule_id}"
        return product_name(self.product)


def product_name(code: str | None) -> str:
    """``CN <code> <label>`` from the default CN year, or ``product <code>`` when unknown.

    >>> product_name("28012000")
    'CN 28012000 Fluorine, chlorine, bromine and iodine › Iodine'
    """
    if not code:
        return "product"
    from critchem.nomenclature.cn import load_cn

    try:
        entry = load_cn(2025).get(code)
    except CritchemError:
        return f"product {code}"
    return f"CN {code} {entry.label}"


def severity_at(events: Iterable[EventRecord], moment: datetime) -> Severity | None:
    """The fused severity of the ``events`` recorded strictly before ``moment``.

    ``None`` when no event had been recorded by then.
    """
    known = [
        Event(
            detector=e.detector,
            detector_version="",
            family=cast(Family, e.family),
            key={},
            period=e.period,
            statistic=e.statistic,
            threshold=e.threshold,
            severity=cast(Severity, e.severity),
            message=e.message,
        )
        for e in events
        if e.recorded_at < moment
    ]
    return fused_severity(known) if known else None


def classify(
    created_at: datetime, events: Sequence[EventRecord], week: IsoWeek
) -> tuple[Change | None, Severity | None, Severity | None]:
    """What happened to one alert during ``week`` (see the module docstring for the rule).

    Returns
    -------
    tuple
        ``(change, severity_before, severity_after)``: ``change`` is ``"new"``,
        ``"escalated"`` or ``None``; the severities are those of the events recorded before
        the week began and before it ended.
    """
    before = severity_at(events, week.start)
    after = severity_at(events, week.end)
    if week.start <= created_at < week.end:
        return "new", None, after
    if created_at < week.start and before and after and RANK[after] > RANK[before]:
        return "escalated", before, after
    return None, before, after


def _record(alert: Alert) -> list[EventRecord]:
    return [
        EventRecord(
            detector=e.detector,
            family=e.family,
            period=e.period,
            statistic=e.statistic,
            threshold=e.threshold,
            severity=e.severity,
            message=e.message,
            evidence=e.evidence,
            recorded_at=e.recorded_at,
        )
        for e in alert.events
    ]


def select_alerts(
    store: AlertStore, week: IsoWeek, *, min_severity: Severity = "amber"
) -> list[BulletinItem]:
    """The alerts new or escalated during ``week``, worst first.

    Parameters
    ----------
    store
        The alert store.
    week
        The ISO week.
    min_severity
        Leave out alerts below this severity at the end of the week.
    """
    if min_severity not in SEVERITIES:
        raise ValueError(f"unknown severity {min_severity!r}: one of {SEVERITIES}")
    query = (
        select(Alert)
        .where(Alert.created_at < week.end, Alert.updated_at >= week.start)
        .options(selectinload(Alert.events))
        .order_by(Alert.id)
    )
    items = []
    with store.session() as session:
        for alert in session.scalars(query):
            events = _record(alert)
            change, before, after = classify(alert.created_at, events, week)
            severity = after or cast(Severity, alert.severity)
            if change is None or RANK[severity] < RANK[min_severity]:
                continue
            items.append(
                BulletinItem(
                    id=alert.id,
                    change=change,
                    severity=severity,
                    severity_before=before,
                    state=alert.state,
                    title=alert.title,
                    molecule_id=alert.molecule_id,
                    product=alert.product,
                    reporter=alert.reporter,
                    partner=alert.partner,
                    flow=alert.flow,
                    families=list(alert.families),
                    first_seen_period=alert.first_seen_period,
                    last_seen_period=alert.last_seen_period,
                    created_at=alert.created_at,
                    updated_at=alert.updated_at,
                    events=events,
                    data_source=data_source_of(alert.provenance),
                )
            )
    return sorted(items, key=_order)


def _order(item: BulletinItem) -> tuple[int, int, int]:
    return (-RANK[cast(Severity, item.severity)], item.change != "new", item.id)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class TradePeriod:
    """One trade month, ``YYYY-MM``: the bulletin of the alerts on that month's trade."""

    year: int
    month: int

    @property
    def label(self) -> str:
        """``YYYY-MM``."""
        return f"{self.year}-{self.month:02d}"

    @property
    def first(self) -> date:
        """The first day of the month."""
        return date(self.year, self.month, 1)


def parse_period(text: str) -> TradePeriod:
    """The trade month written ``YYYY-MM``.

    >>> parse_period("2025-11").first
    datetime.date(2025, 11, 1)
    """
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise InvalidWeekError(f"trade period {text!r}: write it YYYY-MM, e.g. 2025-11")
    return TradePeriod(int(match.group(1)), int(match.group(2)))


def select_period(
    store: AlertStore, period: TradePeriod, *, min_severity: Severity = "amber"
) -> list[BulletinItem]:
    """The alerts whose trade months include ``period``, worst first.

    An alert first seen in that month is ``new``; one first seen earlier is ``ongoing``.
    """
    if min_severity not in SEVERITIES:
        raise ValueError(f"unknown severity {min_severity!r}: one of {SEVERITIES}")
    month = period.first
    query = (
        select(Alert)
        .where(Alert.first_seen_period <= month, Alert.last_seen_period >= month)
        .options(selectinload(Alert.events))
        .order_by(Alert.id)
    )
    items = []
    with store.session() as session:
        for alert in session.scalars(query):
            severity = cast(Severity, alert.severity)
            if RANK[severity] < RANK[min_severity]:
                continue
            items.append(
                BulletinItem(
                    id=alert.id,
                    change="new" if alert.first_seen_period == month else "ongoing",
                    severity=severity,
                    severity_before=None,
                    state=alert.state,
                    title=alert.title,
                    molecule_id=alert.molecule_id,
                    product=alert.product,
                    reporter=alert.reporter,
                    partner=alert.partner,
                    flow=alert.flow,
                    families=list(alert.families),
                    first_seen_period=alert.first_seen_period,
                    last_seen_period=alert.last_seen_period,
                    created_at=alert.created_at,
                    updated_at=alert.updated_at,
                    events=_record(alert),
                    data_source=data_source_of(alert.provenance),
                )
            )
    return sorted(items, key=_order)
