"""Public registers: every row keeps its source and date, a row without them is refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from critchem.core.errors import ReferenceDataError
from critchem.production.registers import (
    PublicDate,
    closures,
    load_ammonia_plants,
    load_closures,
    load_published_capacities,
    parse_ammonia_plants,
    parse_closures,
    parse_published_capacities,
)

DATA = Path(__file__).parent / "data"
CLOSURE_HEADER = (
    "id,company,site,country,unit,molecule,capacity_t,status,announced,effective,source\n"
)


def test_miniature_pypsa_file_in_its_real_layout() -> None:
    # The first three plants of the PyPSA-Eur list and three rows of 2024, one without source.
    load = parse_ammonia_plants((DATA / "ammonia_plants_mini.csv").read_text(encoding="utf-8"))
    assert (load.rows_read, len(load.rows), len(load.rejected)) == (6, 5, 1)
    by_id = {p.id: p for p in load.rows}
    sluiskil = by_id["Yara Sluiskil"]  # "1700" kt/a -> 1,700,000 t/year, dated 13-01-2023
    assert (sluiskil.company, sluiskil.country, sluiskil.capacity_t) == ("Yara", "NL", 1_700_000.0)
    assert sluiskil.as_of == PublicDate(2023, 1, 13) and sluiskil.source.startswith("https://")
    assert sluiskil.eu27 and sluiskil.status is None
    assert not by_id["CF Fertilisers Billingham"].eu27  # United Kingdom
    assert by_id["Kothla-Järve"].company == "Nitrofert"
    assert by_id["Kavala Fertilizers"].capacity_t == 165_000.0
    (refused,) = load.rejected
    assert (refused.line, refused.site_id) == (6, "Unknown (Oulu)")
    assert refused.reason.startswith("no source")


def test_shipped_ammonia_plants_reconcile() -> None:
    load = load_ammonia_plants()
    assert load.rows_read == 36 == len(load.rows) + len(load.rejected)
    # LAT Nitrogen Linz, Unknown (Oulu), Elixir Zorka Sabac, Unknown (Lugano), Severodonetsk
    # Azot: no source in the file, refused with their lines.
    assert [r.line for r in load.rejected] == [26, 28, 30, 31, 34]
    eu = [p for p in load.rows if p.eu27 and p.capacity_t is not None]
    # Hand sum of the EU rows with a source and an ammonia capacity (kt/a), in file order:
    # 1700+550+420+650+400+880+1300+750+400+200+600+450+1600+497+530+524+1100+180+165 = 12,896
    assert len(eu) == 19
    assert sum(p.capacity_t or 0.0 for p in eu) == pytest.approx(12_896_000.0)


def test_each_bad_closure_row_is_refused_with_its_line() -> None:
    text = CLOSURE_HEADER + "\n".join(
        [
            "A,Co,Town,DE,cracker,ethylene,500000,closure_announced,2025-07-07,2027,https://a",
            "B,Co,Town,DE,cracker,ethylene,500000,closure_announced,2025-07-07,2027,",
            "C,Co,Town,DE,cracker,ethylene,500000,closure_announced,,2027,https://a",
            "D,Co,Town,DE,cracker,ethylene,500000,closed,2025-07-07,,https://a",
            "E,Co,Town,DE,cracker,ethylene,500000,operating,2025-07-07,,https://a",
            "F,Co,Town,DE,cracker,unobtainium,1,closure_announced,2025-07-07,,https://a",
            "G,Co,Town,XX,cracker,ethylene,1,closure_announced,2025-07-07,,https://a",
            "H,Co,Town,DE,cracker,ethylene,-5,closure_announced,2025-07-07,,https://a",
            "I,Co,Town,DE,cracker,ethylene,,closure_announced,2025-02-30,,https://a",
            "J,Co,Town,DE,TDI plant,,,closure_announced,2023-02,,https://a",
        ]
    )
    load = parse_closures(text, source="t.csv")
    assert load.summary() == "t.csv: read 10 = kept 2 + rejected 8"
    assert [c.id for c in load.rows] == ["A", "J"]
    assert load.rows[1].molecule is None and load.rows[1].announced == PublicDate(2023, 2)
    reasons = {r.line: r.reason for r in load.rejected}
    assert reasons[3] == "no source: a register row names its source (URL or document)"
    assert reasons[4] == "announced is empty: every status carries its date"
    assert reasons[5] == "status closed needs its effective date"
    assert reasons[6] == "status 'operating' is not one of closure_announced, closed"
    assert "unobtainium" in reasons[7]
    assert "'XX'" in reasons[8]
    assert "positive" in reasons[9]
    assert "'2025-02-30' is not a date" in reasons[10]


def test_published_capacities_need_source_and_date() -> None:
    header = "id,company,site,country,unit,molecule,capacity_t,status,as_of,source\n"
    text = header + "\n".join(
        [
            "P1,Co,Town,NL,cracker,ethylene,675000,operating,2024-04-11,https://a",
            "P2,Co,Town,NL,cracker,ethylene,675000,operating,,https://a",
            "P3,Co,Town,NL,cracker,ethylene,675000,closed,2024-04-11,https://a",
        ]
    )
    load = parse_published_capacities(text)
    assert [p.id for p in load.rows] == ["P1"]
    assert [(r.line, r.site_id) for r in load.rejected] == [(3, "P2"), (4, "P3")]
    with pytest.raises(ReferenceDataError, match="missing columns as_of"):
        parse_published_capacities(
            "id,company,site,country,unit,molecule,capacity_t,status,source\n"
        )


def test_shipped_registers_have_a_source_and_a_date_on_every_row() -> None:
    for load in (load_closures(), load_published_capacities()):
        assert load.rejected == () and load.rows_read == len(load.rows)
    for closure in load_closures().rows:
        assert closure.source.startswith("http") and closure.announced.year >= 2022
        assert closure.announced.year <= 2026 and closure.eu27
    for capacity in load_published_capacities().rows:
        assert capacity.source.startswith("http") and capacity.status == "operating"


def test_closures_of_a_molecule_in_announcement_order() -> None:
    ethylene = closures("ethylene")
    assert [c.announced.year for c in ethylene] == sorted(c.announced.year for c in ethylene)
    # Dow Böhlen: 540,000 t/y of ethylene, announced 2025-07-07, effective 2027 (Argus)
    dow = next(c for c in ethylene if c.company == "Dow")
    assert (dow.capacity_t, dow.announced.text, dow.effective) == (
        540_000.0,
        "2025-07-07",
        PublicDate(2027),
    )
