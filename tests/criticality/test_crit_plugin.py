"""The plug-in family: a second, minimal methodology runs through the same engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from critchem.criticality import InputFiles, MaterialDetail, Methodology, register
from critchem.criticality.engine import assess as assess_files
from critchem.criticality.inputs import number, read_table
from critchem.criticality.registry import METHODOLOGIES, methodologies
from critchem.criticality.schemas import FileRef
from tests.criticality.crit_helpers import WriteCsv

TOY_YAML = """
name: toy
version: "0.1"
title: One indicator against one threshold
source: test
indicators:
  x: {name: Anything, range: [0, 10], uncertainty: {distribution: normal, relative: 0.2}}
criteria:
  x: {name: X, equation: "X = x", source: test, indicators: [x], threshold: 5}
aggregation: {verdict: any, score: weighted_ratio, weights: {x: 1.0}}
"""


@dataclass(frozen=True)
class ToyInputs:
    materials: tuple[str, ...]
    arrays: dict[str, npt.NDArray[Any]]
    files: tuple[FileRef, ...]
    reference_data: tuple[str, ...] = ()


class Toy(Methodology[ToyInputs]):
    name: ClassVar[str] = "toy"
    indicators: ClassVar[frozenset[str]] = frozenset({"x"})

    def read_inputs(self, files: InputFiles) -> ToyInputs:
        table = read_table(files.inputs, "inputs", ("material", "x"))
        values = [number(table, line, row, "x", high=10.0) for line, row in table.rows]
        return ToyInputs(
            materials=tuple(row["material"] for _, row in table.rows),
            arrays={"x": np.array([np.nan if v is None else v for v in values])},
            files=(table.ref,),
        )

    def evaluate(
        self, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> dict[str, npt.NDArray[np.float64]]:
        return {"x": np.asarray(arrays["x"], dtype=np.float64)}

    def explain(
        self, prepared: ToyInputs, results: Mapping[str, npt.NDArray[np.float64]]
    ) -> list[MaterialDetail]:
        return [MaterialDetail() for _ in prepared.materials]


def test_a_second_methodology(write_csv: WriteCsv) -> None:
    with METHODOLOGIES.restored():  # the other tests do not see "toy"
        _assess_toy(write_csv)
    assert "toy" not in methodologies()


def _assess_toy(write_csv: WriteCsv) -> None:
    register(Toy)
    assert "toy" in methodologies()
    path: Path = write_csv("toy.csv", "material,x\na,9\nb,1\nc,5\nd,")
    toy = Toy(spec_text=TOY_YAML, spec_file="toy.yaml")
    out = assess_files(toy, InputFiles(path), draws=500, seed=2)
    verdicts = {m.material: m.critical for m in out.materials}
    assert verdicts == {"a": True, "b": False, "c": True, "d": None}
    assert [m.material for m in out.materials] == ["a", "c", "b", "d"]
    c = out.material("c").sensitivity
    assert c is not None and 0.2 < c.p_critical < 0.8
    d = out.material("d").sensitivity
    assert d is not None and d.p_undetermined == 1.0
