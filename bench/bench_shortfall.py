"""Benchmark: the shortfall objective (chains capped at their shortfall), PuLP + HiGHS vs
HiGHS direct (highspy reading the same model), and the greedy ranking.

The generated problem of ``bench_portfolio`` (seeded projects × 8 instruments with every
constraint family) with the ``shortfall`` objective: each molecule's 2030 shortfall is drawn
between 20 % and 60 % of the capacity its candidates offer, so that chains fill up and the
per-chain caps bind. Three solves, each in its own process with the same time limit, one
thread and a 0.01 % relative gap target:

* the project's path, ``portfolio.solve`` (the PuLP model handed to HiGHS through highspy);
* HiGHS direct: the same model written once as MPS, read and solved by ``highspy.Highs``
  in a fresh process, without PuLP (what the modelling layer costs);
* the greedy ranking, in process.

Results go to ``bench/RESULTS.md`` between the ``bench_shortfall`` markers. Run:
``python -m bench shortfall [--projects 500,3000] [--time-limit S]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from importlib.metadata import version

import numpy as np

from bench._highs_direct import direct
from bench._results import write_section
from bench.bench_portfolio import instruments, projects
from critchem.investment.portfolio import (
    Balance,
    Objective,
    PortfolioProblem,
    build_problem,
    greedy,
    solve,
    violations,
)
from critchem.investment.portfolio.solution import objective_of

MARKER = "bench_shortfall"
START, END = f"<!-- {MARKER} -->", f"<!-- /{MARKER} -->"


def problem(n: int, seed: int = 0) -> PortfolioProblem:
    """``n`` generated projects with chain shortfalls of 20-60 % of the capacity offered."""
    projs = projects(n, seed)
    rng = np.random.default_rng(seed + 2)
    offered: dict[str, float] = {}
    for p in projs:
        for m in p.molecules:
            offered[m.molecule] = offered.get(m.molecule, 0.0) + m.capacity_t_per_year
    shortfalls = {
        m: round(cap * float(rng.uniform(0.2, 0.6))) for m, cap in sorted(offered.items())
    }
    return build_problem(
        projs,
        instruments(),
        objective=Objective.shortfall,
        balance=Balance(max_share_country=0.12, max_share_molecule=0.08),
        shortfalls=shortfalls,
    )


def _num(value: object) -> str:
    return "—" if not isinstance(value, float) else f"{value:.4f}"


def _pct(value: object) -> str:
    return "—" if not isinstance(value, float) else f"{100 * value:.3f} %"


def _section(n: int, time_limit: float, former_first: bool = False) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    t0 = time.perf_counter()
    prob = problem(n)
    t_build = time.perf_counter() - t0
    if former_first:  # the former rule (greedy start) before the fallback rule
        started = solve(prob, solver="highs", time_limit=time_limit, warm_start=True)
    pulp_highs = solve(prob, solver="highs", time_limit=time_limit)
    if not former_first:
        started = solve(prob, solver="highs", time_limit=time_limit, warm_start=True)
    raw, mps_seconds = direct(prob, time_limit)
    heur = greedy(prob)
    for sol in (pulp_highs, started, heur):
        if sol.objective is not None:
            broken = violations(prob, sol)
            assert not broken, f"{sol.solver} portfolio breaks: {broken[:5]}"
            assert abs(objective_of(prob, sol.selected) - sol.objective) < 1e-6, sol.status
    uncapped = sum(c.shortfall_value for c in prob.candidates if c.id in set(pulp_highs.selected))
    best = pulp_highs.objective or 0.0
    d_obj = float(raw.get("objective", float("nan")))
    d_total = float(raw.get("read_seconds", 0.0)) + float(raw.get("seconds", 0.0))
    p_total = pulp_highs.build_seconds + pulp_highs.seconds
    s_total = started.build_seconds + started.seconds
    load_end = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"""
### {len(prob.candidates):,} projects

{len(prob.candidates):,} generated projects (seed 0) × {len(prob.funds)} instruments, {len(prob.shortfalls)}
chains, {len(prob.offers):,} eligible (project, instrument) pairs; problem generation and
eligibility {t_build:.1f} s; load average at start {load}, at the end {load_end}. The two
PuLP + HiGHS solves ran {"former rule first" if former_first else "fallback rule first"}.

| method | status | objective (chain shares) | best bound | gap | model build / read | solve | total |
|---|---|---:|---:|---:|---:|---:|---:|
| PuLP + HiGHS (`portfolio.solve`, greedy fallback; returned {pulp_highs.returned}) | {pulp_highs.status} | {best:.4f} | {_num(pulp_highs.bound)} | {_pct(pulp_highs.gap)} | {pulp_highs.build_seconds:.2f} s | {pulp_highs.seconds:.2f} s | {p_total:.2f} s |
| PuLP + HiGHS (greedy start: former rule) | {started.status} | {started.objective or 0:.4f} | {_num(started.bound)} | {_pct(started.gap)} | {started.build_seconds:.2f} s | {started.seconds:.2f} s | {s_total:.2f} s |
| HiGHS direct (highspy reads the MPS, no start) | {raw.get("status")} | {d_obj:.4f} | {_num(raw.get("bound"))} | {_pct(raw.get("gap"))} | {raw.get("read_seconds", 0):.2f} s (+ {mps_seconds:.2f} s MPS write) | {raw.get("seconds", 0):.2f} s | {d_total:.2f} s |
| greedy ranking | heuristic | {heur.objective or 0:.4f} | — | — | — | {heur.seconds:.2f} s | {heur.seconds:.2f} s |

Total time PuLP + HiGHS / HiGHS direct: {p_total / max(d_total, 1e-9):.2f}×; objectives differ
by {abs(best - d_obj):.2e}. The PuLP + HiGHS portfolio valued project by project (the former
objective) would count {uncapped:.4f}, that is {uncapped - best:.4f} chain shares of double
counting.
"""  # noqa: E501


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", default="500,3000", help="sizes, comma-separated")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    parser.add_argument(
        "--former-first", action="store_true", help="run the greedy-start solve before the new one"
    )
    args = parser.parse_args(argv)
    sizes = [int(n) for n in str(args.projects).split(",")]
    parts = [_section(n, args.time_limit, args.former_first) for n in sizes]
    text = f"""
## Shortfall objective without double counting (`python -m bench shortfall`)

Objective `shortfall`: each chain (molecule) counts up to its shortfall, drawn between 20 % and
60 % of the capacity its candidates offer. Each solve in its own process, time limit
{args.time_limit:g} s, one thread, relative gap target 0.01 %. Machine: {os.cpu_count()} cores
shared, {platform.machine()}, CPython {platform.python_version()}, PuLP {version("pulp")},
highspy {version("highspy")}. Every portfolio was checked by `portfolio.check.violations` and
its objective recomputed with the chain caps.
{"".join(parts)}"""
    print(text)
    if not args.no_write:
        write_section(MARKER, f"{START}\n{text.strip()}\n{END}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
