"""Project status among those the instrument can still fund."""

from __future__ import annotations

from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.stacking import Context


class StatusRule(Rule):
    """The project's status is one of the instrument's ``statuses`` when it lists them."""

    name = "status"

    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Refuse a status the instrument does not fund."""
        allowed = instrument.eligibility.statuses
        if allowed is not None and project.status not in allowed:
            listed = ", ".join(s.value for s in allowed)
            return RuleResult.refused(f"status {project.status.value!r} is not one of: {listed}")
        return RuleResult.passed()
