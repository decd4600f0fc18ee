"""Disclosure control of two-dimensional tables: cells, row totals, column totals, grand total.

A table of sums of company figures (say capex by country and molecule) is published with its
margins. A reader who knows the margins can derive a suppressed cell from the others of its
row, or of its column, and, when each row and each column holds two suppressed cells, still
bound it by solving the linear system of all the margins together ("marginal differencing").
:func:`protect_table` therefore:

1. finds the sensitive cells, interior or margin, with the primary rules of
   :mod:`critchem.accounts.disclosure_control` (threshold, (n, k) dominance, p %, and the
   change since the previous release);
2. audits the table as the attacker does: for each sensitive cell, the least and the largest
   value it can take given every published cell, every margin relation and non-negative
   values (two linear programmes, solved by HiGHS);
3. while a sensitive cell's range is narrower than its protection (``p`` % of its largest
   company's figure, upwards and downwards), suppresses the cheapest *rectangle* of cells
   around it (four cells at the corners of two rows and two columns, margins included), along
   which the published figures do not change when the hidden ones move, then audits again.

Steps 2 and 3 are the audit and the hypercube-style heuristic of Eurostat's practice for
tabular data (Hundepool et al., *Handbook on Statistical Disclosure Control*, ESSnet SDC,
version 1.2, 2010, chapter 4, "Magnitude tabular data": "secondary cell suppression",
"audit" and the "hypercube method"). The result is checked by the audit, not by the
heuristic: a table is returned only once every sensitive cell has its protection, or with
every non-public cell suppressed when no smaller set exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import product

from critchem.accounts.disclosure_control import (
    P_PERCENT,
    Cell,
    change_reason,
    company_totals,
    primary_reason,
)

TOTAL = "Total"
"""The label of the total row and the total column."""

Key = tuple[str, str]
Contributions = list[tuple[str, float]]
_EPS = 1e-6
MARGIN_COST = 10.0
"""How much dearer a margin is to suppress than an interior cell of the same value."""


def _need(contributions: Contributions, p: float) -> float:
    totals = company_totals(contributions)
    return p / 100 * max((abs(v) for v in totals.values()), default=0.0)


def attacker_range(
    values: Mapping[Key, float],
    rows: list[str],
    cols: list[str],
    hidden: set[Key],
    target: Key,
) -> tuple[float, float]:
    """The least and largest value ``target`` can take given the published cells.

    The reader knows every cell not in ``hidden`` and that each row (the total row too) adds
    up to its total and each column to its total, all values non-negative.

    >>> v = {("a", "x"): 1.0, ("a", "y"): 2.0, ("b", "x"): 3.0, ("b", "y"): 4.0}
    >>> v |= {("a", TOTAL): 3.0, ("b", TOTAL): 7.0, (TOTAL, "x"): 4.0, (TOTAL, "y"): 6.0}
    >>> v |= {(TOTAL, TOTAL): 10.0}
    >>> attacker_range(v, ["a", "b"], ["x", "y"], {("a", "x")}, ("a", "x"))
    (1.0, 1.0)
    >>> attacker_range(v, ["a", "b"], ["x", "y"], {("a", "x"), ("a", "y"), ("b", "x"),
    ...                ("b", "y")}, ("a", "x"))
    (0.0, 3.0)
    """
    import numpy as np
    from scipy.optimize import linprog

    order = sorted(hidden)
    index = {key: i for i, key in enumerate(order)}
    all_rows, all_cols = [*rows, TOTAL], [*cols, TOTAL]
    equations: list[list[tuple[Key, float]]] = []
    for r in all_rows:  # interior cells of the row minus its total
        equations.append([*(((r, c), 1.0) for c in cols), ((r, TOTAL), -1.0)])
    for c in all_cols:
        equations.append([*(((r, c), 1.0) for r in rows), ((TOTAL, c), -1.0)])
    a_eq, b_eq = [], []
    for terms in equations:
        coefficients = np.zeros(len(order))
        constant = 0.0
        for key, sign in terms:
            if key in index:
                coefficients[index[key]] += sign
            else:
                constant += sign * values[key]
        if coefficients.any():
            a_eq.append(coefficients)
            b_eq.append(-constant)
    out = []
    for sign in (1.0, -1.0):
        objective = np.zeros(len(order))
        objective[index[target]] = sign
        result = linprog(
            objective,
            A_eq=np.array(a_eq) if a_eq else None,
            b_eq=np.array(b_eq) if b_eq else None,
            bounds=[(0, None)] * len(order),
            method="highs",
        )
        if result.status == 3:  # unbounded
            out.append(float("inf"))
        else:
            out.append(sign * float(result.fun))
    return out[0], out[1]


def _rectangles(
    target: Key, rows: list[str], cols: list[str]
) -> Iterable[tuple[list[Key], list[int]]]:
    """The rectangles through ``target``: four corners and each corner's direction of move.

    Moving a corner by ``+d`` (and the others by ``±d`` as given) keeps every row and column
    relation: the signs alternate round the rectangle, flipped once for each total row or
    total column the corner lies on (a total moves with its cells, not against them).
    """
    i, j = target
    flip = {TOTAL: -1}
    for k, m in product([*rows, TOTAL], [*cols, TOTAL]):
        if k == i or m == j:
            continue
        corners = [(i, j), (i, m), (k, j), (k, m)]
        base = [1, -1, -1, 1]
        signs = [
            b * flip.get(r, 1) * flip.get(c, 1) for b, (r, c) in zip(base, corners, strict=True)
        ]
        yield corners, [s * signs[0] for s in signs]  # the target itself moves by +d


def protect_table(
    cells: Mapping[Key, Contributions],
    *,
    public: Iterable[Key] = (),
    previous: Mapping[Key, Contributions] | None = None,
    p: float = P_PERCENT,
) -> dict[Key, Cell]:
    """Primary and secondary suppression of a two-way table and its margins.

    Parameters
    ----------
    cells
        Each interior cell ``(row, column)`` and its ``(company, value)`` contributions
        (non-negative values); a cell not given is an empty cell, published as 0.
    public
        Interior cells whose every contribution the reader may see: never suppressed.
    previous
        The same table at the previous release, for the rule on the change since then.
    p
        The protection, in per cent of the largest company's figure, that each sensitive
        cell must keep both ways against the attacker's linear programme.

    Returns
    -------
    dict
        Every cell, interior and margin (``(row, TOTAL)``, ``(TOTAL, column)``,
        ``(TOTAL, TOTAL)``), published or withheld with its reason.

    >>> table = {("DE", "ammonia"): [("a", 10.0), ("b", 12.0), ("c", 9.0)],
    ...          ("DE", "chlorine"): [("d", 20.0), ("e", 21.0), ("f", 22.0)],
    ...          ("FR", "ammonia"): [("g", 50.0)],
    ...          ("FR", "chlorine"): [("h", 15.0), ("i", 16.0), ("j", 14.0)],
    ...          ("IT", "ammonia"): [("k", 30.0), ("l", 25.0), ("m", 28.0)],
    ...          ("IT", "chlorine"): [("n", 11.0), ("o", 12.0), ("q", 13.0)]}
    >>> out = protect_table(table)
    >>> sorted(key for key, cell in out.items() if cell.suppressed)
    [('DE', 'ammonia'), ('DE', 'chlorine'), ('FR', 'ammonia'), ('FR', 'chlorine')]
    """
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    if TOTAL in rows or TOTAL in cols:
        raise ValueError(f"{TOTAL!r} is the label of the margins: rename that row or column")
    open_keys = set(public)
    contributions = _margined(cells, rows, cols)
    interior = set(product(rows, cols))
    for r in rows:  # a margin is public when every cell under it is
        if all((r, c) in open_keys for c in cols):
            open_keys.add((r, TOTAL))
    for c in cols:
        if all((r, c) in open_keys for r in rows):
            open_keys.add((TOTAL, c))
    if interior and interior <= open_keys:
        open_keys.add((TOTAL, TOTAL))
    values = {key: sum(v for _, v in items) for key, items in contributions.items()}
    if any(v < 0 for v in values.values()):
        raise ValueError("protect_table needs non-negative values (the audit bounds cells at 0)")
    before = _margined(previous, rows, cols) if previous is not None else None
    reasons: dict[Key, str] = {}
    for key, items in contributions.items():
        if key in open_keys or not items:
            continue
        why = primary_reason(items)
        if why is None and before is not None:
            why = change_reason(items, before.get(key, []))
        if why is not None:
            reasons[key] = why
    sensitive = sorted(reasons)
    hidden = set(sensitive)
    candidates = {k for k in contributions if k not in open_keys}

    def failing() -> list[tuple[Key, float, float]]:
        out = []
        for key in sensitive:
            need = _need(contributions[key], p)
            low, high = attacker_range(values, rows, cols, hidden, key)
            need_down = min(need, values[key])
            if high < values[key] + need - _EPS or low > values[key] - need_down + _EPS:
                out.append((key, need, need_down))
        return out

    def cost(key: Key) -> float:
        weight = MARGIN_COST if TOTAL in key else 1.0
        return weight * (abs(values[key]) + 1.0)

    pending = failing()
    while pending:
        key, need, need_down = pending[0]
        best: tuple[float, float, list[Key]] | None = None
        for corners, signs in _rectangles(key, rows, cols):
            if any(c not in candidates and c not in hidden for c in corners):
                continue
            added = [c for c in corners if c not in hidden]
            if not added:
                continue
            moves = list(zip(corners, signs, strict=True))
            # the cell's own direction is +1: it rises until a falling corner reaches 0 and
            # falls until it or a corner moving with it does (no falling corner: unbounded)
            up = min((values[c] for c, s in moves if s == -1), default=float("inf"))
            down = min(values[c] for c, s in moves if s == 1)
            reach = min(up / need if need else 1.0, down / need_down if need_down else 1.0, 1.0)
            score = (-reach, sum(cost(c) for c in added))
            if best is None or score < (best[0], best[1]):
                best = (score[0], score[1], added)
        if best is None or best[0] == 0.0:
            # no rectangle helps: hide every other candidate of the cell's row and column
            i, j = key
            added = [c for c in candidates - hidden if c[0] == i or c[1] == j]
            if not added:
                added = sorted(candidates - hidden)
            if not added:
                break  # everything that may be hidden is; the audit cannot do better
        else:
            added = best[2]
        for extra in added:
            hidden.add(extra)
            reasons.setdefault(extra, f"secondary: protects {', '.join(map('/'.join, sensitive))}")
        pending = failing()
    return {
        key: Cell(
            value=None if key in hidden else values[key],
            companies=len(company_totals(contributions[key])),
            reason=reasons.get(key) if key in hidden else None,
        )
        for key in contributions
    }


def _margined(
    cells: Mapping[Key, Contributions], rows: list[str], cols: list[str]
) -> dict[Key, Contributions]:
    """The contributions of ``cells`` with its margins, over the given rows and columns."""
    out: dict[Key, Contributions] = {
        (r, c): list(cells.get((r, c), [])) for r, c in product(rows, cols)
    }
    for r in rows:
        out[(r, TOTAL)] = [x for c in cols for x in out[(r, c)]]
    for c in [*cols, TOTAL]:
        out[(TOTAL, c)] = [x for r in rows for x in out[(r, c)]]
    return out
