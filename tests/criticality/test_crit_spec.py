"""Methodology files are validated on load; the registry is explicit."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from critchem.core.errors import MethodologyError, UnknownMethodologyError
from critchem.criticality import Methodology, get_methodology, register
from critchem.criticality.methodologies import EuCrm
from critchem.criticality.registry import methodologies
from critchem.criticality.spec import shipped_spec_text


def edited(edit: Any) -> str:
    """The shipped eu-crm.yaml with ``edit(data)`` applied."""
    data = yaml.safe_load(shipped_spec_text("eu-crm"))
    edit(data)
    return yaml.safe_dump(data, allow_unicode=True)


def error_of(text: str) -> str:
    with pytest.raises(MethodologyError) as info:
        EuCrm(spec_text=text, spec_file="eu-crm-test.yaml")
    return str(info.value)


def test_shipped_spec_is_valid() -> None:
    m = get_methodology("eu-crm")
    assert m.version == "2017"
    assert (m.spec.threshold("sr"), m.spec.threshold("ei")) == (1.0, 2.8)
    assert m.spec.aggregation.verdict == "all"
    assert sum(m.spec.aggregation.weights.values()) == pytest.approx(1.0)


def test_unknown_indicator_in_a_criterion() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["criteria"]["sr"]["indicators"].append("hhi_foo")

    message = error_of(edited(edit))
    assert message.startswith("eu-crm-test.yaml: criteria.sr.indicators: ")
    assert "criterion 'sr' names unknown indicator 'hhi_foo'" in message


def test_indicator_the_implementation_does_not_know() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["indicators"]["reserves"] = {"name": "Reserves", "range": [0, None]}

    message = error_of(edited(edit))
    assert "eu-crm-test.yaml: indicators.reserves: unknown indicator 'reserves'" in message


@pytest.mark.parametrize(
    ("weights", "why"),
    [
        ({"sr": 0.7, "ei": 0.5}, "weights sum to 1.2, not 1"),
        ({"sr": 1.5, "ei": -0.5}, "weight of 'ei' is -0.5: weights must be ≥ 0"),
        ({"sr": 1.0}, "give one weight per criterion"),
    ],
)
def test_bad_weights(weights: dict[str, float], why: str) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["aggregation"]["weights"] = weights

    message = error_of(edited(edit))
    assert message.startswith("eu-crm-test.yaml: aggregation")
    assert why in message


def test_unknown_aggregation() -> None:
    def edit(d: dict[str, Any]) -> None:
        d["aggregation"]["verdict"] = "median"

    message = error_of(edited(edit))
    assert "eu-crm-test.yaml: aggregation.verdict: Input should be 'all' or 'any'" in message


def test_bad_threshold_and_import_reliance_weight() -> None:
    def threshold(d: dict[str, Any]) -> None:
        d["criteria"]["ei"]["threshold"] = -2.8

    assert "criteria.ei.threshold" in error_of(edited(threshold))

    def ir_weight(d: dict[str, Any]) -> None:
        d["criteria"]["sr"]["parameters"]["import_reliance_weight"] = 1.5

    assert "import_reliance_weight: 1.5 is not a weight in 0..1" in error_of(edited(ir_weight))


def test_not_yaml_and_wrong_name() -> None:
    assert "not valid YAML" in error_of("name: [unclosed")
    assert "does not match the methodology 'eu-crm'" in error_of(
        edited(lambda d: d.update(name="other"))
    )


def test_another_version_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "eu-crm-2026.yaml"
    path.write_text(edited(lambda d: d.update(version="2026-draft")), encoding="utf-8")
    m = EuCrm.from_file(path)
    assert m.version == "2026-draft" and m.spec_sha256 != get_methodology("eu-crm").spec_sha256


def test_registry() -> None:
    assert "eu-crm" in methodologies()
    with pytest.raises(UnknownMethodologyError, match="no methodology named 'eu_crm'") as info:
        get_methodology("eu_crm")
    assert "eu-crm" in info.value.suggestions

    class Impostor(EuCrm):
        name: ClassVar[str] = "eu-crm"

    with pytest.raises(MethodologyError, match="already registered"):
        register(Impostor)


# One conformance check for every registered methodology.
@pytest.mark.parametrize("name", methodologies())
def test_conformance(name: str) -> None:
    m: Methodology[Any] = get_methodology(name)
    assert m.name == name and m.version
    assert set(m.spec.aggregation.weights) == set(m.spec.criteria)
    for criterion in m.spec.criteria.values():
        assert criterion.source and criterion.equation
        assert set(criterion.indicators) <= set(m.spec.indicators)
    assert len(Methodology.__abstractmethods__) <= 3
