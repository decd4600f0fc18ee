"""Cumulation and the double-funding ban, judged per eligible cost item.

A project is split into cost items (equipment, buildings, engineering ...); each award is
allocated to items. The rules apply to the support on one cost item, never to the project
as a whole, so a project may combine an EU grant for some costs with national aid for
other costs. Every breach names its rule:

* ``eu-double-funding`` -- no cost is financed twice by the Union budget
  (Regulation (EU, Euratom) 2018/1046, Article 191(3)); for the Recovery and Resilience
  Facility, support from other Union programmes must not cover the same cost
  (Regulation (EU) 2021/241, Article 9).
* ``instrument-rate`` -- an instrument gives at most its rate of the cost it finances
  (e.g. Innovation Fund, 60 % of relevant costs, Directive 2003/87/EC, Article 10a(8)).
* ``aid-intensity`` -- on the same eligible costs, State aid cumulated with other State
  aid, or with centrally managed Union funding, stays within the highest applicable
  intensity or funding rate (Regulation (EU) No 651/2014, Article 8(2)-(3); CEEAG
  2022/C 80/01, section 3.2.1.3.1).
* ``over-cost`` -- grants and aid on one cost never exceed the cost itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from critchem.exceptions import InstrumentCatalogueError
from critchem.investment.instruments import Catalogue, Instrument

RULES: dict[str, str] = {
    "eu-double-funding": (
        "Regulation (EU, Euratom) 2018/1046 (Financial Regulation), Article 191(3): the same "
        "costs are never financed twice by the Union budget"
    ),
    "rrf-same-cost": (
        "Regulation (EU) 2021/241, Article 9: support from other Union programmes must not "
        "cover the same cost as the Recovery and Resilience Facility"
    ),
    "instrument-rate": "the instrument's maximum rate of the costs it finances (catalogue source)",
    "aid-intensity": (
        "Regulation (EU) No 651/2014 (GBER), Article 8(2)-(3); CEEAG (2022/C 80/01), section "
        "3.2.1.3.1: cumulated public support on the same eligible costs stays within the "
        "highest applicable aid intensity or Union funding rate"
    ),
    "over-cost": "support on a cost item never exceeds the cost item",
}
"""Each rule's legal reference, by name."""

_GRANT_FORMS = frozenset({"grant", "fixed_premium", "state_aid"})


@dataclass(frozen=True, slots=True)
class CostItem:
    """One eligible cost item of a project (million euros)."""

    id: str
    amount_meur: float


@dataclass(frozen=True, slots=True)
class Allocation:
    """The part of an award from one instrument that finances one cost item."""

    instrument_id: str
    item_id: str
    amount_meur: float


@dataclass(frozen=True, slots=True)
class Breach:
    """A forbidden combination on one cost item, with the rule and its legal reference."""

    item_id: str
    rule: str
    reason: str

    @property
    def reference(self) -> str:
        """The legal reference of the rule."""
        return RULES[self.rule]


def intensity(support_meur: float, cost_meur: float) -> float:
    """Aid intensity on a cost item, ``support / cost`` (0 when the cost is 0).

    >>> intensity(30.0, 100.0)
    0.3
    """
    return support_meur / cost_meur if cost_meur > 0 else 0.0


def _rate(inst: Instrument) -> float | None:
    return inst.public_support_cap if inst.public_support_cap is not None else inst.max_aid_rate


