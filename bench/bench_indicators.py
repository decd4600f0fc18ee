"""Benchmark: the Ibis indicators on DuckDB against one hand-written DuckDB SQL query.

    python -m bench.bench_indicators --rows 50000000 [--spark-rows 5000000] [--workdir DIR]

1. Writes a dense monthly panel in ``FLOW_SCHEMA`` as Parquet, streamed one row group at a time
   (27 Member State reporters x 26 partners x 84 months x 2 flows per product code, made-up codes
   and values; never all in memory).
2. Times, each in a fresh process (so that the peak RSS is the query's own):
   - ``compute_indicators(flows, reporter="EU27", freq="A")``: every indicator for every code
     and year, through Ibis on DuckDB;
   - the same for the EU27 and each of the 27 Member States;
   - one hand-written DuckDB SQL query computing only the EU27 HHI per code and year: the
     practical lower bound for any indicator on this panel;
   - optionally the Ibis indicators on Spark (local[2]) on a smaller panel, with DuckDB on the
     same panel for comparison.
3. Checks that both give the same HHI, and writes its section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bench._results import write_section
from critchem.trade.indicators.reference import partner_reference
from critchem.trade.schema import FLOW_SCHEMA

MARKER = "bench_indicators"
EXTRA = ("CN", "US", "IN", "KR", "JP", "TR", "RU", "SA", "CH", "GB", "NO", "BR", "MY", "TW", "ZA")
INTRA_POOL = ("DE", "FR", "IT", "NL", "BE", "ES", "PL", "AT", "SE", "IE", "CZ")
N_INTRA = 10
MONTHS = [(2019 + i // 12, i % 12 + 1) for i in range(84)]
CODES_PER_CHUNK = 8


def rss_mb() -> float:
    """Peak resident set size of this process, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakRss:
    """Samples the RSS of this process and its children (the Spark JVM) every 0.1 s.

    ``ru_maxrss`` cannot be used in the measuring processes: Linux carries it over from the
    parent across fork and exec, so it would report the panel writer's peak.
    """

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._sample()

    def __enter__(self) -> PeakRss:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def mb(self) -> float:
        return self.peak / 2**20


def _strings(indices: np.ndarray, labels: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(labels)).cast(
        pa.string()
    )


def _layout() -> tuple[list[str], list[str], np.ndarray]:
    """Reporters, partner labels, and the partner index of each (reporter, slot)."""
    reporters = sorted(partner_reference().eu27)
    labels = [*EXTRA, "QZ", *reporters]
    slots = []
    for reporter in reporters:
        intra = [m for m in INTRA_POOL if m != reporter][:N_INTRA]
        slots.append([labels.index(p) for p in (*EXTRA, "QZ", *intra)])
    return reporters, labels, np.array(slots)


def rows_per_code() -> int:
    reporters, _, slots = _layout()
    return int(len(reporters) * slots.shape[1] * len(MONTHS) * 2)


