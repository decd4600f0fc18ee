"""Criticality assessment: methodologies as plug-ins, explanations, sensitivity, comparison.

The registry lives in :mod:`critchem.criticality.registry` (``register``, ``get_methodology``,
``methodologies``); the package re-exports all but ``methodologies``, whose name is taken by the
subpackage that holds the shipped methodologies.

>>> from critchem.criticality import get_methodology
>>> get_methodology("eu-crm").version
'2017'
"""

from critchem.criticality.base import (
    InputFiles,
    MaterialDetail,
    Methodology,
    Prepared,
)
from critchem.criticality.compare import compare_assessments
from critchem.criticality.demo import demo_files
from critchem.criticality.registry import get_methodology, register
from critchem.criticality.schemas import AssessmentOut, ComparisonOut, MaterialOut
from critchem.criticality.sensitivity import SensitivityResult, monte_carlo
from critchem.criticality.spec import MethodologySpec, parse_spec, read_spec

__all__ = [
    "AssessmentOut",
    "ComparisonOut",
    "InputFiles",
    "MaterialDetail",
    "MaterialOut",
    "Methodology",
    "MethodologySpec",
    "Prepared",
    "SensitivityResult",
    "compare_assessments",
    "demo_files",
    "get_methodology",
    "monte_carlo",
    "parse_spec",
    "read_spec",
    "register",
]
