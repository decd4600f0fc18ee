"""Coordinated investment: project pipeline, instrument catalogue, eligibility, selection."""

from critchem.investment.eligibility import InstrumentVerdict, Refusal, eligible_instruments
from critchem.investment.instruments import (
    Catalogue,
    Instrument,
    load_catalogue,
    parse_catalogue,
)
from critchem.investment.pipeline import (
    ImportReport,
    Pipeline,
    RowError,
    export_file,
    import_file,
)
from critchem.investment.projects import Project, ProjectVersion, Status, parse_project
from critchem.investment.selection import SelectionResult, load_method, parse_method, select
from critchem.investment.stacking import Award, Context

__all__ = [
    "Award",
    "Catalogue",
    "Context",
    "ImportReport",
    "Instrument",
    "InstrumentVerdict",
    "Pipeline",
    "Project",
    "ProjectVersion",
    "Refusal",
    "RowError",
    "SelectionResult",
    "Status",
    "eligible_instruments",
    "export_file",
    "import_file",
    "load_catalogue",
    "load_method",
    "parse_catalogue",
    "parse_method",
    "parse_project",
    "select",
]
