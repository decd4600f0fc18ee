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

The intensity ceiling of a cost item comes, in this order, from an explicit ceiling (a
fraction of the item's cost), from the sourced State-aid intensities the item names
(:mod:`critchem.investment.intensities`: ceiling = max intensity × base, the highest of the
rules named, as GBER Article 8(3) takes the highest applicable intensity), or from the
highest rate the instruments on the item declare.
"""

from __future__ import annotations

from dataclasses import dataclass

from critchem.core.errors import InstrumentCatalogueError
from critchem.investment.instruments import Catalogue, Instrument
from critchem.investment.intensities import AidIntensity, get_intensity

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
    """One eligible cost item of a project (million euros).

    ``aid_rules`` name rows of the State-aid intensity table that apply to the item;
    ``funding_gap_meur`` is its funding gap, the base of a rule on the funding gap (CEEAG).
    """

    id: str
    amount_meur: float
    aid_rules: tuple[str, ...] = ()
    funding_gap_meur: float | None = None


@dataclass(frozen=True, slots=True)
class Ceiling:
    """The most public support a cost item may receive, and the rule that sets it."""

    amount_meur: float
    rate: float
    label: str


def _base(item: CostItem, rule: AidIntensity) -> float:
    if rule.base == "funding_gap":
        if item.funding_gap_meur is None:
            raise InstrumentCatalogueError(
                f"cost item {item.id!r} names {rule.id!r}, a ceiling on the funding gap, "
                "but gives no funding_gap_meur"
            )
        return item.funding_gap_meur
    return item.amount_meur


def item_ceiling(item: CostItem, explicit_rate: float | None = None) -> Ceiling | None:
    """The intensity ceiling of ``item``: an explicit rate, else its highest sourced rule.

    Raises
    ------
    NotFoundError
        The item names a rule that is not in the intensity table.
    InstrumentCatalogueError
        A rule on the funding gap, and the item gives no funding gap.
    """
    if explicit_rate is not None:
        return Ceiling(explicit_rate * item.amount_meur, explicit_rate, "the ceiling given")
    best: Ceiling | None = None
    for rule_id in item.aid_rules:
        rule = get_intensity(rule_id)
        amount = rule.ceiling_meur(_base(item, rule))
        if best is None or amount > best.amount_meur:
            base = "of the funding gap" if rule.base == "funding_gap" else "of the cost"
            label = f"{rule.id}: {rule.label}, {rule.max_intensity:.0%} {base}"
            best = Ceiling(amount, rule.max_intensity, f"{label} ({rule.legal_reference})")
    return best


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
    provision: str = ""
    """The provision that set the ceiling (intensity row and legal reference), if any."""

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
    (e.g. the intensity of the approved scheme); without it, the sourced intensities the
    item names (``aid_rules``) set the ceiling, and failing those the highest rate the
    instruments on the item declare. When nothing gives one, the intensity rule cannot be
    checked (it is not assumed to pass silently: see :func:`unchecked_items`). A ceiling
    from a sourced rule applies to a single State aid as well as to cumulated support.
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
    sourced = item_ceiling(item, ceiling)
    if any(i.state_aid for i, _ in public) and (len(public) > 1 or sourced is not None):
        limit = sourced
        if limit is None:
            rates = [r for i, _ in public if (r := _rate(i)) is not None]
            if rates:
                limit = Ceiling(max(rates) * item.amount_meur, max(rates), "the highest rate")
        if limit is not None and total > limit.amount_meur + 1e-9:
            breaches.append(
                Breach(
                    item.id,
                    "aid-intensity",
                    f"cumulated support {total:g} M€ on {item.id!r} is "
                    f"{intensity(total, item.amount_meur):.0%} of {item.amount_meur:g} M€, "
                    f"above the ceiling of {limit.amount_meur:g} M€ set by {limit.label}",
                    provision=limit.label,
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
            and not item.aid_rules
            and all(_rate(i) is None for i in public)
        ):
            out.append(item.id)
    return out


@dataclass(frozen=True, slots=True)
class ItemReport:
    """One cost item judged: its support, ceiling, the room left under it, and breaches."""

    item_id: str
    cost_meur: float
    support_meur: float
    ceiling_meur: float | None
    ceiling_rule: str
    room_meur: float | None
    breaches: tuple[Breach, ...]


def assess_items(
    items: tuple[CostItem, ...],
    allocations: tuple[Allocation, ...],
    catalogue: Catalogue,
) -> list[ItemReport]:
    """Each cost item with its public support, ceiling, room left and breaches.

    The room left is ``ceiling − support`` (never below 0); without a known ceiling it is
    ``None``. Raises as :func:`check_cumulation` does.
    """
    breaches = check_cumulation(items, allocations, catalogue)
    out = []
    for item in items:
        support = sum(
            a.amount_meur
            for a in allocations
            if a.item_id == item.id and catalogue.get(a.instrument_id).form in _GRANT_FORMS
        )
        cap = item_ceiling(item)
        out.append(
            ItemReport(
                item_id=item.id,
                cost_meur=item.amount_meur,
                support_meur=round(support, 6),
                ceiling_meur=None if cap is None else round(cap.amount_meur, 6),
                ceiling_rule="" if cap is None else cap.label,
                room_meur=None if cap is None else round(max(0.0, cap.amount_meur - support), 6),
                breaches=tuple(b for b in breaches if b.item_id == item.id),
            )
        )
    return out
