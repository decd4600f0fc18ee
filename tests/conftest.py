"""Shared test helpers."""

from __future__ import annotations

import os

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
