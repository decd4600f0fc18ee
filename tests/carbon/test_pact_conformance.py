"""The mandatory V3 test cases of the PACT conformance service, against a real host.

Cases and expected results: WBCSD's open-source pact-conformance-service,
``docs/v3-test-cases-expected-results.md``
(https://github.com/wbcsd/pact-conformance-service/blob/main/docs/v3-test-cases-expected-results.md),
"a solution must pass all Mandatory test cases": #1-#17, #20-#40 (#18 and #19, OpenID
Connect, are optional; discovery is tested too). The filter values are taken from the first
footprint the host lists, as the conformance service does.

The host is ``critchem serve`` over TLS in production mode (tests/carbon/pact_support.py),
with the three ILLUSTRATIVE footprints of ``data/pact_host_footprints.json``; the second
HTTPS server stands for the requester's host that receives the asynchronous answers.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from critchem.carbon.pact.client import next_link
from tests.carbon.pact_support import (
    Certificates,
    Host,
    Recipient,
    allow_recipient,
    run_host,
    start_recipient,
)

CREATED = "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3"
FULFILLED = "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3"
REJECTED = "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3"
PUBLISHED = "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"
EVENT_TYPE = "application/cloudevents+json; charset=UTF-8"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates.make(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, certificates: Certificates) -> Iterator[Host]:
    yield from run_host(tmp_path_factory.mktemp("pact-host"), certificates)


@pytest.fixture(scope="module")
def recipient(certificates: Certificates, host: Host) -> Iterator[Recipient]:
    """The requester's host, allowed for the client with the credentials it issued."""
    recipient, server = start_recipient(certificates)
    try:
        allowed = allow_recipient(host, recipient)
        assert allowed["credentials"] is True
        yield recipient
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def http(host: Host) -> Iterator[httpx.Client]:
    with host.client() as client:
        yield client


def _basic(client_id: str, secret: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def _token_request(http: httpx.Client, host: Host, client_id: str, secret: str) -> httpx.Response:
    return http.post(
        f"{host.base}/auth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(client_id, secret),
    )


@pytest.fixture(scope="module")
def auth(http: httpx.Client, host: Host) -> dict[str, str]:
    response = _token_request(http, host, host.client_id, host.client_secret)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
def listed(http: httpx.Client, host: Host, auth: dict[str, str]) -> list[dict[str, Any]]:
    """Test case #0 of the service (initialisation): at least two footprints are listed."""
    response = http.get(f"{host.base}/3/footprints", headers=auth)
    assert response.status_code == 200
    footprints: list[dict[str, Any]] = response.json()["data"]
    assert len(footprints) >= 2
    return footprints


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _filters(first: dict[str, Any]) -> dict[str, str]:
    """The filter values of cases #20-#29, from the first footprint listed."""
    start, end = first["validityPeriodStart"], first["validityPeriodEnd"]
    return {
        "productId": first["productIds"][0],
        "companyId": first["companyIds"][0],
        "geography": first["pcf"]["geographyCountry"],
        "classification": first["productClassifications"][0],
        "validOn": start,
        "validAfter": _iso(_time(start) - timedelta(days=1)),
        "validBefore": _iso(_time(end) + timedelta(days=1)),
        "status": first["status"],
    }


def _validity(footprint: dict[str, Any]) -> tuple[datetime, datetime]:
    if footprint.get("validityPeriodStart") and footprint.get("validityPeriodEnd"):
        return _time(footprint["validityPeriodStart"]), _time(footprint["validityPeriodEnd"])
    end = _time(footprint["pcf"]["referencePeriodEnd"])
    return end, end.replace(year=end.year + 3)


def _event(kind: str, data: dict[str, Any], source: str = "https://webhook.example.com") -> Any:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "time": _iso(datetime.now(UTC)),
        "type": kind,
        "data": data,
    }


def _post_event(http: httpx.Client, host: Host, auth: dict[str, str], event: Any) -> httpx.Response:
    return http.post(
        f"{host.base}/3/events", json=event, headers={**auth, "Content-Type": EVENT_TYPE}
    )


def _plain(host: Host) -> str:
    return host.base.replace("https://", "http://", 1)


# Authentication ---------------------------------------------------------------------