def check_item(
    item: CostItem,
    allocations: list[tuple[Instrument, float]],
    *,
    ceiling: float | None = None,
) -> list[Breach]:
    """Every rule broken on one cost item by ``allocations`` (instrument, amount).

    ``ceiling`` is the maximum aid intensity of the applicable State-aid rule for this cost
    (e.g. the intensity of the approved scheme); without it, the highest rate the
    instruments on the item declare is used, and when none declares one the intensity rule
    cannot be checked (it is not assumed to pass silently: see :func:`unchecked_items`).
    """
    breaches: list[Breach] = []
    eu = [(i, a) for i, a in allocations if i.eu_funds and i.form in _GRANT_FORMS]
    if len({i.id for i, _ in eu}) > 1:
        names = ", ".join(sorted({i.id for i, _ in eu}))
        rule = "rrf-same-cost" if any(i.id == "rrf" for i, _ in eu) else "eu-double-funding"
        breaches.append(Breach(item.id, rule, f"{names} both finance cost item {item.id!r}"))
    for inst, amount in allocations:
        if inst.max_aid_rate is not None and inst.form in _GRANT_FORMS:
            cap = inst.max_aid_rate * item.amount_meur
            if amount > cap + 1e-9:
                breaches.append(
                    Breach(
                        item.id,
                        "instrument-rate",
                        f"{inst.id} gives {amount:g} M€ on {item.id!r}, above "
                        f"{inst.max_aid_rate:.0%} of {item.amount_meur:g} M€ ({cap:g} M€)",
                    )
                )
    public = [(i, a) for i, a in allocations if i.form in _GRANT_FORMS]
    total = sum(a for _, a in public)
    if any(i.state_aid for i, _ in public) and len(public) > 1:
        rates = [r for i, _ in public if (r := _rate(i)) is not None]
        cap_rate = ceiling if ceiling is not None else (max(rates) if rates else None)
        if cap_rate is not None and intensity(total, item.amount_meur) > cap_rate + 1e-9:
            breaches.append(
                Breach(
                    item.id,
                    "aid-intensity",
                    f"cumulated support {total:g} M€ on {item.id!r} is "
                    f"{intensity(total, item.amount_meur):.0%} of {item.amount_meur:g} M€, "
                    f"above the {cap_rate:.0%} ceiling",
                )
            )
    if total > item.amount_meur + 1e-9:
        breaches.append(
            Breach(
                item.id,
                "over-cost",
                f"support {total:g} M€ on {item.id!r} exceeds its cost {item.amount_meur:g} M€",
            )
        )
    return breaches


def check_cumulation(
    items: tuple[CostItem, ...],
    allocations: tuple[Allocation, ...],
    catalogue: Catalogue,
    *,
    ceilings: dict[str, float] | None = None,
) -> list[Breach]:
    """Every breach, cost item by cost item; an empty list means the combination is allowed.

    Raises
    ------
    InstrumentCatalogueError
        When an allocation names an unknown cost item, or a negative amount.
    """
    by_id = {item.id: item for item in items}
    grouped: dict[str, list[tuple[Instrument, float]]] = {item.id: [] for item in items}
    for alloc in allocations:
        if alloc.item_id not in by_id:
            raise InstrumentCatalogueError(
                f"allocation of {alloc.instrument_id!r} names cost item {alloc.item_id!r}, "
                f"which is not among the project's items ({', '.join(by_id) or 'none'})"
            )
        if alloc.amount_meur < 0:
            raise InstrumentCatalogueError(
                f"allocation of {alloc.instrument_id!r} to {alloc.item_id!r} is negative"
            )
        grouped[alloc.item_id].append((catalogue.get(alloc.instrument_id), alloc.amount_meur))
    breaches: list[Breach] = []
    for item in items:
        ceiling = (ceilings or {}).get(item.id)
        breaches.extend(check_item(item, grouped[item.id], ceiling=ceiling))
    return breaches


def unchecked_items(
    items: tuple[CostItem, ...],
    allocations: tuple[Allocation, ...],
    catalogue: Catalogue,
    *,
    ceilings: dict[str, float] | None = None,
) -> list[str]:
    """Cost items where State aid is cumulated but no intensity ceiling is known."""
    out = []
    for item in items:
        insts = [catalogue.get(a.instrument_id) for a in allocations if a.item_id == item.id]
        public = [i for i in insts if i.form in _GRANT_FORMS]
        if (
            len(public) > 1
            and any(i.state_aid for i in public)
            and (ceilings or {}).get(item.id) is None
            and all(_rate(i) is None for i in public)
        ):
            out.append(item.id)
    return out
