"""Which instruments a project may use, up to how much, and why the others are refused."""

from __future__ import annotations

from pydantic import BaseModel

from critchem.investment.instruments import Catalogue, Instrument
from critchem.investment.projects import Project
from critchem.investment.rules import RULES
from critchem.investment.stacking import Award, Context, headroom


class Refusal(BaseModel):
    """One failed rule: its name and why."""

    rule: str
    reason: str


class InstrumentVerdict(BaseModel):
    """Whether a project may use an instrument, the most it may get, or every refusal."""

    project_id: str
    instrument_id: str
    instrument: str
    form: str
    eligible: bool
    max_amount_meur: float | None
    refusals: list[Refusal]
    example: bool
    catalogue_version: str
    project_source: str = "real"
    """The project's ``source``: ``illustrative`` for a fictitious example project."""


def judge(project: Project, instrument: Instrument, context: Context) -> InstrumentVerdict:
    """Check every registered rule; an eligible project gets its headroom as maximum amount."""
    refusals = []
    for rule in RULES.values():
        result = rule.check(project, instrument, context)
        if not result.ok:
            refusals.append(Refusal(rule=rule.name, reason=result.reason))
    eligible = not refusals
    return InstrumentVerdict(
        project_id=project.id,
        instrument_id=instrument.id,
        instrument=instrument.name,
        form=instrument.form,
        eligible=eligible,
        max_amount_meur=headroom(project, instrument, context) if eligible else None,
        refusals=refusals,
        example=instrument.example,
        catalogue_version=context.catalogue.version,
        project_source=project.source,
    )


def eligible_instruments(
    project: Project,
    catalogue: Catalogue,
    *,
    relevant_costs_meur: float | None = None,
    awards: tuple[Award, ...] = (),
) -> list[InstrumentVerdict]:
    """The verdict for every instrument of ``catalogue``, eligible ones first."""
    context = Context(catalogue=catalogue, relevant_costs_meur=relevant_costs_meur, awards=awards)
    verdicts = [judge(project, inst, context) for inst in catalogue.instruments]
    return sorted(verdicts, key=lambda v: (not v.eligible, -(v.max_amount_meur or 0.0)))
