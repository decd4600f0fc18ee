"""The ``cca`` input table: one row per molecule, checked and laid out as arrays.

The file has a ``molecule`` column (an id of the molecule registry) and one column per
indicator (:data:`COLUMNS`). An empty cell is a missing value: the criteria that need it are
not assessed for that molecule and the record says so; nothing is silently read as zero. The
one exception is declared: ``hhi_eu_production`` is not needed when the import reliance is 1
(no EU production enters the supply), and is then taken as 0 with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from critchem.core.errors import AssessmentInputError
from critchem.criticality.base import InputFiles
from critchem.criticality.inputs import Table, number, read_table, required_text
from critchem.criticality.methodologies.cca_graph import Graph, ValueChain, build_graph
from critchem.criticality.schemas import FileRef, InputRef


@dataclass(frozen=True, slots=True)
class Column:
    """One indicator column: its valid range and what it is, for messages."""

    name: str
    low: float | None
    high: float | None
    what: str
    count: bool = False


COLUMNS = (
    Column("gov_hhi_extra_eu", 0.0, 10.0, "a governance-weighted HHI in 0..10"),
    Column("hhi_eu_production", 0.0, 1.0, "an HHI in 0..1"),
    Column("import_reliance", 0.0, 1.0, "a fraction in 0..1"),
    Column("substitutability", 0.0, 1.0, "an index in 0..1 (1 = not substitutable)"),
    Column("import_growth_3y", -1.0, None, "a relative change (0.25 = +25 %)"),
    Column("eu_producers", 0.0, None, "a count of companies", count=True),
    Column("eu_sites", 0.0, None, "a count of sites", count=True),
    Column("hhi_capacity_company", 0.0, 1.0, "an HHI in 0..1"),
    Column("closure_share", 0.0, 1.0, "a share of capacity in 0..1"),
    Column("energy_cost_share", 0.0, 1.0, "a share of production cost in 0..1"),
    Column("downstream_va_meur", 0.0, None, "a value added in M€"),
)
"""The indicator columns of the input file, in order."""

SR_COLUMNS = (
    "gov_hhi_extra_eu",
    "hhi_eu_production",
    "import_reliance",
    "substitutability",
    "import_growth_3y",
)
RESILIENCE_COLUMNS = (
    "eu_producers",
    "eu_sites",
    "hhi_capacity_company",
    "closure_share",
    "energy_cost_share",
)
EI_COLUMNS = ("downstream_va_meur",)

STRATEGIC_SECTORS = ("defence", "health", "energy", "digital", "mobility", "agri-food")
"""The strategic sectors counted in the economic importance (registry sector vocabulary)."""


@dataclass(frozen=True)
class CcaInputs:
    """Checked ``cca`` inputs: arrays for ``evaluate`` and what ``explain`` needs to cite them."""

    materials: tuple[str, ...]
    arrays: dict[str, npt.NDArray[Any]]
    files: tuple[FileRef, ...]
    reference_data: tuple[str, ...]
    graph: Graph
    table_name: str
    lines: tuple[int, ...]
    """The line of each molecule's row."""
    cells: tuple[dict[str, float | None], ...]
    """Each molecule's values as read (None: empty cell)."""
    strategic: tuple[tuple[str, ...], ...]
    """Each molecule's strategic sectors, from the registry."""
    unassessed_products: tuple[tuple[str, ...], ...]
    """Each molecule's direct products in the registry that play no part in this assessment."""
    registry_source: str
    missing: dict[int, list[str]] = field(default_factory=dict)


def _row(table: Table, line: int, row: dict[str, str]) -> dict[str, float | None]:
    cells: dict[str, float | None] = {}
    for col in COLUMNS:
        value = number(table, line, row, col.name, low=col.low, high=col.high, what=col.what)
        if col.count and value is not None and not value.is_integer():
            raise AssessmentInputError.at(
                table.name, line, col.name, f"{value:g} is not {col.what}"
            )
        cells[col.name] = value
    producers, sites = cells["eu_producers"], cells["eu_sites"]
    if producers is not None and sites is not None and (producers == 0) != (sites == 0):
        raise AssessmentInputError.at(
            table.name,
            line,
            "eu_sites",
            f"{sites:g} sites for {producers:g} producers: both are 0 (no EU production) or both ≥ 1",
        )
    return cells


