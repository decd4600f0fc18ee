"""Fixtures of the criticality tests: miniature input files written to a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from critchem.criticality import InputFiles
from tests.criticality.crit_helpers import HEADER, WriteCsv


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Write ``text`` (dedented, stripped) to ``tmp_path/name`` and return the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def toy_files(write_csv: WriteCsv) -> InputFiles:
    """Three materials with end uses in a three-sector value-added table (max Q = 1,000 M€).

    far-above: SR = 6.0·(1 − 0)·1.0 = 6.0 (GS); EI = 1.0·10·(1.0·1000)/1000 = 10.0
    far-below: SR = 0.2·(1 − 0.5)·0.5 = 0.05 (GS); EI = 0.5·10·(1.0·100)/1000 = 0.5
    borderline: SR = 1.0·1·1 = 1.0 (GS); EI = 1.0·10·(1.0·280)/1000 = 2.8
    """
    inputs = write_csv(
        "inputs.csv",
        f"""
        {HEADER}
        far-above,processing,GS,,0,1.0,1.0,6.0,
        far-below,extraction,GS,,0.5,0.5,0.5,0.2,
        borderline,extraction,GS,,0,1.0,1.0,1.0,
        """,
    )
    end_uses = write_csv(
        "end_uses.csv",
        """
        material,sector,share
        far-above,C28,1.0
        far-below,C29,1.0
        borderline,C20,1.0
        """,
    )
    value_added = write_csv(
        "value_added.csv",
        """
        sector,value_added_meur
        C20,280
        C28,1000
        C29,100
        """,
    )
    return InputFiles(inputs=inputs, end_uses=end_uses, value_added=value_added)
