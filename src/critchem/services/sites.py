"""Critical production sites, for the CLI, the API and the dashboard (one service)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import BaseModel, ConfigDict

from critchem.criticality.sites import CriticalSite
from critchem.settings import Settings

DEMO_LABEL = "ILLUSTRATIVE"
DEMO_NOTE = (
    "The chains shown follow the cca classes of the ILLUSTRATIVE demo inputs (contributors' "
    "figures, not data), so no verdict is given to any site: the sites, capacities, shares, "
    "dates and co-products are real and sourced, the chains are an illustration. Pass "
    "--evidence-year for verdicts from the evidence base."
)
NOT_ASSESSED = (
    "not assessed: the chain classes come from ILLUSTRATIVE inputs and no status is attached "
    "to a real site from them"
)
SYNTHETIC_CHAIN = (
    "not assessed: a molecule on the chain was classed from SYNTHETIC inputs ({molecules})"
)
SHARE_NOTE = (
    "Shares are of the EU capacity listed in the shipped register of the molecule "
    "(register_coverage.tsv), which is not checked to be complete; no share is computed for a "
    "molecule without such a register."
)


class CriticalSitesOut(BaseModel):
    """The critical-site assessment: every site with its verdict, chains, shares and losses."""

    model_config = ConfigDict(frozen=True)

    rules: dict[str, Any]
    classes_source: str
    label: str
    note: str
    share_note: str
    coupling: list[dict[str, Any]]
    counts: dict[str, int]
    sites: list[dict[str, Any]]


def _classes_demo() -> dict[str, str]:
    from critchem.criticality.classes import classify
    from critchem.services.criticality import assess_demo

    return {c.material: c.cls for c in classify(assess_demo("cca"))}


def _classes_evidence(settings: Settings, year: int) -> tuple[dict[str, str], set[str]]:
    from critchem.services import evidence

    out = evidence.assess(settings, year=year)
    classes = {str(m["molecule"]): str(m.get("class")) for m in out["materials"]}
    synthetic = {str(m["molecule"]) for m in out["materials"] if m.get("synthetic_inputs")}
    return classes, synthetic


def _withheld(site: CriticalSite, *, demo: bool, synthetic: set[str]) -> CriticalSite:
    """No verdict on a real site from illustrative or synthetic classes."""
    from dataclasses import replace

    if demo:
        return replace(site, verdict="not assessed", reason=NOT_ASSESSED)
    tainted = sorted({m for ms in site.chains.values() for m in ms} & synthetic)
    if tainted:
        return replace(
            site,
            verdict="not assessed",
            reason=SYNTHETIC_CHAIN.format(molecules=", ".join(tainted)),
        )
    return site


def critical_sites(
    *, settings: Settings | None = None, evidence_year: int | None = None
) -> CriticalSitesOut:
    """Every EU site of the public capacity registers with its critical-site verdict.

    Without ``evidence_year`` the chains come from the ILLUSTRATIVE demo assessment (labelled);
    with it, from the cca classes of the evidence build of that year.
    """
    from collections import Counter

    from critchem.criticality.sites import assess_sites, load_coupling, load_site_rules
    from critchem.molecules import load_registry
    from critchem.production.registers import public_capacities, register_coverage

    registry = load_registry()
    synthetic: set[str] = set()
    if evidence_year is None:
        classes, source, label, note = _classes_demo(), "cca demo inputs", DEMO_LABEL, DEMO_NOTE
    else:
        classes, synthetic = _classes_evidence(settings or Settings(), evidence_year)
        source, label, note = f"cca from the evidence of {evidence_year}", "", ""
    covered = {(c.register, c.molecule) for c in register_coverage().values()}
    coupling = load_coupling(registry)
    rules = load_site_rules()
    sites = assess_sites(
        public_capacities(),
        classes,
        registry=registry,
        coupling=coupling,
        covered=covered,
        rules=rules,
    )
    sites = [_withheld(s, demo=evidence_year is None, synthetic=synthetic) for s in sites]
    return CriticalSitesOut(
        rules=asdict(rules),
        classes_source=source,
        label=label,
        note=note,
        share_note=SHARE_NOTE,
        coupling=[asdict(r) for r in coupling],
        counts=dict(Counter(s.verdict for s in sites)),
        sites=[asdict(s) for s in sites],
    )
