"""The tally, quorum and majority rules: worked cases and properties (Hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from critchem.alliance.rules import Tally, VoteRules, decide, majority_met, quorum_met, tally

choices = st.lists(st.sampled_from(["yes", "no", "abstain"]), max_size=60)
rules = st.builds(
    VoteRules,
    quorum=st.fractions(min_value=0, max_value=1),
    majority=st.sampled_from(["simple", "two_thirds", "absolute"]),
    abstentions_count=st.booleans(),
)


@pytest.mark.parametrize(
    ("votes", "members", "quorum", "adopted"),
    [
        # 10 members, quorum 5 votes cast; abstentions count for the quorum, not the majority
        (["yes"] * 3 + ["no"] * 2, 10, True, True),
        (["yes"] * 2 + ["no"] * 2 + ["abstain"], 10, True, False),  # a tie is not a majority
        (["yes"] * 4, 10, False, False),  # 4 < 5: no quorum, however unanimous
        (["yes"] + ["abstain"] * 4, 10, True, True),  # 1 yes against 0 no
        (["abstain"] * 5, 10, True, False),
        (["yes"] * 5, 9, True, True),  # 5 >= 4.5
        ([], 0, False, False),  # a body without members decides nothing
    ],
)
def test_default_rules_worked_cases(
    votes: list[str], members: int, quorum: bool, adopted: bool
) -> None:
    decision = decide(votes, members, VoteRules())
    assert (decision.quorum, decision.adopted) == (quorum, adopted)


def test_unknown_choice_is_refused() -> None:
    with pytest.raises(ValueError, match="use yes, no or abstain"):
        tally(["yes", "maybe"])


def test_quorum_outside_zero_one_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        VoteRules(quorum=Fraction(3, 2))


@given(choices)
def test_tally_counts_every_vote_once(votes: list[str]) -> None:
    counted = tally(votes)
    assert counted.cast == len(votes)
    assert (counted.yes, counted.no, counted.abstain) == tuple(
        votes.count(c) for c in ("yes", "no", "abstain")
    )


@given(choices, st.integers(min_value=0, max_value=80), rules)
def test_adopted_needs_quorum_and_more_yes_than_no(
    votes: list[str], extra: int, rule: VoteRules
) -> None:
    members = len(votes) + extra
    decision = decide(votes, members, rule)
    if decision.adopted:
        assert decision.quorum
        assert decision.tally.yes > decision.tally.no


@given(choices, st.integers(min_value=0, max_value=80), rules)
def test_order_of_votes_does_not_matter(votes: list[str], extra: int, rule: VoteRules) -> None:
    members = len(votes) + extra
    assert decide(votes, members, rule) == decide(sorted(votes), members, rule)


@given(choices, st.integers(min_value=0, max_value=80))
def test_one_more_yes_never_turns_adoption_into_rejection(votes: list[str], extra: int) -> None:
    members = len(votes) + extra + 1
    before = decide(votes, members, VoteRules())
    after = decide([*votes, "yes"], members, VoteRules())
    assert after.adopted or not before.adopted


@given(choices, st.integers(min_value=0, max_value=80), rules)
def test_abstentions_never_help_a_motion_pass_the_majority(
    votes: list[str], extra: int, rule: VoteRules
) -> None:
    members = len(votes) + extra + 1
    counted = tally(votes)
    more = Tally(yes=counted.yes, no=counted.no, abstain=counted.abstain + 1)
    if majority_met(more, members, rule):
        assert majority_met(counted, members, rule)


@given(st.integers(min_value=1, max_value=200), st.fractions(min_value=0, max_value=1))
def test_quorum_is_exactly_the_share_of_members(members: int, share: Fraction) -> None:
    rule = VoteRules(quorum=share)
    needed = next(n for n in range(members + 1) if n >= share * members)
    assert quorum_met(Tally(yes=needed), members, rule)
    if needed > 0:
        assert not quorum_met(Tally(yes=needed - 1), members, rule)
