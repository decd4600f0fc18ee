"""Eligibility rules, one module per rule, registered in checking order on first use of ``RULES``."""

from critchem.core.registry import Registry
from critchem.investment.rules.availability import AvailabilityRule
from critchem.investment.rules.base import Rule, RuleResult
from critchem.investment.rules.cumulation import CumulationRule
from critchem.investment.rules.geography import GeographyRule
from critchem.investment.rules.labels import LabelsRule
from critchem.investment.rules.status import StatusRule
from critchem.investment.rules.ticket import TicketRule
from critchem.investment.rules.trl import TrlRule


def _builtins() -> tuple[Rule, ...]:
    return (
        AvailabilityRule(),
        TrlRule(),
        StatusRule(),
        GeographyRule(),
        LabelsRule(),
        TicketRule(),
        CumulationRule(),
    )


RULES: Registry[Rule] = Registry("eligibility rule", builtins=_builtins)
"""Registered rules by name, in registration order (the order they are checked)."""


def register(rule: Rule) -> Rule:
    """Add ``rule`` to the registry under its name (checked after the rules before it)."""
    return RULES.register(rule)


def get_rule(name: str) -> Rule:
    """The registered rule called ``name``."""
    return RULES.lookup(name)


__all__ = [
    "RULES",
    "AvailabilityRule",
    "CumulationRule",
    "GeographyRule",
    "LabelsRule",
    "Rule",
    "RuleResult",
    "StatusRule",
    "TicketRule",
    "TrlRule",
    "get_rule",
    "register",
]
