"""A simulated full Comext history: indicators and evidence on DuckDB, Spark local and a cluster.

1. Writes a simulated Comext bulk history straight into a trade store's layout (no CSV, no
   ingest): every CN8 code of the shipped CN2025 (9,778), the 27 Member State reporters,
   about 200 partners with a Zipf skew (Q-codes included), both flows, ``--years`` years of
   monthly files (default 10: 2015-01 .. 2024-12), about ``--rows-per-month`` rows a month
   (default 5 million, about 600 million rows in all). The rows are made by DuckDB from
   ``range()`` and hashes (no random state, the same files every run) and written by PyArrow
   with the store's schema (``FLOW_SCHEMA``) and Parquet options, one file per month,
   ``flows/comext_bulk/M/<year>/<load_id>-0.parquet``, and a manifest of committed files.
   Values are made up (log-normal per key, varying month to month).
2. Builds a ladder of stores over the same files (links, no copies): the newest month, the
   newest year, the whole history.
3. Times, each in a fresh process, with the peak RSS of every process involved (the JVMs
   too): every product's monthly EU27 indicators (``compute_indicators(freq='M')``, fetched as
   Arrow) and the trade evidence of every registry molecule for the newest year
   (``build_evidence(families=['trade'])``), on DuckDB, on Spark ``local[2]`` and on a
   standalone cluster (a master and one worker with 2 cores, started here). A run that does
   not finish within ``--timeout`` seconds is stopped and reported as not finished.
4. Checks that the backends agree on every rung they both finished, and writes its part of
   the ``bench_spark`` section of ``bench/RESULTS.md`` (markers ``bench_spark_full``).
   The files are deleted at the end (``--keep`` keeps them).

Run: ``python -m bench.bench_spark_full --spark-rungs month``.
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
from typing import Any

from bench._results import RESULTS, write_section
from bench.bench_spark import PeakRss, _start_cluster, _stop

MARKER = "bench_spark_full"
PARENT = "bench_spark"
ROOT = Path(__file__).resolve().parent.parent
SOURCE = "comext_bulk"
LAST_YEAR = 2024
RUNGS = ("month", "year", "history")
KINDS = ("duckdb", "spark-local", "spark-cluster")
PRESENCE = 0.95
"""Share of the keys present in a given month (a key drops out about one month in twenty)."""
DUCKDB_MEMORY = "6GB"
"""DuckDB's memory limit in the runs (it spills beyond it): the machine is shared."""
SPARK_SUBMIT = "--driver-memory 4g --conf spark.executor.memory=3g pyspark-shell"


def _reference() -> tuple[list[tuple[str, str | None]], list[tuple[str, float]], list[str]]:
    """(CN8 code, supplementary unit), (reporter, weight) and partners in Zipf order."""
    from bench.bench_ingest import REPORTER_WEIGHTS
    from bench.bench_ingest import _reference as ingest_reference
    from critchem.nomenclature import load_cn

    partners, _codes, _eu, _units, _reporters = ingest_reference()
    products = [(e.code, e.supplementary_unit) for e in load_cn(2025)]
    total = sum(REPORTER_WEIGHTS.values())
    reporters = [(r, w * len(REPORTER_WEIGHTS) / total) for r, w in REPORTER_WEIGHTS.items()]
    return products, reporters, partners


def _keys_sql(base: float) -> str:
    """The keys (product, reporter, flow, partner) of the history, about ``base`` partners per
    (product, reporter, flow) scaled by the reporter's weight; consecutive partner ranks from
    a product's own offset, so that every key is distinct."""
    return f"""
        CREATE TABLE keys AS
        WITH prf AS (
            SELECT p.pid, p.code AS product, p.unit, r.code AS reporter, r.w, f.flow,
                   hash(p.pid, r.code, f.flow) AS h
            FROM products p, reporters r, (VALUES (1), (2)) f(flow)
        ), counted AS (
            SELECT *, least(190, greatest(1, round({base} * w
                       * (0.25 + 1.5 * ((h % 1000) / 1000.0)))))::INTEGER AS n,
                   (hash(pid) % 20)::INTEGER AS offs
            FROM prf
        ), expanded AS (
            SELECT product, unit, reporter, flow, offs, unnest(range(n)) AS k FROM counted
        )
        SELECT e.product, e.unit, e.reporter, e.flow::TINYINT AS flow, pa.code AS partner,
               pa.kind AS partner_kind, pa.in_eu,
               hash(e.product, e.reporter, e.flow, pa.code) AS kh
        FROM expanded e JOIN partners pa ON pa.rank = (e.offs + e.k) % (SELECT count(*) FROM partners)
        ORDER BY e.product, e.reporter, e.flow, pa.code
    """


