"""The ``cca`` methodology on toy molecules with hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from critchem.core.errors import AssessmentInputError, ReferenceDataError
from critchem.criticality import InputFiles
from critchem.criticality.engine import assess as assess_files
from critchem.criticality.methodologies.cca import Cca
from critchem.criticality.methodologies.cca_graph import ValueChain
from critchem.criticality.schemas import AssessmentOut, MaterialOut
from tests.criticality.crit_helpers import WriteCsv

HEADER = (
    "molecule,gov_hhi_extra_eu,hhi_eu_production,import_reliance,substitutability,"
    "import_growth_3y,eu_producers,eu_sites,hhi_capacity_company,closure_share,"
    "energy_cost_share,downstream_va_meur"
)
# Toy value chain: feed → mid (not assessed) → top; other stands alone.
CHAIN = ValueChain(
    feedstocks={"feed": (), "mid": ("feed",), "top": ("mid",), "other": ()},
    sectors={"feed": (), "mid": (), "top": ("health", "energy", "defence"), "other": ("health",)},
    source="toy registry",
)


def assess(write_csv: WriteCsv, rows: str, chain: ValueChain = CHAIN, **kw: int) -> AssessmentOut:
    path = write_csv("cca.csv", f"{HEADER}\n{rows}")
    return assess_files(Cca(value_chain=chain), InputFiles(inputs=path), **kw)


def by_name(out: AssessmentOut) -> dict[str, MaterialOut]:
    return {m.material: m for m in out.materials}


# top:   SR = [0.6·4.0 + 0.4·3.0·0.5]·0.9·(1 + 0.5·0.2) = 3.0·0.99 = 2.97
#        EI_own = 10·[0.7·102100/204200 + 0.3·3/6] = 10·(0.35 + 0.15) = 5.0  → critical
# feed:  SR = [0.5·2.0 + 0.5·3.0·0.2]·1.0·1 = 1.3 (growth −10 % counts as 0)
#        EI_own = 10·0.7·20420/204200 = 0.7; inherited through mid: 0.8·0.8·5.0 = 3.2 → critical
#        resilience = 10·[0.2·1 + 0.2·(2/10) + 0.2·(1 − 0.5) + 0.2·(1 − 0.5) + 0.2·(1 − 0.6)]
#                   = 10·(0.2 + 0.04 + 0.1 + 0.1 + 0.08) = 5.2 ≥ 5 → production not critical
# other: SR = [1.0·1.0]·0.5 = 0.5 (IR 1: no EU production, HHI_MS not needed) → not critical
TOY = """
top,4.0,0.5,0.6,0.9,0.2,6,12,0.1,0,0.2,102100
feed,2.0,0.2,0.5,1.0,-0.1,5,2,0.5,0.5,0.6,20420
other,1.0,,1.0,0.5,0,0,0,,,,0
"""


def test_hand_computed_values(write_csv: WriteCsv) -> None:
    m = by_name(assess(write_csv, TOY))
    assert m["top"].criteria["sr"].value == pytest.approx(2.97)
    assert m["top"].criteria["ei"].value == pytest.approx(5.0)
    assert m["top"].critical is True
    assert m["feed"].criteria["sr"].value == pytest.approx(1.3)
    assert m["feed"].components["ei_own"] == pytest.approx(0.7)
    assert m["feed"].criteria["ei"].value == pytest.approx(3.2)
    assert m["feed"].components["ei_inherited_from"] == "mid"
    assert m["feed"].components["ei_origin"] == "top"
    assert m["feed"].critical is True
    assert m["feed"].components["resilience"] == pytest.approx(5.2)
    assert m["feed"].components["critical_production"] is False
    assert m["other"].criteria["sr"].value == pytest.approx(0.5)
    assert m["other"].critical is False and m["other"].missing == []
    assert m["other"].components["critical_production"] is False  # no EU production
    assert m["other"].components["eu_production"] is False


def test_contributions_add_up(write_csv: WriteCsv) -> None:
    m = by_name(assess(write_csv, TOY))
    for name in ("top", "feed"):
        for cid in ("sr", "ei"):
            crit = m[name].criteria[cid]
            terms = sum(c.value for c in crit.contributions if c.kind == "term")
            assert terms == pytest.approx(crit.value)
    assert m["feed"].criteria["ei"].driver == "propagated from mid"
    cols = {r.column for r in m["feed"].inputs}
    assert "downstream_va_meur" in cols and "sectors" in cols


def test_critical_production_boundary(write_csv: WriteCsv) -> None:
    # feed's resilience 5.2 → 4.8 with one more closure point: 10·0.2·(1 − 0.6) = 0.8 instead of 1.0.
    # At exactly 5.0 (resilience not below the threshold) the production is not critical.
    below = TOY.replace("5,2,0.5,0.5,0.6", "5,2,0.5,0.6,0.6")
    m = by_name(assess(write_csv, below))
    assert m["feed"].components["resilience"] == pytest.approx(5.0)
    assert m["feed"].components["critical_production"] is False
    below = TOY.replace("5,2,0.5,0.5,0.6", "5,2,0.5,0.7,0.6")
    m = by_name(assess(write_csv, below))
    assert m["feed"].components["resilience"] == pytest.approx(4.8)
    assert m["feed"].components["critical_production"] is True
    assert m["feed"].components["feeds_critical_chain"] is True


def test_molecule_verdict_boundary(write_csv: WriteCsv) -> None:
    # 'lone' serves no strategic sector. SR = [1.0·1.0]·1.0 = 1.0 (IR 1);
    # EI = 10·0.7·81680/204200 = 2.8: both on their threshold → critical.
    lone = ValueChain({"lone": ()}, {"lone": ()}, "toy registry")
    m = by_name(assess(write_csv, "lone,1.0,,1.0,1.0,0,0,0,,,,81680", chain=lone))["lone"]
    assert m.criteria["sr"].value == pytest.approx(1.0)
    assert m.criteria["ei"].value == pytest.approx(2.8)
    assert m.critical is True
    # SR 0.999 → not critical; EI 10·0.7·81660/204200 = 2.7993 → not critical.
    assert (
        by_name(assess(write_csv, "lone,0.999,,1.0,1.0,0,0,0,,,,81680", chain=lone))[
            "lone"
        ].critical
        is False
    )
    assert (
        by_name(assess(write_csv, "lone,1.0,,1.0,1.0,0,0,0,,,,81660", chain=lone))["lone"].critical
        is False
    )


def test_missing_inputs_are_listed_and_undetermined(write_csv: WriteCsv) -> None:
    rows = TOY.replace("top,4.0,0.5,0.6,0.9,0.2", "top,4.0,0.5,,0.9,").replace(
        "5,2,0.5,0.5,0.6", "5,2,0.5,,0.6"
    )
    m = by_name(assess(write_csv, rows))
    assert m["top"].critical is None and m["top"].criteria["sr"].value is None
    assert m["top"].missing == [
        "SR not assessed for 'top': empty import_reliance, import_growth_3y (cca.csv, line 3)"
    ]
    # feed's EI still inherits from top (top's EI is known); its production is undetermined:
    # resilience cannot be computed, and top's verdict is unknown.
    assert m["feed"].components["resilience"] is None
    assert m["feed"].components["critical_production"] is None
    assert "resilience not assessed for 'feed': empty closure_share" in m["feed"].missing[0]


def test_cycle_is_an_error(write_csv: WriteCsv) -> None:
    cyclic = ValueChain({"a": ("c",), "b": ("a",), "c": ("b",)}, {}, "toy registry")
    with pytest.raises(ReferenceDataError, match="cycle: a → b → c → a"):
        assess(write_csv, "a,1,0.1,0.5,1,0,1,1,0.5,0,0.5,1000", chain=cyclic)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nope,1,0.1,0.5,1,0,1,1,0.5,0,0.5,1000", "line 2, column 'molecule': 'nope' is not"),
        ("top,11,0.1,0.5,1,0,1,1,0.5,0,0.5,1000", "column 'gov_hhi_extra_eu': 11 is outside"),
        ("top,1,0.1,0.5,1,0,1.5,1,0.5,0,0.5,1000", "column 'eu_producers': 1.5 is not a count"),
        ("top,1,0.1,0.5,1,0,0,3,0.5,0,0.5,1000", "column 'eu_sites': 3 sites for 0 producers"),
        ("top,1,0.1,50%,1,0,1,1,0.5,0,0.5,1000", "'50%' is a percentage"),
    ],
)
def test_input_errors_name_file_line_column(write_csv: WriteCsv, row: str, message: str) -> None:
    with pytest.raises(AssessmentInputError, match=message) as info:
        assess(write_csv, row)
    assert info.value.file == "cca.csv"


def test_duplicate_molecule(write_csv: WriteCsv) -> None:
    row = "top,1,0.1,0.5,1,0,1,1,0.5,0,0.5,1000"
    with pytest.raises(AssessmentInputError, match=r"line 3.*already on line 2"):
        assess(write_csv, f"{row}\n{row}")


def test_monte_carlo_is_seeded(write_csv: WriteCsv) -> None:
    a = assess(write_csv, TOY, draws=300, seed=7)
    b = assess(write_csv, TOY, draws=300, seed=7)
    sa = [m.sensitivity for m in a.materials]
    assert sa == [m.sensitivity for m in b.materials]
    m = by_name(a)
    assert m["top"].sensitivity is not None and m["top"].sensitivity.p_critical == 1.0
    assert m["other"].sensitivity is not None and m["other"].sensitivity.p_critical == 0.0
    assert 0.0 < (m["feed"].sensitivity.p_critical if m["feed"].sensitivity else 0) <= 1.0


def test_evaluate_broadcasts_over_draws(write_csv: WriteCsv) -> None:
    method = Cca(value_chain=CHAIN)
    prepared = method.read_inputs(InputFiles(inputs=write_csv("cca.csv", f"{HEADER}\n{TOY}")))
    arrays = dict(prepared.arrays)
    arrays["downstream_va_meur"] = np.stack([arrays["downstream_va_meur"]] * 3)
    out = method.evaluate(arrays)
    assert out["ei"].shape == (3, 3) and out["critical_production"].shape == (3, 3)
    np.testing.assert_allclose(out["ei"][1], [5.0, 3.2, 0.5])


def test_the_shipped_feedstock_graph_has_no_cycle() -> None:
    """The shipped registry is a graph the cca method can propagate over, every molecule in.

    One feedstock link written the wrong way round (sodium silicate from silicon dioxide,
    registry 2026.12.0) once made a cycle that kept nine molecules out of every assessment.
    """
    from critchem.criticality.methodologies.cca_graph import ValueChain, build_graph
    from critchem.molecules import load_registry

    chain = ValueChain.from_registry(load_registry())
    graph = build_graph(sorted(chain.feedstocks), chain)
    assert len(graph.nodes) == len(chain.feedstocks)
