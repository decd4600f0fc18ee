"""The eligibility-rule plug-in family: the small base class (the registry is ``rules.RULES``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

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
