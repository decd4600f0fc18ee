"""The compiled copies of the reference tables: keyed by file hash, rebuilt when damaged."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest

from critchem.nomenclature import _compiled
from critchem.nomenclature._compiled import cache_dir, compiled, compiled_part
from critchem.nomenclature.cn import _compile_cn, cn_sources, load_cn

SOURCE = [("critchem.nomenclature", "hs_sections.csv")]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRITCHEM_CACHE_DIR", str(tmp_path))
    return tmp_path / "reference"


def test_first_use_builds_and_writes_the_copy_with_its_provenance(cache: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"rows": 3}

    assert compiled("sections", SOURCE, build) == {"rows": 3}
    assert compiled("sections", SOURCE, build) == {"rows": 3}
    assert len(calls) == 1
    (path,) = cache.glob("sections-*.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    raw = resources.files("critchem.nomenclature").joinpath("data", "hs_sections.csv")
    expected = hashlib.sha256(raw.read_bytes()).hexdigest()
    assert document["sources"] == {"critchem.nomenclature/data/hs_sections.csv": expected}


def test_a_changed_source_or_format_is_compiled_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert compiled("sections", SOURCE, lambda: 1) == 1
    assert compiled("sections", SOURCE, lambda: 2, version=2) == 2
    monkeypatch.setattr(_compiled, "source_hashes", lambda sources: {"x": "changed"})
    assert compiled("sections", SOURCE, lambda: 3) == 3
    assert len(list(cache.glob("sections-*.json"))) == 3


def test_a_damaged_copy_is_built_again(cache: Path) -> None:
    compiled("sections", SOURCE, lambda: [1, 2])
    (path,) = cache.glob("sections-*.json")
    path.write_text("{not json", encoding="utf-8")
    assert compiled("sections", SOURCE, lambda: [1, 2]) == [1, 2]
    assert json.loads(path.read_text(encoding="utf-8"))["data"] == [1, 2]


def test_an_unwritable_cache_folder_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CRITCHEM_CACHE_DIR", str(blocker))
    assert cache_dir() == blocker / "reference"
    assert compiled("sections", SOURCE, lambda: "built") == "built"


def test_the_compiled_cn_is_the_parsed_cn(cache: Path) -> None:
    """The copy read back gives the same rows as parsing the shipped files."""
    fresh = _compile_cn(2025)
    first = compiled("cn2025", cn_sources(2025), lambda: _compile_cn(2025))
    again = compiled("cn2025", cn_sources(2025), lambda: pytest.fail("not read from the cache"))
    assert first == again == fresh
    ethylene = next(r for r in again["rows"] if r[0] == "29012100")
    assert ethylene[2] == "Acyclic hydrocarbons › Ethylene"


def test_the_cn_in_parts_reads_one_chapter_for_a_look_up(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A look-up reads the index and its chapter; iterating reads every chapter, in order."""
    load_cn.cache_clear()
    try:
        first = load_cn(2025)
        (folder,) = cache.glob("cn2025-*")
        assert (folder / "index.json").exists() and (folder / "29.json").exists()
        load_cn.cache_clear()
        read: list[str] = []
        original = _compiled.json.loads

        def spy(raw: bytes) -> object:
            document = original(raw)
            read.append(document.get("part"))
            return document

        monkeypatch.setattr(_compiled.json, "loads", spy)
        cn = load_cn(2025)
        assert cn.get("29012100").label == "Acyclic hydrocarbons › Ethylene"
        assert read == ["index", "29"]
        monkeypatch.undo()
        fresh = _compile_cn(2025)["rows"]
        assert [e.code for e in cn] == [r[0] for r in fresh]
        assert [e.label for e in cn] == [r[2] for r in fresh]
        assert len(cn) == len(first) == len(fresh)
        assert "29012199" not in cn
    finally:
        load_cn.cache_clear()


def test_a_part_the_table_does_not_have_is_none_without_building_again(cache: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, object]:
        calls.append(1)
        return {"29": [["29012100"]], "index": ["29"]}

    assert compiled_part("parts", SOURCE, build, "29") == [["29012100"]]
    assert compiled_part("parts", SOURCE, build, "77") is None
    assert compiled_part("parts", SOURCE, build, "index") == ["29"]
    assert calls == [1]
