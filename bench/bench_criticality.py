"""Benchmark: the criticality engine's Monte Carlo vs bare NumPy on the same formulas.

10,000 synthetic materials (one or two stages each, end uses over 30 NACE sectors) × 1,000
draws of the eu-crm SR/EI evaluation:

* ``evaluate``: the methodology's ``evaluate`` on pre-drawn arrays vs the same equations
  written inline in NumPy;
* ``monte carlo``: the engine's whole ``monte_carlo`` (draws of inputs, thresholds and weights,
  evaluation, verdicts, scores, ranks, quantiles) vs the same steps written inline in NumPy.

The same two steps for the ``cca`` methodology on 10,000 synthetic molecules in a six-layer
value chain (``bench/cca_case.py``): supply risk, economic importance propagated level by
level, resilience and the critical-production verdict, against the same equations inline.

The engine reads its inputs from CSV files written here (timed apart). Results go to
``bench/RESULTS.md`` between the ``bench_criticality`` markers. Run:
``python -m bench.bench_criticality [--materials N] [--draws D] [--case eu-crm|cca|both]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench._results import write_section
from bench.cca_case import bare_cca_evaluate, bare_cca_monte_carlo, write_cca_inputs
from critchem.criticality import InputFiles, get_methodology
from critchem.criticality import sensitivity as sens
from critchem.criticality.methodologies.cca import Cca
from critchem.criticality.methodologies.eu_crm_inputs import EuCrmInputs

MARKER = "bench_criticality"
START, END = f"<!-- {MARKER} -->", f"<!-- /{MARKER} -->"
SECTORS = [f"C{n}" for n in range(10, 34)] + ["B05", "B07", "B08", "D35", "F41", "F42"]
HEADER = "material,stage,supply_basis,import_reliance,eol_rir,si_sr,si_ei,hhi_wgi_t_gs,hhi_wgi_t_eu"


def write_inputs(folder: Path, n: int, seed: int = 0) -> InputFiles:
    """Synthetic but well-formed input files for ``n`` materials."""
    rng = np.random.default_rng(seed)
    lines = [HEADER]
    uses = ["material,sector,share"]
    for i in range(n):
        name = f"m{i:05d}"
        stages = ["extraction", "processing"] if rng.random() < 0.5 else ["processing"]
        si_ei = f"{rng.uniform(0.6, 1.0):.3f}"
        for stage in stages:
            basis = ("GS", "EU", "GS+EU")[rng.integers(0, 3)]
            ir = f"{rng.uniform():.3f}" if basis == "GS+EU" else ""
            gs = f"{rng.uniform(0, 8):.3f}" if basis != "EU" else ""
            eu = f"{rng.uniform(0, 6):.3f}" if basis != "GS" else ""
            lines.append(
                f"{name},{stage},{basis},{ir},{rng.uniform(0, 0.5):.3f},"
                f"{rng.uniform(0.7, 1):.3f},{si_ei},{gs},{eu}"
            )
        picked = rng.choice(len(SECTORS), size=3, replace=False)
        shares = np.round(rng.dirichlet(np.ones(3)), 4)
        shares[-1] = round(1.0 - shares[:-1].sum(), 4)
        uses += [f"{name},{SECTORS[j]},{s:.4f}" for j, s in zip(picked, shares, strict=True)]
    value_added = ["sector,value_added_meur"] + [
        f"{s},{rng.uniform(5_000, 204_200):.1f}" for s in SECTORS
    ]
    files = InputFiles(folder / "inputs.csv", folder / "end_uses.csv", folder / "value_added.csv")
    files.inputs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert files.end_uses is not None and files.value_added is not None
    files.end_uses.write_text("\n".join(uses) + "\n", encoding="utf-8")
    files.value_added.write_text("\n".join(value_added) + "\n", encoding="utf-8")
    return files


def bare_evaluate(
    a: dict[str, np.ndarray], ir_weight: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """SR and EI written inline, no engine: the limit ``evaluate`` is measured against."""
    basis = a["supply_basis"]
    w = np.where(basis == 1, 1.0, np.where(basis == 2, 0.0, a["import_reliance"] * ir_weight))
    sr_stage = (
        (a["hhi_wgi_t_gs"] * w + a["hhi_wgi_t_eu"] * (1.0 - w)) * (1.0 - a["eol_rir"]) * a["si_sr"]
    )
    sr = np.fmax(sr_stage[..., 0, :], sr_stage[..., 1, :])
    va = a["value_added"]
    ei = a["si_ei"] * 10.0 * (va @ a["end_use_share"].T) / va.max(axis=-1, keepdims=True)
    return sr, ei


def bare_monte_carlo(
    arrays: dict[str, np.ndarray], draws: int, seed: int, block: int
) -> np.ndarray:
    """The engine's Monte Carlo steps written inline: draws, SR/EI, verdicts, ranks, quantiles."""
    rng = np.random.default_rng(seed)
    n = arrays["si_ei"].shape[-1]
    uncertain = {
        "hhi_wgi_t_gs": (0, 10), "hhi_wgi_t_eu": (0, 10), "import_reliance": (0, 1),
        "eol_rir": (0, 1), "si_sr": (0, 1), "si_ei": (0, 1), "value_added": (0, None),
    }  # fmt: skip
    ranks = np.empty((draws, n), dtype=np.int32)
    sr_all, ei_all = np.empty((draws, n)), np.empty((draws, n))
    yes = np.zeros(n)
    positions = np.arange(1, n + 1, dtype=np.int32)
    for start in range(0, draws, block):
        k = min(block, draws - start)
        drawn = dict(arrays)
        for name, (lo, hi) in uncertain.items():
            x = rng.uniform(0.9, 1.1, size=(k, *arrays[name].shape))
            x *= arrays[name]
            drawn[name] = np.clip(x, lo, hi, out=x)
        sr, ei = bare_evaluate(drawn)
        t_sr = 1.0 * rng.uniform(0.95, 1.05, (k, 1))
        t_ei = 2.8 * rng.uniform(0.95, 1.05, (k, 1))
        w = rng.dirichlet([50.0, 50.0], k)
        yes += ((sr >= t_sr) & (ei >= t_ei)).sum(axis=0)
        score = w[:, :1] * sr / t_sr + w[:, 1:] * ei / t_ei
        order = np.argsort(-score, axis=-1, kind="stable")
        np.put_along_axis(
            ranks[start : start + k], order, np.broadcast_to(positions, order.shape), -1
        )
        sr_all[start : start + k], ei_all[start : start + k] = sr, ei
    np.quantile(ranks, (0.05, 0.5, 0.95), axis=0, method="inverted_cdf")
    np.quantile(sr_all, (0.05, 0.95), axis=0)
    np.quantile(ei_all, (0.05, 0.95), axis=0)
    return yes / draws


