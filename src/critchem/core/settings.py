"""Settings, declared once and typed; read from ``CRITCHEM_*`` environment variables or a file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-insecure-secret-change-me-before-production"
"""The signing key earlier versions used by default: published, so refused everywhere."""


def _default_home() -> Path:
    return Path.home() / ".local" / "share" / "critchem"


class Settings(BaseSettings):
    """critchem settings (environment variables ``CRITCHEM_<NAME>`` or ``.env``)."""

    model_config = SettingsConfigDict(env_prefix="CRITCHEM_", env_file=".env", extra="ignore")

    home: Path = Field(
        default_factory=_default_home,
        description="Folder where critchem keeps its data (trade store, downloads).",
    )
    store_path: Path | None = Field(
        default=None,
        description="Trade store folder (Parquet + DuckDB catalogue); default: <home>/store.",
    )
    download_path: Path | None = Field(
        default=None,
        description="Cache folder for downloaded source files; default: <home>/downloads.",
    )
    cn_year: int = Field(default=2025, description="Default Combined Nomenclature year.")
    database_url: str = Field(
        default="",
        description=(
            "SQLAlchemy URL of the application database (SQLite or PostgreSQL, e.g. "
            "postgresql+psycopg://user:password@host/db); default: sqlite:///<home>/critchem.db."
        ),
    )

    allowed_origins: list[str] = Field(
        default_factory=list,
        description=(
            "Origins allowed to call the REST API from a browser (CORS), as a JSON list, "
            'e.g. ["https://example.org"]; empty: no cross-origin access.'
        ),
    )

    secret_key: str = Field(
        default="",
        description=(
            "Key that signs the access tokens (HS256), at least 32 random bytes, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`; keep it secret. "
            "Empty in development: a random key kept in <home>/secret_key; production "
            "requires it. The former published default is refused everywhere."
        ),
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description="Where the service runs; production refuses the default secret key.",
    )
    access_token_minutes: int = Field(
        default=60, ge=1, description="Minutes an access token stays valid after sign-in."
    )
    auth_rate_limit_per_minute: int = Field(
        default=10,
        ge=1,
        description="Failed sign-ins allowed per client address and user name within a minute.",
    )
    auth_spray_accounts: int = Field(
        default=10,
        ge=1,
        description=(
            "User names one address may fail to sign in to within the window before it waits "
            "(password spraying)."
        ),
    )
    auth_account_failures: int = Field(
        default=20,
        ge=1,
        description=(
            "Failed sign-ins to one user name, from any addresses, within the window before "
            "addresses the user never signed in from wait."
        ),
    )
    auth_global_failures: int = Field(
        default=200,
        ge=1,
        description=(
            "Failed sign-ins over the whole service within the window before addresses that "
            "signed nobody in lately wait (credential stuffing)."
        ),
    )
    auth_window_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description="Window of the spraying, account and stuffing sign-in rules, in minutes.",
    )

    max_request_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted, in bytes; larger ones get 413.",
    )

    smtp_host: str = Field(default="localhost", description="SMTP server that sends alert e-mails.")
    smtp_port: int = Field(default=25, description="Port of the SMTP server.")
    smtp_from: str = Field(
        default="critchem@localhost", description="Sender address of alert e-mails."
    )
    smtp_starttls: bool = Field(
        default=False, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    smtp_user: str | None = Field(
        default=None, description="SMTP login user name; none: send without logging in."
    )
    smtp_password: str | None = Field(
        default=None, description="SMTP login password (used with smtp_user)."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, description="Seconds to wait for a webhook receiver to answer one request."
    )
    pact_retry_first_seconds: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="Wait after the first failed delivery of an answer to a PACT request; "
        "it doubles after each failure (at most 6 h), for up to 72 h (critchem pact deliver).",
    )
    pact_deliver_every_seconds: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        description="How often the server sends the answers to PACT requests that are due "
        "(0: never; then run critchem pact deliver on a timer).",
    )
    prodcom_correspondence: Path | None = Field(
        default=None,
        description="Eurostat's PRODCOM-CN8 correspondence file (JSON-LD export or table) used"
        " by the evidence; default: the table shipped with critchem.",
    )

    @model_validator(mode="after")
    def _default_database_url(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.home / 'critchem.db'}"
        return self

    @property
    def store(self) -> Path:
        """The trade store folder."""
        return self.store_path or self.home / "store"

    @property
    def downloads(self) -> Path:
        """The download cache folder."""
        return self.download_path or self.home / "downloads"
