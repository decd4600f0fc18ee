"""Eligibility rules, one module per rule, registered in checking order on first use of ``RULES``."""

from critchem.investment.rules.availability import AvailabilityRule
from critchem.investment.rules.base import RULES, Rule, RuleResult, get_rule, register
from critchem.investment.rules.cumulation import CumulationRule
from critchem.investment.rules.geography import GeographyRule
from critchem.investment.rules.labels import LabelsRule
from critchem.investment.rules.status import StatusRule
from critchem.investment.rules.ticket import TicketRule
from critchem.investment.rules.trl import TrlRule

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
