"""Cumulation: exclusive groups, no cost financed twice by EU funds, State-aid cap, gap left.

The exclusivity of a group applies to the same costs only: an award from the same group on
other cost items (see :class:`~critchem.investment.stacking.Award`, ``cost_items``) does not
refuse the instrument. The per-cost-item checks are in :mod:`critchem.investment.cost_items`.
"""

from __future__ import annotations

from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.stacking import Context, headroom


class CumulationRule(Rule):
    """Refuses when prior awards leave no room (see ``stacking`` for each rule's source)."""

    name = "cumulation"

    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Refuse a second award in an exclusive group, or an instrument with no room left."""
        catalogue = context.catalogue
        group = catalogue.cumulation_groups[instrument.cumulation_group]
        for award in context.awards:
            other = catalogue.get(award.instrument_id)
            if (
                group.exclusive
                and other.cumulation_group == instrument.cumulation_group
                and context.same_costs(award)
            ):
                return RuleResult.refused(
                    f"the same costs are already funded by {other.id!r} in exclusive group "
                    f"{instrument.cumulation_group!r} ({group.source})"
                )
        if context.awards and headroom(project, instrument, context) <= 0:
            return RuleResult.refused(
                "no room left after the support already awarded (funding gap closed, EU "
                "costs already financed or State-aid cap reached)"
            )
        return RuleResult.passed()
