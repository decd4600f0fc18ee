"""Technology readiness level within the instrument's range."""

from __future__ import annotations

from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.stacking import Context


class TrlRule(Rule):
    """TRL at least ``trl_min`` and at most ``trl_max`` when the instrument sets them."""

    name = "trl"

    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Refuse a TRL outside the range."""
        rules = instrument.eligibility
        if rules.trl_min is not None and project.trl < rules.trl_min:
            return RuleResult.refused(f"TRL {project.trl} is below the minimum {rules.trl_min}")
        if rules.trl_max is not None and project.trl > rules.trl_max:
            return RuleResult.refused(f"TRL {project.trl} is above the maximum {rules.trl_max}")
        return RuleResult.passed()
