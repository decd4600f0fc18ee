"""The ``cca`` demo through the service, and the validation of its methodology file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from critchem.core.errors import MethodologyError
from critchem.criticality.demo import demo_dir
from critchem.criticality.methodologies.cca import Cca
from critchem.criticality.spec import shipped_spec_text
from critchem.molecules import load_registry
from critchem.services import criticality as service


def test_demo_assesses_the_18_nonpaper_molecules() -> None:
    out = service.assess("cca", demo_dir() / "cca_inputs.csv", sensitivity_draws=50, seed=3)
    expected = {m.id for m in load_registry().tagged("cca-nonpaper-2025")}
    assert len(expected) == 18
    assert {m.material for m in out.materials} == expected
    assert all(m.critical is not None and m.sensitivity is not None for m in out.materials)
    assert out.methodology == "cca" and out.methodology_version == "0.2"
    assert "cca" in service.list_methodologies()
    by_name = {m.material: m for m in out.materials}
    assert by_name["sulphur"].components["ei_inherited_from"] == "methionine"


def edited(change: Callable[[dict[str, Any]], None]) -> str:
    data = yaml.safe_load(shipped_spec_text("cca"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["criteria"]["sr"]["parameters"].update(resilience_w_sites=0.5),
            "resilience_w_energy sum to 1.3, not 1",
        ),
        (
            lambda d: d["criteria"]["ei"]["parameters"].pop("propagation_delta"),
            "criteria.ei.parameters.propagation_delta: None is not a number",
        ),
        (
            lambda d: d["criteria"]["ei"]["parameters"].update(propagation_delta=1.5),
            "propagation_delta must be in 0..1",
        ),
        (
            lambda d: d["indicators"].update(gdp={"name": "GDP"}),
            "indicators.gdp: unknown indicator 'gdp'",
        ),
        (
            lambda d: d["aggregation"].update(weights={"sr": 0.7, "ei": 0.7}),
            "weights sum to 1.4",
        ),
        (
            lambda d: d["criteria"].pop("ei") and d["aggregation"].update(weights={"sr": 1.0}),
            "exactly",
        ),
    ],
)
def test_yaml_validation(change: Callable[[dict[str, Any]], None], message: str) -> None:
    with pytest.raises(MethodologyError, match=message) as info:
        Cca(spec_text=edited(change), spec_file="cca-edit.yaml")
    assert "cca-edit.yaml" in str(info.value)
