"""HiGHS alone on a portfolio model: the model written as MPS, solved by ``highspy`` in its own process.

The fastest peer of the portfolio benchmarks (``bench_portfolio``, ``bench_shortfall``): the
same model as the project's solve, without PuLP between. ``highspy`` runs in a fresh process
(it must not share one with another solver).
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from critchem.investment.portfolio import PortfolioProblem
from critchem.investment.portfolio.model import build_model


def _direct_child(mps: str, time_limit: float, conn: Connection) -> None:
    import highspy

    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("time_limit", time_limit)
    highs.setOptionValue("mip_rel_gap", 1e-4)
    started = time.perf_counter()
    highs.readModel(mps)
    read = time.perf_counter()
    if highs.getLp().sense_ != highspy.ObjSense.kMaximize:
        raise RuntimeError("the MPS file lost the maximisation sense")
    highs.run()
    done = time.perf_counter()
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    conn.send(
        {
            "status": status,
            "objective": abs(float(info.objective_function_value)),
            "bound": abs(float(info.mip_dual_bound)),
            "gap": float(info.mip_gap),
            "read_seconds": round(read - started, 3),
            "seconds": round(done - read, 3),
        }
    )
    conn.close()


def direct(prob: PortfolioProblem, time_limit: float) -> tuple[dict[str, float | str], float]:
    """Solve ``prob``'s model with ``highspy`` alone in a fresh process; (result, MPS write s)."""
    with tempfile.TemporaryDirectory() as tmp:
        mps = str(Path(tmp) / "shortfall.mps")
        t0 = time.perf_counter()
        build_model(prob).lp.writeMPS(mps, with_objsense=True)
        written = time.perf_counter() - t0
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_direct_child, args=(mps, time_limit, child))
        proc.start()
        child.close()
        result = parent.recv() if parent.poll(time_limit + 120) else {"status": "no answer"}
        proc.join(10)
        if proc.is_alive():
            proc.kill()
    return result, written
