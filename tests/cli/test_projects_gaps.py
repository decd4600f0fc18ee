"""``critchem projects gaps``: formats, the public view, the map."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app

runner = CliRunner()


@pytest.fixture
def pipeline(tmp_path: Path) -> Path:
    path = tmp_path / "pipeline.jsonl"
    with resources.as_file(
        resources.files("critchem.investment").joinpath("data", "example_pipeline.csv")
    ) as example:
        result = runner.invoke(
            build_app(), ["projects", "import", str(example), "--pipeline", str(path)]
        )
    assert result.exit_code == 0, result.output
    return path


def test_gaps_json_and_csv(pipeline: Path) -> None:
    app = build_app()
    args = ["projects", "gaps", "--pipeline", str(pipeline), "--selected", "EX-018"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["selected"] == ["EX-018"] and out["illustrative"] is True
    eth = next(m for m in out["molecules"] if m["molecule"] == "ethylene")
    assert eth["capacity_after_t"] == 11_445_000.0  # 11,195 - 0 + 250 kt
    public = runner.invoke(app, [*args, "--public", "--format", "csv"])
    assert public.exit_code == 0, public.output
    rows = {r["molecule"]: r for r in csv.DictReader(io.StringIO(public.output))}
    assert rows["hydrogen-fluoride"]["capacity_now_t"] == ""  # two companies: withheld
    assert rows["hydrogen-fluoride"]["demand_t"] == "190000.0"  # raw number, no separator


def test_unknown_project_exits_with_not_found(pipeline: Path) -> None:
    result = runner.invoke(
        build_app(), ["projects", "gaps", "--pipeline", str(pipeline), "--selected", "NOPE"]
    )
    assert result.exit_code == 3
    assert "'NOPE'" in result.output


def test_map_is_a_self_contained_page(pipeline: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    result = runner.invoke(
        build_app(),
        ["projects", "gaps", "--pipeline", str(pipeline), "--map", str(target), "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    selected = json.loads(result.output)["selected"]
    page = target.read_text(encoding="utf-8")
    assert "<svg" in page and 'role="img"' in page
    assert not re.search(r"(src|href)=\"https?://", page)  # nothing fetched from the internet
    description = re.search(r'<desc id="production-map-desc">([^<]*)</desc>', page)
    assert description is not None
    # 90 fictitious sites (all located) declare a critical molecule, all operating: an
    # illustrative row carries no closure (illustrative_member_capacities.csv)
    assert description.group(1).startswith(
        f"90 production sites (90 operating) and {len(selected)} projects"
    )
    for project_id in selected:
        assert f"<td>{project_id}</td>" in page
