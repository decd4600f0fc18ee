"""The demo's investment step on the bundled EXAMPLE pipeline."""

from __future__ import annotations

from pathlib import Path

from critchem.core.settings import Settings
from critchem.services.demo_investment import run_investment_demo


def test_the_example_portfolio_is_proven_optimal_and_beats_the_greedy_ranking(
    tmp_path: Path,
) -> None:
    said: list[str] = []
    out = run_investment_demo(Settings(home=tmp_path), say=said.append)
    imported = out["import"]
    assert imported["rows_read"] == imported["imported"] + imported["rejected"] == 30
    assert imported["rejected"] == 0 and "read 30 = imported 30 + rejected 0" in said[0]
    optimum, greedy, what_if = out["portfolios"]
    assert (optimum["status"], optimum["solver"]) == ("optimal", "highs")
    assert optimum["gap_pct"] is not None and optimum["gap_pct"] <= 0.01
    assert greedy["objective"] <= optimum["objective"]
    # Halving every budget cannot do better, and spends at most half of the base's money cap.
    assert what_if["objective"] <= optimum["objective"]
    assert out["what_if"]["left"] and out["what_if"]["objective_change_pct"] < 0
    awarded = sum(a["amount_meur"] for a in out["awards"])
    assert abs(awarded - optimum["public_meur"]) < 1e-6
    selected = {a["project_id"] for a in out["awards"]}
    assert selected and len(selected) == optimum["projects"]
    gaps = out["gaps"]
    assert gaps["illustrative"] and set(gaps["selected"]) == selected
    assert sum(m["added_t"] for m in gaps["molecules"]) > 0
    assert Path(out["gaps_map"]).read_text(encoding="utf-8").count("<svg") >= 1
    again = run_investment_demo(Settings(home=tmp_path))
    assert again["import"]["unchanged"] == 30 and again["import"]["added"] == 0
