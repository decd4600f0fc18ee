"""Value objects: CAS and EC check digits, CN and HS code formats."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from critchem.core.errors import (
    InvalidCasError,
    InvalidCnCodeError,
    InvalidEcError,
    InvalidHsCodeError,
)
from critchem.nomenclature import CasNumber, CnCode, EcNumber, Hs6Code, cas_check_digit

# Published CAS numbers (CAS Common Chemistry) with their check digits.
KNOWN_CAS = [
    "7732-18-5",
    "74-85-1",
    "115-07-1",
    "71-43-2",
    "7664-41-7",
    "7782-50-5",
    "1310-73-2",
    "7704-34-9",
    "7440-21-3",
    "497-19-8",
    "7664-39-3",
    "56-87-1",
    "63-68-3",
    "21324-40-3",
]


@pytest.mark.parametrize("cas", KNOWN_CAS)
def test_published_cas_numbers_are_valid(cas: str) -> None:
    assert str(CasNumber(cas)) == cas


def test_wrong_check_digit_names_the_check() -> None:
    with pytest.raises(InvalidCasError, match=r"check digit: expected 1, found 2"):
        CasNumber("74-85-2")


@pytest.mark.parametrize(
    "bad", ["", "74851", "74-85", "1-85-1", "12345678-12-3", "74-8a-1", "74_85_1"]
)
def test_malformed_cas_is_rejected(bad: str) -> None:
    with pytest.raises(InvalidCasError, match="malformed"):
        CasNumber(bad)


bodies = st.from_regex(r"[1-9][0-9]{1,6}", fullmatch=True).flatmap(
    lambda head: st.from_regex(r"[0-9]{2}", fullmatch=True).map(lambda mid: (head, mid))
)


@given(bodies)
def test_cas_with_computed_check_digit_round_trips(parts: tuple[str, str]) -> None:
    head, mid = parts
    text = f"{head}-{mid}-{cas_check_digit(head + mid)}"
    assert CasNumber(text).value == text
    assert CasNumber.is_valid(text)


@given(bodies, st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_of_the_check_digit_is_caught(
    parts: tuple[str, str], delta: int
) -> None:
    head, mid = parts
    wrong = (cas_check_digit(head + mid) + delta) % 10
    assert not CasNumber.is_valid(f"{head}-{mid}-{wrong}")


@given(bodies, st.data())
def test_single_digit_typos_in_the_body_are_caught(
    parts: tuple[str, str], data: st.DataObject
) -> None:
    """The weighted sum catches every single-digit error except when weight·delta ≡ 0 (mod 10)."""
    head, mid = parts
    body = head + mid
    good = f"{head}-{mid}-{cas_check_digit(body)}"
    pos = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
    new_digit = data.draw(st.sampled_from([d for d in "0123456789" if d != body[pos]]))
    weight = len(body) - pos
    typo_body = body[:pos] + new_digit + body[pos + 1 :]
    typo = f"{typo_body[: len(head)]}-{typo_body[len(head) :]}-{good[-1]}"
    caught = not CasNumber.is_valid(typo) or typo_body[0] == "0"
    if (weight * (int(new_digit) - int(body[pos]))) % 10 != 0:
        assert caught


def test_ec_numbers() -> None:
    assert str(EcNumber("200-815-3")) == "200-815-3"  # ethylene
    assert str(EcNumber("231-595-7")) == "231-595-7"  # hydrogen chloride
    with pytest.raises(InvalidEcError, match="check digit"):
        EcNumber("200-815-4")


def test_cn_code_format_and_parts() -> None:
    code = CnCode("2901 21 00", 2025)
    assert code.code == "29012100"
    assert code.formatted == "2901 21 00"
    assert code.hs6 == Hs6Code("290121")
    assert (code.chapter, code.heading) == ("29", "2901")
    with pytest.raises(InvalidCnCodeError, match="8 digits"):
        CnCode("2901210", 2025)
    with pytest.raises(InvalidCnCodeError, match="year"):
        CnCode("29012100", 25)


def test_hs6_format() -> None:
    with pytest.raises(InvalidHsCodeError, match="6 digits"):
        Hs6Code("29012")


@given(st.from_regex(r"[0-9]{8}", fullmatch=True), st.sampled_from([2024, 2025, 2026]))
def test_cn_code_round_trips_through_its_printed_form(digits: str, year: int) -> None:
    code = CnCode(digits, year)
    assert CnCode(code.formatted, year) == code
    assert code.hs6.code == digits[:6]