def write_panel(path: Path, rows: int, seed: int = 1) -> dict[str, Any]:
    """Write about ``rows`` rows (a whole number of codes) to ``path``; returns a summary."""
    reporters, labels, slots = _layout()
    n_codes = max(1, round(rows / rows_per_code()))
    kinds = ["confidential" if p == "QZ" else "country" for p in labels]
    eu = set(reporters)
    trade = ["I" if p in eu else "E" for p in labels]
    periods = [f"{y:04d}-{m:02d}" for y, m in MONTHS]
    starts = pa.array([date(y, m, 1) for y, m in MONTHS], pa.date32())
    years = np.array([y for y, _ in MONTHS], dtype=np.int16)
    rng = np.random.default_rng(seed)
    reporter_size = rng.lognormal(0.0, 1.0, len(reporters))
    written = 0
    started = time.perf_counter()
    with pq.ParquetWriter(path, FLOW_SCHEMA, compression="snappy") as writer:
        for first in range(0, n_codes, CODES_PER_CHUNK):
            codes = [f"29{i:06d}" for i in range(first, min(first + CODES_PER_CHUNK, n_codes))]
            shape = (len(codes), len(reporters), slots.shape[1], len(MONTHS), 2)
            c, r, s, t, f = (a.ravel() for a in np.indices(shape, dtype=np.int32))
            n = c.size
            level = rng.lognormal(np.log(2e4), 1.0, len(codes))
            share = rng.dirichlet(np.full(slots.shape[1], 0.7), size=len(codes))
            price = rng.lognormal(np.log(5.0), 0.8, len(codes))
            mass = np.round(level[c] * reporter_size[r] * share[c, s] * rng.lognormal(0, 0.3, n))
            value = np.round(mass * price[c] * rng.lognormal(0, 0.05, n))
            partner = slots[r, s]
            table = pa.table(
                {
                    "source": _strings(np.zeros(n, np.int32), ["bench"]),
                    "reporter": _strings(r, reporters),
                    "partner": _strings(partner, labels),
                    "partner_kind": _strings(partner, kinds),
                    "trade_type": _strings(partner, trade),
                    "product": _strings(c, codes),
                    "product_nomenclature": _strings(np.zeros(n, np.int32), ["CN2025"]),
                    "product_masked": pa.array(np.zeros(n, dtype=bool)),
                    "flow": pa.array((f + 1).astype(np.int8)),
                    "stat_procedure": pa.array(np.ones(n, dtype=np.int8)),
                    "freq": _strings(np.zeros(n, np.int32), ["M"]),
                    "period": _strings(t, periods),
                    "period_start": starts.take(pa.array(t)),
                    "year": pa.array(years[t]),
                    "value": pa.array(value),
                    "currency": _strings(np.zeros(n, np.int32), ["EUR"]),
                    "net_mass_kg": pa.array(mass),
                    "suppl_quantity": pa.nulls(n, pa.float64()),
                    "suppl_unit": pa.nulls(n, pa.string()),
                },
                schema=FLOW_SCHEMA,
            )
            writer.write_table(table, row_group_size=n)
            written += n
    return {
        "rows": written,
        "codes": n_codes,
        "seconds": time.perf_counter() - started,
        "bytes": path.stat().st_size,
    }


def hhi_sql(path: Path) -> str:
    """One DuckDB query: the EU27 HHI of extra-EU imports from known origins per code and year."""
    ref = partner_reference()

    def listed(codes: tuple[str, ...]) -> str:
        return ", ".join(f"'{c}'" for c in codes)

    excluded = (*ref.eu27, *ref.aggregates, *ref.intra_unspecified, *ref.extra_unspecified)
    return f"""
        WITH by_partner AS (
            SELECT product, year, partner, sum(value) AS v
            FROM read_parquet('{path}')
            WHERE freq = 'M' AND flow = 1
              AND reporter IN ({listed(ref.eu27)})
              AND partner NOT IN ({listed(excluded)})
              AND partner_kind NOT IN ('aggregate', 'confidential', 'non-geographic')
            GROUP BY product, year, partner
            HAVING sum(value) > 0
        )
        SELECT product, year, sum(pow(v / total, 2)) AS hhi
        FROM (SELECT *, sum(v) OVER (PARTITION BY product, year) AS total FROM by_partner)
        GROUP BY product, year
        ORDER BY product, year
    """


def measure(kind: str, parquet: Path, out: Path, threads: int) -> dict[str, Any]:
    """Run one measurement in this process; write the EU27 HHI per code and year to ``out``."""
    startup = 0.0
    if kind == "sql":
        import duckdb

        con = duckdb.connect(config={"threads": threads})
        started = time.perf_counter()
        result = con.sql(hhi_sql(parquet)).arrow()
        seconds = time.perf_counter() - started
        if isinstance(result, pa.RecordBatchReader):
            result = result.read_all()
        rows_out = result.num_rows
    else:
        from critchem.trade.indicators import compute_indicators, connect

        spark = kind.startswith("spark")
        started = time.perf_counter()
        backend = connect("pyspark") if spark else connect("duckdb", threads=threads)
        startup = time.perf_counter() - started
        flows = backend.read_parquet(parquet)
        reporter = ["EU27", *sorted(partner_reference().eu27)] if kind.endswith("all") else "EU27"
        expr = compute_indicators(flows, reporter=reporter, freq="A")
        started = time.perf_counter()
        result = backend.to_pyarrow(expr)
        seconds = time.perf_counter() - started
        rows_out = result.num_rows
        result = result.filter(pc.equal(result["reporter"], "EU27"))
        if spark:
            backend.disconnect()
    pq.write_table(result.select(["product", "year", "hhi"]), out)
    return {
        "kind": kind,
        "seconds": seconds,
        "startup_seconds": startup,
        "rows_out": rows_out,
    }


