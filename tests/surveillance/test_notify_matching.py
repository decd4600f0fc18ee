"""The matching rule between subscriptions and alerts, as a reviewable table."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from critchem.notify import matches

# min severity, product prefix, molecule | alert severity, product, molecule | matches
CASES = [
    ("info", None, None, "info", "29012100", None, True),
    ("amber", None, None, "info", "29012100", None, False),
    ("amber", None, None, "amber", "29012100", None, True),
    ("amber", None, None, "red", "29012100", None, True),
    ("red", None, None, "amber", "29012100", None, False),
    ("red", None, None, "red", None, "ethylene", True),
    ("info", "2901", None, "amber", "29012100", None, True),
    ("info", "29012100", None, "amber", "29012100", None, True),
    ("info", "2902", None, "amber", "29012100", None, False),
    ("info", "2901", None, "amber", None, "ethylene", False),
    ("info", None, "ethylene", "amber", None, "ethylene", True),
    ("info", None, "ethylene", "amber", None, "propylene", False),
    ("info", None, "ethylene", "amber", "29012100", None, False),
    ("red", None, "ethylene", "amber", None, "ethylene", False),
]


@pytest.mark.parametrize(
    ("min_severity", "prefix", "molecule", "severity", "product", "alert_molecule", "expected"),
    CASES,
)
def test_matching_rules(
    min_severity: str,
    prefix: str | None,
    molecule: str | None,
    severity: str,
    product: str | None,
    alert_molecule: str | None,
    expected: bool,
) -> None:
    subscription = SimpleNamespace(
        min_severity=min_severity, product_prefix=prefix, molecule_id=molecule
    )
    alert = SimpleNamespace(severity=severity, product=product, molecule_id=alert_molecule)
    assert matches(subscription, alert) is expected
