"""Value objects for the identifiers critchem works with.

``CasNumber``, ``EcNumber``, ``CnCode`` and ``Hs6Code`` validate on construction and are
immutable. A malformed value raises an error that says which check failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from critchem.core.errors import (
    InvalidCasError,
    InvalidCnCodeError,
    InvalidEcError,
    InvalidHsCodeError,
)

_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
_EC_RE = re.compile(r"^(\d{3})-(\d{3})-(\d)$")
_SEPARATORS = re.compile(r"[\s.]")

CN_YEARS: tuple[int, ...] = (2024, 2025, 2026)
"""Combined Nomenclature years shipped with the package."""


def cas_check_digit(body: str) -> int:
    """Check digit of a CAS registry number.

    ``check = (Σ_i i · d_i) mod 10`` where ``d_1`` is the rightmost digit of the body (the
    digits before the check digit, hyphens removed) and ``i`` counts from the right
    (CAS, *CAS Registry Number: check digit*, https://www.cas.org/cas-data/cas-registry).

    >>> cas_check_digit("7732-18")   # water, 7732-18-5
    5
    """
    digits = body.replace("-", "")
    return sum(i * int(d) for i, d in enumerate(reversed(digits), start=1)) % 10


def ec_check_digit(body: str) -> int:
    """Check digit of an EC number (EINECS, ELINCS or NLP).

    ``check = (Σ_{i=1..6} i · d_i) mod 11`` with ``d_1`` the leftmost digit; a remainder of 10 is
    not issued (ECHA, *EC Inventory*).

    >>> ec_check_digit("200-815")   # ethylene, 200-815-3
    3
    """
    digits = body.replace("-", "")
    return sum(i * int(d) for i, d in enumerate(digits, start=1)) % 11


@dataclass(frozen=True, slots=True, order=True)
class CasNumber:
    """A CAS registry number with a verified check digit.

    >>> CasNumber("74-85-1")
    CasNumber('74-85-1')
    >>> CasNumber("74-85-2")
    Traceback (most recent call last):
    ...
    critchem.core.errors.InvalidCasError: CAS number '74-85-2' fails its check digit: expected 1, found 2
    """

    value: str

    def __post_init__(self) -> None:
        text = self.value.strip() if isinstance(self.value, str) else ""
        match = _CAS_RE.match(text)
        if not match:
            raise InvalidCasError(
                f"CAS number {self.value!r} is malformed: expected 2-7 digits, a hyphen, 2 digits,"
                " a hyphen and one check digit (e.g. 74-85-1)"
            )
        head, mid, check = match.groups()
        expected = cas_check_digit(head + mid)
        if expected != int(check):
            raise InvalidCasError(
                f"CAS number {text!r} fails its check digit: expected {expected}, found {check}"
            )
        object.__setattr__(self, "value", text)

    @classmethod
    def is_valid(cls, text: str) -> bool:
        """Whether ``text`` is a well-formed CAS number with a correct check digit."""
        try:
            cls(text)
        except InvalidCasError:
            return False
        return True

    @classmethod
    def looks_like(cls, text: str) -> bool:
        """Whether ``text`` has the shape of a CAS number (check digit not verified)."""
        return bool(_CAS_RE.match(text.strip()))

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"CasNumber({self.value!r})"


@dataclass(frozen=True, slots=True, order=True)
class EcNumber:
    """An EC number (``XXX-XXX-X``) with a verified check digit.

    >>> str(EcNumber("200-815-3"))
    '200-815-3'
    """

    value: str

    def __post_init__(self) -> None:
        text = self.value.strip() if isinstance(self.value, str) else ""
        match = _EC_RE.match(text)
        if not match:
            raise InvalidEcError(f"EC number {self.value!r} is malformed: expected XXX-XXX-X")
        expected = ec_check_digit(match.group(1) + match.group(2))
        if expected != int(match.group(3)):
            raise InvalidEcError(
                f"EC number {text!r} fails its check digit: expected {expected}, found "
                f"{match.group(3)}"
            )
        object.__setattr__(self, "value", text)

    @classmethod
    def looks_like(cls, text: str) -> bool:
        """Whether ``text`` has the shape of an EC number."""
        return bool(_EC_RE.match(text.strip()))

    def __str__(self) -> str:
        return self.value


def normalise_code(text: str) -> str:
    """Remove the spaces and dots that printed nomenclatures put in codes.

    >>> normalise_code("2901 21 00")
    '29012100'
    >>> normalise_code("2901.21")
    '290121'
    """
    return _SEPARATORS.sub("", text.strip())


@dataclass(frozen=True, slots=True, order=True)
class Hs6Code:
    """A six-digit Harmonized System subheading (format only; see ``HsNomenclature``).

    >>> Hs6Code("2901.21").code
    '290121'
    >>> Hs6Code("2901.21").chapter
    '29'
    """

    code: str

    def __post_init__(self) -> None:
        text = normalise_code(self.code) if isinstance(self.code, str) else ""
        if not re.fullmatch(r"\d{6}", text):
            raise InvalidHsCodeError(
                f"HS6 code {self.code!r} is malformed: expected 6 digits (e.g. 290121)"
            )
        object.__setattr__(self, "code", text)

    @property
    def chapter(self) -> str:
        """The HS chapter (2 digits)."""
        return self.code[:2]

    @property
    def heading(self) -> str:
        """The HS heading (4 digits)."""
        return self.code[:4]

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True, slots=True, order=True)
class CnCode:
    """An eight-digit Combined Nomenclature code in a given nomenclature year.

    The code is checked for its format here; ``CombinedNomenclature.get`` checks that it exists
    in that year.

    >>> CnCode("2901 21 00", 2025)
    CnCode('29012100', 2025)
    >>> CnCode("29012100", 2025).hs6
    Hs6Code(code='290121')
    >>> CnCode("2901210", 2025)
    Traceback (most recent call last):
    ...
    critchem.core.errors.InvalidCnCodeError: CN code '2901210' is malformed: expected 8 digits (e.g. 29012100)
    """

    code: str
    year: int

    def __post_init__(self) -> None:
        text = normalise_code(self.code) if isinstance(self.code, str) else ""
        if not re.fullmatch(r"\d{8}", text):
            raise InvalidCnCodeError(
                f"CN code {self.code!r} is malformed: expected 8 digits (e.g. 29012100)"
            )
        if not isinstance(self.year, int) or not 1988 <= self.year <= 2100:
            raise InvalidCnCodeError(
                f"CN code {text}: nomenclature year {self.year!r} is not a year (CN started in 1988)"
            )
        object.__setattr__(self, "code", text)

    @property
    def hs6(self) -> Hs6Code:
        """The HS subheading the CN code refines (its first six digits)."""
        return Hs6Code(self.code[:6])

    @property
    def chapter(self) -> str:
        """The chapter (2 digits)."""
        return self.code[:2]

    @property
    def heading(self) -> str:
        """The heading (4 digits)."""
        return self.code[:4]

    @property
    def formatted(self) -> str:
        """The code as printed in the Official Journal: ``2901 21 00``."""
        return f"{self.code[:4]} {self.code[4:6]} {self.code[6:]}"

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"CnCode({self.code!r}, {self.year})"
