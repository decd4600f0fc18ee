"""The indicator formulas as pure scalar functions.

These are the reference definitions: the Ibis expressions in
:mod:`critchem.trade.indicators.expressions` compute exactly the same quantities over whole
tables, and the tests check them against these functions. A ``None`` input or a zero
denominator gives ``None`` ("not computable"), never ``0``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

HHI_POINTS_SCALE = 10_000.0
"""Factor between the HHI on fractions (0..1) and the HHI on percentage points (0..10,000)."""


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or ``None`` when either is missing or the denominator is 0.

    >>> ratio(3.0, 4.0)
    0.75
    >>> ratio(3.0, 0.0) is None, ratio(None, 4.0) is None
    (True, True)
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def unit_value(value: float | None, net_mass_kg: float | None) -> float | None:
    """Unit value in currency per kilogram: ``UV = value / net mass``.

    The usual price proxy of trade statistics; ``None`` when the mass is missing or zero.

    >>> unit_value(1500.0, 500.0)
    3.0
    >>> unit_value(1500.0, 0.0) is None, unit_value(1500.0, None) is None
    (True, True)
    """
    return ratio(value, net_mass_kg)


def shares(values: Sequence[float]) -> list[float]:
    """Each value's share of the total: ``s_i = v_i / Σ_j v_j``, as fractions.

    >>> shares([50.0, 30.0, 20.0])
    [0.5, 0.3, 0.2]

    Raises
    ------
    ValueError
        When the values do not add up to a positive total.
    """
    total = sum(values)
    if total <= 0:
        raise ValueError(f"Shares need a positive total, got {total!r} from {list(values)!r}")
    return [v / total for v in values]


def hhi(fractions: Iterable[float]) -> float:
    """Herfindahl-Hirschman index on shares given as fractions: ``HHI = Σ_i s_i²``, 0..1.

    1 is a single supplier; ``1/n`` is ``n`` equal suppliers. This is the convention of the
    European Commission's criticality assessment (*Methodology for establishing the EU list of
    critical raw materials*, 2017, section 3.2.1), after Hirschman (1945) and Herfindahl (1950).

    >>> round(hhi([0.5, 0.3, 0.2]), 10)
    0.38
    >>> hhi([1.0]), hhi([0.25] * 4)
    (1.0, 0.25)
    """
    return sum(s * s for s in fractions)


def hhi_points(fractions: Iterable[float]) -> float:
    """The HHI on shares in percent, ``Σ_i (100 · s_i)²``, 0..10,000.

    The convention of competition authorities (U.S. Department of Justice and Federal Trade
    Commission, *Merger Guidelines*, 2023: above 1,800 is "highly concentrated").
    It equals ``10,000 · hhi``.

    >>> round(hhi_points([0.5, 0.3, 0.2]), 6)
    3800.0
    """
    return HHI_POINTS_SCALE * hhi(fractions)


def governance_weighted_hhi(fractions: Sequence[float], wgi: Sequence[float]) -> float:
    """Governance-weighted concentration: ``HHI_WGI = Σ_i s_i² · WGI_i``, 0..10.

    ``WGI_i`` is the supplier's Worldwide Governance Indicators mean rescaled to 0..10 with 10
    the worst (:func:`critchem.nomenclature.wgi_scaled`). European Commission, *Methodology for
    establishing the EU list of critical raw materials*, 2017, section 3.2.1 (supply risk).

    >>> round(governance_weighted_hhi([0.5, 0.5], [6.0, 2.0]), 10)
    2.0

    Raises
    ------
    ValueError
        When the two sequences differ in length.
    """
    if len(fractions) != len(wgi):
        raise ValueError(f"{len(fractions)} shares but {len(wgi)} WGI values")
    return sum(s * s * w for s, w in zip(fractions, wgi, strict=True))


def mirror_gap(reported: float | None, mirror: float | None) -> float | None:
    """Relative gap between the partner's mirror figure and the reported one.

    ``gap = (mirror − reported) / reported``. For imports, ``reported`` is the reporter's CIF
    import value from the partner and ``mirror`` the partner's FOB export value to the
    reporter, converted to the same currency; a gap of a few percent below zero is the
    expected CIF/FOB margin (United Nations, *International Merchandise Trade Statistics:
    Concepts and Definitions 2010*, chapter IV on valuation). ``None`` when a side is missing
    or ``reported`` is 0.

    >>> mirror_gap(100.0, 90.0)
    -0.1
    >>> mirror_gap(0.0, 90.0) is None
    True
    """
    if mirror is None or reported is None:
        return None
    return ratio(mirror - reported, reported)
