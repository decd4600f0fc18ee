"""``Accounts``: users, roles, passwords, API keys and the audit log, over one database.

The tables live in the application database (migration 0003), so ``Accounts`` takes the
session factory of a :class:`~critchem.core.database.Database` (an ``AlertStore`` is one),
which migrates the schema on first use::

    accounts = Accounts(Database(url).session)

API keys have the form ``ck_<prefix>_<secret>``: the prefix (8 hex digits) finds the key,
the SHA-256 of the whole key checks it; the key is returned once, at creation. Every key has
scopes (``critchem.accounts.scopes``) and an expiry of at most ``MAX_KEY_DAYS`` days.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from critchem.accounts import revoked
from critchem.accounts.models import ApiKey, AuditEntry, User
from critchem.accounts.passwords import (
    MIN_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from critchem.accounts.roles import Principal, at_least, check_role
from critchem.accounts.schemas import ApiKeyOut, AuditOut, NewApiKeyOut, UserOut
from critchem.accounts.scopes import check_scopes
from critchem.accounts.tokens import TokenClaims
from critchem.core.database import utcnow
from critchem.core.errors import (
    AccountError,
    AuthenticationError,
    PermissionDeniedError,
    UsernameTakenError,
    UserNotFoundError,
)

KEY_PREFIX = "ck"
DEFAULT_KEY_DAYS = 90
"""Days a new API key stays valid unless told otherwise."""
MAX_KEY_DAYS = 365
"""The longest an API key may be valid: every key expires."""


def key_digest(key: str) -> str:
    """The SHA-256 (hex) of an API key, the only form in which it is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


def _user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        organisation=user.organisation,
        role=check_role(user.role),
        active=user.active,
        created_at=user.created_at,
    )


