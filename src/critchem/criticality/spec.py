"""The declarative description of a methodology, read from ``data/<name>.yaml`` and validated.

A methodology file declares its indicators (with their valid range and uncertainty), its criteria
(the indicators each uses, the threshold, the equation and its source), how criteria combine
into a verdict and a ranking score (weights), and its version. Validation names the file, the
key and why: an unknown indicator, a weight that is negative or does not sum to 1, an unknown
aggregation rule.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from critchem.core.errors import MethodologyError

WEIGHT_TOLERANCE = 1e-6
"""How far the weights may sum from 1."""
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (several times faster), else Python's."""


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Uncertainty(_Spec):
    """Relative uncertainty of a value: ``x · (1 + ε)`` with ε uniform on ±relative or normal."""

    distribution: Literal["uniform", "normal"] = "uniform"
    relative: float = Field(ge=0.0, description="half-width (uniform) or standard deviation")


class IndicatorSpec(_Spec):
    """One input indicator: what it measures, its unit, valid range and uncertainty."""

    name: str
    unit: str = ""
    level: Literal["stage", "material", "sector", "material-sector"] = "material"
    range: tuple[float | None, float | None] = (None, None)
    uncertainty: Uncertainty | None = None


class CriterionSpec(_Spec):
    """One criterion: the indicators it combines, its equation, source and threshold."""

    name: str
    equation: str
    source: str
    indicators: tuple[str, ...]
    threshold: float = Field(gt=0.0)
    threshold_uncertainty: Uncertainty | None = None
    stage_aggregation: Literal["max"] | None = None
    parameters: dict[str, float] = {}


class AggregationSpec(_Spec):
    """How criteria combine: the verdict rule and the ranking score with its weights."""

    verdict: Literal["all", "any"] = Field(
        description="critical when all (or any) criteria reach their thresholds"
    )
    score: Literal["weighted_ratio"] = Field(
        description="ranking score Σ_c w_c · value_c / threshold_c"
    )
    weights: dict[str, float]
    weight_concentration: float = Field(
        default=100.0, gt=0.0, description="Dirichlet concentration of the weight draws"
    )

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> AggregationSpec:
        for key, weight in self.weights.items():
            if not math.isfinite(weight) or weight < 0:
                raise ValueError(f"weight of {key!r} is {weight}: weights must be ≥ 0")
        total = sum(self.weights.values())
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise ValueError(f"weights sum to {total:g}, not 1")
        return self


class MethodologySpec(_Spec):
    """A whole methodology file."""

    name: str
    version: str
    title: str
    source: str
    stages: tuple[str, ...] = ()
    indicators: dict[str, IndicatorSpec]
    criteria: dict[str, CriterionSpec]
    aggregation: AggregationSpec

    @model_validator(mode="after")
    def _references_resolve(self) -> MethodologySpec:
        for cid, criterion in self.criteria.items():
            for ind in criterion.indicators:
                if ind not in self.indicators:
                    raise ValueError(
                        f"criteria.{cid}.indicators: criterion {cid!r} names unknown indicator "
                        f"{ind!r} (declared: {', '.join(self.indicators)})"
                    )
        if set(self.aggregation.weights) != set(self.criteria):
            raise ValueError(
                f"aggregation.weights: given for {sorted(self.aggregation.weights)} "
                f"but the criteria are {sorted(self.criteria)}: give one weight per criterion"
            )
        return self

    def threshold(self, criterion: str) -> float:
        """The threshold of a criterion."""
        return self.criteria[criterion].threshold


def _message(file: str, error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        why = str(item["msg"]).removeprefix("Value error, ")
        where = ".".join(str(p) for p in item["loc"])
        lines.append(f"{file}: {where}: {why}" if where else f"{file}: {why}")
    return "\n".join(lines)


def parse_spec(text: str, *, file: str, known_indicators: Iterable[str]) -> MethodologySpec:
    """Validate the YAML text of a methodology file.

    ``known_indicators`` are the indicators the methodology's implementation can compute with;
    the file may not declare others.

    Raises
    ------
    MethodologyError
        Naming ``file``, the key and why.
    """
    try:
        data: Any = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise MethodologyError(f"{file}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise MethodologyError(f"{file}: expected a mapping at the top level")
    try:
        spec = MethodologySpec.model_validate(data)
    except ValidationError as exc:
        raise MethodologyError(_message(file, exc)) from None
    known = set(known_indicators)
    for ind in spec.indicators:
        if ind not in known:
            raise MethodologyError(
                f"{file}: indicators.{ind}: unknown indicator {ind!r} "
                f"(the {spec.name} implementation knows: {', '.join(sorted(known))})"
            )
    return spec


def read_spec(path: Path, *, known_indicators: Iterable[str]) -> MethodologySpec:
    """Read and validate a methodology file from disk (see :func:`parse_spec`)."""
    return parse_spec(
        path.read_text(encoding="utf-8"), file=path.name, known_indicators=known_indicators
    )


@cache
def shipped_spec_text(name: str) -> str:
    """The text of the shipped ``data/<name>.yaml`` (cached)."""
    ref = resources.files("critchem.criticality").joinpath("data", f"{name}.yaml")
    return ref.read_text(encoding="utf-8")


def spec_sha256(name: str) -> str:
    """The sha256 of the shipped methodology file, for provenance."""
    return hashlib.sha256(shipped_spec_text(name).encode("utf-8")).hexdigest()
