"""Eurostat PRODCOM: EU sold production by PRODCOM code, its CN8 correspondence and formulas."""

from critchem.production.prodcom.correspondence import (
    Correspondence,
    Link,
    load_correspondence,
    read_correspondence,
)
from critchem.production.prodcom.eu import EuProduction, eu_production
from critchem.production.prodcom.formulas import (
    apparent_consumption,
    import_reliance,
    producer_price,
)
from critchem.production.prodcom.parse import layout_of, normalise_code, parse_prodcom
from critchem.production.prodcom.records import (
    Figure,
    Observation,
    ProdcomParse,
    Rejected,
    flag_status,
)
from critchem.production.prodcom.store import load_parses, save_parse

__all__ = [
    "Correspondence",
    "EuProduction",
    "Figure",
    "Link",
    "Observation",
    "ProdcomParse",
    "Rejected",
    "apparent_consumption",
    "eu_production",
    "flag_status",
    "import_reliance",
    "layout_of",
    "load_correspondence",
    "load_parses",
    "normalise_code",
    "parse_prodcom",
    "producer_price",
    "read_correspondence",
    "save_parse",
]
