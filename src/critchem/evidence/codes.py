"""How the customs codes of a molecule count towards its trade: exact, share, or upper bound.

A CN8 code that covers several substances (mapping relation ``group``) is never counted in
full for one molecule as if it were the molecule's own trade:

* with a sourced ``share`` (the molecule's estimated share of the code's trade), the code's
  values are multiplied by the share;
* without one, the code counts in full and every indicator built on it is an **upper bound**
  (status ``group_upper_bound``), said so wherever it is shown.

Codes of relation ``exact`` (the code is the substance) or ``form`` (one of its forms) count
in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from critchem.molecules.mapping import CodeLink

GROUP_NOTE = "group code, upper bound"
"""The words every indicator built on an unshared group code carries."""


@dataclass(frozen=True, slots=True)
class CodeWeights:
    """The codes of one molecule with the weight each code's trade counts with."""

    weights: dict[str, float]
    upper_bound: bool
    note: str

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, sorted."""
        return tuple(sorted(self.weights))


def code_weights(links: Sequence[CodeLink], *, digits: int = 8) -> CodeWeights:
    """The weight of each code of a molecule's ``links`` (``digits`` 6 for HS6 views).

    ``w = 1`` for ``exact`` and ``form`` links and for ``group`` links without a share (then
    the result is an upper bound); ``w = share`` for a ``group`` link with a sourced share.
    Several links that fall on the same HS6 code keep the largest weight (a share of a
    subheading is not known from the shares of its CN8 codes).

    >>> from critchem.molecules import load_mapping
    >>> m = load_mapping()
    >>> code_weights(m.for_molecule("ethylene")).weights, code_weights(m.for_molecule("ethylene")).upper_bound
    ({'29012100': 1.0}, False)
    >>> w = code_weights(m.for_molecule("butadiene"))
    >>> w.weights, w.upper_bound
    ({'29012400': 0.85}, False)
    >>> code_weights(m.for_molecule("methane")).upper_bound
    True
    """
    weights: dict[str, float] = {}
    upper: list[str] = []
    shared: list[str] = []
    for link in links:
        code = link.cn8[:digits]
        if link.relation == "group" and link.share is None:
            weight = 1.0
            upper.append(code)
        elif link.relation == "group":
            weight = float(link.share or 0.0)
            shared.append(f"{code} × {weight:g} ({link.source})")
        else:
            weight = 1.0
        weights[code] = max(weights.get(code, 0.0), weight)
    notes = []
    if upper:
        codes = ", ".join(sorted(set(upper)))
        notes.append(f"{GROUP_NOTE}: {codes} also cover other substances and are counted in full")
    if shared:
        notes.append("group code counted at its sourced share: " + "; ".join(shared))
    return CodeWeights(weights, bool(upper), "; ".join(notes))
