"""Statistical disclosure control of published aggregates: primary, secondary, over time.

What a published cell (a sum of company figures) must survive, following Eurostat's practice
for confidential business statistics:

* **Primary confidentiality** (``primary_reason``). A cell is sensitive when

  - fewer than ``MIN_COMPANIES`` (3) companies contribute (threshold rule);
  - the ``n`` largest companies contribute more than ``k`` % of the cell (the (n, k)
    dominance rule; ``n = 2, k = 85`` is the example of the ESSnet *Handbook on Statistical
    Disclosure Control*, quoted in Eurostat's Concepts and Definitions Database);
  - the second largest company could estimate the largest within ``p`` % (the p % rule:
    ``total - x1 - x2 < p/100 * x1``), the rule Eurostat applies to its tables.

* **Secondary (complementary) confidentiality** (``protect``). The cells of a table add up
  to a total that a reader knows or can derive (here the pipeline total, which the other
  breakdown gives away). One suppressed cell would then be that total minus the others, so
  further cells are suppressed until the suppressed cells of the table hold at least two
  and their sum leaves the largest contributor of each sensitive cell an uncertainty of at
  least ``p`` % of its figure; when no set of cells can, every non-public cell is
  suppressed.

* **Differencing over time** (``change_reason``). Published aggregates change only at
  release points (the secretariat releases the pipeline, e.g. each quarter:
  ``critchem projects release``), never on a submission, so one submission cannot be read
  from a before/after difference of the live figure. The change of a cell from one release
  to the next is itself a cell: when it fails the primary rules (say one company's new
  project is the only change) the cell is suppressed in the new release (Eurostat's wiki
  notes that a confidential value is easily estimated from other reference periods, so the
  pattern must hold over time).

Sources: Eurostat, *Integrated Farm Statistics manual*, 9.1.2 "Confidentiality of tabular
data" (threshold, p % and secondary confidentiality),
https://wikis.ec.europa.eu/spaces/IFS/pages/152797579/9.1.2+Confidentiality+of+tabular+data ;
Eurostat, *European business statistics manual - Statistical Disclosure Control*, Statistics
Explained article "Archive:European business statistics manual - Statistical Disclosure
Control" (https://www.ec.europa.eu/eurostat/statistics-explained/index.php) ;
Eurostat Concepts and Definitions Database, "dominance rule" (n = 2, k = 85 example), after
Hundepool et al., *Handbook on Statistical Disclosure Control*, ESSnet SDC, version 1.2, 2010.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MIN_COMPANIES = 3
"""Threshold rule: the least number of distinct companies a cell may be published with."""
DOMINANCE_N = 2
"""(n, k) rule: the number of largest companies whose share is tested."""
DOMINANCE_K = 85.0
"""(n, k) rule: the share, in per cent, that the ``n`` largest may not exceed."""
P_PERCENT = 10.0
"""p % rule: how close (per cent of its figure) the second largest may estimate the largest."""


def company_totals(contributions: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Each company's total over its contributions (a company with several sites counts once)."""
    out: dict[str, float] = {}
    for company, value in contributions:
        out[company] = out.get(company, 0.0) + value
    return out


def dominated(totals: Iterable[float], n: int = DOMINANCE_N, k: float = DOMINANCE_K) -> bool:
    """The (n, k) rule: whether the ``n`` largest contribute more than ``k`` % of the sum.

    >>> dominated([80.0, 10.0, 5.0, 5.0]), dominated([40.0, 30.0, 30.0])
    (True, False)
    """
    values = sorted((abs(v) for v in totals), reverse=True)
    whole = sum(values)
    return whole > 0 and sum(values[:n]) > k / 100 * whole


def p_percent_sensitive(totals: Iterable[float], p: float = P_PERCENT) -> bool:
    """The p % rule: whether ``sum - x1 - x2 < p/100 * x1`` (x1, x2 the largest two).

    The second largest company knows its own figure; what is left after it and the largest
    bounds its estimate of the largest.

    >>> p_percent_sensitive([50.0, 45.0, 3.0]), p_percent_sensitive([50.0, 30.0, 20.0])
    (True, False)
    """
    values = [*sorted((abs(v) for v in totals), reverse=True), 0.0, 0.0]
    x1, x2 = values[0], values[1]
    return x1 > 0 and sum(values) - x1 - x2 < p / 100 * x1


def primary_reason(contributions: Iterable[tuple[str, float]]) -> str | None:
    """Why a cell of ``(company, value)`` contributions may not be published, or ``None``.

    >>> primary_reason([("a", 1.0), ("b", 1.0)])
    'fewer than 3 companies'
    >>> primary_reason([("a", 90.0), ("b", 5.0), ("c", 5.0)])
    'dominated: 2 companies hold more than 85%'
    >>> primary_reason([("a", 40.0), ("b", 35.0), ("c", 25.0)]) is None
    True
    """
    totals = company_totals(contributions)
    if 0 < len(totals) < MIN_COMPANIES:
        return f"fewer than {MIN_COMPANIES} companies"
    if dominated(totals.values()):
        return f"dominated: {DOMINANCE_N} companies hold more than {DOMINANCE_K:g}%"
    if p_percent_sensitive(totals.values()):
        return (
            f"p% rule: the second largest company could estimate the largest within {P_PERCENT:g}%"
        )
    return None


