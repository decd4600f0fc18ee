"""The eligibility-rule plug-in family: a small base class and an explicit registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from critchem.core.registry import Registry
from critchem.investment.instruments import Instrument
from critchem.investment.projects import Project
from critchem.investment.stacking import Context


@dataclass(frozen=True, slots=True)
class RuleResult:
    """The verdict of one rule: ``ok``, and when not, ``reason`` says why."""

    ok: bool
    reason: str = ""

    @classmethod
    def passed(cls) -> RuleResult:
        """A pass."""
        return cls(ok=True)

    @classmethod
    def refused(cls, reason: str) -> RuleResult:
        """A refusal with its reason."""
        return cls(ok=False, reason=reason)


class Rule(ABC):
    """An eligibility rule: does ``project`` meet ``instrument``'s condition in ``context``?"""

    name: str = ""

    @abstractmethod
    def check(self, project: Project, instrument: Instrument, context: Context) -> RuleResult:
        """Pass, or refuse with the reason (naming the condition and the project's value)."""


def _builtins() -> tuple[Rule, ...]:
    from critchem.investment.rules.availability import AvailabilityRule
    from critchem.investment.rules.cumulation import CumulationRule
    from critchem.investment.rules.geography import GeographyRule
    from critchem.investment.rules.labels import LabelsRule
    from critchem.investment.rules.status import StatusRule
    from critchem.investment.rules.ticket import TicketRule
    from critchem.investment.rules.trl import TrlRule

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
