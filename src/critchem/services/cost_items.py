"""Cost items of a project judged item by item, shared by ``funding match`` and the API."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from critchem.investment import InstrumentVerdict, Project, eligible_instruments, load_catalogue
from critchem.investment.cost_item_file import parse_cost_items, read_cost_items
from critchem.investment.cost_items import Allocation, CostItem, assess_items


class BreachOut(BaseModel):
    """A refused combination on one cost item: the rule, its legal reference and why."""

    model_config = ConfigDict(frozen=True)

    rule: str
    reference: str
    provision: str = Field(description="The intensity row and provision that set the ceiling.")
    reason: str


class CostItemOut(BaseModel):
    """One cost item: its public support, ceiling, room left under it and the breaches."""

    model_config = ConfigDict(frozen=True)

    item: str
    cost_meur: float
    support_meur: float = Field(description="Grants and State aid allocated to the item.")
    ceiling_meur: float | None = Field(description="Null when no ceiling is known.")
    ceiling_rule: str
    room_meur: float | None = Field(description="Ceiling minus support, never below 0.")
    allowed: bool
    breaches: list[BreachOut]


class CostItemsCheckOut(BaseModel):
    """Every cost item judged; ``allowed`` when no item breaks a rule."""

    model_config = ConfigDict(frozen=True)

    allowed: bool
    relevant_costs_meur: float = Field(description="Sum of the cost items.")
    items: list[CostItemOut]


def check_items(
    items: tuple[CostItem, ...], allocations: tuple[Allocation, ...]
) -> CostItemsCheckOut:
    """Judge each cost item against the cumulation rules and its sourced intensity ceiling."""
    reports = assess_items(items, allocations, load_catalogue())
    out = [
        CostItemOut(
            item=r.item_id,
            cost_meur=r.cost_meur,
            support_meur=r.support_meur,
            ceiling_meur=r.ceiling_meur,
            ceiling_rule=r.ceiling_rule,
            room_meur=r.room_meur,
            allowed=not r.breaches,
            breaches=[
                BreachOut(
                    rule=b.rule, reference=b.reference, provision=b.provision, reason=b.reason
                )
                for b in r.breaches
            ],
        )
        for r in reports
    ]
    return CostItemsCheckOut(
        allowed=all(i.allowed for i in out),
        relevant_costs_meur=round(sum(i.amount_meur for i in items), 6),
        items=out,
    )


def check_cost_item_file(path: Path) -> CostItemsCheckOut:
    """Read a ``.csv`` / ``.json`` cost-item file and judge it (see ``cost_item_file``)."""
    return check_items(*read_cost_items(path, load_catalogue()))


def check_cost_item_body(body: Mapping[str, Any]) -> CostItemsCheckOut:
    """Judge cost items given as a JSON object (``items`` and ``allocations``)."""
    return check_items(*parse_cost_items(body, load_catalogue()))


def verdicts_for_items(project: Project, checked: CostItemsCheckOut) -> list[InstrumentVerdict]:
    """Each instrument's verdict with the sum of the cost items as the relevant costs."""
    return eligible_instruments(
        project, load_catalogue(), relevant_costs_meur=checked.relevant_costs_meur
    )
