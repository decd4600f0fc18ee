"""Trade indicators written once with Ibis, run on DuckDB or PySpark.

The formulas are pure functions in :mod:`~critchem.trade.indicators.formulas`; the same
quantities over whole tables are Ibis expressions (:mod:`~critchem.trade.indicators.expressions`)
assembled by :func:`compute_indicators`, :func:`supplier_shares` and :func:`mirror_gaps`.
:func:`connect` opens a backend to run them on.
"""

from critchem.exceptions import BackendUnavailableError
from critchem.trade.indicators.backends import connect, spark_session
from critchem.trade.indicators.compute import (
    INDICATOR_COLUMNS,
    compute_indicators,
    supplier_shares,
)
from critchem.trade.indicators.formulas import (
    governance_weighted_hhi,
    hhi,
    hhi_points,
    mirror_gap,
    ratio,
    shares,
    unit_value,
)
from critchem.trade.indicators.mirror import mirror_gaps
from critchem.trade.indicators.reference import EU27, PartnerReference, partner_reference

__all__ = [
    "EU27",
    "INDICATOR_COLUMNS",
    "BackendUnavailableError",
    "PartnerReference",
    "compute_indicators",
    "connect",
    "governance_weighted_hhi",
    "hhi",
    "hhi_points",
    "mirror_gap",
    "mirror_gaps",
    "partner_reference",
    "ratio",
    "shares",
    "spark_session",
    "supplier_shares",
    "unit_value",
]
