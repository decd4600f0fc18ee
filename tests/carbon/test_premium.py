"""Green premium: hand-computed cases (declared, ILLUSTRATIVE inputs)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from critchem.carbon.premium import PremiumInputs, green_premium


def test_premium_hand_computed() -> None:
    """ΔF = 9 - 3 = 6; A = 6 x 80 x 0.5 = 240; R = 600 - 240 = 360; P* = 600 / 3 = 200."""
    result = green_premium(
        PremiumInputs(
            pcf_conventional=9,
            pcf_low_carbon=3,
            cost_gap_eur_per_t=600,
            carbon_price_eur_per_t=80,
            priced_share=0.5,
        )
    )
    assert result.avoided_t_per_t == 6
    assert result.carbon_cost_advantage_eur_per_t == 240
    assert result.remaining_premium_eur_per_t == 360
    assert result.break_even_carbon_price_eur_per_t == 200
    assert not result.closed


def test_premium_closed_and_no_break_even() -> None:
    """P = 250 > P* = 200 closes it (R = 600 - 6 x 250 x 0.5 = -150); no avoided emission:
    no break-even price."""
    closed = green_premium(
        PremiumInputs(
            pcf_conventional=9,
            pcf_low_carbon=3,
            cost_gap_eur_per_t=600,
            carbon_price_eur_per_t=250,
            priced_share=0.5,
        )
    )
    assert closed.remaining_premium_eur_per_t == -150 and closed.closed
    same = green_premium(
        PremiumInputs(
            pcf_conventional=3, pcf_low_carbon=3, cost_gap_eur_per_t=600, carbon_price_eur_per_t=80
        )
    )
    assert same.break_even_carbon_price_eur_per_t is None and not same.closed
    with pytest.raises(ValidationError):
        PremiumInputs(
            pcf_conventional=9,
            pcf_low_carbon=3,
            cost_gap_eur_per_t=600,
            carbon_price_eur_per_t=80,
            priced_share=1.5,
        )
