"""The production-site register: the shipped Hotmaps extract, its parser and its aggregates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from critchem.production import load_sites, parse_point, parse_sites, read_sites, sites_per_country

HEADER = (
    '"SiteID";"CompanyName";"SiteName";"Address";"CityCode";"City";"Country";"geom";'
    '"Subsector";"DataSource";"Emissions_ETS_2014";"Emissions_EPRTR_2014";"Production"'
)


def test_the_bundled_extract_holds_the_626_chemical_sites_of_hotmaps() -> None:
    # The Hotmaps industrial database 2014 counts 626 sites in subsector "Chemical industry".
    load = load_sites()
    assert load.rows_read == 626 == len(load.sites) + len(load.rejected)
    assert load.rejected == ()
    assert {s.subsector for s in load.sites} == {"Chemical industry"}
    germany = [s for s in load.sites if s.country == "DE"]
    assert len(germany) == 129
    assert sum(1 for s in load.sites if s.country == "NL") == 48  # spelt "Netherland" there


def test_known_source_errors_are_corrected_with_their_reason() -> None:
    (kutina,) = [s for s in load_sites().sites if s.site_id == "555"]
    assert kutina.country == "HR" and kutina.eu27
    assert "Liechtenstein" in kutina.corrections[0]
    schwechat = next(s for s in load_sites().sites if s.site_id == "13")
    assert (schwechat.company, schwechat.country) == ("Borealis AG", "AT")
    assert (schwechat.lon, schwechat.lat) == (16.520111, 48.136)
    assert schwechat.emissions_ets_2014_t == 14510.0
    assert not any(s.eu27 for s in load_sites().sites if s.country in {"NO", "CH", "GB"})


def test_bad_rows_are_rejected_with_line_and_reason_and_the_rest_kept(tmp_path: Path) -> None:
    rows = [
        '1;"A";"A site";"";"";"X";"Germany";"SRID=4326;POINT(8.5 49.5)";"Chemical industry";"";1;;',
        '2;"B";"B site";"";"";"Y";"Atlantis";"SRID=4326;POINT(8.5 49.5)";"Chemical industry";"";;;',
        '3;"C";"C site";"";"";"Z";"France";"SRID=4326;POINT(200 49.5)";"Chemical industry";"";;;',
        '4;"";"";"";"";"Z";"France";"";"Chemical industry";"";;;',
        '5;"D";"D site";"";"";"Z";"France";"";"Chemical industry";"";"lots";;',
        '6;"E";"E site";"";"";"Z";"France";"";"Cement";"";;;',
        '7;"F";"F site";"";"";"Z";"France";"";"Chemical industry";"";;;',
    ]
    path = tmp_path / "sites.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    load = read_sites(path)
    assert load.rows_read == 6 == len(load.sites) + len(load.rejected)  # the cement row is left out
    assert [s.site_id for s in load.sites] == ["1", "7"]
    assert not load.sites[1].located
    reasons = {r.site_id: (r.line, r.reason) for r in load.rejected}
    assert reasons["2"] == (3, "country 'Atlantis' is not in country_labels.tsv")
    assert reasons["3"][0] == 4 and "outside" in reasons["3"][1]
    assert "neither a company nor a site" in reasons["4"][1]
    assert "Emissions_ETS_2014 'lots' is not a number" in reasons["5"][1]
    assert "read 6 = kept 2 + rejected 4" in load.summary()


def test_a_file_of_another_layout_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"missing columns .*geom"):
        parse_sites("SiteID;CompanyName\n1;A\n", source="x.csv")


@given(st.floats(-180, 180), st.floats(-90, 90))
def test_points_round_trip(lon: float, lat: float) -> None:
    assert parse_point(f"SRID=4326;POINT({lon!r} {lat!r})") == (lon, lat)


def test_country_aggregates_suppress_fewer_than_three_companies() -> None:
    aggregates = {a.country: a for a in sites_per_country(load_sites().sites)}
    assert aggregates["DE"].sites == 129 and not aggregates["DE"].suppressed
    assert aggregates["DE"].emissions_ets_2014_t is not None
    # One site in Greece (Kavala): its emissions would disclose one company's figure.
    assert aggregates["GR"].sites == 1
    assert aggregates["GR"].suppressed and aggregates["GR"].emissions_ets_2014_t is None
