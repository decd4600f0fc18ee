"""Downloading trade files: Comext bulk archives, BACI releases, UN Comtrade records.

Downloading is kept apart from parsing. Every file is streamed to ``<name>.part`` (resumed
with an HTTP ``Range`` request when a previous attempt was cut), checked, renamed, and
described by a sidecar ``<name>.json`` (URL, size, SHA-256, retrieval time) that the store
records as provenance. A file whose sidecar matches is not downloaded again, unless
``refresh`` asks the server whether it changed (``If-None-Match`` with the ``ETag``,
``If-Modified-Since`` with the ``Last-Modified`` the sidecar kept): a revised file is fetched
again, an unchanged one answers 304. Connection errors, 5xx and 429 replies are retried with
exponential backoff (after ``Retry-After`` when the server asks for longer), resuming the
``.part`` file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx

from critchem.core.errors import FetchError
from critchem.trade.periods import comext_period_code, parse_comext_period, parse_iso_period
from critchem.trade.schema import FREQ_ANNUAL

COMEXT_BULK_URL = (
    "https://ec.europa.eu/eurostat/api/dissemination/files?file=comext%2FCOMEXT_DATA%2FPRODUCTS%2F"
)
"""Eurostat's file dissemination API, Comext products folder; the file name is appended."""
BACI_URL = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/"
"""CEPII's BACI folder; ``BACI_<revision>_V<release>.zip`` is appended."""
BACI_RELEASE = "202501"
COMTRADE_URL = "https://comtradeapi.un.org/data/v1/get/"
"""UN Comtrade API v1 (needs a subscription key); ``C/<freq>/<classification>`` is appended."""
COMTRADE_MIN_INTERVAL = 1.0
"""Seconds between two UN Comtrade requests: one request per second, the limit the UN Comtrade
data extraction API documented for all users, with or without a token
(https://comtrade.un.org/data/doc/api/#Limits). The hourly and daily quotas of today's API
depend on the subscription and are enforced by the server, whose 429 answers are retried
after their ``Retry-After``."""
COMTRADE_COLUMNS = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode",
    "reporterISO", "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO",
    "partnerDesc", "partner2Code", "partner2ISO", "partner2Desc", "classificationCode",
    "classificationSearchCode", "isOriginalClassification", "cmdCode", "cmdDesc", "aggrLevel",
    "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc", "qtyUnitCode",
    "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated",
    "cifvalue", "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
)  # fmt: skip
"""The record fields of the Comtrade API v1, in the order the CSV files are written."""
CHUNK = 1 << 20
RETRIES = 4
"""Attempts after the first for a transient failure (connection error, 5xx, 429)."""
BASE_DELAY = 2.0
"""Seconds before the first retry; doubled before each further one."""
MAX_WAIT = 300.0
"""The longest ``Retry-After`` honoured (seconds)."""
TIMEOUT = httpx.Timeout(60.0, connect=20.0)
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


@dataclass(frozen=True, slots=True)
class Download:
    """A downloaded file and its provenance (also written to ``<path>.json``)."""

    path: str
    url: str
    size: int
    sha256: str
    retrieved_at: str
    cached: bool = False
    etag: str | None = None
    last_modified: str | None = None


