from __future__ import annotations

from typing import Any

import pytest


def base_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "P-1",
        "title": "Green ammonia plant",
        "promoters": [{"name": "Org A", "country": "DE"}],
        "country": "DE",
        "nuts2": "DEA1",
        "site": "Example site",
        "molecules": [{"molecule": "ammonia", "capacity_t_per_year": 100000}],
        "status": "permitting",
        "start_year": 2027,
        "capex_meur": 100,
        "funding_gap_meur": 60,
        "trl": 7,
        "ghg_avoided_10y_tco2e": 1_000_000,
        "labels": [],
        "owner_org": "Org A",
    }
    data.update(over)
    return data


@pytest.fixture
def data() -> dict[str, Any]:
    return base_data()
