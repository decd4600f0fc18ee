"""Malformed input files: the error names the file, the 1-based line, the column and why."""

from __future__ import annotations

import pytest

from critchem.core.errors import AssessmentInputError
from critchem.criticality import InputFiles, get_methodology
from critchem.criticality.engine import assess as assess_files
from tests.criticality.crit_helpers import HEADER, WriteCsv

GOOD = "m,extraction,GS+EU,0.5,0.1,0.9,0.8,2.0,1.0"


def error_of(files: InputFiles) -> AssessmentInputError:
    with pytest.raises(AssessmentInputError) as info:
        assess_files(get_methodology("eu-crm"), files)
    return info.value


# (row on line 3, column named, words of the reason)
BAD_STAGE_ROWS = [
    ("x,extraction,GS+EU,abc,0.1,0.9,,2.0,1.0", "import_reliance", "'abc' is not import reliance"),
    ("x,extraction,GS+EU,50%,0.1,0.9,,2.0,1.0", "import_reliance", "percentage"),
    ("x,extraction,GS+EU,-0.2,0.1,0.9,,2.0,1.0", "import_reliance", "outside 0.0..1.0"),
    ("x,extraction,GS+EU,0.5,1.2,0.9,,2.0,1.0", "eol_rir", "outside 0.0..1.0"),
    ("x,extraction,GS+EU,0.5,0.1,0.9,,12,1.0", "hhi_wgi_t_gs", "outside 0.0..10.0"),
    ("x,extraction,GS+EU,0.5,0.1,0.9,,nan,1.0", "hhi_wgi_t_gs", "not finite"),
    ("x,mining,GS+EU,0.5,0.1,0.9,,2.0,1.0", "stage", "not one of extraction, processing"),
    ("x,extraction,World,0.5,0.1,0.9,,2.0,1.0", "supply_basis", "not one of GS, EU, GS+EU"),
    (",extraction,GS+EU,0.5,0.1,0.9,,2.0,1.0", "material", "empty cell"),
    ("x,extraction,GS+EU,,0.1,0.9,,2.0,1.0", "import_reliance", "GS+EU needs it"),
    ("x,extraction,GS+EU,0.5,0.1,0.9,,2.0,", "hhi_wgi_t_eu", "GS+EU needs it"),
    ("x,extraction,EU,,0.1,0.9,,2.0,", "hhi_wgi_t_eu", "supply basis EU needs it"),
    ("x,extraction,GS,,,0.9,,2.0,", "eol_rir", "0 is a value"),
    ("x,extraction,GS,,0.1,,,2.0,", "si_sr", "0 is a value"),
    ("m,extraction,GS,,0.1,0.9,,2.0,", "stage", "already given on line 2"),
    ("m,processing,GS,,0.1,0.9,0.7,2.0,", "si_ei", "differs from 0.8 on line 2"),
    ("x,extraction,GS,,0.1,0.9,,2.0,1.0,extra", "hhi_wgi_t_eu", "more cells than columns"),
]


@pytest.mark.parametrize(("row", "column", "why"), BAD_STAGE_ROWS)
def test_bad_stage_row(write_csv: WriteCsv, row: str, column: str, why: str) -> None:
    path = write_csv("inputs.csv", f"{HEADER}\n{GOOD}\n{row}")
    err = error_of(InputFiles(path))
    assert (err.file, err.line, err.column) == ("inputs.csv", 3, column)
    assert str(err).startswith(f"inputs.csv, line 3, column {column!r}: ")
    assert why in str(err)


def test_missing_column(write_csv: WriteCsv) -> None:
    path = write_csv("inputs.csv", HEADER.replace(",si_ei", "") + "\nm,extraction,GS,,0,1,2,")
    err = error_of(InputFiles(path))
    assert (err.line, err.column) == (1, "si_ei") and "missing column" in str(err)


