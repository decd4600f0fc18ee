"""Derive the CN year-to-year continuity table shipped as ``cn_continuity.tsv``.

For each pair of consecutive CN years, codes that disappear and codes that appear are matched
within the same HS6 subheading (the HS 2022 edition is shared by CN 2024-2026, so a CN change
inside an HS6 is a split, a merger or a recoding of the CN8 subdivisions). The relationship is
that of the group: 1:1 (recoded), 1:n (split), n:1 (merged), n:n. A code with no partner in its
HS6 is listed as ``disappeared`` or ``appeared``. Codes present in both years are unchanged and
are not listed. Eurostat's official CN correlation tables take precedence where available.

Run: ``python scripts/build_cn_continuity.py`` (rewrites the file in the package data).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from critchem.nomenclature.cn import load_cn
from critchem.nomenclature.codes import CN_YEARS

OUT = Path(__file__).resolve().parents[1] / "src/critchem/nomenclature/data/cn_continuity.tsv"


def main() -> None:
    rows: list[dict[str, str]] = []
    for y1, y2 in pairwise(CN_YEARS):
        a = {e.code for e in load_cn(y1)}
        b = {e.code for e in load_cn(y2)}
        gone: dict[str, list[str]] = defaultdict(list)
        new: dict[str, list[str]] = defaultdict(list)
        for code in sorted(a - b):
            gone[code[:6]].append(code)
        for code in sorted(b - a):
            new[code[:6]].append(code)
        for hs6 in sorted(set(gone) | set(new)):
            olds, news = gone.get(hs6, []), new.get(hs6, [])
            if not news:
                rel = "disappeared"
            elif not olds:
                rel = "appeared"
            else:
                rel = f"{'1' if len(olds) == 1 else 'n'}:{'1' if len(news) == 1 else 'n'}"
            for old in olds or [""]:
                for nxt in news or [""]:
                    rows.append(
                        {
                            "from_year": str(y1),
                            "from_cn8": old,
                            "to_year": str(y2),
                            "to_cn8": nxt,
                            "relationship": rel,
                            "hs6": hs6,
                        }
                    )
    with OUT.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows written to {OUT.name}")


if __name__ == "__main__":
    main()
