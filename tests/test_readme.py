"""Every command the README shows runs on the demo data and answers.

The commands are read from the README's command block. Each line runs as written, with its
optional parts (``[...]``) left out, the first of its alternatives (``a|b|c``), and each step
of a ``cmd | sub ...`` chain; a placeholder (``FILE``, ``DIR`` ...) is replaced by a real demo
file in :data:`OVERRIDES`. A command that cannot run here (a download, a server that stays
up) is in :data:`SKIPPED` with the reason and the test that covers it. A new README line that
is in neither and has a placeholder fails this test: add it here.

The commands run in-process on a copy of the home ``critchem demo`` built, which the label
tests share (``tests/demo_home.py``: the demo is built once per test process); the test
checks at the end that the commands left the shared home untouched.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from critchem.cli.main import build_app
from tests.demo_home import GROUP, copy_home, snapshot

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DATA = ROOT / "tests" / "production" / "data"
CARBON = ROOT / "tests" / "carbon" / "data"

SKIPPED = {
    "critchem fetch comext": "downloads from Eurostat (network); tests/trade/test_fetch*.py",
    "critchem fetch prodcom": "downloads from Eurostat (network); tests/trade/test_prodcom_fetch.py",
    "critchem ingest ~/downloads/full_v2_2024*.7z": "a user's download, not in the demo",
    "critchem serve": "stays up; tests/api/test_serve_command.py runs it as a real process",
    "critchem trade series ethylene --backend pyspark --spark-master spark://spark-host:7077": (
        "needs a Spark cluster; tests/indicators/test_spark_cluster.py starts one"
    ),
    "critchem evidence build --year 2024 --backend pyspark --spark-master spark://spark-host:7077": (
        "needs a Spark cluster; tests/indicators/test_spark_cluster.py starts one"
    ),
    "critchem serve --workers 4 --log-json": "stays up; tests/deploy/test_workers.py runs it",
    "critchem pcf request": "needs another PACT host; tests/carbon/test_pact_conformance.py",
    "critchem pcf pull": "needs another PACT host; tests/carbon/test_pact_conformance.py",
}
"""README commands not run here, with the reason."""

OVERRIDES = {
    "critchem ingest FILE --format sdmx|comext|baci|comtrade|surveillance|canonical": [
        "critchem ingest {sdmx} --format sdmx"
    ],
    "critchem trade series ethylene --format parquet --out series.parquet": [
        "critchem trade series ethylene --format parquet --out {tmp}/series.parquet"
    ],
    'critchem alliance motions create --meeting 1 --kind opinion --title "..." --text opinion.md': [
        "critchem alliance motions create --meeting 1 --kind opinion --title Opinion"
        " --text {tmp}/opinion.md"
    ],
    "critchem alliance export --format xlsx --out members.xlsx": [
        "critchem alliance export --format xlsx --out {tmp}/members.xlsx"
    ],
    "critchem pcf import footprints.json --format json": [
        "critchem pcf import {tmp}/footprints.json --format json"
    ],
    "critchem pcf rollup rollup.json --format json": [
        f"critchem pcf rollup {CARBON}/rollup_ammonia.json --format json"
    ],
    "critchem cbam embedded --inputs process.json --format json": [
        f"critchem cbam embedded --inputs {CARBON}/cbam_embedded_illustrative.json --format json"
    ],
    "critchem lead-markets scenario --scenario scenario.yaml --format json": [
        f"critchem lead-markets scenario --scenario {CARBON}/lead_market_scenario.yaml"
        f" --pipeline {CARBON}/lead_market_pipeline.csv --format json"
    ],
    "critchem cbam calc --inputs shipments.json --format json": [
        f"critchem cbam calc --inputs {CARBON}/cbam_inputs.json --format json"
    ],
    "critchem pcf label footprints.json --market low-carbon-hydrogen --comparator G "
    "--comparator-source S --energy-content H --energy-source S": [
        f"critchem pcf label {CARBON}/footprints_v3.json --market low-carbon-hydrogen"
        " --comparator 94 --comparator-source 'declared by the test' --energy-content 120"
        " --energy-source 'declared by the test'"
    ],
    "critchem pact clients allow acme --callback-host pact.acme.example --remote-client-id ID": [
        "critchem pact clients allow acme --callback-host pact.acme.example"
    ],
    "critchem custody add transfers.csv --format json": [
        f"critchem custody add {CARBON}/custody_segregated.csv --format json"
    ],
    "critchem custody trace LOT-ID --format json": [
        f"critchem custody add {CARBON}/custody_mass_balance.json",
        "critchem custody trace r-eo --format json",
    ],
    "critchem custody account declare account.json --format json": [
        f"critchem custody account declare {CARBON}/custody_account.json --format json"
    ],
    "critchem pact footprints publish footprints.json": [
        f"critchem pact footprints publish {CARBON}/pact_host_footprints.json"
    ],
    "critchem watch --freq W": [
        # the demo holds no declaration-level feed: the miniature feed of the trade tests first
        f"critchem ingest {ROOT}/tests/trade/data/surveillance_sample.csv --format surveillance",
        "critchem watch --freq W",
    ],
    "critchem prodcom load FILE --year 2023": [
        f"critchem prodcom load {DATA}/prodcom_api_DS-059358_miniature.csv --year 2023"
    ],
    "critchem assess --methodology eu-crm --inputs FILE.csv [--end-uses F --value-added F] "
    "[--draws 1000]": ["critchem assess --methodology eu-crm --inputs {eu_crm}"],
    "critchem assess -m cca --inputs FILE.csv --draws 1000 --report r.html": [
        "critchem assess -m cca --inputs {cca} --draws 50 --report {tmp}/r.html"
    ],
    "critchem compare before.json after.json": ["critchem compare {tmp}/r.json {tmp}/r.json"],
    "critchem alerts list --severity red --format json": [
        "critchem alerts list --severity red --format json",
        "critchem alerts show {alert}",
        "critchem alerts ack {alert} --by ana",
    ],
    "critchem bulletin --week 2025-W48 --out DIR [--min-severity red]": [
        "critchem bulletin --week 2025-W48 --out {tmp}/bulletin"
    ],
    "critchem projects import pipeline.xlsx": ["critchem projects import {pipeline}"],
    "critchem projects list | show EX-005 | history EX-005 | export out.csv": [
        "critchem projects list",
        "critchem projects show EX-005",
        "critchem projects history EX-005",
        "critchem projects export {tmp}/out.csv",
    ],
    "critchem projects gaps --map gaps.html [--public]": [
        "critchem projects gaps --map {tmp}/gaps.html"
    ],
    "critchem funding match EX-005 --cost-items items.csv": [
        f"critchem funding match EX-005 --cost-items {ROOT}/tests/investment/data/cost_items_ok.csv"
    ],
}
"""README lines with a placeholder, and the commands run for them."""

INPUT = {"critchem users add": "a-long-enough-password\na-long-enough-password\n"}


def readme_commands() -> list[str]:
    """The ``critchem ...`` lines of the README's command block, comments left out."""
    text = README.read_text(encoding="utf-8")
    block = text.split("```text", 1)[1].split("```", 1)[0]
    lines = []
    for raw in block.splitlines():
        line = re.split(r"\s{2,}#", raw, maxsplit=1)[0].strip()
        if line.startswith("critchem "):
            lines.append(line)
    return lines


