"""Resolving molecules by name, typo, synonym, CAS, EC, formula and code; guarding ``chemicals``."""

from __future__ import annotations

import pytest

from critchem.core.errors import InvalidCasError, NotFoundError
from critchem.molecules import ExternalCompound, default_resolver, lookup_external


@pytest.mark.parametrize(
    ("query", "cas"),
    [
        ("Ethylene", "74-85-1"),
        ("ethene", "74-85-1"),
        ("etylene", "74-85-1"),  # typo
        ("propene", "115-07-1"),
        ("caustic soda", "1310-73-2"),
        ("sulfur", "7704-34-9"),
        ("SULPHUR", "7704-34-9"),
        ("soda ash", "497-19-8"),
        ("hydrogen fluoride", "7664-39-3"),
        ("200-815-3", "74-85-1"),  # EC number
        ("C2H4", "74-85-1"),  # formula
    ],
)
def test_resolve_registry_molecules(query: str, cas: str) -> None:
    assert str(default_resolver().resolve(query).cas) == cas


def test_code_queries_return_the_molecules_under_the_code() -> None:
    hits = default_resolver().search("2814 10 00")
    assert [str(h.molecule.cas) for h in hits] == ["7664-41-7"]
    assert {str(h.molecule.cas) for h in default_resolver().search("281410")} == {"7664-41-7"}


def test_malformed_cas_names_the_check_digit() -> None:
    with pytest.raises(InvalidCasError, match="check digit: expected 1, found 2"):
        default_resolver().resolve("74-85-2")


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(NotFoundError) as info:
        default_resolver().resolve("ethylen glycoll xyz")
    assert info.value.suggestions
    assert any("glycol" in s.lower() for s in info.value.suggestions)


def test_molecules_outside_the_registry_come_from_chemicals_checked() -> None:
    found = default_resolver().resolve("capsaicin")
    assert isinstance(found, ExternalCompound)
    assert found.cas == "404-86-4"


def test_known_misses_of_chemicals_are_refused() -> None:
    # ``chemicals`` answers hydrogen sulfide (7783-06-4) for "sulphur": the guard refuses it.
    assert lookup_external("sulphur") is None
    assert lookup_external("naphtha") is None
    # An answer is kept only when it carries the CAS asked for.
    compound = lookup_external("58-08-2")
    assert compound is not None and compound.name == "caffeine"


def test_search_is_tolerant_and_ranked() -> None:
    hits = default_resolver().search("methanoll")
    assert hits and str(hits[0].molecule.cas) == "67-56-1"
    assert hits == sorted(hits, key=lambda h: -h.score)
