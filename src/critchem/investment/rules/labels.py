"""Labels (strategic project, IPCEI candidate, STEP Seal) the instrument requires."""

from __future__ import annotations

from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.stacking import Context


class LabelsRule(Rule):
    """The project has every label of ``labels_required`` and one of ``labels_any``."""

    name = "labels"

    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Refuse a project missing a required label."""
        rules = instrument.eligibility
        missing = [lab for lab in rules.labels_required if lab not in project.labels]
        if missing:
            return RuleResult.refused(f"label(s) required but missing: {', '.join(missing)}")
        if rules.labels_any and not set(rules.labels_any) & set(project.labels):
            return RuleResult.refused(f"needs one of the labels: {', '.join(rules.labels_any)}")
        return RuleResult.passed()
