"""Trade services for the command line and the API: ingest files, fetch provider files.

Plain functions over the trade store and the downloaders; the interfaces wire them up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from critchem.core.errors import FetchError
from critchem.trade.fetch import (
    BACI_RELEASE,
    BACI_URL,
    COMEXT_BULK_URL,
    COMTRADE_URL,
    fetch_baci,
    fetch_comext,
    fetch_comtrade,
    periods_between,
)
from critchem.trade.loads import LoadReport
from critchem.trade.store import TradeStore

PROVIDERS = ("comext", "baci", "comtrade", "prodcom")
"""Providers ``fetch`` knows."""
DATA_SUFFIXES = (".dat", ".csv", ".txt", ".tsv", ".gz", ".7z")
"""Files picked up when ``ingest_paths`` is given a folder."""


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            files.extend(
                sorted(
                    p for p in item.iterdir() if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                )
            )
        else:
            files.append(item)
    return files


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    store_root: str | Path,
    fmt: str = "auto",
    progress: bool = True,
) -> list[LoadReport]:
    """Ingest trade files (or every data file of a folder) into the store at ``store_root``.

    Parameters
    ----------
    paths
        Files (plain, ``.gz`` or ``.7z``) or folders.
    store_root
        The store folder (created if needed).
    fmt
        A source name (``comext_bulk``, ``comext_sdmx``, ``baci``, ``comtrade``,
        ``surveillance``) or ``auto`` to recognise each file by its header.
    progress
        Show progress bars and print each reconciliation line.

    Returns
    -------
    list of LoadReport
        One per file, in order; a file loaded before is reported ``skipped``. The trade of
        the molecule pages is then precomputed (:mod:`critchem.services.trade_pages`).

    Raises
    ------
    IngestError, TradeFormatError
        At the first file that cannot be loaded (the files before it stay loaded).
    """
    with TradeStore(store_root) as store:
        reports = [store.ingest(path, source=fmt, progress=progress) for path in _expand(paths)]
    from critchem.services import trade_pages

    try:
        trade_pages.precompute(Path(store_root))
    except Exception:  # the loads are committed; the pages are then computed when viewed
        logging.getLogger(__name__).exception("precomputing the molecule pages' trade failed")
    return reports


def fetch(
    provider: str,
    *,
    start: str,
    end: str,
    dest: str | Path,
    base_url: str | None = None,
    revision: str = "HS92",
    release: str = BACI_RELEASE,
    reporters: Sequence[str] = (),
    subscription_key: str | None = None,
    refresh: bool = False,
) -> list[Path]:
    """Download a provider's files for the periods from ``start`` to ``end`` into ``dest``.

    Parameters
    ----------
    provider
        ``comext`` (bulk archives: months ``2024-01`` .. ``2024-03``, or years ``2023`` for
        the annual files), ``baci`` (years, of release ``release`` and HS ``revision``) or
        ``comtrade`` (years or months of the ``reporters``, M49 codes; needs
        ``subscription_key``) or ``prodcom`` (years of Eurostat PRODCOM DS-059358 as
        SDMX-CSV, for the ``reporters`` given or ``EU27_2020``; load them with
        ``critchem prodcom load``).
    start, end
        The first and last period, both months (``YYYY-MM``) or both years (``YYYY``).
    dest
        The download folder (also the cache: complete files are not downloaded again).
    base_url
        Another server than the provider's (a mirror, or a test server).
    refresh
        Comext: ask the server whether months already downloaded were revised
        (``ETag``/``Last-Modified``) and fetch the revised ones again.

    Returns
    -------
    list of Path
        The files ready to ingest.

    Raises
    ------
    FetchError
        On an unknown provider, a missing key, or a failed download.
    """
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    periods = periods_between(start, end)
    if provider == "comext":
        return fetch_comext(periods, folder, base_url=base_url or COMEXT_BULK_URL, refresh=refresh)
    if provider == "baci":
        years = [int(period[:4]) for period in periods]
        return fetch_baci(
            dest=folder,
            revision=revision,
            release=release,
            years=sorted(set(years)),
            base_url=base_url or BACI_URL,
        )
    if provider == "comtrade":
        if not subscription_key:
            raise FetchError(
                "UN Comtrade needs a subscription key (free at comtradedeveloper.un.org)"
            )
        if not reporters:
            raise FetchError("UN Comtrade: name at least one reporter (M49 code, e.g. 842)")
        freq = "A" if len(periods[0]) == 4 else "M"
        return fetch_comtrade(
            dest=folder,
            reporters=reporters,
            periods=[period.replace("-", "") for period in periods],
            subscription_key=subscription_key,
            freq=freq,
            base_url=base_url or COMTRADE_URL,
        )
    if provider == "prodcom":
        from critchem.production.prodcom.fetch import (
            DEFAULT_REPORTERS,
            PRODCOM_API_URL,
            fetch_prodcom_api,
        )

        years = sorted({int(period[:4]) for period in periods})
        return fetch_prodcom_api(
            years,
            folder,
            reporters=reporters or DEFAULT_REPORTERS,
            base_url=base_url or PRODCOM_API_URL,
        )
    raise FetchError(f"unknown provider {provider!r}: one of {', '.join(PROVIDERS)}")
