"""Critical production sites, for the CLI, the API and the dashboard (one service).

The classes of the chains come from the ILLUSTRATIVE demo assessment or from the evidence
base; the sites are judged under them by :func:`critchem.services.sites.sites_from_classes`.
"""

from __future__ import annotations

from critchem.core.settings import Settings
from critchem.services.sites import (
    DEMO_LABEL,
    DEMO_NOTE,
    NOT_ASSESSED,
    CriticalSitesOut,
    classes_of,
    sites_from_classes,
)


def _classes_demo() -> dict[str, str]:  # the demo assessment is cached by its service
    from critchem.criticality.classes import classify
    from critchem.services.criticality import assess_demo

    return {c.material: c.cls for c in classify(assess_demo("cca"))}


def _classes_evidence(settings: Settings, year: int) -> tuple[dict[str, str], set[str]]:
    from critchem.services import evidence

    return classes_of(evidence.assess(settings, year=year))


def critical_sites(
    *, settings: Settings | None = None, evidence_year: int | None = None
) -> CriticalSitesOut:
    """Every EU site of the public capacity registers with its critical-site verdict.

    Without ``evidence_year`` the chains come from the ILLUSTRATIVE demo assessment (labelled);
    with it, from the cca classes of the evidence build of that year.
    """
    if evidence_year is None:
        return sites_from_classes(
            _classes_demo(),
            source="cca demo inputs",
            label=DEMO_LABEL,
            note=DEMO_NOTE,
            withhold=NOT_ASSESSED,
        )
    classes, synthetic = _classes_evidence(settings or Settings(), evidence_year)
    return sites_from_classes(
        classes, source=f"cca from the evidence of {evidence_year}", synthetic=synthetic
    )