def _key_out(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=key.id,
        username=key.user.username,
        name=key.name,
        prefix=key.prefix,
        scopes=key.scopes.split(),
        created_at=key.created_at,
        expires_at=key.expires_at,
        last_used_at=key.last_used_at,
        revoked_at=key.revoked_at,
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError(f"the password is too short: use at least {MIN_LENGTH} characters")


def _role(role: str) -> str:
    try:
        return check_role(role)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc


class Accounts:
    """The account service over the sessions made by ``sessions``."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def revoke_token(self, claims: TokenClaims) -> None:
        """Log a token out: its ``jti`` is denied until it expires."""
        revoked.revoke(self._sessions, claims.jti, claims.expires)

    def token_principal(self, claims: TokenClaims) -> Principal:
        """The principal of a valid token; ``AuthenticationError`` once it was logged out."""
        if revoked.is_revoked(self._sessions, claims.jti):
            raise AuthenticationError("the access token was revoked (logged out): sign in again")
        return self.principal(claims.username)

    @staticmethod
    def _user(session: Session, username: str) -> User:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            known = session.scalars(select(User.username).order_by(User.username)).all()
            raise UserNotFoundError(f"no user named {username!r}", suggestions=list(known)[:10])
        return user

    # -- users -----------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        *,
        password: str,
        role: str = "member",
        organisation: str = "",
        full_name: str = "",
        email: str | None = None,
    ) -> UserOut:
        """Create an active user; ``UsernameTakenError`` if the name is taken, ``AccountError``
        if the input is bad."""
        username = username.strip()
        if not username or len(username) > 100 or any(c.isspace() for c in username):
            raise AccountError(f"invalid user name {username!r}: 1-100 characters, no spaces")
        _check_password(password)
        checked_role = _role(role)
        with self._sessions() as session, session.begin():
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise UsernameTakenError(f"user name {username!r} is already taken")
            user = User(
                username=username,
                full_name=full_name,
                email=email,
                organisation=organisation,
                role=checked_role,
                password_hash=hash_password(password),
                active=True,
                created_at=utcnow(),
            )
            session.add(user)
            session.flush()
            return _user_out(user)

    def list_users(self) -> list[UserOut]:
        """Every user, by name."""
        with self._sessions() as session:
            return [_user_out(u) for u in session.scalars(select(User).order_by(User.username))]

    def get_user(self, username: str) -> UserOut:
        """One user (``UserNotFoundError`` if none has that name)."""
        with self._sessions() as session:
            return _user_out(self._user(session, username))

    def _update(self, username: str, **changes: Any) -> UserOut:
        with self._sessions() as session, session.begin():
            user = self._user(session, username)
            for name, value in changes.items():
                setattr(user, name, value)
            return _user_out(user)

    def disable_user(self, username: str) -> UserOut:
        """Disable a user: their passwords, tokens and keys stop working at once."""
        return self._update(username, active=False)

    def enable_user(self, username: str) -> UserOut:
        """Enable a disabled user again."""
        return self._update(username, active=True)

    def set_role(self, username: str, role: str) -> UserOut:
        """Give a user another role."""
        return self._update(username, role=_role(role))

    def reset_password(self, username: str, password: str) -> UserOut:
        """Set a new password for a user."""
        _check_password(password)
        return self._update(username, password_hash=hash_password(password))

    # -- API keys --------------------------------------------------------------------------

    def create_key(
        self,
        username: str,
        name: str,
        *,
        scopes: Sequence[str] = ("read",),
        days: int = DEFAULT_KEY_DAYS,
        now: datetime | None = None,
    ) -> NewApiKeyOut:
        """A new API key for ``username`` with ``scopes``, valid ``days`` days.

        The key is in the answer and nowhere else; only its SHA-256 is stored.

        Raises
        ------
        AccountError
            No name, no scope, an unknown scope or one above the user's role, or ``days``
            outside 1..``MAX_KEY_DAYS``.
        UserNotFoundError
            No user has that name.
        """
        name = name.strip(" \t\r\n")
        if not name:
            raise AccountError("give the API key a name (what or who uses it)")
        if not 1 <= days <= MAX_KEY_DAYS:
            raise AccountError(
                f"an API key is valid 1 to {MAX_KEY_DAYS} days, not {days}: every key expires"
            )
        created = now or utcnow()
        with self._sessions() as session, session.begin():
            user = self._user(session, username)
            if not user.active:
                raise AccountError(f"the account {username!r} is disabled: enable it first")
            chosen = check_scopes(scopes, user.role)
            prefix = secrets.token_hex(4)
            while session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is not None:
                prefix = secrets.token_hex(4)  # pragma: no cover - 1 in 4 billion
            key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
            row = ApiKey(
                user=user,
                name=name,
                prefix=prefix,
                key_sha256=key_digest(key),
                scopes=" ".join(chosen),
                created_at=created,
                expires_at=created + timedelta(days=days),
            )
            session.add(row)
            session.flush()
            return NewApiKeyOut(**_key_out(row).model_dump(), key=key)

    def list_keys(self, username: str | None = None) -> list[ApiKeyOut]:
        """The API keys (of one user if given), oldest first."""
        with self._sessions() as session:
            query = select(ApiKey).join(ApiKey.user).order_by(ApiKey.id)
            if username is not None:
                query = query.where(User.username == username)
            return [_key_out(k) for k in session.scalars(query)]

    def get_key(self, key_id: int) -> ApiKeyOut:
        """One API key by id (``UserNotFoundError`` if none has it)."""
        with self._sessions() as session:
            row = session.get(ApiKey, key_id)
            if row is None:
                raise UserNotFoundError(f"no API key has id {key_id}")
            return _key_out(row)

    def revoke_key(
        self, key_id: int, *, by: Principal | None = None, now: datetime | None = None
    ) -> ApiKeyOut:
        """Revoke an API key (revoking it again keeps the first revocation time).

        With ``by``, only the key's own user or a secretariat/admin may revoke it
        (``PermissionDeniedError`` otherwise); the CLI, run by an operator, gives no ``by``.
        """
        with self._sessions() as session, session.begin():
            row = session.get(ApiKey, key_id)
            if row is None:
                raise UserNotFoundError(f"no API key has id {key_id}")
            if (
                by is not None
                and by.username != row.user.username
                and not at_least(by.role, "secretariat")
            ):
                raise PermissionDeniedError(
                    f"the API key {key_id} belongs to another user: only they, the secretariat "
                    "or an admin may revoke it"
                )
            if row.revoked_at is None:
                row.revoked_at = now or utcnow()
            return _key_out(row)

    # -- authentication --------------------------------------------------------------------

    def authenticate_password(self, username: str, password: str) -> Principal:
        """The principal of a user signing in; ``AuthenticationError`` if anything is wrong.

        A hash made with older parameters is upgraded on success. The message never says
        whether the user exists.
        """
        refusal = AuthenticationError("wrong user name or password")
        with self._sessions() as session, session.begin():
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                verify_password(dummy_hash(), password)
                raise refusal
            if not verify_password(user.password_hash, password) or not user.active:
                raise refusal
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            return Principal(user.username, check_role(user.role), user.organisation, "token")

    def authenticate_key(self, key: str, *, now: datetime | None = None) -> Principal:
        """The principal of an API key, with its scopes.

        ``AuthenticationError`` if the key is malformed, unknown, revoked, expired, or its
        account disabled.
        """
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            raise AuthenticationError("the API key is malformed: expected ck_<prefix>_<secret>")
        with self._sessions() as session, session.begin():
            row = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
            if row is None or not hmac.compare_digest(row.key_sha256, key_digest(key)):
                raise AuthenticationError("the API key is not valid")
            if row.revoked_at is not None:
                raise AuthenticationError(f"the API key {row.prefix!r} has been revoked")
            at = now or utcnow()
            if row.expires_at is None or row.expires_at <= at:
                when = row.expires_at.isoformat(timespec="seconds") if row.expires_at else "-"
                raise AuthenticationError(
                    f"the API key {row.prefix!r} expired at {when}: make a new one"
                )
            if not row.user.active:
                raise AuthenticationError("the account of this API key is disabled")
            row.last_used_at = at
            user = row.user
            return Principal(
                user.username,
                check_role(user.role),
                user.organisation,
                "api-key",
                row.name,
                tuple(row.scopes.split()),
            )

    def principal(self, username: str) -> Principal:
        """The current principal of a token's user; ``AuthenticationError`` if gone or disabled."""
        with self._sessions() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None or not user.active:
                raise AuthenticationError(f"the account {username!r} is disabled or removed")
            return Principal(user.username, check_role(user.role), user.organisation, "token")

    # -- audit -----------------------------------------------------------------------------

    def audit(
        self,
        actor: str,
        action: str,
        resource: str,
        detail: dict[str, Any] | None = None,
        *,
        ip: str | None = None,
        now: datetime | None = None,
    ) -> AuditOut:
        """Record one write: who (user name, or key name), what, on which resource, from where."""
        with self._sessions() as session, session.begin():
            entry = AuditEntry(
                at=now or utcnow(),
                actor=actor[:200],
                action=action,
                resource=resource[:200],
                detail=detail or {},
                ip=ip,
            )
            session.add(entry)
            session.flush()
            return AuditOut.model_validate(entry, from_attributes=True)

    def read_confidential(
        self,
        principal: Principal,
        resource: str,
        detail: dict[str, Any] | None = None,
        *,
        ip: str | None = None,
    ) -> AuditOut:
        """Record a read that showed company-confidential figures (action ``read_confidential``)."""
        return self.audit(principal.actor, "read_confidential", resource, detail, ip=ip)

    def list_audit(
        self,
        *,
        action: str | None = None,
        actor: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[AuditOut], int]:
        """Audit entries (newest first) matching the filters, and how many match in all."""
        query = select(AuditEntry)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        if actor is not None:
            query = query.where(AuditEntry.actor == actor)
        with self._sessions() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(limit)
                .offset(offset)
            )
            return [AuditOut.model_validate(r, from_attributes=True) for r in rows], total
