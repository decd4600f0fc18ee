"""Product carbon footprints (PACT v3), their roll-up along the value chain, and CBAM costs.

The public names are re-exported here; every formula is a pure function with its equation in
its module's docstring (:mod:`critchem.carbon.rollup`, :mod:`critchem.carbon.cbam`).
"""

from __future__ import annotations

from critchem.carbon.cbam import CbamInputs, CbamResult, calculate, certificate_cost
from critchem.carbon.importer import ImportReport, parse_footprints, read_footprints
from critchem.carbon.models import SPEC_VERSION, CarbonFootprint, ProductFootprint
from critchem.carbon.rollup import RollupInput, RollupResult, allocation_factor, rollup

__all__ = [
    "SPEC_VERSION",
    "CarbonFootprint",
    "CbamInputs",
    "CbamResult",
    "ImportReport",
    "ProductFootprint",
    "RollupInput",
    "RollupResult",
    "allocation_factor",
    "calculate",
    "certificate_cost",
    "parse_footprints",
    "read_footprints",
    "rollup",
]
