"""Member State and NUTS2 region within the instrument's territory."""

from __future__ import annotations

from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.stacking import Context


class GeographyRule(Rule):
    """The project's country is in ``countries`` and its region matches ``nuts2_prefixes``."""

    name = "geography"

    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Refuse a project outside the countries or regions the instrument covers."""
        rules = instrument.eligibility
        if rules.countries is not None and project.country not in rules.countries:
            listed = ", ".join(rules.countries)
            return RuleResult.refused(f"country {project.country!r} is not one of: {listed}")
        prefixes = rules.nuts2_prefixes
        if prefixes is not None and not project.nuts2.startswith(tuple(prefixes)):
            listed = ", ".join(prefixes)
            return RuleResult.refused(f"region {project.nuts2!r} is not within: {listed}")
        return RuleResult.passed()
