"""Hazard and regulatory status of a molecule: the public view of ``molecules.hazard``."""

from __future__ import annotations

from critchem.molecules.hazard import CLP_SOURCE, clp_classes, clp_of, regulatory_of
from critchem.molecules.taric import load_taric
from critchem.services.schemas import ClpEntryOut, HazardOut, RegulatoryOut, TaricOut

NO_ENTRY = "no entry in CLP Annex VI (no harmonised classification; self-classification may apply)"


def hazard_out(molecule_id: str) -> HazardOut:
    """The harmonised CLP classification of a registry molecule, with its source."""
    entries = clp_of(molecule_id)
    h_codes: list[str] = []
    for entry in entries:
        h_codes += [h for h in entry.h_codes if h not in h_codes]
    return HazardOut(
        clp=clp_classes(entries),
        h_codes=h_codes,
        entries=[
            ClpEntryOut(
                index_no=e.index_no,
                chemical_name=e.chemical_name,
                hazard_classes=list(e.hazard_classes),
                h_codes=list(e.h_codes),
                notes=e.notes,
                atp=e.atp,
                celex=e.celex,
                in_application=e.in_application,
            )
            for e in entries
        ],
        source=CLP_SOURCE,
        note="" if entries else NO_ENTRY,
    )


def regulatory_out(molecule_id: str) -> list[RegulatoryOut]:
    """The regulatory entries of a registry molecule, newest first, each with its source."""
    return [
        RegulatoryOut(
            instrument=e.instrument,
            status=e.status,
            reference=e.reference,
            date=e.date,
            date_is=e.date_is,
            source_url=e.source_url,
            note=e.note,
        )
        for e in regulatory_of(molecule_id)
    ]


def taric_out(molecule_id: str) -> list[TaricOut]:
    """The TARIC ten-digit codes that trade measures use for a registry molecule."""
    return [
        TaricOut(
            taric10=t.taric10,
            cn8=t.cn8,
            measure=t.measure,
            reference=t.reference,
            date=t.date,
            source_url=t.source_url,
            note=t.note,
        )
        for t in load_taric().get(molecule_id, ())
    ]