def _uniform(seed: str) -> str:
    """A uniform number in (0, 1) from a hash (the same every run)."""
    return f"(((hash({seed}) % 999983) + 1) / 999984.0)"


def _normal(seed: str) -> str:
    """A standard normal number (Box-Muller) from two hashes."""
    return f"(sqrt(-2 * ln({_uniform(seed + ', 11')})) * cos(2 * pi() * {_uniform(seed + ', 13')}))"


def _month_sql(year: int, month: int) -> str:
    m = year * 12 + month
    level = f"(8.5 + 2.6 * {_normal('kh')})"
    value = f"greatest(1, round(exp({level} + 0.3 * {_normal(f'kh, {m}')})))"
    return f"""
        SELECT '{SOURCE}' AS source, reporter, partner, partner_kind,
               CASE WHEN in_eu THEN 'I' ELSE 'E' END AS trade_type, product,
               'CN{year}' AS product_nomenclature, false AS product_masked, flow,
               1::TINYINT AS stat_procedure, 'M' AS freq, '{year}-{month:02d}' AS period,
               DATE '{year}-{month:02d}-01' AS period_start, {year}::SMALLINT AS year,
               v AS value, 'EUR' AS currency,
               round(v / exp(1.2 + 1.1 * {_normal("kh, 7")})) AS net_mass_kg,
               CASE WHEN unit IS NULL THEN NULL ELSE round(v / exp(0.5 + {_normal("kh, 5")})) END
                   AS suppl_quantity,
               unit AS suppl_unit
        FROM (SELECT *, {value} AS v FROM keys WHERE hash(kh, {m}) % 1000 < {int(PRESENCE * 1000)})
        ORDER BY product, reporter, flow, partner
    """


