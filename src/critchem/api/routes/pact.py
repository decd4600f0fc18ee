"""The PACT v3 host under ``/pact``: Authenticate, ListFootprints, GetFootprint, Events.

PACT Technical Specifications v3 (WBCSD): the base URL is ``/pact``, the actions are under
``/pact/3/...``, the token endpoint is ``/pact/auth/token`` and the OpenID Provider
Configuration Document at ``/pact/.well-known/openid-configuration`` names it. Errors of
the actions are the specification's ``Error`` object (``code``, ``message``) with the HTTP
status; errors of the token endpoint follow OAuth 2.0 (RFC 6749 section 5.2).

The specification requires HTTPS: in production (``CRITCHEM_ENVIRONMENT=production``) a
request that did not arrive over TLS is refused (403 ``AccessDenied``; ``invalid_request``
on the token endpoint). Behind a TLS-terminating proxy the scheme comes from
``X-Forwarded-Proto`` only when the server trusts that proxy (``critchem serve
--forwarded-allow-ips``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, StringConstraints

from critchem.carbon.pact import events
from critchem.carbon.pact.filters import FootprintFilter
from critchem.carbon.pact.host import PactHost
from critchem.core.errors import PactAuthError, PactError

PREFIX = "/pact"
MAX_LIMIT = 1000
"""Largest page ListFootprints returns (a larger ``limit`` is cut to it, with a Link)."""


class PactErrorBody(BaseModel):
    """The specification's ``Error`` object."""

    code: Literal[
        "BadRequest", "AccessDenied", "TokenExpired", "NotFound", "InternalError", "NotImplemented"
    ]
    message: str


class OAuthErrorBody(BaseModel):
    """An OAuth 2.0 error answer (RFC 6749 section 5.2)."""

    error: str
    error_description: str


class TokenBody(BaseModel):
    """An access token (RFC 6749 section 5.1)."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int


class OpenIdConfiguration(BaseModel):
    """The part of the OpenID Provider Configuration Document a PACT client reads."""

    issuer: str
    token_endpoint: str
    grant_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    response_types_supported: list[str]
    subject_types_supported: list[str]
    id_token_signing_alg_values_supported: list[str]
    jwks_uri: str | None = None


class FootprintList(BaseModel):
    """ListFootprints: ``data`` is a list of ProductFootprint objects (PACT v3 JSON)."""

    data: list[dict[str, Any]] = Field(description="ProductFootprint objects.")


class FootprintOne(BaseModel):
    """GetFootprint: ``data`` is one ProductFootprint (PACT v3 JSON)."""

    data: dict[str, Any] = Field(description="A ProductFootprint object.")


def _pact_error(exc: PactError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="pact"'} if exc.status == 401 else None
    return JSONResponse(
        {"code": exc.code, "message": str(exc)}, status_code=exc.status, headers=headers
    )


class PactRoute(APIRoute):
    """A route whose errors are PACT ``Error`` objects (or OAuth errors on the token route)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        oauth = self.path.endswith("/auth/token")

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except PactAuthError as exc:
                headers = {"WWW-Authenticate": 'Basic realm="pact"'} if exc.status == 401 else {}
                body = {"error": exc.error, "error_description": str(exc)}
                return JSONResponse(body, status_code=exc.status, headers=headers)
            except PactError as exc:
                if oauth:
                    body = {"error": "invalid_request", "error_description": str(exc)}
                    return JSONResponse(body, status_code=400)
                return _pact_error(exc)
            except RequestValidationError as exc:
                first = exc.errors()[0] if exc.errors() else {}
                where = ".".join(str(p) for p in first.get("loc", ()))
                message = f"{where}: {first.get('msg', 'invalid request')}"
                if oauth:
                    body = {"error": "invalid_request", "error_description": message}
                    return JSONResponse(body, status_code=400)
                return _pact_error(PactError(400, "BadRequest", message))

        return handle


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    phrases = {400: "Bad request", 401: "Unauthorized", 403: "Access denied", 404: "Not found"}
    return {s: {"model": PactErrorBody, "description": phrases[s]} for s in statuses}


router = APIRouter(prefix=PREFIX, tags=["pact"], route_class=PactRoute)
bearer = HTTPBearer(auto_error=False, scheme_name="PactBearer")


def _host(request: Request) -> PactHost:
    host: PactHost = request.app.state.pact_host
    return host


