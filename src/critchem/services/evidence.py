"""Evidence services shared by the CLI, the API and the web pages: build, show, coverage, assess.

``assess`` writes the evidence of one build as the methodology's input table (an empty cell
for every missing or confidential value: never a zero), assesses it, and returns each verdict
with the evidence of every input beside it. A verdict that needs a missing input is
``undetermined`` with the reasons. With ``impute="range"`` the missing inputs whose declared
range is closed are set all to the low, then all to the high ends of their ranges; a verdict
that is the same in both runs is kept and says which inputs were imputed (indicative: only these
two corners are checked), any other stays undetermined.
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from critchem.core.errors import NotFoundError
from critchem.core.labels import status_label
from critchem.core.settings import Settings
from critchem.evidence.base import (
    CONFIDENTIAL,
    GROUP_UPPER_BOUND,
    ILLUSTRATIVE,
    MISSING,
    STATUSES,
    SYNTHETIC,
    EvidenceValue,
)
from critchem.evidence.table import EvidenceTable, read_evidence

IMPUTE_CHOICES = ("range",)
LABELS = {SYNTHETIC: "SYNTHETIC", ILLUSTRATIVE: "ILLUSTRATIVE"}
"""The visible label of synthetic and illustrative values."""


def _store(settings: Settings, store_root: Path | None) -> Path:
    return Path(store_root) if store_root is not None else settings.store


def build(
    settings: Settings,
    *,
    year: int,
    source: str | None = None,
    store_root: Path | None = None,
    molecules: list[str] | None = None,
    backend: str = "duckdb",
    spark_master: str | None = None,
) -> dict[str, Any]:
    """Build and store the evidence of ``year``; returns the build summary with its coverage.

    The trade families read the store on ``backend`` (``duckdb``, or ``pyspark`` at
    ``spark_master``: ``local[N]`` or ``spark://host:port``).
    """
    from critchem.evidence.builder import build_evidence

    root = _store(settings, store_root)
    table = build_evidence(
        settings,
        year=year,
        source=source,
        store_root=root,
        molecules=molecules,
        backend=backend,
        spark_master=spark_master,
    )
    path = table.write(root)
    return {
        "build_id": table.build_id,
        "year": table.year,
        "built_at": table.built_at,
        "file": str(path),
        "rows": len(table.values),
        "molecules": len(table.molecules()),
        "statuses": dict(Counter(v.status for v in table.values)),
        "data_label": status_label({v.status for v in table.values}),
    }


def _load(
    settings: Settings, year: int, store_root: Path | None, build_id: str | None
) -> EvidenceTable:
    return read_evidence(_store(settings, store_root), year, build_id)


def input_record(value: EvidenceValue) -> dict[str, Any]:
    """One input as shown: value, status, source, years, codes, note, label and provenance."""
    return {
        "value": value.value,
        "status": value.status,
        "source": value.source,
        "years": list(value.years),
        "codes": list(value.codes),
        "note": value.note,
        "label": LABELS.get(value.status, ""),
        "upper_bound": value.status == GROUP_UPPER_BOUND,
        "provenance": value.provenance.to_dict(),
    }


def molecule_record(table: EvidenceTable, molecule: str) -> dict[str, Any]:
    """``{"molecule", "year", "inputs": {...}, "missing": [{"indicator", "reason"}]}``."""
    values = table.for_molecule(molecule)
    if not values:
        raise NotFoundError(
            f"No evidence for {molecule!r} in build {table.build_id} ({table.year})",
            suggestions=table.molecules()[:10],
        )
    inputs = {v.indicator: input_record(v) for v in values if v.value is not None}
    gaps = [
        {"indicator": v.indicator, "reason": v.note, "status": v.status}
        for v in values
        if v.value is None
    ]
    synthetic = sorted(i for i, r in inputs.items() if r["status"] in LABELS)
    return {
        "molecule": molecule,
        "year": table.year,
        "build_id": table.build_id,
        "inputs": inputs,
        "missing": gaps,
        "synthetic_inputs": synthetic,
        "source": "synthetic" if synthetic else "data",
    }


def show(
    settings: Settings,
    molecule: str,
    *,
    year: int,
    store_root: Path | None = None,
    build_id: str | None = None,
) -> dict[str, Any]:
    """The evidence of one molecule (see :func:`molecule_record`)."""
    from critchem.molecules import default_resolver

    table = _load(settings, year, store_root, build_id)
    found = default_resolver().resolve(molecule)
    molecule_id = getattr(found, "id", molecule)
    return molecule_record(table, str(molecule_id))


def coverage(
    settings: Settings,
    *,
    year: int,
    store_root: Path | None = None,
    build_id: str | None = None,
) -> dict[str, Any]:
    """Per indicator, how many molecules have each status; per molecule and indicator, why."""
    table = _load(settings, year, store_root, build_id)
    by_indicator: dict[str, Counter[str]] = {}
    for v in table.values:
        by_indicator.setdefault(v.indicator, Counter())[v.status] += 1
    return {
        "year": table.year,
        "build_id": table.build_id,
        "built_at": table.built_at,
        "molecules": len(table.molecules()),
        "statuses": list(STATUSES),
        "data_label": status_label({v.status for v in table.values}),
        "indicators": {
            ind: {s: counts.get(s, 0) for s in STATUSES} for ind, counts in by_indicator.items()
        },
        "rows": [
            {
                "molecule": v.molecule,
                "indicator": v.indicator,
                "status": v.status,
                "label": LABELS.get(v.status, ""),
                "value": v.value,
                "source": v.source,
                "reason": v.note if v.status in (MISSING, CONFIDENTIAL, GROUP_UPPER_BOUND) else "",
            }
            for v in table.values
        ],
    }


def _write_inputs(
    table: EvidenceTable, molecules: list[str], columns: list[str], fill: dict[str, float] | None
) -> tuple[Path, dict[str, list[str]]]:
    """The cca input CSV of the evidence (empty cells for missing values, or ``fill``)."""
    folder = Path(tempfile.mkdtemp(prefix="critchem-evidence-"))
    path = folder / f"evidence_{table.year}_{table.build_id}.csv"
    imputed: dict[str, list[str]] = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["molecule", *columns])
        for m in molecules:
            row: list[str] = [m]
            for c in columns:
                v = table.get(m, c)
                if v is not None and isinstance(v.value, int | float):
                    row.append(repr(float(v.value)))
                elif fill is not None and c in fill:
                    row.append(repr(fill[c]))
                    imputed.setdefault(m, []).append(c)
                else:
                    row.append("")
            writer.writerow(row)
    return path, imputed


def _downstream(products: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(products.get(start, []))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(products.get(node, []))
    return seen


def cycle_blocked(molecules: list[str]) -> dict[str, str]:
    """Molecules whose downstream value chain in the registry runs into a feedstock cycle.

    The economic importance propagates along the products of a molecule and cannot be computed
    through a cycle; such molecules are not assessed and the reason names the cycle.
    """
    from critchem.molecules import load_registry

    registry = load_registry()
    products: dict[str, list[str]] = {}
    for entry in registry:
        for feedstock in entry.feedstocks:
            products.setdefault(feedstock, []).append(entry.id)
    reach = {entry.id: _downstream(products, entry.id) for entry in registry}
    cyclic = sorted(m for m, r in reach.items() if m in r)
    out: dict[str, str] = {}
    for m in molecules:
        hit = sorted(c for c in cyclic if c == m or c in reach.get(m, set()))
        if hit:
            out[m] = (
                "the registry's feedstock graph has a cycle through "
                f"{', '.join(hit)}: the economic importance cannot be propagated"
            )
    return out


def _verdict(critical: bool | None) -> str:
    return {True: "critical", False: "not critical"}.get(critical, "undetermined")  # type: ignore[arg-type]


def assess(
    settings: Settings,
    *,
    year: int,
    methodology: str = "cca",
    impute: str | None = None,
    store_root: Path | None = None,
    build_id: str | None = None,
    molecules: list[str] | None = None,
    with_sites: bool = False,
) -> dict[str, Any]:
    """Assess the molecules (default: all) of the evidence build with ``methodology``.

    ``with_sites`` adds ``sites``: the critical production sites under the classes of this
    assessment (``critchem.services.sites``), a site "not assessed" when its chain holds a
    molecule classed from SYNTHETIC inputs. Only for the whole registry (a chain needs the
    classes of every molecule downstream).
    """
    from critchem.criticality import InputFiles, get_methodology
    from critchem.criticality.engine import assess as assess_files
    from critchem.criticality.methodologies.cca_inputs import COLUMNS

    if methodology != "cca":
        raise NotFoundError(
            f"Assessment from evidence is available for the cca methodology, not {methodology!r}",
            suggestions=["cca"],
        )
    if impute is not None and impute not in IMPUTE_CHOICES:
        raise ValueError(f"impute must be one of {IMPUTE_CHOICES}, got {impute!r}")
    whole = molecules is None
    table = _load(settings, year, store_root, build_id)
    method = get_methodology(methodology)
    columns = [c.name for c in COLUMNS]
    wanted = molecules if molecules is not None else table.molecules()
    blocked = cycle_blocked(wanted)
    molecules = [m for m in wanted if m not in blocked]
    if not molecules:
        return _blocked_only(table, blocked, methodology, impute)
    path, _ = _write_inputs(table, molecules, columns, None)
    out = assess_files(method, InputFiles(inputs=path))
    runs = []
    ranges: dict[str, tuple[float, float]] = {}
    if impute == "range":
        for c in columns:
            spec = method.spec.indicators[c]
            low, high = (spec.range or (None, None))[:2]
            if low is not None and high is not None:
                ranges[c] = (float(low), float(high))
        for end in (0, 1):
            p, imputed = _write_inputs(
                table, molecules, columns, {c: r[end] for c, r in ranges.items()}
            )
            runs.append((assess_files(method, InputFiles(inputs=p)), imputed))
    materials = []
    for m in out.materials:
        record = molecule_record(table, m.material)
        verdict = _verdict(m.critical)
        reasons = list(m.missing) if m.critical is None else []
        if m.critical is None:
            reasons += [
                f"{g['indicator']}: {g['reason']}"
                for g in record["missing"]
                if g["indicator"] in columns
            ]
        imputation = None
        if runs and m.critical is None:
            ends = [
                next(x for x in run.materials if x.material == m.material).critical
                for run, _ in runs
            ]
            used = sorted(set(runs[0][1].get(m.material, [])))
            if ends[0] is not None and ends[0] == ends[1]:
                verdict = _verdict(ends[0])
                imputation = {
                    "method": "range",
                    "indicators": {c: list(ranges[c]) for c in used},
                    "note": (
                        "IMPUTED: missing inputs set all to the low, then all to the high "
                        "ends of their declared ranges (two corners, not every combination); "
                        "the verdict is the same in both: indicative, not measured"
                    ),
                }
            else:
                imputation = {
                    "method": "range",
                    "indicators": {c: list(ranges[c]) for c in used},
                    "note": (
                        "the verdict differs between the low and the high ends of the imputed "
                        "ranges: it stays undetermined"
                    ),
                }
        materials.append(
            {
                "molecule": m.material,
                "verdict": verdict,
                "critical": m.critical if imputation is None else _critical(verdict),
                "criteria": {k: c.value for k, c in m.criteria.items()},
                "reasons": reasons,
                "imputed": imputation,
                "inputs": record["inputs"],
                "missing": record["missing"],
                "synthetic_inputs": record["synthetic_inputs"],
                "label": "SYNTHETIC" if record["synthetic_inputs"] else "",
            }
        )
    materials.extend(_blocked(table, blocked))
    from critchem.criticality.classes import load_class_rules, with_classes

    materials = with_classes(materials, out)
    result = {
        "methodology": out.methodology,
        "methodology_version": out.methodology_version,
        "classes_version": load_class_rules().version,
        "year": table.year,
        "build_id": table.build_id,
        "impute": impute,
        "thresholds": out.thresholds,
        "counts": dict(Counter(x["verdict"] for x in materials)),
        "class_counts": dict(Counter(str(x["class"]) for x in materials)),
        "materials": materials,
    }
    if with_sites and whole:
        result["sites"] = _sites(result)
    return result


def _sites(result: dict[str, Any]) -> dict[str, Any]:
    from critchem.services.sites import classes_of, sites_from_classes

    classes, synthetic = classes_of(result)
    suffix = f" (imputed: {result['impute']})" if result["impute"] else ""
    return sites_from_classes(
        classes,
        source=f"cca from the evidence of {result['year']}, build {result['build_id']}{suffix}",
        synthetic=synthetic,
    ).model_dump(mode="json")


def _blocked(table: EvidenceTable, blocked: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for molecule, reason in blocked.items():
        record = molecule_record(table, molecule)
        out.append(
            {
                "molecule": molecule,
                "verdict": "undetermined",
                "critical": None,
                "criteria": {},
                "reasons": [reason],
                "imputed": None,
                "inputs": record["inputs"],
                "missing": record["missing"],
                "synthetic_inputs": record["synthetic_inputs"],
                "label": "SYNTHETIC" if record["synthetic_inputs"] else "",
            }
        )
    return out


def _blocked_only(
    table: EvidenceTable, blocked: dict[str, str], methodology: str, impute: str | None
) -> dict[str, Any]:
    from critchem.criticality import get_methodology
    from critchem.criticality.classes import load_class_rules, with_classes

    method = get_methodology(methodology)
    materials = with_classes(_blocked(table, blocked), None)
    return {
        "methodology": methodology,
        "methodology_version": method.version,
        "classes_version": load_class_rules().version,
        "year": table.year,
        "build_id": table.build_id,
        "impute": impute,
        "thresholds": {c: method.spec.threshold(c) for c in method.spec.criteria},
        "counts": dict(Counter(x["verdict"] for x in materials)),
        "class_counts": dict(Counter(str(x["class"]) for x in materials)),
        "materials": materials,
    }


def molecule_evidence(store_root: Path, molecule: str) -> dict[str, Any] | None:
    """The newest evidence of one molecule and its verdict from it; None without a build."""
    from critchem.evidence.table import latest_build

    found = latest_build(store_root)
    if found is None:
        return None
    year, build_id = found
    table = read_evidence(store_root, year, build_id)
    if not table.for_molecule(molecule):
        return None
    settings = Settings(store_path=store_root)
    out = assess(
        settings, year=year, store_root=store_root, build_id=build_id, molecules=[molecule]
    )
    return {"record": molecule_record(table, molecule), "verdict": out["materials"][0]}


def _critical(verdict: str) -> bool | None:
    return {"critical": True, "not critical": False}.get(verdict)
