"""``/funding/cost-items`` and ``POST /projects/{id}/eligibility``: cost items in the body.

The cost items and the support allocated to each are judged item by item against the
cumulation rules and the sourced State-aid intensity ceilings. The check uses only the
figures in the request; the instrument verdicts of a project follow the financial
visibility of ``GET /projects/{id}/eligibility``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from critchem.api.deps import SettingsDep
from critchem.api.security import AccountsDep, PrincipalDep, client_ip
from critchem.investment import InstrumentVerdict
from critchem.investment.cost_item_file import MAX_MEUR
from critchem.services import investment
from critchem.services.cost_items import (
    CostItemsCheckOut,
    check_cost_item_body,
    verdicts_for_items,
)
from critchem.services.project_views import may_see_financials

router = APIRouter(tags=["investment"])

Meur = Annotated[float, Field(ge=0, le=MAX_MEUR, allow_inf_nan=False, description="M€.")]
Name = Annotated[str, Field(min_length=1, max_length=64)]


class CostItemIn(BaseModel):
    """One eligible cost item; ``aid_rules`` are ids of the State-aid intensity table."""

    model_config = ConfigDict(extra="forbid")

    id: Name
    cost_meur: Meur
    aid_rules: list[Name] = Field(default_factory=list, max_length=20)
    funding_gap_meur: Meur | None = None


class AllocationIn(BaseModel):
    """Support from one instrument on one cost item."""

    model_config = ConfigDict(extra="forbid")

    instrument: Name
    item: Name
    amount_meur: Meur


class CostItemsIn(BaseModel):
    """A project's cost items and the support allocated to each."""

    model_config = ConfigDict(extra="forbid")

    items: list[CostItemIn] = Field(min_length=1, max_length=500)
    allocations: list[AllocationIn] = Field(default_factory=list, max_length=5000)


class EligibilityWithItemsOut(BaseModel):
    """Instrument verdicts with the cost items' sum as relevant costs, and the item check."""

    instruments: list[InstrumentVerdict]
    cost_items: CostItemsCheckOut


@router.post(
    "/funding/cost-items",
    response_model=CostItemsCheckOut,
    summary="Check cost items against cumulation rules and intensity ceilings",
)
def check_cost_items(body: CostItemsIn) -> CostItemsCheckOut:
    """Each cost item: its support, intensity ceiling (with the provision), room and breaches.

    An unknown intensity rule, instrument or cost item is a 400 naming its position.
    """
    return check_cost_item_body(body.model_dump())


@router.post(
    "/projects/{project_id}/eligibility",
    response_model=EligibilityWithItemsOut,
    summary="Which instruments fit a project, with its cost items",
)
def project_eligibility_with_items(
    project_id: Annotated[str, Path(min_length=1, max_length=64, description="Project id.")],
    body: CostItemsIn,
    settings: SettingsDep,
    principal: PrincipalDep,
    accounts: AccountsDep,
    request: Request,
) -> EligibilityWithItemsOut:
    """The verdicts of ``GET`` with the relevant costs set to the sum of the cost items.

    Maximum amounts depend on the project's funding gap, so they are shown only to those
    who may see its financials (null otherwise).
    """
    project = investment.show_project(
        project_id, pipeline=investment.default_pipeline_path(settings)
    )
    checked = check_cost_item_body(body.model_dump())
    verdicts = verdicts_for_items(project, checked)
    if may_see_financials(project, principal):
        accounts.read_confidential(
            principal,
            f"project {project_id} eligibility",
            {"cost_items": len(body.items)},
            ip=client_ip(request),
        )
    else:
        verdicts = [v.model_copy(update={"max_amount_meur": None}) for v in verdicts]
    return EligibilityWithItemsOut(instruments=verdicts, cost_items=checked)
