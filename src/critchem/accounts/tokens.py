"""Access tokens: JWT signed with HS256: ``sub`` (user name), ``role``, ``org``, ``exp``, ``jti``.

The token says who the user was when it was issued; the API still looks the user up on
every request, so disabling an account or lowering its role takes effect at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from critchem.core.errors import AuthenticationError

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    """The claims of a valid access token."""

    username: str
    role: str
    organisation: str
    expires: datetime
    jti: str = ""
    """The token's id (tokens issued before ids existed have none)."""


def issue(
    username: str,
    role: str,
    organisation: str,
    *,
    secret: str,
    minutes: int,
    now: datetime | None = None,
) -> str:
    """A signed access token for the user, valid for ``minutes`` from ``now``."""
    issued = now or datetime.now(UTC)
    claims = {
        "sub": username,
        "role": role,
        "org": organisation,
        "iat": issued,
        "exp": issued + timedelta(minutes=minutes),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode(token: str, *, secret: str) -> TokenClaims:
    """The claims of ``token``; ``AuthenticationError`` if it is forged, malformed or expired."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("the access token has expired: sign in again") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"the access token is invalid: {exc}") from exc
    return TokenClaims(
        username=str(claims["sub"]),
        role=str(claims.get("role", "public")),
        organisation=str(claims.get("org", "")),
        expires=datetime.fromtimestamp(int(claims["exp"]), UTC),
        jti=str(claims.get("jti", "")),
    )
