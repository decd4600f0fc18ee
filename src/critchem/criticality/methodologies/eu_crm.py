"""``eu-crm``: the EU critical raw materials method (2017 guidelines; 2017, 2020, 2023 lists).

``SR = [HHI_GS · IR/2 + HHI_EU · (1 − IR/2)] · (1 − EoL_RIR) · SI_SR`` per stage, the material's
SR the higher of its extraction and processing stages; ``EI = SI_EI · 10 · Σ_s A_s·Q_s / max Q``;
critical when ``SR ≥ 1.0`` and ``EI ≥ 2.8`` (thresholds and the IR weight ½ are read from
``data/eu-crm.yaml``). See ``docs/methodology/eu-crm.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from critchem.core.errors import MethodologyError
from critchem.criticality import formulas
from critchem.criticality.base import Arrays, InputFiles, MaterialDetail, Methodology
from critchem.criticality.explain import (
    economic_importance_contributions,
    supply_risk_contributions,
)
from critchem.criticality.methodologies.eu_crm_inputs import BASIS_CODES, EuCrmInputs, read_eu_crm
from critchem.criticality.schemas import InputRef, Scalar, StageOut

FloatArray = npt.NDArray[np.float64]
_BASIS_NAMES = {code: name for name, code in BASIS_CODES.items()}


class EuCrm(Methodology[EuCrmInputs]):
    """The EU CRM criticality assessment.

    >>> m = EuCrm()
    >>> m.version, m.ir_weight, m.spec.stages
    ('2017', 0.5, ('extraction', 'processing'))
    """

    name: ClassVar[str] = "eu-crm"
    indicators: ClassVar[frozenset[str]] = frozenset(
        {
            "hhi_wgi_t_gs",
            "hhi_wgi_t_eu",
            "import_reliance",
            "eol_rir",
            "si_sr",
            "si_ei",
            "end_use_share",
            "value_added",
        }
    )

    def __init__(self, *, spec_text: str | None = None, spec_file: str = "") -> None:
        super().__init__(spec_text=spec_text, spec_file=spec_file)
        file = spec_file or f"{self.name}.yaml"
        if set(self.spec.criteria) != {"sr", "ei"}:
            raise MethodologyError(f"{file}: criteria: eu-crm has exactly the criteria sr and ei")
        if not self.spec.stages:
            raise MethodologyError(f"{file}: stages: name the stages (extraction, processing)")
        weight = self.spec.criteria["sr"].parameters.get("import_reliance_weight")
        if weight is None or not 0.0 <= weight <= 1.0:
            raise MethodologyError(
                f"{file}: criteria.sr.parameters.import_reliance_weight: {weight} is not a "
                "weight in 0..1 (the method uses 0.5: HHI_GS · IR/2 + HHI_EU · (1 − IR/2))"
            )
        self.ir_weight: float = weight

    def read_inputs(self, files: InputFiles) -> EuCrmInputs:
        """Read the stage inputs and the optional supply shares, end uses and value added."""
        return read_eu_crm(files, self.spec.stages)

    def evaluate(self, arrays: Arrays) -> dict[str, FloatArray]:
        """SR per stage and per material, EI per material; draws may lead every axis.

        Stage arrays are ``(..., stages, materials)``; ``si_ei`` is ``(..., materials)``;
        ``value_added`` is ``(..., sectors)``; ``end_use_share`` is ``(materials, sectors)``.
        """
        basis = arrays["supply_basis"]
        gs_weight = np.multiply(arrays["import_reliance"], self.ir_weight)
        np.copyto(gs_weight, 1.0, where=basis == BASIS_CODES["GS"])
        np.copyto(gs_weight, 0.0, where=basis == BASIS_CODES["EU"])
        hhi = formulas.hhi_blend(arrays["hhi_wgi_t_gs"], arrays["hhi_wgi_t_eu"], gs_weight)
        sr_stage = formulas.supply_risk(hhi, arrays["eol_rir"], arrays["si_sr"])
        sr = np.fmax.reduce(sr_stage, axis=-2)
        va = np.asarray(arrays["value_added"], dtype=np.float64)
        si_ei = np.asarray(arrays["si_ei"], dtype=np.float64)
        if va.shape[-1] == 0:
            ei = np.full(np.broadcast_shapes(si_ei.shape, sr.shape), np.nan)
            sum_aq = max_q = ei
        else:
            sum_aq = formulas.value_added_sum(arrays["end_use_share"], va)
            max_q = va.max(axis=-1, keepdims=True)
            ei = formulas.economic_importance(sum_aq, max_q, si_ei)
        return {
            "sr": sr,
            "ei": ei,
            "sr_stage": sr_stage,
            "sum_aq": np.asarray(sum_aq, dtype=np.float64),
            "max_q": np.asarray(max_q, dtype=np.float64),
        }

    def _gs_weight(self, basis: str, import_reliance: float | None) -> float:
        """The weight of HHI_GS: 1 for GS, 0 for EU, IR · ½ for GS+EU."""
        if basis == "GS+EU":
            return (import_reliance or 0.0) * self.ir_weight
        return 1.0 if basis == "GS" else 0.0

    def explain(
        self, prepared: EuCrmInputs, results: Mapping[str, FloatArray]
    ) -> list[MaterialDetail]:
        """Stage SRs, the driving stage, SR and EI contributions and every input's source."""
        return [self._explain_one(prepared, results, i) for i in range(len(prepared.materials))]

    def _explain_one(
        self, p: EuCrmInputs, results: Mapping[str, FloatArray], i: int
    ) -> MaterialDetail:
        sr_stage = results["sr_stage"]
        stages: list[StageOut] = []
        inputs: list[InputRef] = []
        for s, stage in enumerate(p.stages):
            row = p.rows.get((i, s))
            if row is None:
                continue
            gs, eu = p.hhi.get((i, s, "GS")), p.hhi.get((i, s, "EU"))
            basis = _BASIS_NAMES[int(p.arrays["supply_basis"][s, i])]
            stages.append(
                StageOut(
                    stage=stage,
                    supply_basis=basis,
                    sr=float(sr_stage[s, i]),
                    gs_weight=self._gs_weight(basis, row.import_reliance),
                    hhi_gs=gs.value if gs and basis != "EU" else None,
                    hhi_eu=eu.value if eu and basis != "GS" else None,
                    import_reliance=row.import_reliance if basis == "GS+EU" else None,
                    eol_rir=float(p.arrays["eol_rir"][s, i]),
                    si_sr=float(p.arrays["si_sr"][s, i]),
                )
            )
            used = {"GS": (gs,), "EU": (eu,), "GS+EU": (gs, eu)}[basis]
            inputs += [ref for ref in used if ref is not None]
            columns = (
                ("import_reliance", "eol_rir", "si_sr")
                if basis == "GS+EU"
                else ("eol_rir", "si_sr")
            )
            for column in columns:
                value = getattr(row, column)
                if value is not None:
                    inputs.append(
                        InputRef(
                            indicator=column,
                            stage=stage,
                            value=value,
                            file=p.table_names["inputs"],
                            lines=[row.line],
                            column=column,
                        )
                    )
        driver = max(stages, key=lambda st: st.sr)
        contributions = {
            "sr": supply_risk_contributions(
                driver.hhi_gs or 0.0,
                driver.hhi_eu or 0.0,
                driver.gs_weight,
                driver.eol_rir,
                driver.si_sr,
            )
        }
        components: dict[str, Scalar] = {
            "sr_stage": driver.stage,
            "supply_basis": driver.supply_basis,
            "hhi_gs": driver.hhi_gs,
            "hhi_eu": driver.hhi_eu,
            "import_reliance": driver.import_reliance,
            "eol_rir": driver.eol_rir,
            "si_sr": driver.si_sr,
            "si_ei": p.si_ei[i].value if i in p.si_ei else None,
            "sum_aq_meur": None,
            "max_q_meur": None,
            "max_q_sector": None,
        }
        if i in p.si_ei:
            inputs.append(p.si_ei[i])
        if p.value_added:
            top = max(p.value_added, key=lambda sector: p.value_added[sector][0])
            components["max_q_meur"] = p.value_added[top][0]
            components["max_q_sector"] = top
        uses = p.end_uses.get(i, [])
        if uses:
            sector_aq = {u.sector: u.share * p.value_added[u.sector][0] for u in uses}
            components["sum_aq_meur"] = math.fsum(sector_aq.values())
            for u in uses:
                inputs.append(_end_use_ref(p, u.sector, u.share, u.line))
                inputs.append(_value_added_ref(p, u.sector))
            if components["max_q_sector"] not in sector_aq:
                inputs.append(_value_added_ref(p, str(components["max_q_sector"]), "max Q"))
            if i in p.si_ei:
                contributions["ei"] = economic_importance_contributions(
                    sector_aq, float(results["max_q"].reshape(-1)[0]), p.si_ei[i].value
                )
        return MaterialDetail(
            contributions=contributions,
            drivers={"sr": driver.stage},
            components=components,
            stages=stages,
            inputs=inputs,
            missing=list(p.missing.get(i, [])),
        )


def _end_use_ref(p: EuCrmInputs, sector: str, share: float, line: int) -> InputRef:
    return InputRef(
        indicator="end_use_share",
        sector=sector,
        value=share,
        file=p.table_names["end_uses"],
        lines=[line],
        column="share",
    )


def _value_added_ref(p: EuCrmInputs, sector: str, note: str = "") -> InputRef:
    value, line = p.value_added[sector]
    return InputRef(
        indicator="value_added",
        sector=sector,
        value=value,
        file=p.table_names["value_added"],
        lines=[line],
        column="value_added_meur",
        note=note,
    )
