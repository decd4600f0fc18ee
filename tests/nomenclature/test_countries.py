"""Countries as Comext codes them, and governance indicators."""

from __future__ import annotations

from datetime import date

import pytest

from critchem.core.errors import UnknownCountryError
from critchem.nomenclature import governance_of, load_countries, load_wgi, wgi_scaled


def test_eu27_membership() -> None:
    countries = load_countries()
    eu = {p.code for p in countries.eu27(date(2025, 1, 1))}
    assert len(eu) == 27
    assert "GR" in eu and "HR" in eu and "GB" not in eu
    assert len(countries.eu27(date(2019, 6, 1))) == 28  # United Kingdom until 31 January 2020
    assert len(countries.eu27(date(2013, 1, 1))) == 27  # before Croatia (1 July 2013)


def test_comext_codes() -> None:
    countries = load_countries()
    assert countries.get("EL").code == "GR"
    assert countries.get("GRC").code == "GR"
    assert countries.from_geonom("1").code == "FR"
    assert countries.from_geonom("004").code == "DE"
    assert countries.from_geonom("720").code == "CN"
    assert countries.get("QA").name == "Qatar" and countries.get("QA").is_geographic
    for q in ("QP", "QQ", "QR", "QS", "QU", "QV", "QW", "QX", "QY", "QZ"):
        assert not countries.get(q).is_geographic
    assert countries.get("QX").is_confidential
    assert countries.get("WORLD").kind == "aggregate"
    with pytest.raises(UnknownCountryError, match="'ZZ'"):
        countries.get("ZZ")


def test_wgi_rescaling_and_values() -> None:
    assert wgi_scaled(-2.5) == 10.0 and wgi_scaled(2.5) == 0.0
    # World Bank WGI 2020, Finland: CC 2.204168, GE 1.948935, PV 0.9446252, RL 2.078883,
    # RQ 1.854752, VA 1.615212 → mean 10.6465752 / 6 = 1.7744292 → (2.5 − 1.7744292) · 2
    assert governance_of("FI").scaled == pytest.approx(1.4511416, abs=1e-6)
    # China: mean −0.2496420 → 5.4992840
    assert governance_of("CN").scaled == pytest.approx(5.499284, abs=1e-6)
    assert len(load_wgi()) > 190
