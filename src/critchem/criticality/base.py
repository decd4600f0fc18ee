"""The methodology plug-in family: a small base class and an explicit registry.

A methodology reads its input files into arrays (``read_inputs``), evaluates its criteria on
arrays whose last axis is the materials and whose leading axes may be Monte Carlo draws
(``evaluate``), and explains each material (``explain``). Everything else — verdicts, scores,
ranks, sensitivity and the output record — is shared (:mod:`critchem.criticality.engine`).

Its criteria, indicators, thresholds, weights and version are declared in
``data/<name>.yaml``, validated when the methodology is built.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from critchem.core.errors import MethodologyError
from critchem.criticality.schemas import (
    Contribution,
    FileRef,
    InputRef,
    Scalar,
    StageOut,
)
from critchem.criticality.spec import MethodologySpec, parse_spec, shipped_spec_text

Arrays = Mapping[str, npt.NDArray[Any]]
"""Named arrays with the materials on the last axis."""


@dataclass(frozen=True, slots=True)
class InputFiles:
    """The files of one assessment: the stage inputs and the optional side tables."""

    inputs: Path
    end_uses: Path | None = None
    value_added: Path | None = None
    supply_shares: Path | None = None


class Prepared(Protocol):
    """Inputs read and checked, as arrays ready for :meth:`Methodology.evaluate`."""

    @property
    def materials(self) -> tuple[str, ...]:
        """The material names, in the order of the arrays' last axis."""
        ...

    @property
    def arrays(self) -> Arrays:
        """Indicator arrays (nominal values) and the constants ``evaluate`` needs."""
        ...

    @property
    def files(self) -> tuple[FileRef, ...]:
        """The input files, with their sha256."""
        ...

    @property
    def reference_data(self) -> tuple[str, ...]:
        """The shipped reference data used (e.g. the WGI edition)."""
        ...


P = TypeVar("P", bound=Prepared)


@dataclass(frozen=True, slots=True)
class MaterialDetail:
    """What explains one material, beyond the criterion values."""

    contributions: dict[str, list[Contribution]] = field(default_factory=dict)
    drivers: dict[str, str | None] = field(default_factory=dict)
    components: dict[str, Scalar] = field(default_factory=dict)
    stages: list[StageOut] = field(default_factory=list)
    inputs: list[InputRef] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class Methodology(ABC, Generic[P]):
    """A criticality methodology.

    Subclasses set ``name`` and ``indicators`` (the indicators the implementation can compute
    with) and ship ``data/<name>.yaml``. Pass ``spec_text`` to use another version of the file.
    """

    name: ClassVar[str]
    indicators: ClassVar[frozenset[str]]

    def __init__(self, *, spec_text: str | None = None, spec_file: str = "") -> None:
        text = shipped_spec_text(self.name) if spec_text is None else spec_text
        file = spec_file or f"{self.name}.yaml"
        self.spec: MethodologySpec = parse_spec(text, file=file, known_indicators=self.indicators)
        if self.spec.name != self.name:
            raise MethodologyError(
                f"{file}: name: {self.spec.name!r} does not match the methodology {self.name!r}"
            )
        self.spec_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def from_file(cls, path: Path) -> Methodology[P]:
        """The methodology with its spec read from ``path`` (another version of the YAML)."""
        return cls(spec_text=path.read_text(encoding="utf-8"), spec_file=path.name)

    @property
    def version(self) -> str:
        """The methodology version declared in its file."""
        return self.spec.version

    @abstractmethod
    def read_inputs(self, files: InputFiles) -> P:
        """Read and check the input files (errors name the file, line and column)."""

    @abstractmethod
    def evaluate(self, arrays: Arrays) -> dict[str, npt.NDArray[np.float64]]:
        """The criterion values (keyed by criterion id) from indicator arrays.

        The arrays may carry leading draw axes; the result has the same leading axes and the
        materials last. NaN marks a criterion that cannot be assessed for a material.
        """

    @abstractmethod
    def explain(
        self, prepared: P, results: Mapping[str, npt.NDArray[np.float64]]
    ) -> list[MaterialDetail]:
        """The contributions, components and input provenance of each material."""
