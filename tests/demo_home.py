"""One home built by ``critchem demo`` per test process, shared by the tests that need one.

Building the demo is the costliest set-up of the suite (ingest, evidence, assessments,
monitor, bulletin). The label tests and the README test both need a home the demo built;
the ``demo_built`` fixture of ``tests/conftest.py`` builds it once per test process (the
two modules share one xdist group, :data:`GROUP`, so they run in the same process) and each
test that runs commands works on its own copy (:func:`copy_home`), so no test sees what
another one changed. :func:`snapshot` lets a test check that the built home was not touched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

GROUP = "demo-home"
"""The xdist group of the modules that share the built demo."""


def build(home: Path) -> str:
    """Run ``critchem demo`` (tables, 250 columns) with ``home`` as its home; its output."""
    from critchem.cli.main import build_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRITCHEM_HOME", str(home))
        patch.setenv("COLUMNS", "250")
        for name in ("CRITCHEM_STORE_PATH", "CRITCHEM_DATABASE_URL"):
            patch.delenv(name, raising=False)
        done = CliRunner().invoke(build_app(), ["demo"])
    assert done.exit_code == 0, done.output[-2000:]
    return done.stdout


def copy_home(built: Path, target: Path) -> Path:
    """A copy of the home ``built`` at ``target`` (the store, the database, the reports).

    The copy is complete: the settings derive every path from the home, and the absolute
    paths recorded inside (a load's input file, a monitor run's store) are provenance only.
    """
    shutil.copytree(built, target)
    return target


def snapshot(home: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time (ns) of every file under ``home``, by relative path."""
    return {
        str(p.relative_to(home)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(home.rglob("*"))
        if p.is_file()
    }
