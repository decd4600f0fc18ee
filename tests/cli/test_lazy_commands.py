"""The command line imports a sub-command only when it runs; its listed help matches."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from critchem.cli.main import COMMANDS, build_app

HEAVY = ("duckdb", "pyarrow", "ibis", "fastapi", "sqlalchemy", "matplotlib", "numpy", "pydantic")


def _imported_after(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from critchem.cli.main import build_app\n"
        "try:\n"
        f"    build_app()({args!r}, prog_name='critchem')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_import_nothing_heavy(args):
    loaded = _imported_after(args)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_molecule_lookup_does_not_import_the_store_or_the_api():
    loaded = _imported_after(["molecules", "show", "ammonia", "--format", "json"])
    assert not loaded & {"duckdb", "pyarrow", "ibis", "fastapi", "sqlalchemy", "matplotlib"}


def test_version():
    result = CliRunner().invoke(build_app(), ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"critchem {version('critchem')}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_listed_help_is_the_command_help(name):
    group = get_command(build_app())
    command = group.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None
    first_line = (command.help or "").strip().splitlines()[0].replace("``", "")
    assert first_line == COMMANDS[name].help


def test_unknown_command_is_a_clear_error():
    result = CliRunner().invoke(build_app(), ["nope"])
    assert result.exit_code == 2
    assert "No such command" in result.output