def generate(store: Path, *, years: int, rows_per_month: int) -> dict[str, Any]:
    """Write the history into ``store``; returns the rows, bytes and seconds per step."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    from critchem.trade._layout import write_manifest
    from critchem.trade.schema import (
        COMPRESSION,
        COMPRESSION_LEVEL,
        DICTIONARY_COLUMNS,
        FLOW_SCHEMA,
    )

    started = time.perf_counter()
    products, reporters, partners = _reference()
    from critchem.nomenclature import load_countries

    countries = {p.code: p for p in load_countries()}
    eu = {p.code for p in load_countries().eu27()}
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    con.execute("SET enable_progress_bar = false")
    con.register(
        "products_arrow",
        pa.table({"pid": range(len(products)), "code": [c for c, _ in products],
                  "unit": [u for _, u in products]}),
    )  # fmt: skip
    con.register(
        "reporters_arrow",
        pa.table({"code": [r for r, _ in reporters], "w": [w for _, w in reporters]}),
    )
    con.register(
        "partners_arrow",
        pa.table({"rank": range(len(partners)), "code": partners,
                  "kind": [countries[p].kind if p in countries else "country" for p in partners],
                  "in_eu": [p in eu for p in partners]}),
    )  # fmt: skip
    for name in ("products", "reporters", "partners"):
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
    base = rows_per_month / (len(products) * len(reporters) * 2 * PRESENCE)
    con.execute(_keys_sql(base))
    keys = int(con.execute("SELECT count(*) FROM keys").fetchone()[0])  # type: ignore[index]
    keyed = time.perf_counter()
    files: list[str] = []
    rows = 0
    for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1):
        folder = store / "flows" / SOURCE / "M" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for month in range(1, 13):
            name = f"benchfull{year}{month:02d}-0.parquet"
            reader = con.sql(_month_sql(year, month)).to_arrow_reader(1_000_000)
            assert reader is not None
            with pq.ParquetWriter(
                folder / name,
                FLOW_SCHEMA,
                compression=COMPRESSION,
                compression_level=COMPRESSION_LEVEL,
                use_dictionary=DICTIONARY_COLUMNS,
            ) as writer:
                for batch in reader:
                    table = pa.Table.from_batches([batch]).cast(FLOW_SCHEMA)
                    writer.write_table(table, row_group_size=1_000_000)
                    rows += table.num_rows
            files.append(f"{SOURCE}/M/{year}/{name}")
            print(f"  {year}-{month:02d}: {rows:,} rows so far", flush=True)
    con.close()
    write_manifest(store, files)
    return {
        "keys": keys,
        "rows": rows,
        "files": len(files),
        "bytes": sum((store / "flows" / f).stat().st_size for f in files),
        "seconds": time.perf_counter() - started,
        "key_seconds": keyed - started,
    }


def ladder(full: Path, workdir: Path) -> dict[str, Path]:
    """Stores of the newest month, the newest year and the whole history (links to ``full``)."""
    from critchem.trade._layout import committed_files, write_manifest

    files = committed_files(full)
    stores = {"history": full}
    for rung, keep in (("month", files[-1:]), ("year", files[-12:])):
        root = workdir / f"store-{rung}"
        names = []
        for path in keep:
            relative = path.relative_to(full / "flows")
            target = root / "flows" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
            names.append(relative.as_posix())
        write_manifest(root, names)
        stores[rung] = root
    return stores


def _measure(
    task: str, kind: str, store: Path, master: str | None, pids: list[int]
) -> dict[str, Any]:
    """One run in this process: open the backend, compute, fetch; timings and a checksum."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with PeakRss([os.getpid(), *pids]) as peak:
        backend = "duckdb" if kind == "duckdb" else "pyspark"
        if backend == "pyspark":
            from critchem.trade.indicators.backends import spark_session

            spark_session(master=master or "local[2]")
        if task == "indicators":
            import pyarrow.compute as pc

            from critchem.services.indicators import open_flows
            from critchem.trade.indicators import compute_indicators

            flows = open_flows(store, backend=backend, spark_master=master)
            if backend == "duckdb":
                flows._find_backend().raw_sql(
                    f"SET memory_limit = '{DUCKDB_MEMORY}'; "
                    f"SET temp_directory = '{store.parent / 'duckdb-spill'}'"
                )
            opened = time.perf_counter()
            table = compute_indicators(flows, freq="M").to_pyarrow()
            done = time.perf_counter()
            rows_out = table.num_rows
            check = float(pc.sum(table.column("import_value")).as_py() or 0.0)
        else:
            from critchem.core.settings import Settings
            from critchem.evidence.builder import build_evidence

            opened = time.perf_counter()
            built = build_evidence(
                Settings(home=store.parent / "home"),
                year=LAST_YEAR,
                store_root=store,
                families=["trade"],
                backend=backend,
                spark_master=master,
            )
            done = time.perf_counter()
            numbers = [v.value for v in built.values if isinstance(v.value, float)]
            rows_out = len(numbers)
            check = float(sum(numbers))
    return {
        "seconds": done - started,
        "query_seconds": done - opened,
        "peak_rss_mb": peak.peak,
        "rows_out": rows_out,
        "check": check,
        "load": load,
    }


def _child(
    task: str, kind: str, store: Path, master: str | None, pids: list[int], timeout: float
) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.bench_spark_full", "--measure", task, "--kind", kind,
               "--store", str(store), "--pids", ",".join(map(str, pids))]  # fmt: skip
    if master:
        command += ["--master", master]
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1",
           "PYSPARK_SUBMIT_ARGS": SPARK_SUBMIT}  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        return {"finished": False, "seconds": time.perf_counter() - started}
    if process.returncode != 0:
        return {"finished": False, "error": err.strip().splitlines()[-1:], "seconds": 0.0}
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["finished"] = True
    return result


LABELS = {
    "duckdb": "DuckDB (in process)",
    "spark-local": "Spark `local[2]`",
    "spark-cluster": "Spark cluster, 1 worker x 2 cores",
}
TASKS = {
    "indicators": "indicators, every product monthly (EU27)",
    "evidence": f"trade evidence, every registry molecule, {LAST_YEAR}",
}


