"""Writing one benchmark's section of ``bench/RESULTS.md`` without touching the others."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(marker: str, text: str, path: Path = RESULTS) -> None:
    """Replace the section between ``<!-- marker -->`` and ``<!-- /marker -->`` (or append it).

    ``text`` is the whole section, markers included.
    """
    start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        updated = before + text.rstrip("\n") + "\n" + ("\n" + after if after else "")
    else:
        updated = current.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    path.write_text(updated, encoding="utf-8")
