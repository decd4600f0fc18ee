"""The substitutability family: a sourced register, refused rows, and the exact missing reason."""

from __future__ import annotations

import pytest

from critchem.core.errors import EvidenceError
from critchem.evidence.families import substitutability
from critchem.evidence.families._crm import same_substance
from critchem.evidence.families.substitutability import (
    MISSING_REASON,
    SubstitutabilityFamily,
    parse_register,
)

HEADER = "molecule,value,low,high,years,basis,source_url,source,checked\n"


def test_a_sourced_row_is_read_with_its_range_and_years() -> None:
    rows = parse_register(
        HEADER + "x,0.9,0.8,1,2019-2021,expert panel,https://example.org/si,Report,2026-12-07\n"
    )
    assert (rows["x"].value, rows["x"].low, rows["x"].high) == (0.9, 0.8, 1.0)
    assert rows["x"].years == (2019, 2020, 2021)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,0.9,0.8,1,2020,b,,Report,2026-12-07", "line 2: a row needs a source and its URL"),
        ("x,0.9,0.8,1,2020,b,http://example.org,Report,2026-12-07", "needs a source"),
        ("x,1.2,0.8,1.3,2020,b,https://example.org,Report,2026-12-07", "0 <= low <= value"),
        ("x,abc,0.8,1,2020,b,https://example.org,Report,2026-12-07", "line 2"),
    ],
)
def test_a_bad_row_is_refused_with_its_line(row: str, message: str) -> None:
    with pytest.raises(EvidenceError, match=message):
        parse_register(HEADER + row + "\n")


def test_the_shipped_register_parses() -> None:
    rows, digest = substitutability._shipped()
    assert len(digest) == 64
    for row in rows.values():
        assert row.source_url.startswith("https://")


def test_a_molecule_without_a_row_is_missing_with_the_exact_reason() -> None:
    rows, _ = substitutability._shipped()
    absent = next(m for m in ("ammonia", "helium", "chlorine") if m not in rows)
    [value] = SubstitutabilityFamily().compute(None, [absent], 2024)  # type: ignore[arg-type]
    assert value.value is None and value.status == "missing"
    assert value.note == MISSING_REASON
    assert "not for chemicals" in value.note and "not used" in value.note


def test_an_element_of_the_crm_study_says_its_index_exists_but_was_not_read() -> None:
    """Helium is the study's helium: the reason names the material, its published SR and EI
    (1.2 and 2.9 in 2023) and where they were read; no index is invented."""
    [value] = SubstitutabilityFamily().compute(None, ["helium"], 2024)  # type: ignore[arg-type]
    assert value.value is None and value.status == "missing"
    assert "assessed Helium, the same substance" in value.note
    assert "published SR 1.2, EI 2.9" in value.note
    assert "not found in a readable copy" in value.note
    assert "dimension_CRMsOverTime.csv" in value.note


def test_the_same_substance_list_is_sourced_and_names_registry_molecules() -> None:
    from critchem.molecules import load_registry

    rows = same_substance()
    ids = {entry.id for entry in load_registry()}
    assert {"silicon", "sulphur", "gallium", "helium"} <= set(rows) <= ids
    # SR and EI joined from criticality/data/eu_crm_published.csv (2023), not copied
    assert (rows["silicon"].name, rows["silicon"].sr, rows["silicon"].ei) == (
        "Silicon metal",
        1.3,
        4.9,
    )
    for row in rows.values():
        assert row.source_url.startswith("https://github.com/erikemilsson/")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("silicon,silicon metal,2023,the same element,,2026-12-07", "line 2: a row needs a source"),
        ("silicon,unobtainium,2023,the same element,https://x.org,2026-12-07", "no published"),
    ],
)
def test_a_bad_same_substance_row_is_refused_with_its_line(row: str, message: str) -> None:
    from critchem.evidence.families._crm import parse_same_substance

    header = "molecule,crm_material,crm_year,basis,source_url,checked\n"
    with pytest.raises(EvidenceError, match=message):
        parse_same_substance(header + row + "\n")
