"""Formulas of the lead-market demand scenario: quota share, green premium, CBAM view.

Pure functions, one equation each; the scenario (``lead_market_scenario``) combines them.
Every input is declared by the user with its source; none is shipped.
"""

from __future__ import annotations

from critchem.carbon.cbam import certificate_cost


def quota_share(year: int, share: float, start: int, end: int, *, ramp: str) -> float:
    """The share of a product's demand a procurement quota reserves for low-carbon supply in
    ``year``, for a quota of ``q = share`` from ``y0 = start`` to ``y1 = end``:

        step:    q(y) = q                                  y0 ≤ y ≤ y1
        linear:  q(y) = q · (y − y0 + 1) / (y1 − y0 + 1)    y0 ≤ y ≤ y1 (reaches q in y1)
        q(y) = 0 outside [y0, y1]

    A scenario definition (the user's policy option), not a legal quota.

    >>> quota_share(2030, 0.4, 2030, 2033, ramp="linear")
    0.1
    >>> quota_share(2033, 0.4, 2030, 2033, ramp="linear"), quota_share(2031, 0.4, 2030, 2033, ramp="step")
    (0.4, 0.4)
    >>> quota_share(2029, 0.4, 2030, 2033, ramp="step")
    0.0
    """
    if year < start or year > end:
        return 0.0
    if ramp == "step":
        return share
    if ramp == "linear":
        return share * (year - start + 1) / (end - start + 1)
    raise ValueError(f"unknown ramp {ramp!r} (step or linear)")


def quota_volume(demand_t: float, share: float) -> float:
    """Low-carbon volume demanded: ``V = D · q`` (tonnes per year).

    >>> quota_volume(1000.0, 0.25)
    250.0
    """
    return demand_t * share


def premium_per_tonne(cost_gap: float, avoided: float, carbon_price: float) -> float:
    """The green premium a buyer must pay per tonne once the carbon price has done its part:

        premium = max(0, G − ΔF · P)          EUR per tonne of product

    with ``G`` the production-cost gap (EUR/t), ``ΔF = PCF_conventional − PCF_low`` (tCO2e/t,
    i.e. kgCO2e/kg) and ``P`` the carbon price effectively paid on the conventional product
    (EUR/tCO2e). The issue's definition: "PCF difference × carbon price" closes part of the gap.

    >>> premium_per_tonne(600.0, 6.0, 40.0)
    360.0
    >>> premium_per_tonne(600.0, 6.0, 200.0)
    0.0
    """
    return max(0.0, cost_gap - avoided * carbon_price)


def effective_eu_price(ets_price: float, priced_share: float) -> float:
    """Carbon price effectively paid by an EU producer: ``P = P_ETS · s`` (EUR/tCO2e), where
    ``s`` is the share of emissions not covered by free allocation (EU ETS Directive
    2003/87/EC, Article 10a; the share is declared).

    >>> effective_eu_price(80.0, 0.5)
    40.0
    """
    return ets_price * priced_share


def effective_cbam_price(ets_price: float, origin_price: float, cbam_share: float) -> float:
    """Carbon price effectively paid on an import under CBAM, per tCO2e embedded:

        P = s · max(0, P_ETS − P_origin)       EUR/tCO2e

    Regulation (EU) 2023/956, Articles 9, 21 and 31, as :func:`critchem.carbon.cbam.certificate_cost`
    computes it (the cost of one tonne embedded): ``s`` is the CBAM share of the year after the
    free-allocation phase-down, ``P_origin`` the carbon price paid at origin (both declared).

    >>> effective_cbam_price(80.0, 20.0, 0.5)
    30.0
    >>> effective_cbam_price(80.0, 100.0, 1.0)
    0.0
    """
    return certificate_cost(1.0, ets_price, origin_price, cbam_share)[1]
