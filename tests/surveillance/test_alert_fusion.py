"""Fusion of detector events into alerts: grouping, fingerprints and the severity rule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from critchem.surveillance.alerts import fingerprint, fuse, fused_severity
from critchem.surveillance.alerts.fusion import RANK, Subject, event_key, window_start
from critchem.surveillance.base import FAMILIES, SEVERITIES, Event
from tests.surveillance.conftest import _event as make_event

# The severity rule as a table: (family, severity) of each event -> fused severity.
CASES = [
    ([("volume", "info")], "info"),
    ([("volume", "amber")], "amber"),
    ([("volume", "red")], "amber"),  # one family caps at amber
    ([("volume", "red"), ("volume", "red")], "amber"),  # two detectors, one family
    ([("volume", "red"), ("price", "info")], "amber"),  # info does not count as agreement
    ([("volume", "red"), ("price", "amber")], "red"),
    ([("volume", "amber"), ("price", "amber")], "amber"),  # max is amber: no red from nowhere
    ([("price", "red"), ("concentration", "red"), ("policy", "info")], "red"),
    ([("policy", "amber"), ("concentration", "red")], "red"),
]


@pytest.mark.parametrize(("pairs", "expected"), CASES)
def test_severity_rule_table(pairs: list[tuple[str, str]], expected: str) -> None:
    events = [make_event(f, s, detector=f"d{i}") for i, (f, s) in enumerate(pairs)]
    assert fused_severity(events) == expected
    (draft,) = fuse(events)
    assert draft.severity == expected


def test_no_events_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one event"):
        fused_severity([])


def test_groups_by_subject_reporter_partner_and_month() -> None:
    events = [
        make_event("volume", "amber", period=date(2024, 3, 1)),
        make_event("price", "red", period=date(2024, 3, 1)),
        make_event("volume", "amber", period=date(2024, 4, 1)),  # another month
        make_event("volume", "amber", partner="US"),  # another partner
        make_event("volume", "amber", reporter="FR"),  # another reporter
        make_event("volume", "amber", product="28141000"),  # another product
        make_event("price", "amber", molecule_id="ethylene"),  # the molecule wins over the code
    ]
    drafts = fuse(events)
    assert len(drafts) == 6
    assert sum(len(d.events) for d in drafts) == len(events)
    march = next(d for d in drafts if len(d.events) == 2)
    assert march.families == ("price", "volume")
    assert march.severity == "red"
    assert march.first_seen_period == march.last_seen_period == date(2024, 3, 1)
    assert march.title == "EU27 trade of CN 29012100 with China: price test, volume test, 2024-03"
    molecule = next(d for d in drafts if d.subject.molecule_id)
    assert molecule.subject == Subject("ethylene", "29012100", "EU27", "CN", None)
    assert molecule.title.startswith("EU27 trade of Ethylene (CN 29012100) with China: ")


def test_quarter_window_joins_months() -> None:
    events = [
        make_event("volume", "red", period=date(2024, 4, 1)),
        make_event("price", "amber", period=date(2024, 6, 1)),
    ]
    (draft,) = fuse(events, window_months=3)
    assert draft.window_start == date(2024, 4, 1)
    assert (draft.first_seen_period, draft.last_seen_period) == (date(2024, 4, 1), date(2024, 6, 1))
    assert draft.severity == "red"
    assert "2024-04..2024-06" in draft.title
    with pytest.raises(ValueError, match="window of 5 months"):
        window_start(date(2024, 1, 1), 5)


def test_fingerprint_is_stable_and_ignores_families_and_detectors() -> None:
    one = fuse([make_event("volume", "amber")])[0].fingerprint
    two = fuse([make_event("price", "red", detector="other")])[0].fingerprint
    assert one == two
    assert len(one) == 64
    subject = Subject(None, "29012100", "EU27", "CN", None)
    assert one == fingerprint(subject, date(2024, 3, 1))
    assert one != fingerprint(subject, date(2024, 4, 1))
    assert one != fingerprint(Subject(None, "29012100", "EU27", "US", None), date(2024, 3, 1))


def test_event_key_identifies_an_event_not_its_message() -> None:
    a = make_event("volume", "amber")
    b = make_event("volume", "amber", statistic=9.9)
    assert event_key(a) == event_key(b)  # same detector, key and period: same event
    assert event_key(a) != event_key(make_event("volume", "amber", period=date(2024, 4, 1)))


def test_event_without_subject_is_refused() -> None:
    event = make_event("volume", "amber")
    bare = Event(**{**{f: getattr(event, f) for f in event.__slots__}, "key": {"reporter": "EU"}})
    with pytest.raises(ValueError, match="names neither a molecule"):
        fuse([bare])


events_strategy = st.lists(
    st.builds(
        make_event,
        st.sampled_from(FAMILIES),
        st.sampled_from(SEVERITIES),
        detector=st.sampled_from(["a", "b", "c", "trade_diversion"]),
    ),
    min_size=1,
    max_size=12,
)


@given(events_strategy, st.sampled_from(FAMILIES), st.sampled_from(SEVERITIES))
def test_adding_an_event_never_lowers_severity(
    events: list[Event], family: str, severity: str
) -> None:
    before = fused_severity(events)
    after = fused_severity([*events, make_event(family, severity, detector="new")])
    assert RANK[after] >= RANK[before]


@given(events_strategy)
def test_red_needs_two_agreeing_families(events: list[Event]) -> None:
    severity = fused_severity(events)
    agreeing = {e.family for e in events if e.severity != "info"}
    top = max(RANK[e.severity] for e in events)
    if severity == "red":
        assert len(agreeing) >= 2
    assert RANK[severity] <= top
    assert RANK[severity] >= min(top, RANK["amber"])  # capped at amber, never lower


@given(events_strategy, st.randoms(use_true_random=False))
def test_fusion_ignores_event_order(events: list[Event], random: object) -> None:
    shuffled = list(events)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert [(d.fingerprint, d.severity, d.families) for d in fuse(events)] == [
        (d.fingerprint, d.severity, d.families) for d in fuse(shuffled)
    ]


# Screening detectors (noisy alone): (detector, family, severity) of each event -> fused severity.
SCREENING_CASES = [
    ([("cusum", "volume", "amber")], "info"),  # a lone screening signal is info
    ([("cusum", "volume", "red")], "info"),  # however strong
    ([("cusum", "volume", "amber"), ("bocpd", "volume", "amber")], "info"),  # noise + noise
    ([("cusum", "volume", "amber"), ("import_surge", "volume", "amber")], "amber"),
    ([("cusum", "volume", "red"), ("seasonal_anomaly", "price", "red")], "info"),
    ([("cusum", "volume", "red"), ("import_surge", "volume", "amber")], "amber"),  # one family
    ([("seasonal_anomaly", "price", "amber"), ("import_surge", "volume", "red")], "red"),
    ([("cusum", "volume", "red"), ("unit_value_outlier", "price", "amber")], "red"),
    ([("cusum", "volume", "amber"), ("import_surge", "volume", "info")], "info"),
]


@pytest.mark.parametrize(("triples", "expected"), SCREENING_CASES)
def test_screening_detectors_need_corroboration(
    triples: list[tuple[str, str, str]], expected: str
) -> None:
    events = [make_event(f, s, detector=d) for d, f, s in triples]
    assert fused_severity(events) == expected


def test_title_names_molecule_code_flow_and_origin_in_words() -> None:
    event = make_event(
        "volume", "amber", detector="import_surge", partner="RU", molecule_id="ethylene", flow="1"
    )
    (draft,) = fuse([event])
    assert draft.title == (
        "EU27 imports of Ethylene (CN 29012100) from Russian Federation: sharp rise in volume, "
        "2024-03"
    )
    whole = make_event("concentration", "amber", detector="concentration_shift", partner="*")
    assert fuse([whole])[0].title == (
        "EU27 trade of CN 29012100, all partners: shift among suppliers, 2024-03"
    )


def test_title_gives_the_measured_change_in_percent() -> None:
    surge = make_event("volume", "amber", detector="import_surge", partner="CN", flow="1")
    surge = Event(**{**_fields(surge), "evidence": {"relative_increase": 2.4}})
    price = make_event("price", "amber", detector="unit_value_outlier", partner="CN", flow="1")
    price = Event(**{**_fields(price), "evidence": {"relative_change": -0.5}})
    (draft,) = fuse([surge, price])
    assert draft.title == (
        "EU27 imports of CN 29012100 from China up 240 %, unit price down 50 %: "
        "sharp rise in volume, unusual unit price, 2024-03"
    )


def _fields(event: Event) -> dict[str, object]:
    return {f: getattr(event, f) for f in Event.__dataclass_fields__}


@pytest.mark.parametrize(
    ("signal", "words"),
    [
        ("share_gain", "one supplier gaining import share"),
        ("supplier_collapse", "a main supplier nearly stops"),
        ("hhi_jump", "imports concentrating on fewer suppliers"),
        ("", "shift among suppliers"),  # an event without its signal keeps the general words
    ],
)
def test_concentration_title_says_which_signal(signal: str, words: str) -> None:
    event = make_event("concentration", "amber", detector="concentration_shift", partner="IN")
    evidence = {"signal": signal} if signal else {}
    event = Event(**{**_fields(event), "evidence": evidence})
    (draft,) = fuse([event])
    assert draft.title.endswith(f": {words}, 2024-03")
