"""The shipped capacities' answer is shared per visibility class, never across classes."""

from __future__ import annotations

from critchem.accounts import ANONYMOUS, Principal
from critchem.services.production import molecule_production

# illustrative_member_capacities.csv: ethylene at EXS-001 is Example Chemicals A's (650,000 t),
# EXS-002 Example Chemicals B's.
SUE = Principal("sue", "secretariat", "Alliance")
BEA = Principal("bea", "member", "Example Chemicals A")
BEN = Principal("ben", "member", "example chemicals a")


def test_each_class_sees_its_own_figures_in_any_order() -> None:
    for order in ((ANONYMOUS, SUE, BEA), (SUE, BEA, ANONYMOUS), (BEA, ANONYMOUS, SUE)):
        answers = {p.username: molecule_production("ethylene", p) for p in order}
        public, secretariat, own = answers[None], answers["sue"], answers["bea"]
        assert all(s.capacity_t is None for s in public.sites) and public.disclosed == 0
        assert all(s.capacity_t is not None for s in secretariat.sites)
        assert {s.site_id: s.capacity_t for s in own.sites}["EXS-001"] == 650000
        assert {s.site_id: s.capacity_t for s in own.sites}["EXS-002"] is None
    # Two members of one company (organisation matched without case) share one answer.
    assert molecule_production("ethylene", BEN) is molecule_production("ethylene", BEA)
