"""Shared constants of the criticality tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

HEADER = "material,stage,supply_basis,import_reliance,eol_rir,si_sr,si_ei,hhi_wgi_t_gs,hhi_wgi_t_eu"
"""The header of the stage inputs file."""

WriteCsv = Callable[[str, str], Path]
"""The type of the ``write_csv`` fixture."""