def best_of(repeats: int, *fns: Callable[[], object]) -> list[float]:
    """The best wall time of each function over ``repeats`` interleaved rounds, in seconds.

    Interleaving (engine, bare, engine, bare ...) spreads the machine's noise over both.
    """
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def run_eu_crm(materials: int, draws: int, repeats: int) -> tuple[str, float]:
    """The eu-crm case: its section text and its largest ratio."""
    method = get_methodology("eu-crm")
    with tempfile.TemporaryDirectory() as tmp:
        files = write_inputs(Path(tmp), materials)
        t0 = time.perf_counter()
        prepared: EuCrmInputs = method.read_inputs(files)
        t_read = time.perf_counter() - t0
    arrays = dict(prepared.arrays)
    block = sens.block_size(method.spec, arrays, draws)

    rng = np.random.default_rng(1)
    blocks = [
        sens.draw_inputs(method.spec, arrays, rng, min(block, draws - s))
        for s in range(0, draws, block)
    ]
    engine_sr = np.concatenate([method.evaluate(b)["sr"] for b in blocks])
    bare_sr = np.concatenate([bare_evaluate(b)[0] for b in blocks])
    assert np.allclose(engine_sr, bare_sr, equal_nan=True), "engine and bare SR differ"

    t_eval_engine, t_eval_bare = best_of(
        repeats,
        lambda: [method.evaluate(b) for b in blocks],
        lambda: [bare_evaluate(b) for b in blocks],
    )
    t_mc_engine, t_mc_bare = best_of(
        repeats,
        lambda: sens.monte_carlo(method, prepared, draws=draws, seed=0),
        lambda: bare_monte_carlo(arrays, draws, 0, block),
    )

    evaluations = materials * draws
    ratio_eval, ratio_mc = t_eval_engine / t_eval_bare, t_mc_engine / t_mc_bare
    text = f"""
### eu-crm

{materials:,} materials × {draws:,} Monte Carlo draws = {evaluations:,} SR/EI
evaluations of the eu-crm method; best of {repeats} interleaved runs; blocks of {block}
draws.

| step | engine | bare NumPy (limit) | ratio |
|---|---|---|---|
| evaluate SR + EI (pre-drawn inputs) | {t_eval_engine:.2f} s | {t_eval_bare:.2f} s | {ratio_eval:.2f}× |
| whole Monte Carlo (draws, verdicts, ranks) | {t_mc_engine:.2f} s | {t_mc_bare:.2f} s | {ratio_mc:.2f}× |
| reading the CSV inputs (engine only) | {t_read:.2f} s | | |
"""
    return text, max(ratio_eval, ratio_mc)


