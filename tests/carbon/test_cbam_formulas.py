"""CBAM specific embedded emissions along the nitrogen chain, from the legal formulas.

No worked example of the Commission's CBAM guidance could be read in full here (see
``src/critchem/carbon/data/SOURCES.md``, "Searched, not found"), so these cases are built from
the equations of Implementing Regulation (EU) 2023/1773, Annex III
(https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32023R1773), computed by hand:

    SEE_g,x   = (AttrEm_g,x + EE_InpMat,x) / AL_g        x = direct or indirect
    EE_InpMat = Σ_i M_i · SEE_i
    AttrEm_indir = E_el · EF_el

ILLUSTRATIVE installation of a fictitious producer (Example Chemicals A), EF_el = 0.4 tCO2/MWh:

ammonia (simple good)      AL 1000 t, AttrEm_dir 1800 t, 300 MWh
    SEE_dir = 1800/1000 = 1.8             SEE_ind = 300·0.4/1000 = 0.12
nitric acid                AL 1000 t, AttrEm_dir 250 t, 100 MWh, 290 t ammonia
    SEE_dir = (250 + 290·1.8)/1000 = (250 + 522)/1000 = 0.772
    SEE_ind = (40 + 290·0.12)/1000 = (40 + 34.8)/1000 = 0.0748
ammonium nitrate           AL 1000 t, AttrEm_dir 20 t, 50 MWh, 215 t ammonia, 790 t nitric acid
    EE_dir  = 215·1.8 + 790·0.772 = 387 + 609.88 = 996.88
    EE_ind  = 215·0.12 + 790·0.0748 = 25.8 + 59.092 = 84.892
    SEE_dir = (20 + 996.88)/1000 = 1.01688
    SEE_ind = (20 + 84.892)/1000 = 0.104892
    SEE     = 1.121772 tCO2e/t
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.carbon.cbam import certificate_cost
from critchem.carbon.embedded import Precursor, ProductionProcess, embedded_emissions
from critchem.cli.main import build_app

EF = 0.4
SOURCE = "illustrative (Example Chemicals A)"


def _process(
    good: str, direct: float, mwh: float, precursors: list[Precursor]
) -> ProductionProcess:
    return ProductionProcess(
        good=good,
        activity_level_t=1000,
        attributed_direct_tco2e=direct,
        electricity_mwh=mwh,
        electricity_factor_tco2e_per_mwh=EF,
        electricity_factor_source="illustrative",
        precursors=precursors,
        source=SOURCE,
    )


def _precursor(name: str, mass: float, see_direct: float, see_indirect: float) -> Precursor:
    return Precursor(
        name=name, mass_t=mass, see_direct=see_direct, see_indirect=see_indirect, source=SOURCE
    )


def test_nitrogen_chain_by_hand() -> None:
    ammonia = embedded_emissions(_process("2814 10 00", 1800, 300, []))
    assert ammonia.simple_good
    assert (ammonia.see_direct, ammonia.see_indirect) == pytest.approx((1.8, 0.12))

    nh3 = ("ammonia", ammonia.see_direct, ammonia.see_indirect)
    nitric = embedded_emissions(
        _process("2808 00 00", 250, 100, [_precursor(nh3[0], 290, nh3[1], nh3[2])])
    )
    assert nitric.precursors_direct_tco2e == pytest.approx(522)
    assert (nitric.see_direct, nitric.see_indirect) == pytest.approx((0.772, 0.0748))

    an = embedded_emissions(
        _process(
            "3102 30 90",
            20,
            50,
            [
                _precursor(nh3[0], 215, nh3[1], nh3[2]),
                _precursor("nitric acid", 790, nitric.see_direct, nitric.see_indirect),
            ],
        )
    )
    assert an.precursors_direct_tco2e == pytest.approx(996.88)
    assert an.precursors_indirect_tco2e == pytest.approx(84.892)
    assert (an.see_direct, an.see_indirect) == pytest.approx((1.01688, 0.104892))
    assert an.see_total == pytest.approx(1.121772)


def test_certificates_for_the_chain_by_hand() -> None:
    """500 t of the ammonium nitrate above, EU ETS 80 EUR/t, 10 EUR/t paid at origin, s = 0.5
    (a declared share, illustrative): E = 500 · 1.121772 = 560.886 t;
    cost = 560.886 · 0.5 · (80 − 10) = 19 631.01 EUR; N = 19 631.01 / 80 = 245.387625.
    """
    certificates, cost = certificate_cost(500 * 1.121772, 80.0, 10.0, 0.5)
    assert cost == pytest.approx(19631.01)
    assert certificates == pytest.approx(245.387625)


def test_the_chain_in_one_file_through_the_cli(tmp_path: Path) -> None:
    """``cbam_nitrogen_chain.json`` is the chain above, each precursor ``from_good`` an earlier
    process of the file: the command gives the same hand-computed figures."""
    chain = Path(__file__).parent / "data" / "cbam_nitrogen_chain.json"
    result = CliRunner().invoke(
        build_app(), ["cbam", "embedded", "--inputs", str(chain), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    ammonia, nitric, an = json.loads(result.stdout)
    assert (ammonia["see_direct"], ammonia["see_indirect"]) == pytest.approx((1.8, 0.12))
    assert (nitric["see_direct"], nitric["see_indirect"]) == pytest.approx((0.772, 0.0748))
    assert (an["see_direct"], an["see_indirect"]) == pytest.approx((1.01688, 0.104892))
    assert an["see_total"] == pytest.approx(1.121772)

    bad = json.loads(chain.read_text())
    bad[1]["precursors"][0]["from_good"] = "3102 30 90"  # a later process, not an earlier one
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = CliRunner().invoke(build_app(), ["cbam", "embedded", "--inputs", str(path)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "process 2: precursor 'ammonia' from_good '3102 30 90' is not the good of an" in text