def section(summary: dict[str, Any]) -> str:
    """The Markdown of this benchmark, inside the ``bench_spark`` section."""
    data = summary["data"]
    lines = [
        f"<!-- {MARKER} -->",
        "### A simulated full Comext history (all products, ten years monthly)",
        "",
        f"{summary['date']}; {summary['machine']}; Python {summary['python']}, PySpark "
        f"{summary['pyspark']}, DuckDB {summary['duckdb']}, Ibis {summary['ibis']}, Java 17. "
        f"Load average at start {summary['load']} (the machine is shared). Command: "
        f"`{summary['command']}`.",
        "",
        f"Data: **{data['rows']:,} rows** in {data['files']} monthly Parquet files "
        f"({data['bytes'] / 1e9:.1f} GB, zstd), written straight into the store's layout and "
        f"schema in {data['seconds'] / 60:.1f} min: {data['keys']:,} keys (every CN8 code of "
        "CN2025, 27 reporters, about 200 partners with a Zipf skew, both flows), each present "
        f"in {PRESENCE:.0%} of the months, {summary['years']} year(s) monthly; made-up values. "
        "Rungs of the ladder (the same files): "
        + ", ".join(f"{rung} = {summary['rung_rows'][rung]:,} rows" for rung in RUNGS)
        + ".",
        "",
        "| task | rung | backend | wall s (start included) | query s "
        "| peak RSS MB (all processes) | load (1 min) at start |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for run in summary["runs"]:
        head = f"| {TASKS[run['task']]} | {run['rung']} | {LABELS[run['kind']]} |"
        load = f"{run['load']:.1f}" if "load" in run else "not recorded"
        if run.get("finished"):
            lines.append(
                f"{head} {run['seconds']:.1f} | {run['query_seconds']:.1f} | "
                f"{run['peak_rss_mb']:.0f} | {load} |"
            )
        elif "error" in run:
            lines.append(f"{head} failed: {' '.join(run['error'])} | | | {load} |")
        else:
            lines.append(
                f"{head} not finished, stopped after {run['seconds']:.0f} s | | | {load} |"
            )
    lines += ["", *_ratios(summary["runs"]), *summary["notes"], f"<!-- /{MARKER} -->", ""]
    return "\n".join(lines)


def _ratios(runs: list[dict[str, Any]]) -> list[str]:
    """Query time of each Spark run relative to DuckDB's on the same task and rung."""
    duck = {
        (r["task"], r["rung"]): r["query_seconds"]
        for r in runs
        if r["kind"] == "duckdb" and r.get("finished")
    }
    parts = [
        f"{TASKS[r['task']]}, {r['rung']}, {LABELS[r['kind']]}: "
        f"{r['query_seconds'] / duck[(r['task'], r['rung'])]:.1f}x"
        for r in runs
        if r["kind"] != "duckdb" and r.get("finished") and (r["task"], r["rung"]) in duck
    ]
    if not parts:
        return []
    return ["Query time relative to DuckDB on the same rung: " + "; ".join(parts) + "."]


def write_results(text: str) -> None:
    """Write this part inside the ``bench_spark`` section (before its end marker)."""
    current = RESULTS.read_text(encoding="utf-8")
    if f"<!-- {MARKER} -->" not in current and f"<!-- /{PARENT} -->" in current:
        current = current.replace(f"<!-- /{PARENT} -->", f"{text.rstrip()}\n<!-- /{PARENT} -->")
        RESULTS.write_text(current, encoding="utf-8")
        return
    write_section(MARKER, text)


def _agreement(runs: list[dict[str, Any]]) -> list[str]:
    notes = []
    for task in TASKS:
        for rung in RUNGS:
            done = [
                r for r in runs if r["task"] == task and r["rung"] == rung and r.get("finished")
            ]
            if len(done) < 2:
                continue
            counts = {r["rows_out"] for r in done}
            checks = [r["check"] for r in done]
            spread = (max(checks) - min(checks)) / max(abs(max(checks)), 1.0)
            if len(counts) != 1 or spread > 1e-9:
                raise SystemExit(f"{task} {rung}: the backends disagree: {counts}, {checks}")
            notes.append(
                f"{TASKS[task]}, {rung}: {', '.join(LABELS[r['kind']] for r in done)} agree "
                f"({counts.pop():,} values, sums equal to {spread:.1e} relative)."
            )
    return notes


def _command(argv: list[str]) -> str:
    """The command as run, without the options that only say where the files went."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--workdir":
            skip = True
        elif not arg.startswith(("--workdir=", "--keep", "--reuse")):
            kept.append(arg)
    return " ".join(["python -m bench.bench_spark_full", *kept])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rows-per-month", type=int, default=5_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("--duckdb-rungs", default="month,year,history")
    parser.add_argument("--spark-rungs", default="month", help="rungs of the indicators")
    parser.add_argument("--spark-evidence-rungs", default="month,year,history")
    parser.add_argument("--reuse", action="store_true", help="use the history already in --workdir")
    parser.add_argument("--tasks", default="indicators,evidence")
    parser.add_argument("--spark-kinds", default="spark-local,spark-cluster")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--master", help=argparse.SUPPRESS)
    parser.add_argument("--pids", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        pids = [int(p) for p in args.pids.split(",") if p]
        print(json.dumps(_measure(args.measure, args.kind, args.store, args.master, pids)))
        return 0

    import duckdb
    import ibis
    import pyspark

    from bench.bench_ingest import _machine

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-spark-full-"))
    workdir.mkdir(parents=True, exist_ok=True)
    full = workdir / "store-history"
    written = workdir / "data.json"
    if args.reuse and written.exists():
        data = json.loads(written.read_text(encoding="utf-8"))
        for rung in ("month", "year"):
            shutil.rmtree(workdir / f"store-{rung}", ignore_errors=True)
    else:
        print(f"load average {load}; writing the history into {full} ...", flush=True)
        data = generate(full, years=args.years, rows_per_month=args.rows_per_month)
        written.write_text(json.dumps(data), encoding="utf-8")
    print(json.dumps(data), flush=True)
    stores = ladder(full, workdir)
    rung_rows = {}
    with duckdb.connect() as con:
        for rung, root in stores.items():
            from critchem.trade._layout import committed_files

            paths = [str(p) for p in committed_files(root)]
            found = con.execute("SELECT count(*) FROM read_parquet($p)", {"p": paths}).fetchone()
            rung_rows[rung] = int(found[0]) if found else 0
    tasks = [t for t in args.tasks.split(",") if t]
    plan = [(t, "duckdb", r) for t in tasks for r in args.duckdb_rungs.split(",") if r]
    spark_rungs = {"indicators": args.spark_rungs, "evidence": args.spark_evidence_rungs}
    plan += [(t, k, r) for k in args.spark_kinds.split(",") if k for t in tasks
             for r in spark_rungs[t].split(",") if r]  # fmt: skip
    runs: list[dict[str, Any]] = []
    processes: list[subprocess.Popen[bytes]] = []
    url: str | None = None
    try:
        for task, kind, rung in plan:
            master = None
            if kind == "spark-local":
                master = "local[2]"
            elif kind == "spark-cluster":
                if url is None:
                    url, processes = _start_cluster(workdir)
                master = url
            pids = [p.pid for p in processes] if kind == "spark-cluster" else []
            print(f"  {task} {rung} {kind} ...", flush=True)
            run = _child(task, kind, stores[rung], master, pids, args.timeout)
            run.update(task=task, kind=kind, rung=rung)
            print(f"    {json.dumps(run)}", flush=True)
            runs.append(run)
    finally:
        _stop(processes)
    notes = _agreement(runs)
    planned = {(t, k, r) for t, k, r in plan}
    skipped = []
    for kind in KINDS:
        for task in tasks:
            absent = [r for r in RUNGS if (task, kind, r) not in planned]
            if absent:
                skipped.append(f"{TASKS[task]} on {LABELS[kind]} at {', '.join(absent)}")
    if skipped:
        notes.append(
            "Not run, so no figure is given and none is scaled up: " + "; ".join(skipped) + "."
        )
    notes.append(
        f"DuckDB ran with memory_limit {DUCKDB_MEMORY} (spilling to disk beyond it); Spark "
        f"with `{SPARK_SUBMIT.removesuffix(' pyspark-shell')}`. The files are ordered by "
        "product inside each month, so a query of a few codes skips most row groups."
    )
    summary = {
        "date": date.today().isoformat(),
        "machine": _machine(),
        "python": platform.python_version(),
        "pyspark": pyspark.__version__,
        "duckdb": duckdb.__version__,
        "ibis": ibis.__version__,
        "load": load,
        "command": _command(sys.argv[1:] if argv is None else argv),
        "years": args.years,
        "data": data,
        "rung_rows": rung_rows,
        "runs": runs,
        "notes": notes,
    }
    (workdir / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    text = section(summary)
    print(text)
    if not args.no_results:
        write_results(text)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
