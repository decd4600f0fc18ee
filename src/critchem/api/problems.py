"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API returns has ``type``, ``title``, ``status``, ``detail`` and ``instance``
(the request path); ``suggestions`` when nothing matched but close names exist, ``errors``
with the failed fields of an invalid request. Bad input never gives a 500:

=============================  ======  ====================================
error                          status  type
=============================  ======  ====================================
``NotFoundError``              404     ``urn:critchem:problem:not-found``
``InvalidCodeError``           422     ``urn:critchem:problem:invalid-code``
``AlertStateError``            409     ``urn:critchem:problem:conflict``
``UsernameTakenError``         409     ``urn:critchem:problem:conflict``
``BackendUnavailableError``    503     ``urn:critchem:problem:unavailable``
``AuthenticationError``        401     ``urn:critchem:problem:unauthorized``
``PermissionDeniedError``      403     ``urn:critchem:problem:forbidden``
``RateLimitedError``           429     ``urn:critchem:problem:too-many-requests``
other ``CritchemError``        400     ``urn:critchem:problem:bad-request``
request validation             422     ``urn:critchem:problem:invalid-request``
=============================  ======  ====================================
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from critchem.core.errors import (
    AlertStateError,
    AuthenticationError,
    BackendUnavailableError,
    CritchemError,
    InvalidCodeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UsernameTakenError,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:critchem:problem:"


class FieldError(BaseModel):
    """One failed check of a request field."""

    loc: list[str | int] = Field(description="Where: path, query or body, then the field.")
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    instance: str = Field(description="The request path.")
    suggestions: list[str] | None = Field(
        default=None, description="Close matches when nothing matched the query."
    )
    errors: list[FieldError] | None = Field(
        default=None, description="The failed checks of an invalid request."
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of problem details with these statuses.

    Routes that may also refuse (403), conflict (409) or rate-limit (429) declare those
    with ``responses=problem_responses(...)``, so the document lists every status they give.
    """
    return {
        status: {
            "model": Problem,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            "description": HTTPStatus(status).phrase,
        }
        for status in statuses
    }


PROBLEM_RESPONSES = problem_responses(400, 401, 404, 422)
"""The error responses every route may give, for the OpenAPI document (401: credentials
were sent but are wrong, on any route)."""


def problem_response(
    request: Request,
    status: int,
    kind: str,
    detail: str,
    *,
    suggestions: list[str] | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response for ``request``."""
    problem = Problem(
        type=TYPE_PREFIX + kind,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        suggestions=suggestions,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _critchem_error(request: Request, exc: Exception) -> JSONResponse:
    message = str(exc)
    if isinstance(exc, NotFoundError):
        return problem_response(
            request, 404, "not-found", message, suggestions=list(exc.suggestions)
        )
    if isinstance(exc, InvalidCodeError):
        return problem_response(request, 422, "invalid-code", message)
    if isinstance(exc, AlertStateError | UsernameTakenError):
        return problem_response(request, 409, "conflict", message)
    if isinstance(exc, BackendUnavailableError):
        return problem_response(request, 503, "unavailable", message)
    if isinstance(exc, AuthenticationError):
        challenge = {"WWW-Authenticate": "Bearer"}
        return problem_response(request, 401, "unauthorized", message, headers=challenge)
    if isinstance(exc, PermissionDeniedError):
        return problem_response(request, 403, "forbidden", message)
    if isinstance(exc, RateLimitedError):
        wait = {"Retry-After": str(exc.retry_after)}
        return problem_response(request, 429, "too-many-requests", message, headers=wait)
    return problem_response(request, 400, "bad-request", message)


def _field_error(error: dict[str, Any]) -> FieldError:
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    return FieldError(loc=loc, msg=str(error.get("msg", "")), type=str(error.get("type", "")))


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(e) for e in jsonable_encoder(exc.errors())]
    where = "; ".join(f"{'.'.join(str(p) for p in e.loc)}: {e.msg}" for e in errors)
    return problem_response(
        request, 422, "invalid-request", f"The request is invalid: {where}", errors=errors
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kind = "not-found" if exc.status_code == 404 else "http-error"
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(
        request, exc.status_code, kind, detail, headers=dict(exc.headers or {}) or None
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn errors into problem responses."""
    app.add_exception_handler(CritchemError, _critchem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
