"""Confidentiality rules (hand cases) and the order of roles."""

from __future__ import annotations

import pytest

from critchem.accounts import ANONYMOUS, ROLES, Principal, at_least
from critchem.accounts.disclosure import suppress_small_aggregates, visible


def test_role_order() -> None:
    assert ROLES == ("public", "member", "analyst", "secretariat", "admin")
    assert at_least("admin", "secretariat") and at_least("analyst", "analyst")
    assert not at_least("member", "analyst") and not at_least("public", "member")
    with pytest.raises(ValueError, match="unknown role 'boss'"):
        at_least("boss", "member")


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (Principal("ann", "member", "Acme"), True),  # own organisation
        (Principal("ann", "member", "acme"), True),  # case does not matter
        (Principal("bob", "analyst", "Other"), False),  # an analyst of another company
        (Principal("sue", "secretariat", "Alliance"), True),
        (Principal("root", "admin", ""), True),
        (ANONYMOUS, False),
    ],
)
def test_visible(principal: Principal, expected: bool) -> None:
    assert visible("Acme", principal) is expected


def test_no_organisation_sees_unowned_records() -> None:
    assert not visible("", Principal("ann", "member", ""))


def test_aggregates_of_fewer_than_three_companies_are_suppressed() -> None:
    groups = {
        # two companies, three sites: suppressed (each could deduce the other's capacity)
        "FR": [("Acme", 100.0), ("Beta", 50.0), ("Beta", 25.0)],
        # three companies: 100 + 50 + 30 = 180 shown
        "DE": [("Acme", 100.0), ("Beta", 50.0), ("Gamma", 30.0)],
        "IT": [],
    }
    out = suppress_small_aggregates(groups)
    assert (out["FR"].value, out["FR"].companies, out["FR"].suppressed) == (None, 2, True)
    assert (out["DE"].value, out["DE"].companies, out["DE"].suppressed) == (180.0, 3, False)
    assert out["IT"].suppressed
    assert suppress_small_aggregates(groups, min_companies=2)["FR"].value == 175.0
    with pytest.raises(ValueError):
        suppress_small_aggregates(groups, min_companies=0)