def _missing(name: str, cells: dict[str, float | None], where: str) -> list[str]:
    out: list[str] = []

    def empty(columns: tuple[str, ...]) -> list[str]:
        return [c for c in columns if cells[c] is None]

    sr_empty = empty(SR_COLUMNS)
    if cells["import_reliance"] == 1.0 and "hhi_eu_production" in sr_empty:
        sr_empty.remove("hhi_eu_production")
    if sr_empty:
        out.append(f"SR not assessed for {name!r}: empty {', '.join(sr_empty)} ({where})")
    if empty(EI_COLUMNS):
        out.append(f"EI not assessed for {name!r}: empty downstream_va_meur ({where})")
    if cells["eu_sites"] != 0:
        res_empty = empty(RESILIENCE_COLUMNS)
        if res_empty:
            out.append(
                f"resilience not assessed for {name!r}: empty {', '.join(res_empty)} ({where})"
            )
    return out


def read_cca(files: InputFiles, chain: ValueChain) -> CcaInputs:
    """Read and check the ``cca`` input file against the molecule registry's value chain."""
    columns = ("molecule", *(c.name for c in COLUMNS))
    table = read_table(files.inputs, "inputs", columns)
    if not table.rows:
        raise AssessmentInputError(f"{table.name}: no molecule rows", file=table.name)
    seen: dict[str, int] = {}
    materials: list[str] = []
    lines: list[int] = []
    cells: list[dict[str, float | None]] = []
    for line, row in table.rows:
        mol = required_text(table, line, row, "molecule")
        if mol not in chain.feedstocks:
            raise AssessmentInputError.at(
                table.name, line, "molecule", f"{mol!r} is not a molecule id of the registry"
            )
        if mol in seen:
            raise AssessmentInputError.at(
                table.name, line, "molecule", f"{mol!r} is already on line {seen[mol]}"
            )
        seen[mol] = line
        materials.append(mol)
        lines.append(line)
        cells.append(_row(table, line, row))

    graph = build_graph(materials, chain)
    n = len(materials)
    arrays: dict[str, npt.NDArray[Any]] = {
        col.name: np.array([np.nan if c[col.name] is None else c[col.name] for c in cells])
        for col in COLUMNS
    }
    not_needed = (arrays["import_reliance"] == 1.0) & np.isnan(arrays["hhi_eu_production"])
    arrays["hhi_eu_production"][not_needed] = 0.0
    strategic = tuple(
        tuple(s for s in chain.sectors.get(m, ()) if s in STRATEGIC_SECTORS) for m in materials
    )
    arrays["strategic_sectors"] = np.array([float(len(s)) for s in strategic])
    arrays["graph_products"] = graph.products
    arrays["graph_level"] = graph.level
    arrays["graph_assessed"] = np.arange(len(graph.nodes)) < n

    in_graph = set(graph.nodes)
    products = chain.products()
    unassessed = tuple(
        tuple(p for p in products.get(m, []) if p not in in_graph) for m in materials
    )
    missing: dict[int, list[str]] = {}
    for i, mol in enumerate(materials):
        reasons = _missing(mol, cells[i], f"{table.name}, line {lines[i]}")
        if reasons:
            missing[i] = reasons
    return CcaInputs(
        materials=tuple(materials),
        arrays=arrays,
        files=(table.ref,),
        reference_data=(chain.source,),
        graph=graph,
        table_name=table.name,
        lines=tuple(lines),
        cells=tuple(cells),
        strategic=strategic,
        unassessed_products=unassessed,
        registry_source=chain.source,
        missing=missing,
    )


def cell_refs(p: CcaInputs, i: int) -> list[InputRef]:
    """The provenance of every value molecule ``i`` was assessed from."""
    refs = [
        InputRef(
            indicator=col.name,
            value=value,
            file=p.table_name,
            lines=[p.lines[i]],
            column=col.name,
        )
        for col in COLUMNS
        if (value := p.cells[i][col.name]) is not None
    ]
    refs.append(
        InputRef(
            indicator="strategic_sectors",
            value=float(len(p.strategic[i])),
            file=p.registry_source,
            lines=[],
            column="sectors",
            note=", ".join(p.strategic[i]) or "none of " + ", ".join(STRATEGIC_SECTORS),
        )
    )
    return refs
