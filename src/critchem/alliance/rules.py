"""Voting rules of the Alliance's bodies: tallies, quorum and majority as pure functions.

The Commission's notice launching the Alliance (28 October 2025) says that the General
Assembly "will meet at least twice a year to set priorities and adopt the alliance's opinions
and recommendations"; it does not set a quorum or a majority. The defaults below are the
platform's, declared as data per body in ``data/bodies.yaml`` and changeable there:

* quorum: at least half of the body's member organisations cast a vote (abstentions count
  for the quorum, as a member that abstains took part);
* majority: simple majority of the votes cast, abstentions not counted (``yes > no``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

Choice = Literal["yes", "no", "abstain"]
CHOICES: tuple[Choice, ...] = ("yes", "no", "abstain")
Majority = Literal["simple", "two_thirds", "absolute"]
Visibility = Literal["public", "members", "secretariat"]
Revote = Literal["refuse", "replace"]


def check_choice(choice: str) -> Choice:
    """``choice`` if it is ``yes``, ``no`` or ``abstain``; ``ValueError`` otherwise.

    >>> check_choice("abstain")
    'abstain'
    """
    for known in CHOICES:
        if choice == known:
            return known
    raise ValueError(f"unknown vote {choice!r}: use yes, no or abstain")


@dataclass(frozen=True)
class VoteRules:
    """How a body decides: quorum, majority, abstentions, revotes and who sees the votes.

    Attributes
    ----------
    quorum
        Share of the body's members that must cast a vote (yes, no or abstain), 0..1.
    majority
        ``simple``: more yes than no; ``two_thirds``: yes at least two thirds of the counted
        votes; ``absolute``: yes more than half of all the body's members.
    abstentions_count
        Whether abstentions count in the denominator of a ``simple`` or ``two_thirds``
        majority (they never count as yes).
    revote
        ``refuse`` a second vote of an organisation, or let it ``replace`` the first while
        the vote is open.
    visibility
        Who may see which organisation voted what: ``public``, ``members`` or
        ``secretariat`` only. The tallies are always public once the vote is closed.
    """

    quorum: Fraction = Fraction(1, 2)
    majority: Majority = "simple"
    abstentions_count: bool = False
    revote: Revote = "refuse"
    visibility: Visibility = "members"

    def __post_init__(self) -> None:
        if not 0 <= self.quorum <= 1:
            raise ValueError(f"quorum must be between 0 and 1, not {self.quorum}")


@dataclass(frozen=True)
class Tally:
    """The counted votes of one motion."""

    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        """Votes cast, abstentions included."""
        return self.yes + self.no + self.abstain


def tally(choices: Iterable[str]) -> Tally:
    """Count ``choices`` (one per voting organisation).

    >>> tally(["yes", "no", "yes", "abstain"])
    Tally(yes=2, no=1, abstain=1)
    """
    counts = {"yes": 0, "no": 0, "abstain": 0}
    for choice in choices:
        counts[check_choice(choice)] += 1
    return Tally(**counts)


def quorum_met(counted: Tally, members: int, rules: VoteRules) -> bool:
    """Whether ``counted.cast >= quorum · members`` (exact rational arithmetic).

    A body without members has no quorum.

    >>> quorum_met(Tally(yes=2, no=0, abstain=1), 6, VoteRules())
    True
    >>> quorum_met(Tally(yes=2), 5, VoteRules())
    False
    """
    if members <= 0:
        return False
    return counted.cast >= rules.quorum * members


def majority_met(counted: Tally, members: int, rules: VoteRules) -> bool:
    """Whether the yes votes carry the motion under ``rules.majority``.

    * ``simple``: ``yes > no`` (``yes > no + abstain`` when abstentions count);
    * ``two_thirds``: ``3 · yes >= 2 · (yes + no [+ abstain])`` and at least one yes;
    * ``absolute``: ``2 · yes > members``.

    >>> majority_met(Tally(yes=3, no=2, abstain=5), 10, VoteRules())
    True
    >>> majority_met(Tally(yes=3, no=2, abstain=5), 10, VoteRules(abstentions_count=True))
    False
    >>> majority_met(Tally(yes=2, no=1), 3, VoteRules(majority="two_thirds"))
    True
    """
    counted_no = counted.no + (counted.abstain if rules.abstentions_count else 0)
    if rules.majority == "simple":
        return counted.yes > counted_no
    if rules.majority == "two_thirds":
        return counted.yes > 0 and 3 * counted.yes >= 2 * (counted.yes + counted_no)
    return 2 * counted.yes > members


@dataclass(frozen=True)
class Decision:
    """The outcome of a closed vote."""

    tally: Tally
    members: int
    quorum: bool
    adopted: bool


def decide(choices: Iterable[str], members: int, rules: VoteRules) -> Decision:
    """Tally ``choices`` and decide: adopted only when the quorum and the majority are met.

    >>> decide(["yes", "yes", "no"], 4, VoteRules()).adopted
    True
    >>> decide(["yes"], 4, VoteRules()).quorum
    False
    """
    counted = tally(choices)
    has_quorum = quorum_met(counted, members, rules)
    return Decision(
        tally=counted,
        members=members,
        quorum=has_quorum,
        adopted=has_quorum and majority_met(counted, members, rules),
    )