def run_child(kind: str, parquet: Path, workdir: Path, threads: int, repeat: int) -> dict[str, Any]:
    """Best and median of ``repeat`` runs, each in a fresh process; the largest peak RSS."""
    out = workdir / f"hhi-{kind}-{parquet.stem}.parquet"
    command = [sys.executable, "-m", "bench.bench_indicators", "--measure", kind]
    command += ["--parquet", str(parquet), "--out", str(out), "--threads", str(threads)]
    reports = []
    for _ in range(repeat):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
        reports.append(json.loads(done.stdout.strip().splitlines()[-1]))
    seconds = sorted(r["seconds"] for r in reports)
    return {
        **reports[0],
        "seconds": seconds[0],
        "median_seconds": seconds[len(seconds) // 2],
        "startup_seconds": min(r["startup_seconds"] for r in reports),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in reports),
        "runs": repeat,
        "hhi": out,
    }


def max_hhi_difference(a: Path, b: Path) -> float:
    left = pq.read_table(a).sort_by([("product", "ascending"), ("year", "ascending")])
    right = pq.read_table(b).sort_by([("product", "ascending"), ("year", "ascending")])
    if left.num_rows != right.num_rows:
        return float("inf")
    x = np.asarray(left["hhi"].to_numpy(zero_copy_only=False), dtype=float)
    y = np.asarray(right["hhi"].to_numpy(zero_copy_only=False), dtype=float)
    return float(np.max(np.abs(x - y)))