def _require_https(request: Request) -> None:
    if request.app.state.settings.environment == "production" and request.url.scheme != "https":
        raise PactError(403, "AccessDenied", "PACT actions are served over HTTPS only")


def _client(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str:
    _require_https(request)
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise PactError(401, "BadRequest", "Invalid token provided: send a Bearer token")
    return _host(request).client_of(credentials.credentials)


Bearer = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def _base(request: Request) -> str:
    return str(request.url.replace(query="", fragment="")).split(f"{PREFIX}/", 1)[0] + PREFIX


@router.get(
    "/.well-known/openid-configuration",
    response_model=OpenIdConfiguration,
    summary="OpenID Provider Configuration Document (names the token endpoint)",
    responses=_responses(403),
)
def openid_configuration(request: Request) -> OpenIdConfiguration:
    """Where to get a token: ``token_endpoint`` (client credentials, HTTP Basic)."""
    _require_https(request)
    base = _base(request)
    return OpenIdConfiguration(
        issuer=base,
        token_endpoint=f"{base}/auth/token",
        grant_types_supported=["client_credentials"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        response_types_supported=["token"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["HS256"],
    )


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote(client_id), unquote(secret)) if sep else None


@router.post(
    "/auth/token",
    response_model=TokenBody,
    summary="Action Authenticate: OAuth 2.0 client credentials (HTTP Basic)",
    responses={
        400: {"model": OAuthErrorBody, "description": "Invalid request or grant type"},
        401: {"model": OAuthErrorBody, "description": "Client authentication failed"},
    },
)
def token(
    request: Request,
    response: Response,
    grant_type: Annotated[
        str,
        Form(
            description="Must be `client_credentials`.",
            json_schema_extra={"enum": ["client_credentials"]},
        ),
    ],
    client_id: Annotated[str | None, Form(description="If not sent with HTTP Basic.")] = None,
    client_secret: Annotated[str | None, Form(description="With `client_id`.")] = None,
) -> TokenBody:
    """An access token for a client (credentials by HTTP Basic or in the form body)."""
    if request.app.state.settings.environment == "production" and request.url.scheme != "https":
        raise PactAuthError(400, "invalid_request", "the token endpoint is served over HTTPS only")
    if grant_type != "client_credentials":
        raise PactAuthError(400, "unsupported_grant_type", "grant_type must be client_credentials")
    credentials = _basic(request)
    if credentials is None and client_id is not None and client_secret is not None:
        credentials = (client_id, client_secret)
    if credentials is None:
        raise PactAuthError(401, "invalid_client", "Client authentication failed")
    access, seconds = _host(request).issue_token(*credentials)
    response.headers["Cache-Control"] = "no-store"
    return TokenBody(access_token=access, token_type="Bearer", expires_in=seconds)


ListParam = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=500)]],
    Query(max_length=100, description="One or more values (ORed)."),
]
GeographyParam = Annotated[
    list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z]", max_length=100)]],
    Query(
        max_length=100,
        description="Countries (ISO 3166-1 alpha-2), subdivisions (ISO 3166-2) or UN M49 "
        "region names (ORed).",
    ),
]
KNOWN_PARAMETERS = frozenset(
    (
        "limit", "offset", "productId", "companyId", "geography", "classification",
        "validOn", "validAfter", "validBefore", "status",
    )
)  # fmt: skip
"""The ListFootprints parameters of v3; any other is refused (400)."""
SINGLE_VALUED = ("limit", "offset", "validOn", "validAfter", "validBefore", "status")
"""ListFootprints parameters that take one value (the others may repeat, ORed)."""
DATE_TIME = Query(description="RFC 3339 date-time.", json_schema_extra={"format": "date-time"})


