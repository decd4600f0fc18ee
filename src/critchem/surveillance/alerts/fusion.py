"""Fusion: group detector events into alerts and decide each alert's severity.

Events are grouped by subject (the molecule and the product code the event key names),
reporter, partner, flow and month window. The severity of a group follows one rule:

    severity = max(effective severity of its events), except that **red needs at least two
    independent pieces of evidence agreeing**: red is kept only when two events, each at least
    amber (effective), read no evidence in common; otherwise red is capped at amber.

The evidence an event reads is its family (volume, price, concentration, policy) and, for
the few detectors whose test reads more than one kind, the kinds declared in
:data:`ALSO_READS`. Two events read evidence in common when their sets meet. Where no
detector reads more than its family this is the rule "two different families each at least
amber". The exception is trade diversion: its screen asks for the origin's volume to rise
*and* for its share of the imports to gain 5 points, so its event rests on the same share
gain a ``concentration_shift`` share-gain event on that origin measures; the two together are
one observation seen twice, not corroboration, and stay amber. Independent evidence (a
unit-price change, a quota running out) still takes them to red.

The *effective* severity of an event is its own, except for the **screening detectors**
(:data:`SCREENING`), whose measured false-alarm rates in the back-test are well above the
target of 1 per 100 series-years (``bench/RESULTS.md``): a screening event counts with its
own severity only when the same alert holds an event of at least amber from a detector with
a measured low false-alarm rate (import surge, unit-value outlier, concentration shift, quota
exhaustion), which it then corroborates; alone, or with other screening events only, it
counts as ``info``. So amber needs a detector that rarely cries wolf, and red two independent
pieces of evidence.
A strong statistic alone was tried as a way to amber and rejected on the measurements: lone
screening events of twice their threshold that also tripled or cut to a third the level
still gave 2.0 and 0.9 false alarms per 100 series-years on the two seeds of the
back-test, against 0.33 and 0.25 for this rule, at the same recall.

One detector family seeing something extreme is a reason to look (amber); two independent
kinds of evidence pointing the same way (say imports collapse *and* the unit price jumps) is a
reason to act (red). The rule is monotone: adding an event to a group never lowers its
severity, since the maximum, the corroboration of screening events and the pairs of agreeing
events can only grow.

The functions here are pure: no database, no clock.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from critchem.surveillance.base import SEVERITIES, Event, Family, Severity

RANK: dict[Severity, int] = {s: i for i, s in enumerate(SEVERITIES)}
"""Severity order: info < amber < red."""
WINDOWS: tuple[int, ...] = (1, 2, 3, 4, 6, 12)
"""Allowed window lengths in months (they tile a calendar year)."""
SCREENING: frozenset[str] = frozenset(
    {"seasonal_anomaly", "cusum", "structural_break", "bocpd", "export_shift"}
)
"""Detectors whose signals are ``info`` unless corroborated (see the module docstring)."""
ALSO_READS: dict[str, frozenset[Family]] = {
    "trade_diversion": frozenset({"concentration"}),
}
"""Evidence a detector's events read beyond their own family, by detector (see the module
docstring): ``trade_diversion`` (family ``volume``) also reads the origin's share of the
imports, which ``concentration_shift`` measures."""


def evidence_read(event: Event) -> frozenset[Family]:
    """The kinds of evidence ``event`` rests on: its family and :data:`ALSO_READS`.

    >>> from critchem.surveillance.base import Event
    >>> e = Event("trade_diversion", "1.0", "volume", {"product": "28230000"},
    ...           date(2024, 7, 1), 5.0, 0.5, "amber", "", {})
    >>> sorted(evidence_read(e))
    ['concentration', 'volume']
    """
    return frozenset({event.family}) | ALSO_READS.get(event.detector, frozenset())


def independent_pair(readings: Iterable[frozenset[Family]]) -> bool:
    """Whether two of ``readings`` (evidence sets of agreeing events) have nothing in common.

    >>> independent_pair([frozenset({"volume"}), frozenset({"price"})])
    True
    >>> independent_pair([frozenset({"volume", "concentration"}), frozenset({"concentration"})])
    False
    """
    distinct = list(set(readings))
    return any(a.isdisjoint(b) for i, a in enumerate(distinct) for b in distinct[i + 1 :])


def effective_severity(event: Event, corroborated: bool) -> Severity:
    """The severity ``event`` counts with in its alert (see the module docstring).

    >>> from critchem.surveillance.base import Event
    >>> e = Event("cusum", "2.0", "volume", {"product": "1"}, date(2024, 1, 1), 6.0, 5.0,
    ...           "amber", "rise", {})
    >>> effective_severity(e, False), effective_severity(e, True)
    ('info', 'amber')
    """
    if event.detector not in SCREENING or corroborated:
        return event.severity
    return "info"


def max_severity(*severities: Severity) -> Severity:
    """The highest of ``severities``.

    >>> max_severity("info", "red", "amber")
    'red'
    """
    return max(severities, key=RANK.__getitem__)


def fused_severity(events: Iterable[Event]) -> Severity:
    """The severity of an alert made of ``events`` (see the module docstring for the rule).

    Parameters
    ----------
    events
        The events behind one alert; at least one.

    Returns
    -------
    Severity
        ``max`` of the events' effective severities, with red capped at amber unless two
        events of at least amber read no evidence in common (:func:`evidence_read`).
    """
    items = list(events)
    if not items:
        raise ValueError("fused_severity needs at least one event")
    corroborated = any(
        e.detector not in SCREENING and RANK[e.severity] >= RANK["amber"] for e in items
    )
    levels = [(evidence_read(e), effective_severity(e, corroborated)) for e in items]
    top = max_severity(*(level for _, level in levels))
    agreeing = [read for read, level in levels if RANK[level] >= RANK["amber"]]
    if top == "red" and not independent_pair(agreeing):
        return "amber"
    return top


def event_key(event: Event) -> str:
    """A stable hash identifying ``event`` (detector, version, family, key, period).

    Two runs over the same data produce the same keys, which is what makes storing events
    idempotent.
    """
    payload = [
        event.detector,
        event.detector_version,
        event.family,
        sorted(event.key.items()),
        event.period.isoformat(),
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def window_start(period: date, months: int = 1) -> date:
    """The first day of the ``months``-long window holding ``period``.

    >>> window_start(date(2024, 5, 31), 3)
    datetime.date(2024, 4, 1)
    """
    if months not in WINDOWS:
        raise ValueError(f"window of {months} months: must be one of {WINDOWS}")
    month = (period.month - 1) // months * months + 1
    return date(period.year, month, 1)


def _window_label(start: date, months: int) -> str:
    if months == 1:
        return f"{start:%Y-%m}"
    end = date(start.year, start.month + months - 1, 1)
    return f"{start:%Y-%m}..{end:%Y-%m}"


@dataclass(frozen=True, slots=True)
class Subject:
    """What an alert is about: molecule or product, reporter, partner, flow."""

    molecule_id: str | None
    product: str | None
    reporter: str
    partner: str
    flow: str | None

    @classmethod
    def of(cls, event: Event) -> Subject:
        """The subject named by ``event.key`` (``reporter``/``partner`` default to ``*``)."""
        key = event.key
        molecule = key.get("molecule_id") or key.get("molecule")
        product = key.get("product")
        if not molecule and not product:
            raise ValueError(
                f"event of detector {event.detector!r} at {event.period}: its key {key} "
                "names neither a molecule ('molecule_id') nor a product ('product')"
            )
        return cls(
            molecule_id=molecule,
            product=product,
            reporter=key.get("reporter", "*"),
            partner=key.get("partner", "*"),
            flow=key.get("flow"),
        )

    @property
    def label(self) -> str:
        """``molecule:<id>``, ``product:<code>``, or both (``molecule:<id> product:<code>``)."""
        parts = [f"molecule:{self.molecule_id}" if self.molecule_id else ""]
        parts.append(f"product:{self.product}" if self.product else "")
        return " ".join(p for p in parts if p)


def fingerprint(subject: Subject, start: date, months: int = 1) -> str:
    """The deduplication key of an alert: subject, reporter, partner, flow and window.

    The families are deliberately not part of it: a second family joining later must
    escalate the same alert rather than open another one.
    """
    payload = [
        subject.label,
        subject.reporter,
        subject.partner,
        subject.flow,
        start.isoformat(),
        months,
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """A fused alert before storage: its subject, window, severity and events."""

    fingerprint: str
    subject: Subject
    window_start: date
    window_months: int
    severity: Severity
    families: tuple[Family, ...]
    events: tuple[Event, ...]

    @property
    def first_seen_period(self) -> date:
        """The earliest event period."""
        return min(e.period for e in self.events)

    @property
    def last_seen_period(self) -> date:
        """The latest event period."""
        return max(e.period for e in self.events)

    @property
    def title(self) -> str:
        """A one-line summary (see :func:`make_title`)."""
        return make_title(
            self.subject,
            self.window_start,
            self.window_months,
            (e.detector for e in self.events),
            events=self.events,
        )


def _place(code: str) -> str:
    """A partner or reporter code in words (``RU`` → ``Russian Federation``), the code when unknown."""
    from critchem.nomenclature import load_countries

    if code in {"EU27", "EU", "*"}:
        return code
    if code == "WORLD":
        return "the world"
    return load_countries().name(code)


def _molecule_name(molecule_id: str) -> str:
    from critchem.molecules.registry import load_registry

    registry = load_registry()
    return registry.get(molecule_id).name if molecule_id in registry else molecule_id


FLOW_WORDS: dict[str | None, tuple[str, str]] = {
    "1": ("imports", "from"),
    "2": ("exports", "to"),
    None: ("trade", "with"),
}
"""How a flow code reads in a title: the noun and its preposition."""


SIGNAL_WORDS: dict[str, str] = {
    "import_surge": "sharp rise in volume",
    "seasonal_anomaly": "off its seasonal pattern",
    "cusum": "sustained shift in level",
    "structural_break": "lasting change of level",
    "bocpd": "abrupt change",
    "unit_value_outlier": "unusual unit price",
    "concentration_shift": "shift among suppliers",
    "quota_exhaustion": "tariff quota running out",
    "export_shift": "shift in exports",
    "trade_diversion": "possible diversion after an EU trade-defence measure",
}
"""What each detector's finding means in plain words (titles never name detectors); a
detector not listed reads as its name without underscores."""


CONCENTRATION_WORDS: dict[str, str] = {
    "share_gain": "one supplier gaining import share",
    "supplier_collapse": "a main supplier nearly stops",
    "hhi_jump": "imports concentrating on fewer suppliers",
}
"""What a ``concentration_shift`` event found, by its ``evidence["signal"]``: the three signals
differ in meaning (a gain, a collapse, a jump of the HHI), so the title says which one."""


CHANGE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("import_surge", "relative_increase", ""),
    ("cusum", "relative_shift", ""),
    ("structural_break", "relative_shift", ""),
    ("bocpd", "relative_shift", ""),
    ("seasonal_anomaly", "relative_shift", ""),
    ("trade_diversion", "partner_change", ""),
    ("unit_value_outlier", "relative_change", "unit price "),
)
"""Where a title finds its percentages: (detector, evidence field, words before), in order
of preference; the first volume figure and the first price figure are shown."""


def percent_change(change: float) -> str:
    """``up 240 %`` or ``down 35 %`` for a relative change (2.4 or -0.35).

    >>> percent_change(2.4), percent_change(-0.354), percent_change(0.0)
    ('up 240 %', 'down 35 %', 'unchanged')
    """
    rounded = round(abs(change) * 100)
    if rounded == 0:
        return "unchanged"
    return f"{'up' if change > 0 else 'down'} {rounded:,} %"


def signal_words(detector: str, events: Iterable[Event] = ()) -> str:
    """What ``detector`` found, in plain words (:data:`SIGNAL_WORDS`).

    A trade-diversion event names the measure it follows, from its evidence: the kind of
    case, the product of the case and the countries it names.

    >>> e = Event("trade_diversion", "1.0", "volume", {"product": "28230000"},
    ...           date(2024, 7, 1), 1.2, 0.5, "amber", "",
    ...           {"case_measure": "anti-dumping", "case_product": "Titanium dioxide",
    ...            "targeted": ["CN"]})
    >>> signal_words("trade_diversion", [e])
    'possible diversion after the EU anti-dumping measure on Titanium dioxide from China'

    A concentration event says which of its signals it found (:data:`CONCENTRATION_WORDS`).
    """
    for event in events:
        ev = event.evidence
        if event.detector == detector == "concentration_shift":
            words = CONCENTRATION_WORDS.get(str(ev.get("signal", "")))
            if words is not None:
                return words
            continue
        targeted = ev.get("targeted")
        if (
            event.detector == detector
            and ev.get("case_measure")
            and isinstance(targeted, list | tuple)
        ):
            origins = " and ".join(_place(str(c)) for c in targeted)
            return (
                f"possible diversion after the EU {ev['case_measure']} measure on "
                f"{ev.get('case_product', 'this product')} from {origins}"
            )
    return SIGNAL_WORDS.get(detector, detector.replace("_", " "))


def change_phrase(events: Iterable[Event]) -> str:
    """The alert's measured change in words, from its events' evidence (empty if none).

    Volume: the import-surge increase over the same months of earlier years, else the
    relative level shift of the other volume detectors; price: the unit-value change.
    """
    found: dict[str, str] = {}
    items = list(events)
    for detector, key, prefix in CHANGE_KEYS:
        if prefix in found:
            continue
        for event in items:
            value = event.evidence.get(key) if event.detector == detector else None
            if isinstance(value, int | float) and value == value and abs(value) < 1e6:
                found[prefix] = prefix + percent_change(float(value))
                break
    return ", ".join(found.values())


def make_title(
    subject: Subject,
    start: date,
    months: int,
    detectors: Iterable[str],
    *,
    events: Iterable[Event] = (),
) -> str:
    """The one-line summary of an alert in plain words: which trade, how much, what, when.

    The flow leads ("EU27 imports of ...", "EU27 exports of ..."), so the words that follow
    never contradict it. With ``events``, the measured change follows the trade ("up 240 %",
    "unit price down 50 %", see :func:`change_phrase`).

    >>> make_title(Subject("ethylene", "29012100", "EU27", "RU", "1"), date(2024, 3, 1), 1,
    ...            ["import_surge"])
    'EU27 imports of Ethylene (CN 29012100) from Russian Federation: sharp rise in volume, 2024-03'
    >>> make_title(Subject(None, "39204990", "EU27", "*", "2"), date(2024, 4, 1), 3,
    ...            ["cusum", "cusum"])
    'EU27 exports of CN 39204990, all destinations: sustained shift in level, 2024-04..2024-06'
    """
    code = f"CN {subject.product}" if subject.product else ""
    if subject.molecule_id:
        name = _molecule_name(subject.molecule_id)
        what = f"{name} ({code})" if code else name
    else:
        what = code
    noun, preposition = FLOW_WORDS.get(subject.flow, (f"flow {subject.flow}", "with"))
    reporter = _place(subject.reporter)
    if subject.partner == "*":
        every = {"imports": "all origins", "exports": "all destinations"}.get(noun, "all partners")
        trade = f"{reporter} {noun} of {what}, {every}"
    else:
        trade = f"{reporter} {noun} of {what} {preposition} {_place(subject.partner)}"
    items = list(events)
    words = [signal_words(d, items) for d in detectors]
    signals = ", ".join(dict.fromkeys(sorted(words)))
    change = change_phrase(items)
    if change:
        trade = f"{trade} {change}"
    return f"{trade}: {signals}, {_window_label(start, months)}"


def fuse(events: Iterable[Event], *, window_months: int = 1) -> list[AlertDraft]:
    """Group ``events`` into alert drafts, one per subject and window.

    Parameters
    ----------
    events
        Detector events, in any order.
    window_months
        Length of the window in months (1: calendar month; 3: calendar quarter).

    Returns
    -------
    list[AlertDraft]
        One draft per (subject, window), ordered by window then fingerprint; each draft's
        events are ordered by period, family and detector.
    """
    groups: dict[tuple[Subject, date], list[Event]] = defaultdict(list)
    for event in events:
        groups[(Subject.of(event), window_start(event.period, window_months))].append(event)
    drafts = []
    for (subject, start), items in groups.items():
        items.sort(key=lambda e: (e.period, e.family, e.detector, -e.statistic))
        families = tuple(sorted({e.family for e in items}))
        drafts.append(
            AlertDraft(
                fingerprint=fingerprint(subject, start, window_months),
                subject=subject,
                window_start=start,
                window_months=window_months,
                severity=fused_severity(items),
                families=families,
                events=tuple(items),
            )
        )
    return sorted(drafts, key=lambda d: (d.window_start, d.fingerprint))
