"""Reference nomenclatures: HS, CN, their concordances, countries and governance indicators."""

from critchem.nomenclature.cn import CnEntry, CombinedNomenclature, full_label, load_cn
from critchem.nomenclature.codes import (
    CN_YEARS,
    CasNumber,
    CnCode,
    EcNumber,
    Hs6Code,
    cas_check_digit,
    ec_check_digit,
    normalise_code,
)
from critchem.nomenclature.correlation import Link, cn_changes, convert_cn, convert_hs
from critchem.nomenclature.countries import Countries, Partner, load_countries
from critchem.nomenclature.governance import Governance, governance_of, load_wgi, wgi_scaled
from critchem.nomenclature.hs import HS_EDITIONS, HsEntry, HsNomenclature, load_hs

__all__ = [
    "CN_YEARS",
    "HS_EDITIONS",
    "CasNumber",
    "CnCode",
    "CnEntry",
    "CombinedNomenclature",
    "Countries",
    "EcNumber",
    "Governance",
    "Hs6Code",
    "HsEntry",
    "HsNomenclature",
    "Link",
    "Partner",
    "cas_check_digit",
    "cn_changes",
    "convert_cn",
    "convert_hs",
    "ec_check_digit",
    "full_label",
    "governance_of",
    "load_cn",
    "load_countries",
    "load_hs",
    "load_wgi",
    "normalise_code",
    "wgi_scaled",
]
