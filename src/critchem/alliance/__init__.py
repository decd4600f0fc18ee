"""The Alliance's own workings: membership by declaration, bodies, opinions and votes.

``Alliance(sessions)`` groups three services over the application database:
``membership`` (apply by signing the declaration, review, withdraw, the member directory),
``governance`` (the General Assembly, the Steering Board and its seats, working groups,
meetings, documents, the work programme) and ``motions`` (drafts, amendments, votes,
results, publication). The voting rules are pure functions in ``rules``.
"""

from __future__ import annotations

from critchem.alliance.rules import Decision, Tally, VoteRules, decide, tally
from critchem.alliance.service import Alliance

__all__ = ["Alliance", "Decision", "Tally", "VoteRules", "decide", "tally"]
