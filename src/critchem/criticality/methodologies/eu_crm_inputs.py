"""The EU CRM input tables, cross-checked and laid out as arrays (stages × materials).

Rules (see ``docs/methodology/eu-crm.md``): each supply basis needs its HHIs (``GS`` the global
one, ``EU`` the EU-sourcing one, ``GS+EU`` both and the import reliance); ``eol_rir`` and
``si_sr`` are always needed (write 0 for "no recycling"); an HHI comes either from its cell or
from supply shares, never both; a material without end uses or without ``si_ei`` has no EI
(verdict undetermined unless its SR alone settles it); end uses must name sectors of the
value-added table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from critchem.core.errors import AssessmentInputError
from critchem.criticality.base import InputFiles
from critchem.criticality.inputs import (
    ComputedHhi,
    EndUse,
    StageRow,
    Table,
    key,
    read_end_uses,
    read_stage_rows,
    read_supply_shares,
    read_value_added,
)
from critchem.criticality.schemas import FileRef, InputRef

BASIS_CODES = {"GS": 1, "EU": 2, "GS+EU": 3}
"""How the supply basis is coded in the ``supply_basis`` array (0: stage not assessed)."""

WGI_REFERENCE = (
    "World Bank Worldwide Governance Indicators, 2024 release, year 2023 (shipped with "
    "critchem; WGI 2020 for an economy without 2023 estimates), rescaled "
    "(2.5 − mean of the six estimates) · 2"
)
_HHI_COLUMN = {"GS": "hhi_wgi_t_gs", "EU": "hhi_wgi_t_eu"}


@dataclass(frozen=True)
class EuCrmInputs:
    """Checked EU CRM inputs: arrays for ``evaluate`` and what ``explain`` needs to cite them."""

    materials: tuple[str, ...]
    arrays: dict[str, npt.NDArray[Any]]
    files: tuple[FileRef, ...]
    reference_data: tuple[str, ...]
    stages: tuple[str, ...]
    rows: dict[tuple[int, int], StageRow]
    """Stage rows by (material index, stage index)."""
    hhi: dict[tuple[int, int, str], InputRef]
    """The HHI used per (material index, stage index, scope), with its provenance."""
    end_uses: dict[int, list[EndUse]]
    value_added: dict[str, tuple[float, int]]
    si_ei: dict[int, InputRef]
    missing: dict[int, list[str]] = field(default_factory=dict)
    table_names: dict[str, str] = field(default_factory=dict)


def _resolve_hhi(
    table: Table,
    row: StageRow,
    scope: str,
    computed: dict[tuple[str, str, str], ComputedHhi],
    shares_name: str,
) -> InputRef | None:
    column = _HHI_COLUMN[scope]
    cell = row.hhi_gs if scope == "GS" else row.hhi_eu
    derived = computed.pop((key(row.material), row.stage, scope), None)
    if cell is not None and derived is not None:
        raise AssessmentInputError.at(
            table.name,
            row.line,
            column,
            f"given here and as supply shares ({shares_name}, lines "
            f"{derived.lines[0]}-{derived.lines[-1]}): keep one",
        )
    if cell is not None:
        return InputRef(
            indicator=column,
            stage=row.stage,
            value=cell,
            file=table.name,
            lines=[row.line],
            column=column,
        )
    if derived is not None:
        return InputRef(
            indicator=column,
            stage=row.stage,
            value=derived.value,
            file=shares_name,
            lines=list(derived.lines),
            column="share",
            note=f"Σ S²·WGI·t over {derived.countries} countries, WGI 2020",
        )
    return None


def _check_stage(table: Table, row: StageRow, gs: InputRef | None, eu: InputRef | None) -> None:
    needs = {"GS": ("GS",), "EU": ("EU",), "GS+EU": ("GS", "EU")}[row.supply_basis]
    for scope, ref in (("GS", gs), ("EU", eu)):
        if scope in needs and ref is None:
            raise AssessmentInputError.at(
                table.name,
                row.line,
                _HHI_COLUMN[scope],
                f"empty, but supply basis {row.supply_basis} needs it "
                f"(give it, or supply shares with scope {scope})",
            )
    if row.supply_basis == "GS+EU" and row.import_reliance is None:
        raise AssessmentInputError.at(
            table.name, row.line, "import_reliance", "empty, but supply basis GS+EU needs it"
        )
    for column, value in (("eol_rir", row.eol_rir), ("si_sr", row.si_sr)):
        if value is None:
            raise AssessmentInputError.at(
                table.name, row.line, column, "empty, but supply risk needs it (0 is a value)"
            )


def read_eu_crm(files: InputFiles, stages: tuple[str, ...]) -> EuCrmInputs:
    """Read, check and cross-check the EU CRM input files."""
    table, stage_rows = read_stage_rows(files.inputs, stages)
    if not stage_rows:
        raise AssessmentInputError(f"{table.name}: no material rows", file=table.name)
    refs = [table.ref]
    computed: dict[tuple[str, str, str], ComputedHhi] = {}
    shares_name = ""
    if files.supply_shares is not None:
        shares_table, computed = read_supply_shares(files.supply_shares, stages)
        refs.append(shares_table.ref)
        shares_name = shares_table.name

    index: dict[str, int] = {}
    materials: list[str] = []
    rows: dict[tuple[int, int], StageRow] = {}
    hhi: dict[tuple[int, int, str], InputRef] = {}
    for row in stage_rows:
        i = index.setdefault(key(row.material), len(materials))
        if i == len(materials):
            materials.append(row.material)
        s = stages.index(row.stage)
        rows[i, s] = row
        gs = _resolve_hhi(table, row, "GS", computed, shares_name)
        eu = _resolve_hhi(table, row, "EU", computed, shares_name)
        _check_stage(table, row, gs, eu)
        for scope, ref in (("GS", gs), ("EU", eu)):
            if ref is not None:
                hhi[i, s, scope] = ref
    for (mkey, stage, scope), left in computed.items():
        raise AssessmentInputError.at(
            shares_name,
            left.lines[0],
            "material",
            f"no row for {mkey!r} at stage {stage!r} in {table.name} (scope {scope})",
        )

    n, k = len(materials), len(stages)
    arrays: dict[str, npt.NDArray[Any]] = {
        name: np.full((k, n), np.nan)
        for name in ("hhi_wgi_t_gs", "hhi_wgi_t_eu", "import_reliance", "eol_rir", "si_sr")
    }
    basis = np.zeros((k, n), dtype=np.int8)
    for (i, s), row in rows.items():
        basis[s, i] = BASIS_CODES[row.supply_basis]
        arrays["hhi_wgi_t_gs"][s, i] = hhi[i, s, "GS"].value if (i, s, "GS") in hhi else 0.0
        arrays["hhi_wgi_t_eu"][s, i] = hhi[i, s, "EU"].value if (i, s, "EU") in hhi else 0.0
        arrays["import_reliance"][s, i] = row.import_reliance or 0.0
        arrays["eol_rir"][s, i] = row.eol_rir
        arrays["si_sr"][s, i] = row.si_sr
    arrays["supply_basis"] = basis

    si_ei: dict[int, InputRef] = {}
    for (i, _), row in sorted(rows.items(), key=lambda kv: kv[1].line):
        if row.si_ei is None:
            continue
        first = si_ei.get(i)
        if first is not None and first.value != row.si_ei:
            raise AssessmentInputError.at(
                table.name,
                row.line,
                "si_ei",
                f"{row.si_ei:g} differs from {first.value:g} on line {first.lines[0]} "
                f"(SI_EI is one value per material)",
            )
        if first is None:
            si_ei[i] = InputRef(
                indicator="si_ei",
                value=row.si_ei,
                file=table.name,
                lines=[row.line],
                column="si_ei",
            )

    end_uses: dict[int, list[EndUse]] = {}
    value_added: dict[str, tuple[float, int]] = {}
    names = {"inputs": table.name}
    if files.end_uses is not None and files.value_added is None:
        raise AssessmentInputError(
            "End uses were given without a value-added table: EI needs both", file=table.name
        )
    if files.value_added is not None:
        va_table, value_added = read_value_added(files.value_added)
        refs.append(va_table.ref)
        names["value_added"] = va_table.name
        if value_added and max(v for v, _ in value_added.values()) <= 0:
            raise AssessmentInputError(f"{va_table.name}: every sector has zero value added")
    if files.end_uses is not None:
        eu_table, uses, _ = read_end_uses(files.end_uses)
        refs.append(eu_table.ref)
        names["end_uses"] = eu_table.name
        for mkey, items in uses.items():
            if mkey not in index:
                raise AssessmentInputError.at(
                    eu_table.name, items[0].line, "material", f"{mkey!r} has no row in {table.name}"
                )
            for use in items:
                if use.sector not in value_added:
                    raise AssessmentInputError.at(
                        eu_table.name,
                        use.line,
                        "sector",
                        f"{use.sector} is not in the value-added table {names['value_added']}",
                    )
            end_uses[index[mkey]] = items

    sectors = tuple(value_added)
    shares = np.zeros((n, len(sectors)))
    col = {s: j for j, s in enumerate(sectors)}
    for i, items in end_uses.items():
        for use in items:
            shares[i, col[use.sector]] = use.share
    arrays["end_use_share"] = shares
    arrays["value_added"] = np.array([value_added[s][0] for s in sectors], dtype=np.float64)

    missing: dict[int, list[str]] = {}
    sie = np.full(n, np.nan)
    for i, name in enumerate(materials):
        reasons = []
        if files.end_uses is None:
            reasons.append("EI not assessed: no end-uses table was given")
        elif i not in end_uses:
            reasons.append(f"EI not assessed: no end uses for {name!r} in {names['end_uses']}")
        if i not in si_ei:
            reasons.append(f"EI not assessed: si_ei is empty for {name!r} in {table.name}")
        if reasons:
            missing[i] = reasons
        else:
            sie[i] = si_ei[i].value
    arrays["si_ei"] = sie

    return EuCrmInputs(
        materials=tuple(materials),
        arrays=arrays,
        files=tuple(refs),
        reference_data=(WGI_REFERENCE,) if files.supply_shares is not None else (),
        stages=stages,
        rows=rows,
        hhi=hhi,
        end_uses=end_uses,
        value_added=value_added,
        si_ei=si_ei,
        missing=missing,
        table_names=names,
    )
