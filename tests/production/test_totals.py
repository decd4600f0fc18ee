"""Published EU capacity totals: sourced, dated, EU27 only; the coverage of a partial register."""

from __future__ import annotations

import pytest

from critchem.core.errors import ReferenceDataError
from critchem.production.registers import PublicDate, public_capacities
from critchem.production.totals import eu_totals, load_eu_totals, parse_eu_totals


def test_every_bad_row_is_refused_with_its_line_and_good_rows_are_kept() -> None:
    text = (
        "id,molecule,capacity_t,scope,as_of,source\n"
        "T1,ethylene,24500000,EU27,2025,https://a\n"
        "T2,ethylene,,EU27,2025,https://a\n"
        "T3,ethylene,1000,EU27,,https://a\n"
        "T4,unobtainium,1000,EU27,2025,https://a\n"
    )
    load = parse_eu_totals(text, source="t.csv")
    assert [t.id for t in load.rows] == ["T1"]
    assert [(r.line, r.site_id) for r in load.rejected] == [(3, "T2"), (4, "T3"), (5, "T4")]
    assert "every status carries its date" in load.rejected[1].reason
    with pytest.raises(ReferenceDataError, match="missing columns source"):
        parse_eu_totals("id,molecule,capacity_t,scope,as_of\n")


def test_shipped_totals_are_sourced_and_the_newest_is_used() -> None:
    load = load_eu_totals()
    assert load.rejected == () and load.rows_read == len(load.rows) >= 1
    ethylene = eu_totals()["ethylene"]
    # Wood Mackenzie's EU total as reported by the source: 24.5 Mt/year
    assert (ethylene.capacity_t, ethylene.as_of, ethylene.scope) == (
        24_500_000.0,
        PublicDate(2025),
        "EU27",
    )
    assert ethylene.source.startswith("https://")


def test_listed_ethylene_units_cover_31_percent_of_the_published_total() -> None:
    # PC-001 SABIC Geleen 675 + BASF Antwerp 1080 + BASF Ludwigshafen 410 + 220
    # + Dow Terneuzen 1820 + Shell Moerdijk 971 + Borealis Stenungsund 625 + Porvoo 430
    # + LyondellBasell Berre 465 + Münchsmünster 400 + Repsol Sines 410
    # = 7,506 kt of 24,500 kt = 30.6 %
    listed = [p for p in public_capacities("ethylene") if p.eu27]
    assert len(listed) == 11
    assert sum(p.capacity_t or 0 for p in listed) == 7_506_000
    assert sum(p.capacity_t or 0 for p in listed) / eu_totals()["ethylene"].capacity_t == (
        pytest.approx(0.30637, abs=1e-5)
    )
