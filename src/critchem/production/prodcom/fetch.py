"""Downloading PRODCOM: the dissemination API (SDMX-CSV) and the EUROPROMS bulk archives.

Downloading is kept apart from parsing and uses the same machinery as the Comext downloads
(:func:`critchem.trade.fetch.download`): resumable ``.part`` files, a provenance sidecar
``<name>.json`` (URL, size, SHA-256, retrieval time), no second download of a complete file.

- API: Eurostat serves PRODCOM on the Comext dissemination host,
  ``/eurostat/api/comext/dissemination/sdmx/2.1/data/<dataset>/<key>?...&format=SDMX-CSV``
  with the key ``freq.reporter.product.indicators`` (``A.EU27_2020+DE..PRODVAL+PRODQNT``; an
  empty position means all codes). DS-059358 is the current dataset of sold production,
  exports and imports; it replaced DS-056120. One extraction is capped by Eurostat (about
  5 million points), so ask per year and a few reporters.
- Bulk: the EUROPROMS archives (``epannsold-r2.zip``, sold production by PRODCOM list, NACE
  Rev. 2) in the ``comext/COMEXT_OTHER_DATA/EUROPROMS`` folder of the file dissemination API.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import httpx

from critchem.trade.fetch import download

PRODCOM_API_URL = "https://ec.europa.eu/eurostat/api/comext/dissemination/sdmx/2.1/data/"
"""Comext dissemination API (SDMX 2.1) that serves the PRODCOM datasets."""
PRODCOM_DATASET = "DS-059358"
PRODCOM_BULK_URL = (
    "https://ec.europa.eu/eurostat/api/dissemination/files?file="
    "comext%2FCOMEXT_OTHER_DATA%2FEUROPROMS%2F"
)
"""File dissemination API, EUROPROMS folder; the archive name is appended."""
PRODCOM_BULK_FILE = "epannsold-r2.zip"
INDICATORS = ("PRODVAL", "PVALFLAG", "PRODQNT", "PQNTFLAG", "QNTUNIT", "EXPVAL", "IMPVAL")
"""The indicators critchem reads (see ``parse.USED``)."""
DEFAULT_REPORTERS = ("EU27_2020",)


def prodcom_api_url(
    year: int,
    *,
    reporters: Sequence[str] = DEFAULT_REPORTERS,
    products: Sequence[str] = (),
    dataset: str = PRODCOM_DATASET,
    base_url: str = PRODCOM_API_URL,
) -> str:
    """The SDMX-CSV request of one year.

    >>> prodcom_api_url(2023, products=["20141130"])  # doctest: +NORMALIZE_WHITESPACE
    'https://ec.europa.eu/eurostat/api/comext/dissemination/sdmx/2.1/data/DS-059358/A.EU27_2020.20141130.PRODVAL+PVALFLAG+PRODQNT+PQNTFLAG+QNTUNIT+EXPVAL+IMPVAL?startPeriod=2023&endPeriod=2023&format=SDMX-CSV'
    """
    key = ".".join(["A", "+".join(reporters), "+".join(products), "+".join(INDICATORS)])
    return (
        f"{base_url}{quote(dataset)}/{quote(key, safe='+.')}"
        f"?startPeriod={year}&endPeriod={year}&format=SDMX-CSV"
    )


def fetch_prodcom_api(
    years: Sequence[int],
    dest: Path,
    *,
    reporters: Sequence[str] = DEFAULT_REPORTERS,
    products: Sequence[str] = (),
    dataset: str = PRODCOM_DATASET,
    base_url: str = PRODCOM_API_URL,
    client: httpx.Client | None = None,
) -> list[Path]:
    """Download one SDMX-CSV file per year: ``prodcom_<dataset>_<year>.csv`` in ``dest``."""
    paths = []
    for year in years:
        url = prodcom_api_url(
            year, reporters=reporters, products=products, dataset=dataset, base_url=base_url
        )
        name = f"prodcom_{dataset}_{year}.csv"
        paths.append(Path(download(url, dest / name, client=client).path))
    return paths


def fetch_prodcom_bulk(
    dest: Path,
    *,
    name: str = PRODCOM_BULK_FILE,
    base_url: str = PRODCOM_BULK_URL,
    client: httpx.Client | None = None,
    sha256: str | None = None,
) -> Path:
    """Download a EUROPROMS bulk archive (read by ``parse_prodcom`` as it is, zipped)."""
    return Path(download(base_url + quote(name), dest / name, client=client, sha256=sha256).path)