def change_reason(
    now: Iterable[tuple[str, float]], before: Iterable[tuple[str, float]]
) -> str | None:
    """Why the change of a cell between two releases would disclose a company, or ``None``.

    The change is a cell of per-company differences; no change discloses nothing.

    >>> change_reason([("a", 5.0), ("b", 5.0), ("c", 5.0), ("d", 7.0)],
    ...               [("a", 5.0), ("b", 5.0), ("c", 5.0)])
    'change since the previous release: fewer than 3 companies'
    >>> change_reason([("a", 5.0)], [("a", 5.0)]) is None
    True
    """
    after, prior = company_totals(now), company_totals(before)
    delta = [
        (c, after.get(c, 0.0) - prior.get(c, 0.0))
        for c in after.keys() | prior.keys()
        if after.get(c, 0.0) != prior.get(c, 0.0)
    ]
    if not delta:
        return None
    why = primary_reason(delta)
    return None if why is None else f"change since the previous release: {why}"


@dataclass(frozen=True)
class Cell:
    """One published cell: its value, or ``None`` and the reason it is withheld."""

    value: float | None
    companies: int
    reason: str | None = None

    @property
    def suppressed(self) -> bool:
        """Whether the value is withheld."""
        return self.value is None


def _protection(contributions: list[tuple[str, float]], p: float) -> float:
    """The uncertainty a sensitive cell needs: ``p`` % of its largest company's figure."""
    totals = company_totals(contributions)
    return p / 100 * max((abs(v) for v in totals.values()), default=0.0)


def protect(
    groups: Mapping[str, list[tuple[str, float]]],
    *,
    public: Iterable[str] = (),
    previous: Mapping[str, list[tuple[str, float]]] | None = None,
    p: float = P_PERCENT,
) -> dict[str, Cell]:
    """Primary, differencing and secondary suppression of one table that adds up to a total.

    Parameters
    ----------
    groups
        Each cell's ``(company, value)`` contributions.
    public
        Cells the reader may see whole (every contribution is theirs to see): never
        suppressed, and no use as a complement, since the reader knows them.
    previous
        The same table at the previous release, for the differencing rule.
    p
        The protection (per cent of the largest contributor) a suppressed set must give.

    >>> table = {"DE": [("a", 10.0), ("b", 12.0), ("c", 9.0)], "FR": [("d", 50.0)],
    ...          "IT": [("e", 7.0), ("f", 8.0), ("g", 6.0)], "NL": [("h", 30.0), ("i", 25.0),
    ...          ("j", 28.0)]}
    >>> cells = protect(table)
    >>> [name for name, cell in cells.items() if cell.suppressed]
    ['FR', 'IT']
    >>> cells["IT"].reason
    'secondary: protects FR'
    """
    open_cells = set(public)
    sums = {g: sum(v for _, v in rows) for g, rows in groups.items()}
    counts = {g: len(company_totals(rows)) for g, rows in groups.items()}
    reasons: dict[str, str] = {}
    for g, rows in groups.items():
        if g in open_cells:
            continue
        why = primary_reason(rows)
        if why is None and previous is not None:
            why = change_reason(rows, previous.get(g, []))
        if why is not None:
            reasons[g] = why
    sensitive = sorted(reasons)
    if sensitive:
        need = max(_protection(groups[g], p) for g in sensitive)
        candidates = sorted(
            (g for g in groups if g not in reasons and g not in open_cells),
            key=lambda g: (sums[g], g),
        )
        chosen: list[str] = []

        def enough() -> bool:
            suppressed = sensitive + chosen
            if len(suppressed) < 2:
                return False
            # each sensitive cell hides behind the other suppressed cells of the table
            return all(
                sum(abs(sums[o]) for o in suppressed if o != g) >= _protection(groups[g], p)
                for g in sensitive
            )

        # the smallest cell that protects alone, then the smallest cells until enough
        single = [g for g in candidates if abs(sums[g]) >= need]
        if not enough() and single:
            chosen.append(single[0])
        for g in candidates:
            if enough():
                break
            if g not in chosen:
                chosen.append(g)
        if not enough():
            chosen = list(candidates)
        for g in chosen:
            reasons[g] = f"secondary: protects {', '.join(sensitive)}"
    return {
        g: Cell(value=None if g in reasons else sums[g], companies=counts[g], reason=reasons.get(g))
        for g in groups
    }
