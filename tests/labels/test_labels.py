"""Every CLI command of the demo labels synthetic and illustrative data, in JSON and on screen.

``cli_commands.tsv`` lists every command of ``critchem`` (a test keeps it complete) with the
arguments it runs with on the demo's home and what its data are there: ``SYNTHETIC``,
``ILLUSTRATIVE``, ``real`` or ``none`` (commands that write, administer or read a file the
user gives; ``why`` says which). For each command that shows data the test checks, on the
home the demo built:

* its JSON carries the field (``source: synthetic`` ...) the row expects;
* its table shows, in words, every label its JSON calls for (SYNTHETIC / ILLUSTRATIVE);
* its CSV carries the ``data_label`` column whenever its JSON calls for a label.

A known gap is a row whose ``gap`` column says why; it runs as a strict xfail.
"""

from __future__ import annotations

import csv
import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from critchem.core.labels import ILLUSTRATIVE, SYNTHETIC, data_labels
from tests.demo_home import GROUP, copy_home

# One test process runs this module and the README test: they share the demo it builds.
pytestmark = pytest.mark.xdist_group(GROUP)

HERE = Path(__file__).parent
CASES = HERE / "cli_commands.tsv"
EXPECTS = {SYNTHETIC, ILLUSTRATIVE, "real", "none"}


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _command_paths() -> set[str]:
    from critchem.cli.main import COMMANDS

    paths: set[str] = set()

    def walk(command: Any, path: list[str]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        else:
            paths.add(" ".join(path))

    for name, lazy in COMMANDS.items():
        walk(lazy.load(name), [name])
    return paths


def test_every_command_is_in_the_case_table() -> None:
    cases = _cases()
    listed = [c["command"] for c in cases]
    runs = [(c["command"], c["args"]) for c in cases]
    assert len(runs) == len(set(runs)), "a command is listed twice with the same arguments"
    paths = _command_paths()
    assert set(listed) - paths == set(), "listed commands that do not exist"
    assert paths - set(listed) == set(), "commands missing from cli_commands.tsv"
    for case in cases:
        assert set(case["expect"].split()) <= EXPECTS, case
        assert case["why"].strip(), case


@pytest.fixture(scope="module")
def demo_home(
    tmp_path_factory: pytest.TempPathFactory, demo_built: tuple[Path, str]
) -> Iterator[tuple[Path, str]]:
    """A copy of the home the demo built, and the demo's own table output."""
    built, output = demo_built
    home = copy_home(built, tmp_path_factory.mktemp("demo-home") / "home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRITCHEM_HOME", str(home))
        patch.setenv("COLUMNS", "250")
        yield home, output


def _arguments(text: str, home: Path) -> list[str]:
    from critchem.core.settings import Settings
    from critchem.criticality import demo_files
    from critchem.services.alerts import list_alerts, open_store

    crm = demo_files("eu-crm")
    values = {
        "cca_inputs": str(demo_files("cca").inputs),
        "crm_inputs": str(crm.inputs),
        "crm_end_uses": str(crm.end_uses),
        "crm_value_added": str(crm.value_added),
    }
    if "{alert}" in text:
        store = open_store(Settings(home=home).database_url)
        try:
            values["alert"] = str(list_alerts(store, limit=1)[0].id)
        finally:
            store.dispose()
    return shlex.split(text.format(**values))


def _params() -> list[Any]:
    params = []
    for case in _cases():
        if case["expect"] == "none" or case["command"] == "demo":
            continue
        marks = [pytest.mark.slow]
        if case.get("gap"):
            marks.append(pytest.mark.xfail(reason=case["gap"], strict=True))
        params.append(pytest.param(case, id=f"{case['command']} {case['args']}", marks=marks))
    return params


@pytest.mark.slow
def test_demo_tables_are_labelled(demo_home: tuple[Path, str]) -> None:
    _, output = demo_home
    assert SYNTHETIC in output and ILLUSTRATIVE in output


@pytest.mark.parametrize("case", _params())
def test_command_labels(
    case: dict[str, str], demo_home: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from critchem.cli.main import build_app

    home, _ = demo_home
    monkeypatch.setenv("CRITCHEM_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "250")
    args = case["command"].split() + _arguments(case["args"], home)
    runner = CliRunner()
    app = build_app()
    as_json = runner.invoke(app, [*args, "-f", "json"])
    assert as_json.exit_code == 0, as_json.output
    labels = data_labels(json.loads(as_json.stdout))
    if case["expect"] != "real":
        assert case["expect"] in labels, f"{case['why']}: the JSON lacks the field"
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    shown = {word for word in (SYNTHETIC, ILLUSTRATIVE) if word in table.stdout}
    assert set(labels) <= shown, f"{case['why']}: the table does not say {labels}"
    if labels:
        as_csv = runner.invoke(app, [*args, "-f", "csv"])
        assert as_csv.exit_code == 0, as_csv.output
        assert "data_label" in as_csv.stdout.splitlines()[0] or any(
            word.lower() in as_csv.stdout.lower() for word in labels
        )


def _pages() -> list[Any]:
    with (HERE / "pages.tsv").open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle, delimiter="\t"))
    params = []
    for case in cases:
        marks = [pytest.mark.slow]
        if case.get("gap"):
            marks.append(pytest.mark.xfail(reason=case["gap"], strict=True))
        params.append(pytest.param(case, id=case["page"], marks=marks))
    return params


@pytest.fixture(scope="module")
def browser(demo_home: tuple[Path, str]) -> Iterator[Any]:
    """A signed-in browser of the app on the demo's home."""
    from critchem.api import create_app
    from critchem.core.settings import Settings
    from tests.web.conftest import Browser, add_user

    home, _ = demo_home
    app = create_app(Settings(home=home))
    try:
        add_user(app, "labels", "secretariat")
        client = Browser(app)
        client.sign_in("labels")
        yield client
    finally:
        app.state.alert_store.dispose()


def test_every_page_is_in_the_case_table() -> None:
    from critchem.api import create_app

    with (HERE / "pages.tsv").open(encoding="utf-8") as handle:
        listed = {row["page"].split("/")[1] for row in csv.DictReader(handle, delimiter="\t")}
    app = create_app()
    sections = set()
    for route in app.routes:
        path = getattr(route, "path", "")
        if path.startswith(("/api", "/static", "/docs", "/redoc", "/openapi", "/health")):
            continue
        if path.endswith((".json", ".ics", ".pdf", ".html")) or path in {"/login", "/logout"}:
            continue
        if "GET" in (getattr(route, "methods", None) or set()):
            sections.add(path.split("/")[1])
    assert sections - listed == set(), "page sections missing from pages.tsv"


@pytest.mark.parametrize("case", _pages())
def test_page_labels(case: dict[str, str], demo_home: tuple[Path, str], browser: Any) -> None:
    home, _ = demo_home
    twin_url = "/".join(
        _arguments(part, home)[0] if "{" in part else part for part in case["twin"].split("/")
    )
    page_url = "/".join(
        _arguments(part, home)[0] if "{" in part else part for part in case["page"].split("/")
    )
    twin = browser.get(twin_url)
    assert twin.status_code == 200, twin.text[:300]
    labels = data_labels(twin.json())
    if case["expect"] != "real":
        for word in case["expect"].split():
            assert word in labels, f"{case['why']}: the JSON twin lacks the {word} field"
    page = browser.get(page_url)
    assert page.status_code == 200, page.text[:300]
    shown = {word for word in (SYNTHETIC, ILLUSTRATIVE) if word in page.text}
    assert set(labels) <= shown, f"{case['why']}: the page does not say {labels}"


@pytest.mark.slow
def test_reports_are_labelled(
    demo_home: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's reports (HTML, their JSON twins, the bulletin's PDF) carry the labels."""
    from critchem.cli.main import build_app

    home, _ = demo_home
    reports = home / "demo" / "reports"
    assert ILLUSTRATIVE in (reports / "cca-assessment.html").read_text(encoding="utf-8")
    assert ILLUSTRATIVE in (reports / "capacity-gaps.html").read_text(encoding="utf-8")
    from critchem.core.settings import Settings
    from critchem.services.alerts import list_alerts, open_store

    store = open_store(Settings(home=home).database_url)
    try:
        every = list_alerts(store, severity="amber", limit=1000)
    finally:
        store.dispose()
    # each alert is labelled by its own series: the demo's real extract raises real ones
    amber = [a for a in every if a.data_source == "synthetic"]
    assert amber, "the demo raises amber alerts on its synthetic trade"
    month = amber[0].last_seen_period.strftime("%Y-%m")
    monkeypatch.setenv("CRITCHEM_HOME", str(home))
    done = CliRunner().invoke(
        build_app(), ["bulletin", "--period", month, "--out", str(tmp_path), "-f", "json"]
    )
    assert done.exit_code == 0, done.output
    twin = json.loads((tmp_path / f"bulletin-{month}.json").read_text(encoding="utf-8"))
    assert twin["alerts"], f"the demo's amber alerts on the trade of {month}"
    assert SYNTHETIC in data_labels(twin)
    assert SYNTHETIC in (tmp_path / f"bulletin-{month}.html").read_text(encoding="utf-8")
    assert SYNTHETIC.encode() in (tmp_path / f"bulletin-{month}.pdf").read_bytes()
