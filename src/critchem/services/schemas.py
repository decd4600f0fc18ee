"""Public schemas returned by the services, shared by the CLI, the API and the web pages."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Public(BaseModel):
    model_config = ConfigDict(frozen=True)


class CodeLinkOut(_Public):
    """A molecule's link to one CN8 code."""

    cn8: str
    hs6: str
    cn_year: int
    relation: str
    share: float | None
    confidence: str
    source: str
    note: str
    label: str


class ClpEntryOut(_Public):
    """One harmonised classification entry (CLP Annex VI, Table 3)."""

    index_no: str
    chemical_name: str
    hazard_classes: list[str]
    h_codes: list[str]
    notes: str
    atp: str
    celex: str
    in_application: str


class HazardOut(_Public):
    """The harmonised CLP classification of a molecule, shown beside a verdict, never in it."""

    clp: list[str] = []
    h_codes: list[str] = []
    entries: list[ClpEntryOut] = []
    source: str = ""
    note: str = ""


class RegulatoryOut(_Public):
    """One regulatory entry: instrument, status, legal reference, date and source."""

    instrument: str
    status: str
    reference: str
    date: str
    date_is: str = ""
    source_url: str = ""
    note: str = ""


class TaricOut(_Public):
    """A TARIC ten-digit code that a trade measure uses for the molecule."""

    taric10: str
    cn8: str
    measure: str
    reference: str
    date: str
    source_url: str
    note: str = ""


class MoleculeOut(_Public):
    """A molecule with its customs codes."""

    id: str | None
    cas: str
    name: str
    in_registry: bool
    ec: str | None = None
    formula: str | None = None
    synonyms: list[str] = []
    value_chain: str | None = None
    sectors: list[str] = []
    feedstocks: list[str] = []
    products: list[str] = []
    tags: list[str] = []
    cn8: list[str] = []
    hs6: list[str] = []
    codes: list[CodeLinkOut] = []
    hazard: HazardOut | None = None
    regulatory: list[RegulatoryOut] = []
    taric: list[TaricOut] = []
    source: str = "registry"


class SearchHit(_Public):
    """One search result."""

    id: str
    cas: str
    name: str
    matched_on: str
    score: float
    cn8: list[str]


class CodeParent(_Public):
    """A level above a code (chapter, heading, HS subheading, CN subheading)."""

    level: str
    code: str
    description: str


class CodeCorrespondence(_Public):
    """A code of another nomenclature or year that corresponds to the code shown."""

    nomenclature: str
    code: str
    relationship: str


class CodeMolecule(_Public):
    """A molecule under a code, with how it is linked."""

    id: str
    cas: str
    name: str
    cn8: str
    relation: str
    share: float | None
    confidence: str


class CodeOut(_Public):
    """A CN8 or HS6 code with its label, parents, correspondences and molecules."""

    code: str
    kind: str
    nomenclature: str
    label: str
    label_language: str = Field(
        default="en",
        description="Language of `label`: the one asked for, or `en` where the Combined "
        "Nomenclature's text in that language could not be sourced (then `label_fallback`).",
    )
    label_fallback: bool = False
    description: str
    supplementary_unit: str | None = None
    parents: list[CodeParent] = []
    children: list[str] = []
    correspondences: list[CodeCorrespondence] = []
    molecules: list[CodeMolecule] = []
