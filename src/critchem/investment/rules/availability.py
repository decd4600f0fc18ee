"""The instrument is open on the date of the assessment (not closed, not only announced)."""

from __future__ import annotations

from datetime import date

from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.stacking import Context


class AvailabilityRule(Rule):
    """Refuse a call whose deadline has passed, or an instrument only announced."""

    name = "availability"

    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Refuse when the instrument is closed or announced on ``context.as_of`` (or today)."""
        day = context.as_of or date.today()
        state = instrument.availability(day)
        if state == "closed":
            return RuleResult.refused(
                f"closed on {day}: deadline {instrument.closes} "
                f"({instrument.sources.get('closes', instrument.legal_basis)})"
            )
        if state == "announced":
            return RuleResult.refused(
                f"announced, not adopted on {day} ({instrument.legal_basis or instrument.notes})"
            )
        if state == "not_yet_open":
            return RuleResult.refused(f"not open before {instrument.opens}")
        return RuleResult.passed()
