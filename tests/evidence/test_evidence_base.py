"""The evidence value, the family base class and the explicit registry."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from critchem.core.errors import EvidenceError
from critchem.core.settings import Settings
from critchem.evidence import base
from critchem.evidence.base import (
    COMPUTED,
    GROUP_UPPER_BOUND,
    MISSING,
    EvidenceContext,
    EvidenceValue,
    IndicatorFamily,
    Provenance,
    missing,
    register,
)


@pytest.fixture
def clean_registry() -> Iterator[None]:
    with base.FAMILIES.restored():
        yield


def test_value_round_trips_to_json_record() -> None:
    value = EvidenceValue(
        "butadiene",
        "hhi_extra_eu",
        2024,
        0.5,
        GROUP_UPPER_BOUND,
        source="comext_bulk",
        years=(2024,),
        codes=("29012400",),
        note="group code, upper bound",
        provenance=Provenance("comext_bulk", ("load-1",), ("abc",)),
    )
    record = value.to_dict()
    assert record["status"] == "group_upper_bound"
    assert record["codes"] == ["29012400"]
    assert record["provenance"] == {
        "dataset": "comext_bulk",
        "load_ids": ["load-1"],
        "file_hashes": ["abc"],
        "method_version": base.METHOD_VERSION,
    }


@pytest.mark.parametrize(
    ("value", "status", "note", "message"),
    [
        (0.0, MISSING, "no data", "carries no figure"),
        (None, COMPUTED, "", "needs a value"),
        (None, MISSING, "", "needs a note"),
        (1.0, "guessed", "", "not in"),
    ],
)
def test_value_refuses_inconsistent_status(
    value: float | None, status: str, note: str, message: str
) -> None:
    with pytest.raises(EvidenceError, match=message):
        EvidenceValue("m", "i", 2024, value, status, source="s", note=note)


def test_missing_is_never_zero() -> None:
    value = missing("methane", "hhi_extra_eu", 2024, "no extra-EU imports in the store")
    assert value.value is None
    assert value.status == MISSING
    assert not value.has_value


def test_register_fills_the_explicit_registry(clean_registry: None) -> None:
    @register
    class Dummy(IndicatorFamily):
        name = "dummy"
        indicators = ("dummy_indicator",)

        def compute(
            self, context: EvidenceContext, molecules: Sequence[str], year: int
        ) -> list[EvidenceValue]:
            return [missing(m, "dummy_indicator", year, "dummy") for m in molecules]

    assert base.FAMILIES["dummy"] is Dummy
    context = EvidenceContext(settings=Settings())
    assert [v.molecule for v in Dummy().compute(context, ["a", "b"], 2024)] == ["a", "b"]

    class Clash(Dummy):
        name = "clash"

    with pytest.raises(EvidenceError, match="already provided"):
        register(Clash)


def test_abstract_family_cannot_be_built() -> None:
    with pytest.raises(TypeError):
        IndicatorFamily()  # type: ignore[abstract]


def test_declared_modules_import() -> None:
    assert set(base.load_families()) >= set()
