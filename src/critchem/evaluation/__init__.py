"""Evaluation of detectors and fusion rules against labelled events, apart from live code.

Nothing under ``critchem`` outside this package imports it: the live monitor never sees the
labels it is scored on.
"""

from critchem.evaluation.labels import Detection, LabelledEvent, from_register
from critchem.evaluation.lead_time import CaseOutcome, case_outcomes
from critchem.evaluation.scoring import Score, score

__all__ = [
    "CaseOutcome",
    "Detection",
    "LabelledEvent",
    "Score",
    "case_outcomes",
    "from_register",
    "score",
]
