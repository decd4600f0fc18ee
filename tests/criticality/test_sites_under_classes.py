"""Critical sites under a given set of classes: real registers, verdicts withheld as the rules say.

The classes are hand-made for the test (they are not anyone's assessment); the registers are
the shipped public ones (PyPSA-Eur ammonia plants: EU total 12,896 kt).
"""

from __future__ import annotations

from critchem.services.sites import NO_PROVENANCE, classes_of, sites_from_classes


def _site(out: object, name: str) -> dict[str, object]:
    return next(s for s in out.sites if s["site"] == name)  # type: ignore[attr-defined]


def test_a_site_over_the_share_cuts_a_critical_chain() -> None:
    out = sites_from_classes({"ammonia": "critical"}, source="test classes")
    # Yara Sluiskil 1,700 of 12,896 kt = 13.2 % >= 10 %
    yara = _site(out, "Yara Sluiskil")
    assert yara["verdict"] == "critical" and "ammonia 13% of EU capacity" in str(yara["reason"])
    assert out.counts["critical"] >= 1


def test_synthetic_or_imputed_classes_and_unsourced_inputs_give_no_verdict() -> None:
    assessment = {
        "materials": [
            {"molecule": "ammonia", "class": "critical", "synthetic_inputs": ["x"]},
            {"molecule": "urea", "class": "not critical", "imputed": {"method": "range"}},
            {"molecule": "methanol", "class": "not critical", "synthetic_inputs": []},
        ]
    }
    classes, tainted = classes_of(assessment)
    assert classes["ammonia"] == "critical" and tainted == {"ammonia", "urea"}
    out = sites_from_classes(classes, source="test", synthetic=tainted)
    yara = _site(out, "Yara Sluiskil")
    assert yara["verdict"] == "not assessed" and "SYNTHETIC or imputed" in str(yara["reason"])
    withheld = sites_from_classes(classes, source="test", withhold=NO_PROVENANCE)
    assert set(withheld.counts) == {"not assessed"}


def test_an_undetermined_chain_leaves_a_large_site_undetermined() -> None:
    # hydrogen cyanide is made from ammonia; its class unknown, Yara Sluiskil could cut it
    out = sites_from_classes({"hydrogen-cyanide": "undetermined"}, source="test")
    yara = _site(out, "Yara Sluiskil")
    assert yara["verdict"] == "undetermined" and "hydrogen-cyanide" in str(yara["reason"])
    # a small ammonia plant cannot cut any chain alone: not critical (Kavala 165 kt = 1.3 %)
    small = next(s for s in out.sites if s["company"].startswith("Kavala"))
    assert small["verdict"] == "not critical"
