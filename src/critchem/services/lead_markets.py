"""The lead-market demand scenario, shared by the CLI, the API and the web page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from critchem.carbon.lead_market_scenario import Scenario, ScenarioResult, run_scenario
from critchem.core.errors import CarbonInputError
from critchem.investment.projects import Project

EXAMPLE_LABEL = "ILLUSTRATIVE example pipeline of invented projects"


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(file)"


def parse_scenario(payload: Any, *, name: str = "scenario") -> Scenario:
    """Validate a scenario document; every error names its field (``quota.share``)."""
    try:
        return Scenario.model_validate(payload)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_where(err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)
        )
        raise CarbonInputError(f"{name}: {exc.error_count()} error(s): {problems}") from exc


def read_scenario(path: Path) -> Scenario:
    """Read a YAML or JSON scenario file (``.json`` is JSON, anything else YAML)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CarbonInputError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise CarbonInputError(f"{path.name}: not UTF-8 text ({exc})") from exc
    try:
        if path.suffix.lower() == ".json":
            payload = json.loads(text)
        else:
            import yaml

            payload = yaml.safe_load(text)
    except (json.JSONDecodeError, ValueError) as exc:
        raise CarbonInputError(f"{path.name}: not valid JSON or YAML ({exc})") from exc
    except Exception as exc:  # yaml.YAMLError and its subclasses
        raise CarbonInputError(f"{path.name}: not valid YAML ({exc})") from exc
    return parse_scenario(payload, name=path.name)


def example_projects() -> list[Project]:
    """The projects of the bundled EXAMPLE pipeline (invented companies, ILLUSTRATIVE)."""
    from critchem.services.demo_investment import example_pipeline_file

    return pipeline_projects(example_pipeline_file())


def pipeline_projects(path: Path) -> list[Project]:
    """The projects of a pipeline file (CSV or Excel, the ``projects import`` format).

    A row that does not validate is an error naming its row: the scenario's capacities must
    reconcile with the file.
    """
    from critchem.core.errors import ProjectValidationError
    from critchem.investment.pipeline import read_rows, row_to_project

    projects = []
    for number, row in read_rows(path):
        try:
            projects.append(row_to_project(row))
        except (ProjectValidationError, ValueError) as exc:
            raise CarbonInputError(f"{path.name}: row {number}: {exc}") from exc
    return projects


def scenario_result(
    scenario: Scenario, *, pipeline: Path | None = None, example: bool = False
) -> ScenarioResult:
    """Run ``scenario`` on the real funded-projects register (default), the pipeline file
    ``pipeline``, or the ILLUSTRATIVE example pipeline (``example``)."""
    from critchem.investment.funded import load_funded
    from critchem.molecules import load_registry

    if pipeline is not None and example:
        raise CarbonInputError("give a pipeline file or the example pipeline, not both")
    if pipeline is None and not example:
        return run_scenario(
            scenario, [], load_registry(), pipeline_label="", register=load_funded()
        )
    if pipeline is None:
        projects, label = example_projects(), EXAMPLE_LABEL
    else:
        projects = pipeline_projects(pipeline)
        label = f"pipeline file {pipeline.name}"
        if projects and all(p.source == "illustrative" for p in projects):
            label = f"ILLUSTRATIVE projects of {pipeline.name}"
    return run_scenario(scenario, projects, load_registry(), pipeline_label=label)


def scenario_file(
    path: Path, *, pipeline: Path | None = None, example: bool = False
) -> ScenarioResult:
    """Read and run a scenario file (on the register, a pipeline file or the example)."""
    return scenario_result(read_scenario(path), pipeline=pipeline, example=example)
