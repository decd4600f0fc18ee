"""The shipped capacities' answer is shared per visibility class, never across classes."""

from __future__ import annotations

from critchem.accounts import ANONYMOUS, Principal
from critchem.services.production import molecule_production

# example_site_capacities.csv: ethylene at site 278 is BASF's (650,000 t), 269 INEOS's.
SUE = Principal("sue", "secretariat", "Alliance")
BEA = Principal("bea", "member", "BASF")
BEN = Principal("ben", "member", "basf")


def test_each_class_sees_its_own_figures_in_any_order() -> None:
    for order in ((ANONYMOUS, SUE, BEA), (SUE, BEA, ANONYMOUS), (BEA, ANONYMOUS, SUE)):
        answers = {p.username: molecule_production("ethylene", p) for p in order}
        public, secretariat, basf = answers[None], answers["sue"], answers["bea"]
        assert all(s.capacity_t is None for s in public.sites) and public.disclosed == 0
        assert all(s.capacity_t is not None for s in secretariat.sites)
        assert {s.site_id: s.capacity_t for s in basf.sites}["278"] == 650000
        assert {s.site_id: s.capacity_t for s in basf.sites}["269"] is None
    # Two members of one company (organisation matched without case) share one answer.
    assert molecule_production("ethylene", BEN) is molecule_production("ethylene", BEA)
