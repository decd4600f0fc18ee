"""The eligibility-rule plug-in family: a small base class and an explicit registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from critchem.exceptions import NotFoundError
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


RULES: dict[str, Rule] = {}
"""Registered rules by name, in registration order (the order they are checked)."""


def register(rule: Rule) -> Rule:
    """Add ``rule`` to the registry under its name."""
    if not rule.name:
        raise ValueError(f"{type(rule).__name__} has no name")
    if rule.name in RULES:
        raise ValueError(f"a rule named {rule.name!r} is already registered")
    RULES[rule.name] = rule
    return rule


def get_rule(name: str) -> Rule:
    """The registered rule called ``name``."""
    try:
        return RULES[name]
    except KeyError:
        raise NotFoundError(f"no eligibility rule {name!r}", sorted(RULES)) from None
