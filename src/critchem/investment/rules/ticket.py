"""Project size and ticket size within the instrument's bounds."""

from __future__ import annotations

from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.stacking import Context, headroom


class TicketRule(Rule):
    """Capex within ``min/max_capex_meur``; the amount available reaches ``min_ticket_meur``."""

    name = "ticket"

    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Refuse a project too small or too large, or whose possible support is below the ticket."""
        rules = instrument.eligibility
        capex = project.capex_meur
        if rules.min_capex_meur is not None and capex < rules.min_capex_meur:
            return RuleResult.refused(
                f"capex {capex:g} M€ is below the minimum {rules.min_capex_meur:g} M€"
            )
        if rules.max_capex_meur is not None and capex > rules.max_capex_meur:
            return RuleResult.refused(
                f"capex {capex:g} M€ is above the maximum {rules.max_capex_meur:g} M€"
            )
        if instrument.min_ticket_meur is not None:
            room = headroom(project, instrument, context)
            if room < instrument.min_ticket_meur:
                return RuleResult.refused(
                    f"at most {room:g} M€ available, below the minimum ticket "
                    f"{instrument.min_ticket_meur:g} M€"
                )
        return RuleResult.passed()