class _TransientError(FetchError):
    """A failure worth retrying, with the wait the server asked for (if it did)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return min(float(value), MAX_WAIT)


def sidecar_path(path: Path) -> Path:
    """The provenance sidecar of a downloaded file."""
    return path.with_name(path.name + ".json")


def _cached(dest: Path, sha256: str | None) -> Download | None:
    sidecar = sidecar_path(dest)
    if not (dest.is_file() and sidecar.is_file()):
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("size") != dest.stat().st_size or (sha256 and meta.get("sha256") != sha256):
        return None
    return Download(
        str(dest),
        meta["url"],
        meta["size"],
        meta["sha256"],
        meta["retrieved_at"],
        cached=True,
        etag=meta.get("etag"),
        last_modified=meta.get("last_modified"),
    )


def _hash_file(path: Path) -> hashlib._Hash:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest


def download(
    url: str,
    dest: Path,
    *,
    client: httpx.Client | None = None,
    sha256: str | None = None,
    headers: Mapping[str, str] | None = None,
    refresh: bool = False,
    retries: int = RETRIES,
    base_delay: float = BASE_DELAY,
    sleep: Callable[[float], None] = time.sleep,
) -> Download:
    """Download ``url`` to ``dest`` (resuming a ``.part`` file), unless already complete.

    Parameters
    ----------
    url
        What to get.
    dest
        Where the file goes; ``dest.part`` holds an unfinished download.
    client
        An ``httpx.Client`` to reuse (one is made otherwise).
    sha256
        The expected SHA-256; a mismatch raises ``FetchError`` and discards the download.
    headers
        Extra request headers (such as an API key).
    refresh
        Ask the server whether a file already downloaded changed (conditional request).
    retries, base_delay, sleep
        Retry policy of transient failures: attempts after the first, seconds before the
        first retry (doubling), the function that waits.

    Raises
    ------
    FetchError
        On an HTTP error status, an interrupted or truncated transfer (the ``.part`` file is
        kept so that the next call resumes), or a checksum mismatch.
    """
    cached = _cached(dest, sha256)
    if cached is not None and not refresh:
        return cached
    asked = dict(headers or {})
    if cached is not None:
        if cached.etag:
            asked["If-None-Match"] = cached.etag
        if cached.last_modified:
            asked["If-Modified-Since"] = cached.last_modified
    dest.parent.mkdir(parents=True, exist_ok=True)
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True)
    try:
        for attempt in range(retries + 1):
            try:
                answer = _transfer(http, url, dest, dict(asked))
                break
            except _TransientError as error:
                if attempt == retries:
                    raise FetchError(f"{error} (gave up after {retries + 1} attempts)") from error
                sleep(max(base_delay * 2**attempt, error.retry_after or 0.0))
    finally:
        if own:
            http.close()
    if answer is None:  # 304 Not Modified
        assert cached is not None
        return cached
    digest, expected, validators = answer
    part = dest.with_name(dest.name + ".part")
    size = part.stat().st_size
    if expected is not None and size != expected:
        raise FetchError(
            f"{url}: transfer truncated at {size} of {expected} bytes; {part} is kept and the"
            " next call resumes it"
        )
    found = digest.hexdigest()
    if sha256 and found != sha256.lower():
        part.unlink(missing_ok=True)
        raise FetchError(
            f"{url}: checksum mismatch: expected sha256 {sha256}, got {found}; the download was"
            " discarded"
        )
    part.replace(dest)
    result = Download(
        str(dest),
        url,
        size,
        found,
        datetime.now(UTC).isoformat(),
        etag=validators.get("etag"),
        last_modified=validators.get("last-modified"),
    )
    sidecar_path(dest).write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    return result


def _transfer(
    http: httpx.Client, url: str, dest: Path, headers: dict[str, str]
) -> tuple[hashlib._Hash, int | None, dict[str, str]] | None:
    """Stream ``url`` into ``dest.part``: the digest, the expected size and the validators.

    None when the server answers 304 (the file did not change).
    """
    part = dest.with_name(dest.name + ".part")
    offset = part.stat().st_size if part.exists() else 0
    if offset:
        headers["Range"] = f"bytes={offset}-"
    written = offset
    try:
        with http.stream("GET", url, headers=headers) as response:
            if response.status_code == 416 and offset:  # the part cannot be resumed: restart
                part.unlink()
                headers.pop("Range")
                return _transfer(http, url, dest, headers)
            if response.status_code == 304:
                return None
            if response.status_code >= 500 or response.status_code == 429:
                raise _TransientError(
                    f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                    _retry_after(response.headers.get("retry-after")),
                )
            if response.status_code >= 400:
                raise FetchError(
                    f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip()
                )
            resumed = offset > 0 and response.status_code == 206
            digest = _hash_file(part) if resumed else hashlib.sha256()
            expected = _expected_size(response, offset if resumed else 0)
            written = offset if resumed else 0
            with part.open("ab" if resumed else "wb") as handle:
                for chunk in response.iter_bytes():
                    handle.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
            validators = {
                k: response.headers[k] for k in ("etag", "last-modified") if k in response.headers
            }
    except httpx.HTTPError as error:
        raise _TransientError(
            f"{url}: download interrupted after {written} bytes ({type(error).__name__}: {error});"
            f" {part} is kept and the next call resumes it"
        ) from error
    return digest, expected, validators


def _expected_size(response: httpx.Response, offset: int) -> int | None:
    if response.status_code == 206:
        match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
        if match and match.group(3) != "*":
            return int(match.group(3))
    length = response.headers.get("content-length")
    if length is None or response.headers.get("content-encoding"):
        return None
    return offset + int(length)


def comext_bulk_name(period: str) -> str:
    """The bulk archive of a month (``2024-02`` or ``202402``) or a year (``2024``).

    >>> comext_bulk_name("2024-02"), comext_bulk_name("2023")
    ('full_v2_202402.7z', 'full_v2_202352.7z')
    """
    text = period.strip()
    parsed = parse_iso_period(text) if "-" in text or len(text) == 4 else parse_comext_period(text)
    return f"full_v2_{comext_period_code(parsed)}.7z"


def periods_between(start: str, end: str) -> list[str]:
    """Months (``YYYY-MM`` bounds) or years (``YYYY`` bounds) from ``start`` to ``end``.

    >>> periods_between("2023-11", "2024-02")
    ['2023-11', '2023-12', '2024-01', '2024-02']
    >>> periods_between("2021", "2023")
    ['2021', '2022', '2023']
    """
    first, last = parse_iso_period(start), parse_iso_period(end)
    if first.freq != last.freq or first.freq not in ("M", FREQ_ANNUAL) or first > last:
        raise ValueError(f"cannot list periods from {start!r} to {end!r}: use two months or years")
    if first.freq == FREQ_ANNUAL:
        return [str(year) for year in range(first.year, last.year + 1)]
    months = []
    year, month = first.start.year, first.start.month
    while (year, month) <= (last.start.year, last.start.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def fetch_comext(
    periods: Iterable[str],
    dest: Path,
    *,
    base_url: str = COMEXT_BULK_URL,
    client: httpx.Client | None = None,
    checksums: Mapping[str, str] | None = None,
    refresh: bool = False,
) -> list[Path]:
    """Download Comext bulk archives ``full_v2_YYYYMM.7z`` (months) or ``full_v2_YYYY52.7z``.

    ``checksums`` maps archive names to expected SHA-256 values, when known; ``refresh``
    fetches again the archives the server revised since they were downloaded.
    """
    paths = []
    for period in periods:
        name = comext_bulk_name(period)
        url = base_url + quote(name)
        expected = (checksums or {}).get(name)
        got = download(url, dest / name, client=client, sha256=expected, refresh=refresh)
        paths.append(Path(got.path))
    return paths


def fetch_baci(
    *,
    dest: Path,
    revision: str = "HS92",
    release: str = BACI_RELEASE,
    years: Sequence[int] | None = None,
    base_url: str = BACI_URL,
    client: httpx.Client | None = None,
    sha256: str | None = None,
) -> list[Path]:
    """Download a BACI release and extract its yearly files and country table.

    Returns the extracted ``BACI_<revision>_Y<year>_V<release>.csv`` files (all years, or
    ``years``); ``country_codes_V<release>.csv`` is extracted beside them, where the BACI
    parser finds it.
    """
    name = f"BACI_{revision}_V{release}.zip"
    archive = Path(download(base_url + name, dest / name, client=client, sha256=sha256).path)
    wanted = re.compile(rf"^BACI_{revision}_Y(\d{{4}})_V{release}\.csv$")
    extracted = []
    try:
        with zipfile.ZipFile(archive) as bundle:
            for info in bundle.infolist():
                base = Path(info.filename).name
                match = wanted.match(base)
                keep = base.startswith("country_codes_") or (
                    match is not None and (years is None or int(match.group(1)) in years)
                )
                if not keep:
                    continue
                target = dest / base
                if not (target.is_file() and target.stat().st_size == info.file_size):
                    with bundle.open(info) as source, target.open("wb") as sink:
                        shutil.copyfileobj(source, sink, CHUNK)
                if match is not None:
                    extracted.append(target)
    except zipfile.BadZipFile as error:
        raise FetchError(f"{archive}: not a readable zip archive ({error})") from error
    return sorted(extracted)


def fetch_comtrade(
    *,
    dest: Path,
    reporters: Sequence[str],
    periods: Sequence[str],
    subscription_key: str,
    freq: str = FREQ_ANNUAL,
    commodities: str = "AG6",
    base_url: str = COMTRADE_URL,
    client: httpx.Client | None = None,
    min_interval: float = COMTRADE_MIN_INTERVAL,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[Path]:
    """Download UN Comtrade API v1 records (all partners, imports and exports) as CSV.

    One file per reporter (numeric M49 code, e.g. ``842``) and period (``2023`` or
    ``202301``): the JSON answer is kept (with its sidecar) and written out as
    ``comtrade_<freq>_<reporter>_<period>.csv`` in the API's column order. An answer whose
    ``count`` differs from the records it holds is refused (``FetchError``); a 429 (rate
    limit) is retried after its ``Retry-After`` (see :func:`download`). Requests are spaced
    ``min_interval`` seconds apart (:data:`COMTRADE_MIN_INTERVAL`); answers already on disk
    cost no request and no wait.
    """
    paths = []
    last: float | None = None
    for reporter in reporters:
        for period in periods:
            stem = f"comtrade_{freq}_{reporter}_{period}"
            query = (
                f"reporterCode={reporter}&period={period}&cmdCode={commodities}"
                "&flowCode=M,X&includeDesc=true"
            )
            url = f"{base_url}C/{freq}/HS?{query}"
            headers = {"Ocp-Apim-Subscription-Key": subscription_key}
            target = dest / f"{stem}.json"
            if last is not None and _cached(target, None) is None:
                wait = min_interval - (clock() - last)
                if wait > 0:
                    sleep(wait)
            got = download(url, target, client=client, headers=headers)
            if not got.cached:
                last = clock()
            paths.append(_comtrade_csv(Path(got.path), dest / f"{stem}.csv", url))
    return paths


def _comtrade_csv(answer: Path, target: Path, url: str) -> Path:
    try:
        payload = json.loads(answer.read_text(encoding="utf-8"))
    except ValueError as error:
        raise FetchError(f"{url}: the answer is not JSON ({error})") from error
    if not isinstance(payload, dict) or payload.get("error"):
        detail = payload.get("error") if isinstance(payload, dict) else payload
        raise FetchError(f"{url}: UN Comtrade answered with an error: {detail}")
    records = payload.get("data") or []
    count = payload.get("count")
    if isinstance(count, int) and count != len(records):
        answer.unlink(missing_ok=True)
        sidecar_path(answer).unlink(missing_ok=True)
        raise FetchError(
            f"{url}: UN Comtrade announced {count} records but sent {len(records)}; the"
            " answer was cut (the API caps the records of one call): ask for fewer periods,"
            " reporters or codes per call"
        )
    extra = sorted({key for record in records for key in record} - set(COMTRADE_COLUMNS))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COMTRADE_COLUMNS, *extra], restval="")
        writer.writeheader()
        for record in records:
            writer.writerow({key: "" if value is None else value for key, value in record.items()})
    origin = json.loads(sidecar_path(answer).read_text(encoding="utf-8"))
    described = Download(
        str(target),
        url,
        target.stat().st_size,
        _hash_file(target).hexdigest(),
        origin["retrieved_at"],
    )
    meta = {**asdict(described), "converted_from": answer.name}
    sidecar_path(target).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return target
