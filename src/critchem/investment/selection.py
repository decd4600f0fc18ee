"""Two-stage selection: a pass/fail gate, then weighted scoring with thresholds.

The method (bands, weights, thresholds) is a versioned data file, ``data/selection.yaml``;
its version is stored in every result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from critchem.core.errors import SelectionMethodError
from critchem.investment.projects import Project, Status
from critchem.molecules import Registry, load_registry
from critchem.nomenclature._files import data_text

METHOD_FILE = "selection.yaml"


def eur_per_tco2e(funding_gap_meur: float, ghg_avoided_10y_tco2e: float) -> float:
    """Cost efficiency: public money asked per tonne avoided, ``gap × 10⁶ / tCO2e`` (€/t).

    As in the Innovation Fund's cost-efficiency criterion (Delegated Regulation (EU)
    2019/856, Article 11(1)(e)); infinite when nothing is avoided.

    >>> eur_per_tco2e(50, 1_000_000)
    50.0
    """
    if ghg_avoided_10y_tco2e <= 0:
        return float("inf")
    return funding_gap_meur * 1e6 / ghg_avoided_10y_tco2e


METRICS: dict[str, Callable[[Project], float]] = {
    "trl": lambda p: float(p.trl),
    "ghg_avoided_10y_tco2e": lambda p: p.ghg_avoided_10y_tco2e,
    "status_rank": lambda p: float(p.status.rank),
    "member_states": lambda p: float(len(p.member_states)),
    "eur_per_tco2e": lambda p: eur_per_tco2e(p.funding_gap_meur, p.ghg_avoided_10y_tco2e),
}
"""The project measures a criterion may score."""


class Criterion(BaseModel):
    """A scored criterion: a metric mapped to points by bands ``[bound, points]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: str
    direction: Literal["higher", "lower"]
    weight: float = Field(ge=0, le=1)
    min_points: float = Field(ge=0, le=5)
    bands: tuple[tuple[float, float], ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Criterion:
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}; known: {sorted(METRICS)}")
        return self

    def points(self, value: float) -> float:
        """Points of ``value``: best band reached (higher: bound ≤ value; lower: value ≤ bound)."""
        if self.direction == "higher":
            reached = [pts for bound, pts in self.bands if value >= bound]
        else:
            reached = [pts for bound, pts in self.bands if value <= bound]
        return max(reached, default=0.0)


class Gate(BaseModel):
    """Pass/fail conditions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_status: Status
    min_member_states: int = Field(ge=1)


class Method(BaseModel):
    """The selection method."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    critical_tag: str
    gate: Gate
    criteria: dict[str, Criterion]
    min_total: float = Field(ge=0, le=5)

    @model_validator(mode="after")
    def _weights(self) -> Method:
        total = sum(c.weight for c in self.criteria.values())
        if abs(total - 1) > 1e-9:
            raise ValueError(f"criteria weights sum to {total:g}, not 1")
        return self


def parse_method(text: str, *, source: str = METHOD_FILE) -> Method:
    """Validate a selection method; errors name the criterion and key."""
    try:
        return Method.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(file)"
        raise SelectionMethodError(f"{source}: {where}: {err['msg']}") from None


@cache
def load_method() -> Method:
    """The shipped selection method (cached)."""
    return parse_method(data_text("critchem.investment", METHOD_FILE))


class GateCheck(BaseModel):
    """One gate condition and its outcome."""

    condition: str
    ok: bool
    why: str


class SelectionResult(BaseModel):
    """Gate outcome, criterion points, weighted total and rank of one project."""

    project_id: str
    title: str
    gate_passed: bool
    gate: list[GateCheck]
    points: dict[str, float]
    total: float | None
    thresholds_passed: bool
    below_threshold: list[str]
    selected: bool
    rank: int | None
    method_version: str
    project_source: str = "real"
    """The project's ``source``: ``illustrative`` for a fictitious example project."""


def gate(
    project: Project, method: Method, critical: frozenset[str], registry: Registry
) -> list[GateCheck]:
    """The three gate conditions: critical molecule, feasibility evidenced, cross-border or chain."""
    ids = [m.molecule for m in project.molecules]
    crit = sorted(set(ids) & critical)
    checks = [
        GateCheck(
            condition="critical_molecule",
            ok=bool(crit),
            why=f"critical: {', '.join(crit)}"
            if crit
            else f"none of {ids} is on the critical list",
        )
    ]
    min_status = method.gate.min_status
    checks.append(
        GateCheck(
            condition="feasibility",
            ok=project.status.rank >= min_status.rank,
            why=f"status {project.status.value!r} (needs {min_status.value!r} or later)",
        )
    )
    states = sorted(project.member_states)
    downstream = sorted({p.id for mol in ids if mol in registry for p in registry.products_of(mol)})
    cross = len(states) >= method.gate.min_member_states
    checks.append(
        GateCheck(
            condition="cross_border_or_value_chain",
            ok=cross or bool(downstream),
            why=(
                f"promoters from {', '.join(states)}"
                + (f"; downstream products: {len(downstream)}" if downstream else "")
            ),
        )
    )
    return checks


def select(
    projects: Iterable[Project],
    *,
    method: Method | None = None,
    critical: Iterable[str] | None = None,
    registry: Registry | None = None,
) -> list[SelectionResult]:
    """Gate then score ``projects``; selected ones ranked by total, best first.

    ``critical`` defaults to the registry molecules tagged with the method's ``critical_tag``.
    """
    method = method or load_method()
    registry = registry or load_registry()
    crit = frozenset(
        critical if critical is not None else (m.id for m in registry.tagged(method.critical_tag))
    )
    results: list[SelectionResult] = []
    for project in projects:
        checks = gate(project, method, crit, registry)
        passed = all(c.ok for c in checks)
        points: dict[str, float] = {}
        total: float | None = None
        below: list[str] = []
        if passed:
            for name, criterion in method.criteria.items():
                points[name] = criterion.points(METRICS[criterion.metric](project))
                if points[name] < criterion.min_points:
                    below.append(name)
            total = round(sum(method.criteria[n].weight * p for n, p in points.items()), 6)
            if total < method.min_total:
                below.append("total")
        results.append(
            SelectionResult(
                project_id=project.id,
                title=project.title,
                gate_passed=passed,
                gate=checks,
                points=points,
                total=total,
                thresholds_passed=passed and not below,
                below_threshold=below,
                selected=passed and not below,
                rank=None,
                method_version=method.version,
                project_source=project.source,
            )
        )
    ranked = sorted(results, key=lambda r: (not r.selected, -(r.total or 0.0), r.project_id))
    for i, r in enumerate(x for x in ranked if x.selected):
        r.rank = i + 1
    return ranked
