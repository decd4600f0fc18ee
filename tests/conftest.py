"""Shared test helpers."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings


def in_ci() -> bool:
    """Whether the tests run under CI (``CI=true``), where a missing service is a failure."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(name: str, available: bool, why: str) -> None:
    """Skip (locally) or fail (under CI) when a system service the test needs is missing."""
    if available:
        return
    message = f"{name} is not available: {why}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing service is a failure, run .ci/run)")
    pytest.skip(message)


def pytest_configure(config: pytest.Config) -> None:
    """Under CI, property and fuzz tests draw the same examples every run (``derandomize``).

    A run that lands must not fail on luck; exploring new examples is for local runs, and a
    failure found there is kept as a pinned test (see ``tests/api/test_fuzz_findings.py``).
    """
    settings.register_profile("ci", derandomize=True, print_blob=True)
    if in_ci():
        settings.load_profile("ci")
    _isolate_home()


_OWN_HOME: list[str] = []


def _isolate_home() -> None:
    """Point ``CRITCHEM_HOME`` (and so the default database and store) at a fresh folder.

    Tests never read or write the user's own data folder: a test that relies on the default
    home gets an empty one per test process, removed at the end of the run.
    """
    home = tempfile.mkdtemp(prefix="critchem-tests-")
    _OWN_HOME.append(home)
    os.environ["CRITCHEM_HOME"] = home
    os.environ.pop("CRITCHEM_DATABASE_URL", None)
    os.environ.pop("CRITCHEM_STORE_PATH", None)
    os.environ.pop("CRITCHEM_DOWNLOAD_PATH", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the folder made by :func:`_isolate_home`."""
    for home in _OWN_HOME:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A home built by ``critchem demo``, once per process, and the demo's table output.

    Shared: tests copy it before they change anything (``tests/demo_home.py``).
    """
    from tests.demo_home import build

    home = tmp_path_factory.mktemp("demo-built") / "home"
    return home, build(home)
