"""Attacks on a published two-way table (cells, row totals, column totals, grand total).

The attacker here is written apart from the code under test: from the published figures
alone (a withheld figure is ``None``) it solves, for each withheld cell, the least and the
largest value the row and column relations and non-negative values allow (scipy's HiGHS).
A sensitive cell survives when that range reaches p % (10 %) of its largest company's figure
on both sides (or down to 0). Tables are fictitious, hand-made; the expected suppressions
are worked out in the comments.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from scipy.optimize import linprog

from critchem.accounts.disclosure_control import Cell, company_totals, primary_reason, protect
from critchem.accounts.table_protection import TOTAL, protect_table

Key = tuple[str, str]


def attack(published: dict[Key, float | None]) -> dict[Key, tuple[float, float]]:
    """The range of every withheld figure, from the published ones and the margin relations."""
    rows = sorted({r for r, _ in published if r != TOTAL})
    cols = sorted({c for _, c in published if c != TOTAL})
    unknown = sorted(k for k, v in published.items() if v is None)
    at = {k: i for i, k in enumerate(unknown)}
    a_eq, b_eq = [], []
    lines = [[(r, c) for c in cols] + [(r, TOTAL)] for r in [*rows, TOTAL]]
    lines += [[(r, c) for r in rows] + [(TOTAL, c)] for c in [*cols, TOTAL]]
    for line in lines:  # parts minus the total = 0
        row, rhs = np.zeros(len(unknown)), 0.0
        for n, key in enumerate(line):
            sign = -1.0 if n == len(line) - 1 else 1.0
            value = published[key]
            if value is None:
                row[at[key]] += sign
            else:
                rhs -= sign * value
        a_eq.append(row)
        b_eq.append(rhs)
    ranges = {}
    for key in unknown:
        bounds = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(unknown))
            c[at[key]] = sign
            res = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
            bounds.append(float("inf") if res.status == 3 else sign * res.fun)
        ranges[key] = (bounds[0], bounds[1])
    return ranges


def published(cells: dict[Key, Cell]) -> dict[Key, float | None]:
    return {key: cell.value for key, cell in cells.items()}


def assert_protected(
    table: dict[Key, list[tuple[str, float]]], cells: dict[Key, Cell], p: float = 10.0
) -> None:
    """Every sensitive cell (interior or margin) is withheld and the attacker's range on it
    spans p % of its largest company's figure both ways."""
    ranges = attack(published(cells))
    rows = sorted({r for r, _ in table})
    cols = sorted({c for _, c in table})
    contributions = {k: list(table.get(k, [])) for k in product(rows, cols)}
    for r in rows:
        contributions[(r, TOTAL)] = [x for c in cols for x in contributions[(r, c)]]
    for c in [*cols, TOTAL]:
        contributions[(TOTAL, c)] = [x for r in rows for x in contributions[(r, c)]]
    for key, items in contributions.items():
        if not items or primary_reason(items) is None:
            continue
        assert cells[key].suppressed, f"{key} is sensitive and published"
        true = sum(v for _, v in items)
        need = p / 100 * max(company_totals(items).values())
        low, high = ranges[key]
        assert high >= true + need - 1e-6, f"{key}: the attacker caps it at {high}"
        assert low <= max(0.0, true - need) + 1e-6, f"{key}: the attacker floors it at {low}"


# capex (MEUR) by country and molecule; FR/ammonia is one company's 50: sensitive.
TABLE: dict[Key, list[tuple[str, float]]] = {
    ("DE", "ammonia"): [("a", 10.0), ("b", 12.0), ("c", 9.0)],
    ("DE", "chlorine"): [("d", 20.0), ("e", 21.0), ("f", 22.0)],
    ("FR", "ammonia"): [("g", 50.0)],
    ("FR", "chlorine"): [("h", 15.0), ("i", 16.0), ("j", 14.0)],
    ("IT", "ammonia"): [("k", 30.0), ("l", 25.0), ("m", 28.0)],
    ("IT", "chlorine"): [("n", 11.0), ("o", 12.0), ("q", 13.0)],
}


def test_one_dimensional_suppression_falls_to_marginal_differencing() -> None:
    """Each row protected by itself (two cells hidden per row where needed) with every total
    published: the column totals give the hidden cells away. This is the attack the
    two-dimensional protection has to hold."""
    naive: dict[Key, float | None] = {}
    for r in ("DE", "FR", "IT"):
        row = protect({c: items for (rr, c), items in TABLE.items() if rr == r})
        naive |= {(r, c): cell.value for c, cell in row.items()}
        naive[(r, TOTAL)] = sum(v for (rr, _), items in TABLE.items() if rr == r for _, v in items)
    for c in ("ammonia", "chlorine"):
        naive[(TOTAL, c)] = sum(v for (_, cc), items in TABLE.items() if cc == c for _, v in items)
    naive[(TOTAL, TOTAL)] = 308.0  # DE 94 + FR 95 + IT 119
    assert naive[("FR", "ammonia")] is None and naive[("FR", "chlorine")] is None
    # ammonia column: 164 - 31 - 83 = 50, exactly the confidential figure
    assert attack(naive)[("FR", "ammonia")] == pytest.approx((50.0, 50.0))


