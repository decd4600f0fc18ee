"""Benchmark: ``evidence build`` over one full Comext year against one hand-written DuckDB query.

    python -m bench.bench_evidence --rows 60000000 [--repeat 3] [--workdir DIR]

1. Writes one year of Comext bulk files at the real v2 layout (twelve monthly ``.dat`` files,
   ``--rows`` in all, every product of the CN2025 with a Zipf skew, 27 reporters, about 200
   partners with the Q-codes; the generator of ``bench_ingest``) and ingests them into a trade
   store with ``TradeStore.ingest`` (timed apart; the text files are deleted afterwards).
2. Times, each in a fresh process, best of ``--repeat``:
   - the whole ``evidence build`` of every registry molecule for the year (every family);
   - the trade family alone (extra-EU HHI, governance HHI, share, growth, top supplier,
     persistence) for every registry molecule;
   - one hand-written DuckDB query computing only the extra-EU HHI per code of the same codes
     and year, on the same Parquet files: the practical lower bound.
3. Checks that both give the same HHI for the molecules with one exact code, and writes its
   section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

MARKER = "bench_evidence"
YEAR = 2024


def registry_codes() -> list[str]:
    """Every CN8 code the registry molecules are mapped to."""
    from critchem.molecules import load_mapping

    return sorted({link.cn8 for link in load_mapping().links})


def build_store(workdir: Path, rows: int, months: int) -> dict[str, object]:
    """Generate ``rows`` rows in ``months`` monthly v2 files and ingest them; timings."""
    from bench.bench_ingest import write_comext
    from critchem.trade.store import TradeStore

    store = workdir / "store"
    per_month = rows // months
    written, ingested, stored = 0.0, 0.0, 0
    for month in range(1, months + 1):
        path = workdir / f"full_v2_{YEAR}{month:02d}.dat"
        n = per_month if month < months else rows - per_month * (months - 1)
        info = write_comext(path, n, seed=month, period=f"{YEAR}{month:02d}")
        written += float(info["seconds"])
        started = time.perf_counter()
        with TradeStore(store) as s:
            report = s.ingest(path, source="comext_bulk", progress=False)
        ingested += time.perf_counter() - started
        assert report.reconciles, report.summary()
        stored += report.rows_stored
        path.unlink()
        print(f"  month {month:02d}: {report.summary()}", file=sys.stderr)
    return {"store": str(store), "generate_s": written, "ingest_s": ingested, "rows": stored}


def hhi_sql(files: str, codes: list[str]) -> str:
    """The hand-written query: extra-EU HHI per code, summed over the Member State reporters."""
    code_list = ", ".join(f"'{c}'" for c in codes)
    return f"""
        WITH s AS (
            SELECT product, partner, sum(value) AS v
            FROM read_parquet('{files}')
            WHERE flow = 1 AND trade_type = 'E' AND partner_kind = 'country'
              AND year = {YEAR} AND product IN ({code_list})
            GROUP BY product, partner
        )
        SELECT product, sum((v / t) * (v / t)) AS hhi
        FROM (SELECT *, sum(v) OVER (PARTITION BY product) AS t FROM s)
        WHERE t > 0
        GROUP BY product
    """


def measure(kind: str, store: Path) -> dict[str, object]:
    """Run one contender in this process; wall time and result."""
    started = time.perf_counter()
    if kind == "sql":
        import duckdb

        files = str(store / "flows" / "comext_bulk" / "*" / f"{YEAR}" / "*.parquet")
        with duckdb.connect() as con:
            rows = con.execute(hhi_sql(files, registry_codes())).fetchall()
        result = {str(p): float(h) for p, h in rows}
    elif kind == "trade":
        from critchem.core.settings import Settings
        from critchem.evidence.base import EvidenceContext
        from critchem.evidence.families.trade import ExtraEuImports

        context = EvidenceContext(settings=Settings(home=store.parent), store_root=store)
        values = ExtraEuImports().compute(context, [m.id for m in context.registry], YEAR)
        result = {
            v.molecule: float(v.value)
            for v in values
            if v.indicator == "hhi_extra_eu" and isinstance(v.value, float)
        }
    else:
        from critchem.core.settings import Settings
        from critchem.evidence.builder import build_evidence

        table = build_evidence(Settings(home=store.parent), year=YEAR, store_root=store)
        result = {
            v.molecule: float(v.value)
            for v in table.values
            if v.indicator == "hhi_extra_eu" and isinstance(v.value, float)
        }
    return {"seconds": time.perf_counter() - started, "result": result}


def _fresh(kind: str, store: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_evidence", "--measure", kind, "--store", str(store)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _exact_single() -> dict[str, str]:
    """Molecules mapped to one exact code only: their HHI must equal the code's."""
    from critchem.molecules import load_mapping

    by: dict[str, list[tuple[str, str]]] = {}
    for link in load_mapping().links:
        by.setdefault(link.molecule_id, []).append((link.cn8, link.relation))
    return {m: links[0][0] for m, links in by.items() if len(links) == 1 and links[0][1] == "exact"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--measure", choices=["sql", "trade", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="Do not update RESULTS.md.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure on the store already in --workdir (from an earlier run) without regenerating.",
    )
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.store)))
        return 0
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="critchem-bench-evidence-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    try:
        reused = workdir / "store" / "built.json"
        if args.reuse and reused.exists():
            built = json.loads(reused.read_text(encoding="utf-8"))
        else:
            print(f"Generating and ingesting {args.rows:,} rows ...", file=sys.stderr)
            built = build_store(workdir, args.rows, args.months)
            reused.write_text(json.dumps(built), encoding="utf-8")
        store = Path(str(built["store"]))
        size = sum(f.stat().st_size for f in (store / "flows").rglob("*.parquet"))
        runs: dict[str, list[dict[str, object]]] = {"sql": [], "trade": [], "build": []}
        measuring = os.getloadavg()
        for _ in range(args.repeat):
            for kind in runs:  # interleaved, so that each sees the same load
                runs[kind].append(_fresh(kind, store))
                print(f"  {kind}: {runs[kind][-1]['seconds']:.2f} s", file=sys.stderr)
        measured = os.getloadavg()
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    best = {k: min(float(str(r["seconds"])) for r in v) for k, v in runs.items()}
    sql_hhi: dict[str, float] = runs["sql"][0]["result"]  # type: ignore[assignment]
    ev_hhi: dict[str, float] = runs["trade"][0]["result"]  # type: ignore[assignment]
    pairs = [
        (ev_hhi[m], sql_hhi[c]) for m, c in _exact_single().items() if m in ev_hhi and c in sql_hhi
    ]
    diff = max((abs(a - b) for a, b in pairs), default=float("nan"))
    ratio_build = best["build"] / best["sql"]
    ratio_trade = best["trade"] / best["sql"]
    import duckdb

    text = f"""<!-- {MARKER} -->
## Evidence build over one full Comext year vs one hand-written DuckDB HHI query

Run on {date.today().isoformat()}: {os.cpu_count()} cores shared with other work (1-, 5-, 15-minute load average {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} at the start of the run, {measuring[0]:.1f}, {measuring[1]:.1f}, {measuring[2]:.1f} when the timings began and {measured[0]:.1f}, {measured[1]:.1f}, {measured[2]:.1f} when they ended), {platform.machine()}, Python {platform.python_version()}, DuckDB {duckdb.__version__}. Command: `python -m bench.bench_evidence --rows {args.rows} --repeat {args.repeat}{" --reuse" if args.reuse else ""}`{" (timings on the store of an earlier run of the same command)" if args.reuse and reused.exists() else ""}.

Store: {int(str(built["rows"])):,} rows of {YEAR} in {args.months} monthly Comext bulk files at the real v2 layout (generator of `bench_ingest`: every CN2025 product with a Zipf skew, 27 reporters, about 200 partners with the Q-codes; made-up values), generated in {float(str(built["generate_s"])):.0f} s and ingested by `TradeStore.ingest` in {float(str(built["ingest_s"])):.0f} s; Parquet {size / 1e6:,.0f} MB. Each timing is the best of {args.repeat} runs, each in a fresh process, interleaved.

| what | wall time, best |
|---|---:|
| hand-written DuckDB query: extra-EU HHI per code of the {len(registry_codes())} registry codes | {best["sql"]:.2f} s |
| trade family alone (7 indicators, group codes, provenance) for every registry molecule | {best["trade"]:.2f} s |
| whole `evidence build` (every family, every registry molecule) | {best["build"]:.2f} s |

Ratio trade family / hand-written HHI: **{ratio_trade:.2f}x**; whole build / hand-written HHI: **{ratio_build:.2f}x** (target within 2x: {"met" if ratio_build <= 2 else "not met"}).
Largest HHI difference between the two over the {len(pairs)} molecules mapped to one exact code: {diff:.1e}.

The trade family reads the same files once (one DuckDB aggregation by source, code, year and partner over the four years of the growth window, with the annual/monthly choice per reporter) and computes the indicators per molecule in Python. The whole build adds the other families (BACI world exports, PRODCOM, value added, production sites, energy cost), which find no data of theirs in this store and read their shipped registers, and the import of their modules (about 5 s on this loaded machine for the production and accounts packages). Fixed costs (Python start, the registry, the CN8 mapping) are inside the timings of both sides. The store holds one year, so the growth and persistence are missing with their reason, as they would be for a user who fetched one year.
<!-- /{MARKER} -->
"""  # noqa: E501
    print(text)
    if not args.no_write:
        from bench._results import write_section

        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