def test_case_01_token_with_valid_credentials(http: httpx.Client, host: Host) -> None:
    """#1: 200 with an access token (RFC 6749 section 5.1)."""
    response = _token_request(http, host, host.client_id, host.client_secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0 and body["access_token"]
    assert response.headers["cache-control"] == "no-store"


def test_case_02_token_with_invalid_credentials(http: httpx.Client, host: Host) -> None:
    """#2: 400 or 401, OAuth error ``invalid_client``; a wrong secret and an unknown client."""
    for client_id, secret in ((host.client_id, "wrong"), ("nobody", secrets.token_hex(8))):
        response = _token_request(http, host, client_id, secret)
        assert response.status_code in {400, 401}
        assert response.json()["error"] == "invalid_client"
        assert "access_token" not in response.json()


def test_case_18_openid_configuration_names_the_token_endpoint(
    http: httpx.Client, host: Host
) -> None:
    """#18 (optional): the discovered token endpoint gives a token; #19: and refuses bad ones."""
    document = http.get(f"{host.base}/.well-known/openid-configuration").json()
    assert document["token_endpoint"] == f"{host.base}/auth/token"
    assert "client_credentials" in document["grant_types_supported"]
    good = http.post(
        document["token_endpoint"],
        data={"grant_type": "client_credentials"},
        headers=_basic(host.client_id, host.client_secret),
    )
    bad = http.post(
        document["token_endpoint"],
        data={"grant_type": "client_credentials"},
        headers=_basic(host.client_id, "wrong"),
    )
    assert good.status_code == 200 and bad.status_code in {400, 401}


# GetFootprint and ListFootprints ----------------------------------------------------


def test_case_03_get_footprint(
    http: httpx.Client, host: Host, auth: dict[str, str], listed: list[dict[str, Any]]
) -> None:
    """#3: 200 and the footprint asked for."""
    wanted = listed[0]["id"]
    response = http.get(f"{host.base}/3/footprints/{wanted}", headers=auth)
    assert response.status_code == 200
    assert response.json()["data"]["id"] == wanted
    assert response.json()["data"]["specVersion"] == "3.0.0"


def test_case_04_list_footprints(
    http: httpx.Client, host: Host, auth: dict[str, str], listed: list[dict[str, Any]]
) -> None:
    """#4: 200 (or 202) and every footprint (3 published, Deprecated included)."""
    response = http.get(f"{host.base}/3/footprints", headers=auth)
    assert response.status_code in {200, 202}
    assert len(response.json()["data"]) == len(listed) == 3
    assert {f["status"] for f in listed} == {"Active", "Deprecated"}
    assert "link" not in response.headers  # everything fits on one page


def test_case_05_pagination_link(http: httpx.Client, host: Host, auth: dict[str, str]) -> None:
    """#5: ``limit=1`` gives a ``Link`` header; its links answer 200; every page is walked."""
    first = http.get(f"{host.base}/3/footprints", params={"limit": 1}, headers=auth)
    assert first.status_code == 200 and len(first.json()["data"]) == 1
    link = first.headers["link"]
    target = next_link(link)
    assert target is not None and target.startswith(f"https://127.0.0.1:{host.port}/pact/")
    assert 'rel="first"' in link and 'rel="last"' in link
    seen = [first.json()["data"][0]["id"]]
    while target is not None:
        page = http.get(target, headers=auth)
        assert page.status_code == 200 and len(page.json()["data"]) == 1
        seen.append(page.json()["data"][0]["id"])
        target = next_link(page.headers.get("link"))
    assert len(seen) == len(set(seen)) == 3


@pytest.mark.parametrize(
    ("case", "path"),
    [("06", "/3/footprints"), ("07", "/3/footprints/5b0c2a4e-1d3f-4a6b-8c9d-0e1f2a3b4c01")],
)
def test_cases_06_07_invalid_token(http: httpx.Client, host: Host, case: str, path: str) -> None:
    """#6 ListFootprints, #7 GetFootprint with an invalid token: 400 or 401, ``BadRequest``."""
    bad = {"Authorization": f"Bearer very-invalid-access-token-{secrets.token_hex(8)}"}
    response = http.get(f"{host.base}{path}", headers=bad)
    assert response.status_code in {400, 401}
    assert response.json()["code"] == "BadRequest" and "data" not in response.json()
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_case_08_get_footprint_of_unknown_id(
    http: httpx.Client, host: Host, auth: dict[str, str]
) -> None:
    """#8: 404 with code ``NotFound`` (an unknown UUID and a non-UUID id)."""
    for unknown in ("00000000-0000-0000-0000-000000000000", "non-existent-id"):
        response = http.get(f"{host.base}/3/footprints/{unknown}", headers=auth)
        assert response.status_code == 404
        assert response.json()["code"] == "NotFound"


@pytest.mark.parametrize(
    ("case", "method", "path"),
    [
        ("09", "POST", "/auth/token"),
        ("10", "GET", "/3/footprints"),
        ("11", "GET", "/3/footprints/5b0c2a4e-1d3f-4a6b-8c9d-0e1f2a3b4c01"),
        ("17", "POST", "/3/events"),
    ],
)
def test_cases_09_10_11_17_plain_http_is_refused(
    host: Host, auth: dict[str, str], case: str, method: str, path: str
) -> None:
    """#9 Authenticate, #10 ListFootprints, #11 GetFootprint, #17 Events over plain HTTP:
    the connection is rejected, or the answer has neither token nor data."""
    headers = {**auth, "Content-Type": EVENT_TYPE}
    if path == "/auth/token":
        headers = {
            **_basic(host.client_id, host.client_secret),
            "Content-Type": "application/x-www-form-urlencoded",
        }
    body = (
        "grant_type=client_credentials"
        if path == "/auth/token"
        else '{"specversion": "1.0", "id": "x", "source": "https://webhook.example.com", '
        '"time": "2023-05-19T13:30:00Z", "type": "' + PUBLISHED + '", '
        '"data": {"pfIds": ["' + str(uuid.uuid4()) + '"]}}'
    )
    try:
        response = httpx.request(
            method, f"{_plain(host)}{path}", headers=headers, content=body, timeout=10
        )
    except httpx.TransportError:
        return  # rejected at the connection: the port speaks TLS only
    assert response.status_code >= 400
    assert b"access_token" not in response.content and b'"data"' not in response.content


# Action Events ----------------------------------------------------------------------


def test_cases_12_13_request_answered_with_fulfilled_event(
    http: httpx.Client,
    host: Host,
    auth: dict[str, str],
    listed: list[dict[str, Any]],
    recipient: Recipient,
) -> None:
    """#12: a RequestCreatedEvent is accepted (200); #13: the host then posts a
    RequestFulfilledEvent to the requester's host (the second server), whose footprints
    all carry a requested product id."""
    product_ids = listed[0]["productIds"]
    request = _event(
        CREATED,
        {"productId": product_ids, "comment": "Please send PCF data for this year."},
        source=f"{recipient.url}/3/events",
    )
    before = len(recipient.received)
    response = _post_event(http, host, auth, request)
    assert response.status_code == 200
    path, headers, answer = recipient.wait_for(before + 1)[before]
    assert path == "/3/events"
    assert headers["Content-Type"].startswith("application/cloudevents+json")
    assert answer["type"] == FULFILLED and answer["specversion"] == "1.0"
    assert answer["data"]["requestEventId"] == request["id"]
    pfs = answer["data"]["pfs"]
    assert pfs and all(set(pf["productIds"]) & set(product_ids) for pf in pfs)
    assert answer["source"] == f"{host.base}/3/events"
    # the answer carries a token the requester's host issued to this host
    assert headers["Authorization"].removeprefix("Bearer ") in recipient.tokens


def test_request_from_a_source_not_allowed_is_refused(
    http: httpx.Client, host: Host, auth: dict[str, str], recipient: Recipient
) -> None:
    """A RequestCreatedEvent naming a host not allowed for the client is refused with 403
    and the specification's ``Error`` (``AccessDenied``); nothing is sent there."""
    request = _event(CREATED, {"geography": ["FR"]}, source="https://elsewhere.example/3/events")
    response = _post_event(http, host, auth, request)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "AccessDenied" and "elsewhere.example" in body["message"]


def test_case_14_request_answered_with_rejected_event(
    http: httpx.Client, host: Host, auth: dict[str, str], recipient: Recipient
) -> None:
    """#14 (14.A, 14.B): a request no footprint meets is accepted, then answered with a
    RequestRejectedEvent carrying an error code and message."""
    request = _event(CREATED, {"productId": ["urn:pact:null"]}, source=f"{recipient.url}/3/events")
    before = len(recipient.received)
    assert _post_event(http, host, auth, request).status_code == 200
    _, _, answer = recipient.wait_for(before + 1)[before]
    assert answer["type"] == REJECTED
    assert answer["data"]["requestEventId"] == request["id"]
    assert answer["data"]["error"]["code"] == "NotFound" and answer["data"]["error"]["message"]


def test_cases_13_14_fulfilled_and_rejected_events_are_received(
    http: httpx.Client, host: Host, auth: dict[str, str], listed: list[dict[str, Any]]
) -> None:
    """#13 and #14 as the expected-results document states them: the host accepts (200)
    a RequestFulfilledEvent and a RequestRejectedEvent sent to it."""
    fulfilled = _event(FULFILLED, {"requestEventId": "test-run-id-12345", "pfs": listed[:1]})
    rejected = _event(
        REJECTED,
        {
            "requestEventId": "test-run-id-12345",
            "error": {"code": "NotFound", "message": "The requested footprint could not be found."},
        },
    )
    assert _post_event(http, host, auth, fulfilled).status_code == 200
    assert _post_event(http, host, auth, rejected).status_code == 200


def test_case_15_published_event(http: httpx.Client, host: Host, auth: dict[str, str]) -> None:
    """#15: a PublishedEvent (footprint ids are UUIDs) is accepted with 200."""
    event = _event(PUBLISHED, {"pfIds": ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"]})
    response = _post_event(http, host, auth, event)
    assert response.status_code == 200


def test_case_16_events_with_invalid_token(http: httpx.Client, host: Host) -> None:
    """#16: 400 or 401, code ``BadRequest``."""
    bad = {"Authorization": f"Bearer very-invalid-access-token-{secrets.token_hex(8)}"}
    event = _event(PUBLISHED, {"pfIds": ["3a6c14a7-4deb-498a-b5ea-16ce2535b576"]})
    response = _post_event(http, host, bad, event)
    assert response.status_code in {400, 401}
    assert response.json()["code"] == "BadRequest"


def test_case_40_malformed_published_event(
    http: httpx.Client, host: Host, auth: dict[str, str]
) -> None:
    """#40: a PublishedEvent whose pfIds are URNs, not UUIDs, is refused with 400."""
    event = _event(PUBLISHED, {"pfIds": ["urn:gtin:4712345060507"]})
    response = _post_event(http, host, auth, event)
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest" and "pfIds" in response.json()["message"]


# Filtering (#20-#39) ----------------------------------------------------------------

POSITIVE = [
    ("20", ["productId"]),
    ("21", ["companyId"]),
    ("22", ["geography"]),
    ("23", ["classification"]),
    ("24", ["validOn"]),
    ("25", ["validAfter"]),
    ("26", ["validBefore"]),
    ("27", ["status"]),
    ("28", ["status", "productId"]),
]


def _meets(footprint: dict[str, Any], name: str, value: str) -> bool:
    start, end = _validity(footprint)
    pcf = footprint["pcf"]
    checks = {
        "productId": lambda: value in footprint["productIds"],
        "companyId": lambda: value in footprint["companyIds"],
        "geography": lambda: (
            value in (pcf.get("geographyCountry"), pcf.get("geographyRegionOrSubregion"))
        ),
        "classification": lambda: value in footprint.get("productClassifications", []),
        "validOn": lambda: start <= _time(value) <= end,
        "validAfter": lambda: start > _time(value),
        "validBefore": lambda: end < _time(value),
        "status": lambda: footprint["status"] == value,
    }
    return bool(checks[name]())


@pytest.mark.parametrize(("case", "names"), POSITIVE, ids=[f"case-{c}" for c, _ in POSITIVE])
def test_cases_20_to_28_filters(
    http: httpx.Client,
    host: Host,
    auth: dict[str, str],
    listed: list[dict[str, Any]],
    case: str,
    names: list[str],
) -> None:
    """#20-#28: a non-empty list, and every footprint meets every criterion given."""
    values = _filters(listed[0])
    params = {name: values[name] for name in names}
    response = http.get(f"{host.base}/3/footprints", params=params, headers=auth)
    assert response.status_code == 200
    found = response.json()["data"]
    assert found and listed[0]["id"] in {f["id"] for f in found}
    assert all(_meets(f, n, values[n]) for f in found for n in names)
    expected = [f["id"] for f in listed if all(_meets(f, n, values[n]) for n in names)]
    assert [f["id"] for f in found] == expected  # hand check: nothing that meets is left out


def test_case_29_companies_or(
    http: httpx.Client, host: Host, auth: dict[str, str], listed: list[dict[str, Any]]
) -> None:
    """#29: three companyId values are ORed: the footprints of the one that exists."""
    company = listed[0]["companyIds"][0]
    params = [("companyId", company), ("companyId", "urn:uuid:other-company"),
              ("companyId", "urn:uuid:another-company")]  # fmt: skip
    response = http.get(f"{host.base}/3/footprints", params=params, headers=auth)
    assert response.status_code == 200
    found = response.json()["data"]
    assert found and all(company in f["companyIds"] for f in found)
    assert len(found) == sum(company in f["companyIds"] for f in listed) == 2  # A: two versions


NEGATIVE = [
    ("30", [("productId", "urn:bogus:product:nonexistent123")]),
    ("31", [("companyId", "urn:bogus:company:nonexistent456")]),
    ("32", [("geography", "XX")]),
    ("33", [("classification", "urn:bogus:classification:nonexistent789")]),
    ("34", [("validOn", "1900-01-01T00:00:00Z")]),
    ("35", [("validAfter", "2099-12-31T23:59:59Z")]),
    ("36", [("validBefore", "1900-01-01T00:00:00Z")]),
    ("37", [("status", "BogusStatusValue")]),
    (
        "38",
        [
            ("companyId", "urn:bogus:company:5FIi8zS3"),
            ("productId", "urn:bogus:product:nonexistent123"),
        ],
    ),
    (
        "39",
        [
            ("companyId", "urn:bogus:company:nonexistent1"),
            ("companyId", "urn:bogus:company:nonexistent2"),
            ("companyId", "urn:bogus:company:nonexistent3"),
        ],
    ),
]


@pytest.mark.parametrize(("case", "params"), NEGATIVE, ids=[f"case-{c}" for c, _ in NEGATIVE])
def test_cases_30_to_39_filters_that_match_nothing(
    http: httpx.Client, host: Host, auth: dict[str, str], case: str, params: list[tuple[str, str]]
) -> None:
    """#30-#39: 200 and ``{"data": []}``, an empty list, never null."""
    response = http.get(f"{host.base}/3/footprints", params=params, headers=auth)
    assert response.status_code == 200
    assert response.json() == {"data": []}


def test_ids_and_filters_match_case_insensitively(
    http: httpx.Client, host: Host, auth: dict[str, str], listed: list[dict[str, Any]]
) -> None:
    """The specification: "The match must be case-insensitive" (ids, geography, status)."""
    params = {
        "productId": listed[0]["productIds"][0].upper(),
        "geography": "de",
        "status": "active",
    }
    found = http.get(f"{host.base}/3/footprints", params=params, headers=auth).json()["data"]
    assert [f["id"] for f in found] == [listed[0]["id"]]


def test_bad_date_and_limit_are_bad_requests(
    http: httpx.Client, host: Host, auth: dict[str, str]
) -> None:
    """An unreadable date or a limit below 1: 400 with the PACT ``Error`` naming the field."""
    for params, field in (({"validOn": "yesterday"}, "validOn"), ({"limit": 0}, "limit")):
        response = http.get(f"{host.base}/3/footprints", params=params, headers=auth)
        assert response.status_code == 400
        assert response.json()["code"] == "BadRequest" and field in response.json()["message"]


def test_pcf_request_and_pull_commands_against_the_host(
    host: Host, recipient: Recipient, tmp_path: Path
) -> None:
    """``critchem pcf request`` sends a RequestCreatedEvent (answered at ``--reply-to``);
    ``critchem pcf pull`` walks every page and validates each footprint."""
    from tests.carbon.pact_support import cli, host_env

    env = {
        **host_env(tmp_path, host.ca_file),
        "CRITCHEM_PACT_CLIENT_ID": host.client_id,
        "CRITCHEM_PACT_CLIENT_SECRET": host.client_secret,
    }
    before = len(recipient.received)
    sent = cli(
        env, "pcf", "request", "--from", host.base, "--reply-to", f"{recipient.url}/3/events",
        "--geography", "FR", "--ca-file", str(host.ca_file),
    )  # fmt: skip
    assert sent["status"] == 200
    _, _, answer = recipient.wait_for(before + 1)[before]
    assert answer["data"]["requestEventId"] == sent["event_id"]
    assert [pf["pcf"]["geographyCountry"] for pf in answer["data"]["pfs"]] == ["FR"]
    pulled = cli(
        env, "pcf", "pull", "--from", host.base, "--status", "Active",
        "--ca-file", str(host.ca_file),
    )  # fmt: skip
    assert pulled["valid"] == 2 and pulled["rejected"] == []


def test_case_40_as_documented_v2_filter_syntax_is_refused(
    http: httpx.Client, host: Host, auth: dict[str, str]
) -> None:
    """#40 as the expected-results document writes its request: the v2 ``$filter`` syntax
    (gone in v3) is answered 400."""
    params = {"$filter": "created ge '2023-01-15T10:15:30Z'"}
    response = http.get(f"{host.base}/3/footprints", params=params, headers=auth)
    assert response.status_code == 400 and response.json()["code"] == "BadRequest"