def test_supply_shares_errors(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nm,extraction,GS,,0,1,,,")
    head = "material,stage,scope,country,share,t\n"
    cases = [
        ("m,extraction,GS,CN,0.6,\nm,extraction,GS,ZZ,0.4,", 3, "country", "'ZZ' is not a country"),
        ("m,extraction,GS,CN,0.6,\nm,extraction,GS,FI,0.3,", 2, "share", "sum to 0.9, not 1"),
        ("m,extraction,GS,CN,1.0,-1", 2, "t", "outside"),
        (
            "m,extraction,GS,CN,1.0,\nm,processing,GS,CN,1.0,",
            3,
            "material",
            "no row for 'm' at stage 'processing'",
        ),
        ("m,extraction,Asia,CN,1.0,", 2, "scope", "not one of GS, EU"),
    ]
    for body, line, column, why in cases:
        shares = write_csv("shares.csv", head + body)
        err = error_of(InputFiles(inputs, supply_shares=shares))
        assert (err.file, err.line, err.column) == ("shares.csv", line, column), str(err)
        assert why in str(err)


def test_hhi_given_twice(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nm,extraction,GS,,0,1,,2.0,")
    shares = write_csv("shares.csv", "material,stage,scope,country,share,t\nm,extraction,GS,CN,1,")
    err = error_of(InputFiles(inputs, supply_shares=shares))
    assert (err.file, err.line, err.column) == ("inputs.csv", 2, "hhi_wgi_t_gs")
    assert "keep one" in str(err)


def test_end_use_and_value_added_errors(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nm,extraction,GS,,0,1,0.9,2.0,")
    va = write_csv("va.csv", "sector,value_added_meur\nC20,100\nC28,200")
    cases = [
        ("m,C20,0.5\nm,C27,0.5", "uses.csv", 3, "sector", "C27 is not in the value-added table"),
        ("m,C20,0.5\nm,C28,0.4", "uses.csv", 2, "share", "sum to 0.9, not 1"),
        ("m,C20,0.5\nm,C20,0.5", "uses.csv", 3, "sector", "already has a share in C20"),
        ("m,twenty,1", "uses.csv", 2, "sector", "not a NACE 2-digit sector"),
        ("other,C20,1", "uses.csv", 2, "material", "has no row in inputs.csv"),
    ]
    for body, file, line, column, why in cases:
        uses = write_csv("uses.csv", "material,sector,share\n" + body)
        err = error_of(InputFiles(inputs, end_uses=uses, value_added=va))
        assert (err.file, err.line, err.column) == (file, line, column), str(err)
        assert why in str(err)
    bad_va = write_csv("va2.csv", "sector,value_added_meur\nC20,100\nC20,5")
    uses = write_csv("uses.csv", "material,sector,share\nm,C20,1")
    err = error_of(InputFiles(inputs, end_uses=uses, value_added=bad_va))
    assert (err.file, err.line, err.column) == ("va2.csv", 3, "sector")
    empty_va = write_csv("va3.csv", "sector,value_added_meur\nC20,")
    err = error_of(InputFiles(inputs, end_uses=uses, value_added=empty_va))
    assert (err.line, err.column) == (2, "value_added_meur") and "empty cell" in str(err)


def test_end_uses_need_value_added(write_csv: WriteCsv) -> None:
    inputs = write_csv("inputs.csv", f"{HEADER}\nm,extraction,GS,,0,1,0.9,2.0,")
    uses = write_csv("uses.csv", "material,sector,share\nm,C20,1")
    assert "without a value-added table" in str(error_of(InputFiles(inputs, end_uses=uses)))


def test_blank_lines_are_skipped_and_lines_still_counted(write_csv: WriteCsv) -> None:
    path = write_csv("inputs.csv", f"{HEADER}\n{GOOD}\n\nx,extraction,GS,,0.1,0.9,,oops,")
    err = error_of(InputFiles(path))
    assert (err.line, err.column) == (4, "hhi_wgi_t_gs")
