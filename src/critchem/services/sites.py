"""Critical production sites under given cca classes: the verdicts, chains, shares and losses.

The entry point for the CLI, the API and the dashboard is
:func:`critchem.services.critical_sites.critical_sites`, which takes the classes from the demo
or from the evidence base.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from critchem.criticality.sites import CriticalSite

if TYPE_CHECKING:
    from critchem.criticality.schemas import AssessmentOut
    from critchem.production.registers import PlantCapacity
    from critchem.production.totals import EuTotal

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
NO_PROVENANCE = (
    "not assessed: the chain classes come from an inputs file without provenance; site "
    "verdicts come only from the evidence base (critchem assess -m cca --evidence)"
)
SYNTHETIC_CHAIN = (
    "not assessed: a molecule on the chain was classed from SYNTHETIC or imputed inputs "
    "({molecules})"
)
SHARE_NOTE = (
    "Shares are of the EU capacity listed in the shipped register of the molecule "
    "(register_coverage.tsv), which is not checked to be complete, or, for a molecule whose "
    "register lists only some plants, of the EU total a source publishes "
    "(eu_capacity_totals.csv; the coverage table gives the share of that total the listed "
    "plants account for); no share is computed for a molecule with neither."
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
    coverage: list[dict[str, Any]] = []
    """Per molecule with a published EU total: listed EU capacity, the total and its source."""
    clusters: list[dict[str, Any]] = []
    """Sites coupled by pipeline (site_links.csv), judged together, with their link rows."""
    links: list[dict[str, Any]] = []
    """The sourced couplings used (pipeline and on-site), one per row of site_links.csv."""
    unmatched_links: list[str] = []
    """Link rows whose site has no row in the capacity registers (reported, not judged)."""


def classes_of(assessment: Mapping[str, Any]) -> tuple[dict[str, str], set[str]]:
    """The cca classes of an evidence assessment and its molecules with SYNTHETIC or imputed inputs."""
    materials = assessment["materials"]
    classes = {str(m["molecule"]): str(m.get("class")) for m in materials}
    tainted = {
        str(m["molecule"]) for m in materials if m.get("synthetic_inputs") or m.get("imputed")
    }
    return classes, tainted


def _withheld(site: CriticalSite, *, withhold: str | None, synthetic: set[str]) -> CriticalSite:
    """No verdict on a real site from illustrative, unsourced or synthetic classes."""
    from dataclasses import replace

    if withhold is not None:
        return replace(site, verdict="not assessed", reason=withhold)
    tainted = sorted({m for ms in site.chains.values() for m in ms} & synthetic)
    if tainted:
        return replace(
            site,
            verdict="not assessed",
            reason=SYNTHETIC_CHAIN.format(molecules=", ".join(tainted)),
        )
    return site


def sites_from_classes(
    classes: Mapping[str, str],
    *,
    source: str,
    label: str = "",
    note: str = "",
    synthetic: set[str] | None = None,
    withhold: str | None = None,
) -> CriticalSitesOut:
    """The critical-site assessment of the public registers under the cca ``classes``.

    ``withhold`` (a reason) gives every site "not assessed": the classes come from inputs a
    real site may not be judged on (illustrative, or without provenance). A site whose chain
    holds a molecule of ``synthetic`` is "not assessed" too.
    """
    from collections import Counter
    from dataclasses import replace

    from critchem.criticality.clusters import assess_clusters, attach, unmatched
    from critchem.criticality.sites import assess_sites, load_coupling, load_site_rules
    from critchem.molecules import load_registry
    from critchem.production.links import load_site_links
    from critchem.production.registers import public_capacities, register_coverage
    from critchem.production.totals import eu_totals

    registry = load_registry()
    covered = {(c.register, c.molecule) for c in register_coverage().values()}
    coupling = load_coupling(registry)
    rules = load_site_rules()
    plants = public_capacities()
    totals = {
        m: t
        for m, t in eu_totals().items()
        if m not in {c.molecule for c in register_coverage().values()}
    }
    sites = assess_sites(
        plants,
        classes,
        registry=registry,
        coupling=coupling,
        covered=covered,
        rules=rules,
        published={m: t.capacity_t for m, t in totals.items()},
    )
    links = list(load_site_links().rows)
    clusters = assess_clusters(sites, links, classes, registry=registry, rules=rules)
    clusters = [
        replace(
            c, assessment=_withheld(c.assessment, withhold=withhold, synthetic=synthetic or set())
        )
        for c in clusters
    ]
    sites = attach(sites, clusters, links)
    sites = [_withheld(s, withhold=withhold, synthetic=synthetic or set()) for s in sites]
    return CriticalSitesOut(
        rules=asdict(rules),
        classes_source=source,
        label=label,
        note=note,
        share_note=SHARE_NOTE,
        coupling=[asdict(r) for r in coupling],
        counts=dict(Counter(s.verdict for s in sites)),
        sites=[asdict(s) for s in sites],
        coverage=[coverage_row(m, t, plants) for m, t in sorted(totals.items())],
        clusters=[asdict(c) for c in clusters],
        links=[{**asdict(x), "as_of": x.as_of.text, "site_key": x.site_key} for x in links],
        unmatched_links=unmatched(sites, links),
    )


def coverage_row(molecule: str, total: EuTotal, plants: Sequence[PlantCapacity]) -> dict[str, Any]:
    """How much of a published EU total the listed EU plants of ``molecule`` account for."""
    listed = sum(p.capacity_t or 0.0 for p in plants if p.molecule == molecule and p.eu27)
    return {
        "molecule": molecule,
        "listed_t": listed,
        "units": sum(1 for p in plants if p.molecule == molecule and p.eu27 and p.capacity_t),
        "eu_total_t": total.capacity_t,
        "coverage": listed / total.capacity_t,
        "total_as_of": total.as_of.text,
        "total_source": total.source,
        "total_note": total.note,
    }


def sites_under(assessment: AssessmentOut, *, illustrative: bool) -> dict[str, Any] | None:
    """The sites section of a cca assessment's report (``None`` for another methodology).

    The assessment's inputs are a file, not the evidence base: every site is "not assessed"
    (ILLUSTRATIVE demo inputs, or a file whose provenance is not known); the chains are shown.
    """
    if assessment.methodology != "cca":
        return None
    from critchem.criticality.classes import classify

    classes = {c.material: c.cls for c in classify(assessment)}
    if illustrative:
        out = sites_from_classes(
            classes,
            source="cca demo inputs",
            label=DEMO_LABEL,
            note=DEMO_NOTE,
            withhold=NOT_ASSESSED,
        )
    else:
        out = sites_from_classes(
            classes, source="cca classes of the inputs file", withhold=NO_PROVENANCE
        )
    return out.model_dump(mode="json")
