"""The energy-cost family: a sourced register read as is; a molecule without a row is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.core.errors import EvidenceError
from critchem.core.settings import Settings
from critchem.evidence.base import COMPUTED, MISSING, EvidenceContext
from critchem.evidence.families.energy_cost import (
    ENERGY,
    EnergyCostFamily,
    load_register,
    parse_register,
)

HEADER = "molecule,value,low,high,years,measure,source_url,source,checked\n"


def test_ammonia_from_the_ceps_study_others_missing(tmp_path: Path) -> None:
    context = EvidenceContext(settings=Settings(home=tmp_path), store_root=tmp_path / "store")
    values = {
        v.molecule: v for v in EnergyCostFamily().compute(context, ["ammonia", "ethylene"], 2024)
    }
    ammonia = values["ammonia"]
    # CEPS (2014) Table 9: gas 80-88 % + electricity 3-6 % of production costs -> 0.83..0.94.
    assert ammonia.status == COMPUTED and ammonia.indicator == ENERGY
    assert ammonia.value == pytest.approx((0.83 + 0.94) / 2)
    assert ammonia.years == (2010, 2011, 2012)
    assert "ceps.eu" in ammonia.note and ammonia.provenance.file_hashes
    assert values["ethylene"].status == MISSING and values["ethylene"].value is None
    assert "no published share" in values["ethylene"].note
    assert load_register()["ammonia"].low == pytest.approx(0.83)


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ("x,0.5,0.4,0.6,2020,m,,no url,2026-01-01", "line 2: a row needs a source"),
        ("x,0.5,0.4,0.6,2020,m,https://e.org,,2026-01-01", "line 2: a row needs a source"),
        ("x,0.7,0.4,0.6,2020,m,https://e.org,s,2026-01-01", "line 2: needs 0 <= low"),
        ("x,half,0.4,0.6,2020,m,https://e.org,s,2026-01-01", "line 2: could not convert"),
    ],
)
def test_bad_rows_are_refused_with_their_line(row: str, why: str) -> None:
    with pytest.raises(EvidenceError, match=why):
        parse_register(HEADER + row + "\n", where="energy.csv")
