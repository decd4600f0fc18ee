"""The criticality services the CLI and API call."""

from __future__ import annotations

import csv
import io

import pytest

from critchem.core.errors import UnknownMethodologyError
from critchem.criticality import InputFiles, demo_files
from critchem.services import criticality as service


def test_assess_service(toy_files: InputFiles) -> None:
    out = service.assess(
        "eu-crm",
        toy_files.inputs,
        end_uses=toy_files.end_uses,
        value_added=toy_files.value_added,
        sensitivity_draws=200,
        seed=3,
    )
    assert [m.material for m in out.materials if m.critical] == ["far-above", "borderline"]
    again = service.assess(
        "eu-crm",
        toy_files.inputs,
        end_uses=toy_files.end_uses,
        value_added=toy_files.value_added,
        sensitivity_draws=200,
        seed=3,
    )
    assert [m.sensitivity for m in again.materials] == [m.sensitivity for m in out.materials]
    # the flat rows write as CSV as they are
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=out.columns())
    writer.writeheader()
    writer.writerows(out.rows())
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 4 and lines[0].startswith("material,critical,score,rank,sr,sr_threshold")


def test_unknown_methodology_and_bad_draws() -> None:
    files = demo_files()
    with pytest.raises(UnknownMethodologyError):
        service.assess("nope", files.inputs)
    with pytest.raises(ValueError, match="sensitivity_draws"):
        service.assess("eu-crm", files.inputs, sensitivity_draws=-1)
    assert service.list_methodologies() == ["cca", "eu-crm"]


def test_demo_through_the_service() -> None:
    files = demo_files()
    out = service.assess(
        "eu-crm", files.inputs, end_uses=files.end_uses, value_added=files.value_added
    )
    assert [m.material for m in out.materials] == ["antimony", "cobalt"]
    assert all(m.critical is None for m in out.materials)  # the demo ships no end uses
