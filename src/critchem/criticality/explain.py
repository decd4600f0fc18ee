"""Explanations: how much each component contributes to a criterion, and the verdict in words.

Supply risk of one stage, ``SR = [HHI_GS·w + HHI_EU·(1 − w)] · (1 − EoL_RIR) · SI_SR``, splits
into two terms that add up to SR (the global-supply part and the EU-sourcing part) and two
reductions, applied in turn to the concentration term: recycling ``−HHI·EoL_RIR`` and
substitution ``−HHI·(1 − EoL_RIR)·(1 − SI_SR)``.

Economic importance, ``EI = SI_EI · 10 · Σ_s A_s·Q_s / max Q``, splits into one term per sector
``SI_EI · 10 · A_s·Q_s / max Q`` and the substitution reduction ``−10·ΣA·Q/max Q · (1 − SI_EI)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from critchem.criticality.formulas import EI_SCALE
from critchem.criticality.schemas import Contribution, CriterionOut


def _share(value: float, total: float) -> float | None:
    return value / total if total else None


def supply_risk_contributions(
    hhi_gs: float, hhi_eu: float, gs_weight: float, eol_rir: float, si_sr: float
) -> list[Contribution]:
    """The terms and reductions of one stage's supply risk.

    Examples
    --------
    >>> parts = supply_risk_contributions(7.1, 5.7, 0.5, 0.28, 0.9)
    >>> [(p.component, round(p.value, 3)) for p in parts]  # doctest: +NORMALIZE_WHITESPACE
    [('global supply (HHI_GS)', 2.3), ('EU sourcing (HHI_EU)', 1.847),
     ('end-of-life recycling (EoL_RIR)', -1.792), ('substitution (SI_SR)', -0.461)]
    >>> round(sum(p.value for p in parts if p.kind == "term"), 3)
    4.147
    """
    factor = (1.0 - eol_rir) * si_sr
    hhi = hhi_gs * gs_weight + hhi_eu * (1.0 - gs_weight)
    sr = hhi * factor
    out: list[Contribution] = []
    if gs_weight > 0:
        v = hhi_gs * gs_weight * factor
        out.append(
            Contribution(
                component="global supply (HHI_GS)", kind="term", value=v, share=_share(v, sr)
            )
        )
    if gs_weight < 1:
        v = hhi_eu * (1.0 - gs_weight) * factor
        out.append(
            Contribution(
                component="EU sourcing (HHI_EU)", kind="term", value=v, share=_share(v, sr)
            )
        )
    out.append(
        Contribution(
            component="end-of-life recycling (EoL_RIR)", kind="reduction", value=0.0 - hhi * eol_rir
        )
    )
    out.append(
        Contribution(
            component="substitution (SI_SR)",
            kind="reduction",
            value=0.0 - hhi * (1.0 - eol_rir) * (1.0 - si_sr),
        )
    )
    return out


def economic_importance_contributions(
    sector_aq: Mapping[str, float], max_q: float, si_ei: float
) -> list[Contribution]:
    """One term per NACE sector (largest first) and the substitution reduction.

    ``sector_aq`` maps each sector to ``A_s · Q_s`` in M€.

    Examples
    --------
    >>> parts = economic_importance_contributions({"C20": 50.0, "C28": 150.0}, 200.0, 0.8)
    >>> [(p.component, round(p.value, 6), p.share) for p in parts]  # doctest: +NORMALIZE_WHITESPACE
    [('C28', 6.0, 0.75), ('C20', 2.0, 0.25), ('substitution (SI_EI)', -2.0, None)]
    """
    total = sum(sector_aq.values())
    ei = si_ei * EI_SCALE * total / max_q
    out = [
        Contribution(
            component=sector,
            kind="term",
            value=(v := si_ei * EI_SCALE * aq / max_q),
            share=_share(v, ei),
        )
        for sector, aq in sorted(sector_aq.items(), key=lambda kv: -kv[1])
    ]
    out.append(
        Contribution(
            component="substitution (SI_EI)",
            kind="reduction",
            value=0.0 - EI_SCALE * total / max_q * (1.0 - si_ei),
        )
    )
    return out


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def verdict_sentence(
    material: str, criteria: Mapping[str, CriterionOut], critical: bool | None, rule: str
) -> str:
    """The verdict in one sentence, with each criterion against its threshold.

    >>> from critchem.criticality.schemas import CriterionOut
    >>> crits = {"sr": CriterionOut(name="Supply risk", value=4.15, threshold=1.0, met=True,
    ...                             driver="processing"),
    ...          "ei": CriterionOut(name="Economic importance", value=None, threshold=2.8, met=None)}
    >>> verdict_sentence("antimony", crits, None, "all")
    'antimony: undetermined — SR 4.15 ≥ 1 (processing); EI not assessed'
    """
    parts = []
    for cid, crit in criteria.items():
        label = cid.upper()
        if crit.value is None:
            parts.append(f"{label} not assessed")
            continue
        sign = "≥" if crit.met else "<"
        text = f"{label} {_fmt(crit.value)} {sign} {crit.threshold:g}"
        if crit.driver:
            text += f" ({crit.driver})"
        parts.append(text)
    word = {True: "critical", False: "not critical", None: "undetermined"}[critical]
    joiner = "; " if critical is None else (" and " if rule == "all" else " or ")
    return f"{material}: {word} — {joiner.join(parts)}"


def top_terms(criterion: CriterionOut, n: int = 2) -> str:
    """The ``n`` largest terms of a criterion, with their share of its value.

    >>> from critchem.criticality.schemas import Contribution, CriterionOut
    >>> parts = [Contribution(component="a", kind="term", value=1.0),
    ...          Contribution(component="b", kind="term", value=3.0),
    ...          Contribution(component="c", kind="reduction", value=-0.5)]
    >>> top_terms(CriterionOut(name="x", value=4.0, threshold=1.0, met=True,
    ...                        contributions=parts))
    'b 3.00 (75 %), a 1.00 (25 %)'
    """
    terms = [c for c in criterion.contributions if c.kind == "term" and c.value]
    terms.sort(key=lambda c: -abs(c.value))
    total = criterion.value

    def one(c: Contribution) -> str:
        share = f" ({c.value / total:.0%})".replace("%", " %") if total else ""
        return f"{c.component} {c.value:.2f}{share}"

    return ", ".join(one(c) for c in terms[:n])
