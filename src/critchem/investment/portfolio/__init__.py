"""Portfolio optimisation: choose projects and split funding across instruments.

A mixed-integer programme (``model``) written with PuLP and solved by HiGHS or CBC, each
solve in its own process (``solve``); a greedy ranking baseline (``greedy``); what-if
scenarios compared with the base (``whatif``); an independent constraint check (``check``).
"""

from critchem.investment.portfolio.build import build_problem
from critchem.investment.portfolio.check import violations
from critchem.investment.portfolio.config import PortfolioConfig, load_config, parse_config
from critchem.investment.portfolio.greedy import greedy
from critchem.investment.portfolio.problem import (
    Balance,
    Candidate,
    Fund,
    Objective,
    Offer,
    PortfolioProblem,
)
from critchem.investment.portfolio.solution import Allocation, Solution, relative_gap
from critchem.investment.portfolio.solve import GAP_REL, SOLVERS, solve, solve_here
from critchem.investment.portfolio.whatif import Comparison, Scenario, apply, compare

__all__ = [
    "GAP_REL",
    "SOLVERS",
    "Allocation",
    "Balance",
    "Candidate",
    "Comparison",
    "Fund",
    "Objective",
    "Offer",
    "PortfolioConfig",
    "PortfolioProblem",
    "Scenario",
    "Solution",
    "apply",
    "build_problem",
    "compare",
    "greedy",
    "load_config",
    "parse_config",
    "relative_gap",
    "solve",
    "solve_here",
    "violations",
]