def expand(line: str) -> list[str]:
    """The commands to run for one README line (see the module docstring)."""
    if line in OVERRIDES:
        return OVERRIDES[line]
    line = re.sub(r"\s*\[[^\]]*\]", "", line)
    head, *chain = line.split(" | ")
    words = head.split()
    prefix = " ".join(words[:2])
    steps = [head] + [f"{prefix} {step}" for step in chain]
    return [re.sub(r"(\S+)\|\S+", r"\1", step) for step in steps]


def test_every_readme_line_is_run_or_skipped_with_a_reason() -> None:
    placeholder = re.compile(
        r"\b(FILE|DIR|ID|NAME)\b|\bF\b|\.xlsx|\.parquet\b|\.json\b|\.html\b|\.md\b"
    )
    unknown = [
        line
        for line in readme_commands()
        if not any(line.startswith(s) for s in SKIPPED)
        and line not in OVERRIDES
        and placeholder.search(re.sub(r"--format \S+", "", line))
    ]
    assert not unknown, f"README lines with a placeholder: add them to OVERRIDES: {unknown}"


@pytest.mark.slow
@pytest.mark.xdist_group(GROUP)
def test_readme_commands_run_on_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_built: tuple[Path, str]
) -> None:
    from openpyxl import Workbook

    from critchem.criticality.demo import demo_files

    built, _ = demo_built
    before = snapshot(built)
    home = copy_home(built, tmp_path / "home")
    monkeypatch.setenv("CRITCHEM_HOME", str(home))
    for name in ("CRITCHEM_STORE_PATH", "CRITCHEM_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    app = build_app()

    pipeline_csv = ROOT / "src" / "critchem" / "investment" / "data" / "example_pipeline.csv"
    book = Workbook()
    sheet = book.active
    import csv

    with pipeline_csv.open(encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if not line.startswith("#")):
            sheet.append(row)
    book.save(tmp_path / "pipeline.xlsx")
    listed = runner.invoke(app, ["alerts", "list", "--format", "json"])
    alert_id = re.search(r'"id": (\d+)', listed.output)
    assert alert_id, "the demo raises alerts"
    values = {
        "tmp": str(tmp_path),
        "sdmx": str(
            next((ROOT / "src" / "critchem" / "trade" / "data").glob("comext_DS-045409_*.csv.gz"))
        ),
        "eu_crm": str(demo_files("eu-crm").inputs),
        "cca": str(demo_files("cca").inputs),
        "alert": alert_id.group(1),
        "pipeline": str(tmp_path / "pipeline.xlsx"),
    }
    footprints = json.loads((CARBON / "footprints_v3.json").read_text(encoding="utf-8"))
    (tmp_path / "footprints.json").write_text(json.dumps(footprints["data"][:2]), "utf-8")
    (tmp_path / "opinion.md").write_text("# Opinion\n\nAn ILLUSTRATIVE opinion.\n", "utf-8")
    failures = []
    for line in readme_commands():
        if any(line.startswith(s) for s in SKIPPED):
            continue
        for command in expand(line):
            argv = shlex.split(command.format(**values))[1:]
            stdin = next((v for k, v in INPUT.items() if command.startswith(k)), None)
            result = runner.invoke(app, argv, input=stdin)
            if result.exit_code != 0:
                failures.append(f"{command}: exit {result.exit_code}: {result.output[-400:]}")
            elif "Traceback" in result.output:
                failures.append(f"{command}: traceback")
    assert not failures, "\n".join(failures)
    assert snapshot(built) == before, "a command wrote to the shared demo home, not to its copy"