@router.get(
    "/3/footprints",
    response_model=FootprintList,
    summary="Action ListFootprints",
    responses={
        **_responses(400, 401, 403),
        200: {
            "description": "The footprints; a Link header (rel=next) when more remain",
            "headers": {"Link": {"schema": {"type": "string"}, "description": "RFC 8288"}},
        },
    },
)
def list_footprints(
    request: Request,
    response: Response,
    credentials: Bearer,
    limit: Annotated[int | None, Query(ge=1, description="Most footprints per page.")] = None,
    offset: Annotated[int, Query(ge=0, description="Footprints to skip (pagination).")] = 0,
    productId: ListParam = [],  # noqa: B006, N803 - the specification's names; never mutated
    companyId: ListParam = [],  # noqa: B006, N803
    geography: GeographyParam = [],  # noqa: B006
    classification: ListParam = [],  # noqa: B006
    validOn: Annotated[str | None, DATE_TIME] = None,  # noqa: N803
    validAfter: Annotated[str | None, DATE_TIME] = None,  # noqa: N803
    validBefore: Annotated[str | None, DATE_TIME] = None,  # noqa: N803
    status: Annotated[str | None, Query(max_length=50, description="Active or Deprecated.")] = None,
) -> FootprintList:
    """The footprints meeting every criterion (OR within one), newest first, paginated."""
    _client(request, credentials)
    unknown = sorted(set(request.query_params) - KNOWN_PARAMETERS)
    if unknown:
        raise PactError(
            400, "BadRequest", f"unknown parameter {unknown[0]!r} (the v2 $filter is gone in v3)"
        )
    for single in SINGLE_VALUED:
        if len(request.query_params.getlist(single)) > 1:
            raise PactError(400, "BadRequest", f"{single}: give one value, not several")
    criteria = FootprintFilter.build(
        product_ids=productId,
        company_ids=companyId,
        geographies=geography,
        classifications=classification,
        valid_on=validOn,
        valid_after=validAfter,
        valid_before=validBefore,
        status=status,
    )
    size = min(limit or MAX_LIMIT, MAX_LIMIT)
    page = _host(request).find(criteria, offset=offset, limit=size)
    if offset + size < page.total:
        links = {"next": offset + size, "first": 0}
        if offset > 0:
            links["prev"] = max(0, offset - size)
        links["last"] = ((page.total - 1) // size) * size
        response.headers["Link"] = ", ".join(
            f'<{request.url.include_query_params(offset=at, limit=size)}>; rel="{rel}"'
            for rel, at in links.items()
        )
    return FootprintList(data=page.footprints)


@router.get(
    "/3/footprints/{footprint_id}",
    response_model=FootprintOne,
    summary="Action GetFootprint",
    responses=_responses(400, 401, 403, 404),
)
def get_footprint(request: Request, footprint_id: str, credentials: Bearer) -> FootprintOne:
    """The footprint with this id (404 ``NotFound`` if there is none)."""
    _client(request, credentials)
    return FootprintOne(data=_host(request).get(footprint_id))


@router.post(
    "/3/events",
    summary="Action Events (CloudEvents: PCF requests, their answers, publications)",
    status_code=200,
    response_class=Response,
    responses={**_responses(400, 401, 403), 200: {"description": "Accepted (empty body)"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                events.MEDIA_TYPE: {"schema": events.EVENT_SCHEMA},
                "application/json": {"schema": events.EVENT_SCHEMA},
            },
        }
    },
)
async def post_event(
    request: Request, background: BackgroundTasks, credentials: Bearer
) -> Response:
    """Accept a PACT CloudEvent; a RequestCreatedEvent is answered later, at its source.

    The source of a RequestCreatedEvent must be a callback host allowed for the client
    (403 ``AccessDenied`` otherwise); the answer goes through the outbox.
    """
    client_id = _client(request, credentials)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in {events.MEDIA_TYPE, "application/json"}:
        raise PactError(400, "BadRequest", f"Content-Type must be {events.MEDIA_TYPE}")
    try:
        body = await request.json()
    except ValueError as exc:
        raise PactError(400, "BadRequest", "the body is not JSON") from exc
    event, data = events.parse_event(body)
    host = _host(request)
    if isinstance(data, events.RequestCriteria):
        target = events.answer_url(event.source)
        production = request.app.state.settings.environment == "production"
        if production and not target.startswith("https://"):
            raise PactError(400, "BadRequest", "source: answers are sent over HTTPS only")
        host.check_source(client_id, target)
        criteria = FootprintFilter.build(
            product_ids=data.productId,
            company_ids=data.companyId,
            geographies=data.geography,
            classifications=data.classification,
            valid_on=data.validOn,
            valid_after=data.validAfter,
            valid_before=data.validBefore,
            status=data.status,
        )
        own = f"{_base(request)}/3/events"
        background.add_task(
            host.answer,
            event.model_dump(mode="json"),
            criteria,
            own_source=own,
            client_id=client_id,
        )
    host.record("in", body, client_id=client_id, outcome="accepted")
    return Response(status_code=200)