def section(summary: dict[str, Any]) -> str:
    p, runs = summary["panel"], summary["runs"]
    ibis_run, sql_run = runs["ibis"], runs["sql"]
    lines = [
        f"<!-- {MARKER} -->",
        "## Indicators: Ibis on DuckDB vs one hand-written DuckDB query",
        "",
        f"Run on {summary['date']}: {summary['machine']}; Python {summary['python']}, "
        f"DuckDB {summary['duckdb']}, Ibis {summary['ibis']}, PySpark {summary['pyspark']}, "
        f"{summary['threads']} DuckDB threads. Command: `python -m bench.bench_indicators "
        f"--rows {summary['requested_rows']} --repeat {summary['repeat']}"
        + (f" --spark-rows {summary['spark_rows']}`." if summary["spark_rows"] else "`."),
        "",
        f"Panel: {p['rows']:,} monthly rows in `FLOW_SCHEMA` ({p['codes']} made-up codes x 27 "
        f"Member States x 26 partners x 84 months x 2 flows), Parquet/snappy "
        f"{p['bytes'] / 1e6:,.0f} MB, written in {p['seconds']:.0f} s in row groups of about "
        f"{CODES_PER_CHUNK * rows_per_code():,} rows (peak RSS of the writer "
        f"{summary['writer_rss_mb']:.0f} MB). The values are rounded random draws with many "
        "repeats, so the file compresses well; every row is still decoded by both queries. "
        f"Each DuckDB timing is the best (and median) of {summary['repeat']} runs, each in a "
        "fresh process, with the Parquet file in the OS cache; the peak RSS is the largest of "
        "the runs, the process's and its children's (the JVM for Spark), sampled every 0.1 s.",
        "",
        "| what | engine | rows in | wall time, best (median) | peak RSS | rows out |",
        "|---|---|---:|---:|---:|---:|",
    ]
    labels = {
        "ibis": "all indicators, EU27, annual (`compute_indicators`)",
        "ibis_all": "all indicators, EU27 + 27 Member States, annual",
        "sql": "HHI only, EU27, annual (one hand-written SQL query)",
        "duckdb_small": "all indicators, EU27, annual",
        "spark_small": "all indicators, EU27, annual",
    }
    for key, run in runs.items():
        engine = "Ibis on Spark local[2]" if key.startswith("spark") else "DuckDB"
        if key in {"ibis", "ibis_all", "duckdb_small"}:
            engine = "Ibis on DuckDB"
        rows_in = summary["spark_panel"]["rows"] if key.endswith("small") else p["rows"]
        extra = (
            f" (+ {run['startup_seconds']:.1f} s session start)" if key.startswith("spark") else ""
        )
        timing = f"{run['seconds']:.1f} s"
        if run["runs"] > 1:
            timing += f" ({run['median_seconds']:.1f} s)"
        lines.append(
            f"| {labels[key]} | {engine} | {rows_in:,} | {timing}{extra} "
            f"| {run['peak_rss_mb']:,.0f} MB | {run['rows_out']:,} |"
        )
    lines += [
        "",
        f"Ratio, all indicators through Ibis / HHI alone in hand-written SQL: "
        f"**{ibis_run['seconds'] / sql_run['seconds']:.2f}x** "
        f"({ibis_run['seconds']:.1f} s vs {sql_run['seconds']:.1f} s). "
        f"Largest HHI difference between the two: {summary['hhi_difference']:.1e}.",
    ]
    if "spark_small" in runs:
        lines.append(
            f"On the {summary['spark_panel']['rows']:,}-row panel Spark took "
            f"{runs['spark_small']['seconds']:.1f} s (one run: a new JVM, so JIT warm-up "
            f"included) and DuckDB {runs['duckdb_small']['seconds']:.1f} s for the same Ibis "
            f"expression (largest HHI difference {summary['spark_hhi_difference']:.1e})."
        )
    lines += [
        "",
        "The Ibis expression does far more than the SQL: the annual/monthly choice per "
        "reporter, product and year (an anti-join), intra/extra/unspecified classification, "
        "import and export totals, unit values, shares, the governance-weighted HHI (a join "
        "with the WGI table) and the top supplier (a window).",
        f"<!-- /{MARKER} -->",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--spark-rows", type=int, default=0, help="0: no Spark run")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per DuckDB timing")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        with PeakRss() as peak:
            report = measure(args.measure, args.parquet, args.out, args.threads)
        print(json.dumps({**report, "peak_rss_mb": peak.mb}))
        return 0

    import duckdb
    import ibis

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-indicators-"))
    workdir.mkdir(parents=True, exist_ok=True)
    panel_path = workdir / "panel.parquet"
    print(f"writing {args.rows:,} rows to {panel_path} ...", flush=True)
    panel = write_panel(panel_path, args.rows)
    print(f"  {panel['rows']:,} rows, {panel['bytes'] / 1e9:.2f} GB in {panel['seconds']:.0f} s")
    runs: dict[str, dict[str, Any]] = {}
    for key, kind in (("sql", "sql"), ("ibis", "duckdb"), ("ibis_all", "duckdb_all")):
        print(f"timing {key} ...", flush=True)
        runs[key] = run_child(kind, panel_path, workdir, args.threads, args.repeat)
        print(f"  {runs[key]['seconds']:.1f} s, peak RSS {runs[key]['peak_rss_mb']:.0f} MB")
    summary = {
        "date": date.today().isoformat(),
        "machine": (
            f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
            f"{platform.machine()}, {platform.system()}; load average at start "
            + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        ),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "ibis": ibis.__version__,
        "pyspark": "-",
        "threads": args.threads,
        "repeat": args.repeat,
        "requested_rows": args.rows,
        "spark_rows": args.spark_rows,
        "panel": panel,
        "runs": runs,
        "writer_rss_mb": rss_mb(),
        "hhi_difference": max_hhi_difference(runs["ibis"]["hhi"], runs["sql"]["hhi"]),
    }
    if args.spark_rows:
        import pyspark

        small_path = workdir / "panel-small.parquet"
        summary["spark_panel"] = write_panel(small_path, args.spark_rows, seed=2)
        summary["pyspark"] = pyspark.__version__
        for key, kind, repeat in (
            ("duckdb_small", "duckdb", args.repeat),
            ("spark_small", "spark", 1),
        ):
            print(f"timing {key} ...", flush=True)
            runs[key] = run_child(kind, small_path, workdir, args.threads, repeat)
            print(f"  {runs[key]['seconds']:.1f} s, peak RSS {runs[key]['peak_rss_mb']:.0f} MB")
        summary["spark_hhi_difference"] = max_hhi_difference(
            runs["duckdb_small"]["hhi"], runs["spark_small"]["hhi"]
        )
    text = section(summary)
    print(text)
    if not args.no_results:
        write_section(MARKER, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