def test_the_two_way_table_holds_the_attack() -> None:
    cells = protect_table(TABLE)
    hidden = sorted(key for key, cell in cells.items() if cell.suppressed)
    # the cheapest rectangle through FR/ammonia: DE/ammonia 31, DE/chlorine 63, FR/chlorine 45
    assert hidden == [("DE", "ammonia"), ("DE", "chlorine"), ("FR", "ammonia"), ("FR", "chlorine")]
    assert cells[("FR", "ammonia")].reason == "fewer than 3 companies"
    assert cells[("DE", "chlorine")].reason == "secondary: protects FR/ammonia"
    assert not any(cells[k].suppressed for k in cells if TOTAL in k)  # margins all published
    assert_protected(TABLE, cells)
    low, high = attack(published(cells))[("FR", "ammonia")]
    # up by 31 (until DE/ammonia, moving against it, is 0); down to 0 (DE/chlorine is 63)
    assert (low, high) == pytest.approx((0.0, 81.0))


def test_a_sensitive_row_total_is_protected_with_its_cells() -> None:
    # ES holds two companies in all: its total is sensitive, and so are its cells.
    table = {**TABLE, ("ES", "ammonia"): [("r", 40.0)], ("ES", "chlorine"): [("s", 35.0)]}
    cells = protect_table(table)
    assert cells[("ES", TOTAL)].suppressed
    assert cells[("ES", TOTAL)].reason == "fewer than 3 companies"
    assert_protected(table, cells)


def test_a_dominated_cell_is_protected() -> None:
    # IT/chlorine: 95 + 3 + 2 of 100, the (2, 85) rule; three companies do not protect it.
    table = {**TABLE, ("IT", "chlorine"): [("n", 95.0), ("o", 3.0), ("q", 2.0)]}
    cells = protect_table(table)
    assert cells[("IT", "chlorine")].reason == "dominated: 2 companies hold more than 85%"
    assert_protected(table, cells)


def test_a_larger_table_with_several_sensitive_cells_holds() -> None:
    rows, cols = ["AT", "BE", "DE", "ES", "FR", "IT", "NL"], ["ammonia", "chlorine", "ethylene"]
    table: dict[Key, list[tuple[str, float]]] = {}
    for i, (r, c) in enumerate(product(rows, cols)):
        size = 3 + (i * 7) % 11
        table[(r, c)] = [(f"{r}{c}{n}", float(size + n)) for n in range(3)]
    table[("BE", "chlorine")] = [("x1", 33.0)]  # one company
    table[("ES", "ethylene")] = [("x2", 12.0), ("x3", 14.0)]  # two companies
    table[("NL", "ammonia")] = [("x4", 60.0), ("x5", 1.0), ("x6", 1.0)]  # dominated
    cells = protect_table(table)
    assert {("BE", "chlorine"), ("ES", "ethylene"), ("NL", "ammonia")} <= {
        k for k, cell in cells.items() if cell.suppressed
    }
    assert_protected(table, cells)


def test_a_change_by_one_company_since_the_last_release_is_protected() -> None:
    before = {**TABLE, ("FR", "ammonia"): [("g", 50.0), ("t", 20.0), ("u", 22.0)]}
    # between releases only company "v" joined DE/chlorine with 40: the change is one company's
    after = {**before, ("DE", "chlorine"): [*TABLE[("DE", "chlorine")], ("v", 40.0)]}
    cells = protect_table(after, previous=before)
    assert cells[("DE", "chlorine")].reason == (
        "change since the previous release: fewer than 3 companies"
    )
    assert cells[("DE", "chlorine")].suppressed
    # the attacker who kept the previous release's table: DE/chlorine was 63 then
    low, high = attack(published(cells))[("DE", "chlorine")]
    assert high - 103.0 >= 4.0 - 1e-6 and 103.0 - low >= 4.0 - 1e-6


def test_public_cells_stay_published() -> None:
    cells = protect_table(TABLE, public=[("FR", "ammonia")])
    assert not any(cell.suppressed for cell in cells.values())


def test_a_total_label_is_refused() -> None:
    with pytest.raises(ValueError, match="label of the margins"):
        protect_table({(TOTAL, "x"): [("a", 1.0)]})