def run_cca(molecules: int, draws: int, repeats: int) -> tuple[str, float]:
    """The cca case: its section text and its largest ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        path, chain = write_cca_inputs(Path(tmp), molecules)
        method = Cca(value_chain=chain)
        t0 = time.perf_counter()
        prepared = method.read_inputs(InputFiles(inputs=path))
        t_read = time.perf_counter() - t0
    arrays = dict(prepared.arrays)
    block = sens.block_size(method.spec, arrays, draws)
    levels = int(arrays["graph_level"].max()) + 1

    rng = np.random.default_rng(1)
    blocks = [
        sens.draw_inputs(method.spec, arrays, rng, min(block, draws - s))
        for s in range(0, draws, block)
    ]
    for b in blocks[:2]:
        engine, bare = method.evaluate(b), bare_cca_evaluate(b, method)
        for key in ("sr", "ei", "resilience", "critical_production"):
            assert np.allclose(engine[key], bare[key], equal_nan=True), f"engine and bare {key}"

    t_eval_engine, t_eval_bare = best_of(
        repeats,
        lambda: [method.evaluate(b) for b in blocks],
        lambda: [bare_cca_evaluate(b, method) for b in blocks],
    )
    t_mc_engine, t_mc_bare = best_of(
        repeats,
        lambda: sens.monte_carlo(method, prepared, draws=draws, seed=0),
        lambda: bare_cca_monte_carlo(arrays, method, draws, 0, block),
    )
    ratio_eval, ratio_mc = t_eval_engine / t_eval_bare, t_mc_engine / t_mc_bare
    text = f"""
### cca

{molecules:,} molecules × {draws:,} Monte Carlo draws of the cca method, value chain of
{levels} levels (each molecule made from one to three of the level below, 1 % of the
value-added cells empty); best of {repeats} interleaved runs; blocks of {block} draws.
Evaluate = SR, own EI, propagation with the lower-bound rule, verdict, resilience and
critical production.

| step | engine | bare NumPy (limit) | ratio |
|---|---|---|---|
| evaluate (pre-drawn inputs) | {t_eval_engine:.2f} s | {t_eval_bare:.2f} s | {ratio_eval:.2f}× |
| whole Monte Carlo (draws, verdicts, ranks) | {t_mc_engine:.2f} s | {t_mc_bare:.2f} s | {ratio_mc:.2f}× |
| reading the CSV inputs and the graph (engine only) | {t_read:.2f} s | | |
"""
    return text, max(ratio_eval, ratio_mc)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=10_000)
    parser.add_argument("--draws", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--case", choices=("eu-crm", "cca", "both"), default="both")
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = parser.parse_args(argv)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    parts: list[str] = []
    worst = 0.0
    if args.case in ("eu-crm", "both"):
        text, ratio = run_eu_crm(args.materials, args.draws, args.repeats)
        parts.append(text)
        worst = max(worst, ratio)
    if args.case in ("cca", "both"):
        text, ratio = run_cca(args.materials, args.draws, args.repeats)
        parts.append(text)
        worst = max(worst, ratio)
    body = "".join(parts)
    text = f"""
## Criticality engine (`python -m bench.bench_criticality`)

Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work (load average
at start {load}), {platform.python_implementation()} {platform.python_version()}, NumPy
{np.__version__}. Each ratio compares runs interleaved in the same process, so both sides
see the same load.
{body}
Target: engine within 2× of bare NumPy — {"met" if worst <= 2 else "NOT met"} (largest ratio
{worst:.2f}×).
"""
    print(text)
    if not args.no_write:
        write_section(MARKER, f"{START}\n{text.strip()}\n{END}")


if __name__ == "__main__":
    main()
