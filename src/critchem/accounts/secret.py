"""The key that signs access tokens: never a known default, in any environment.

An empty ``CRITCHEM_SECRET_KEY`` in development makes a random key, kept in
``<home>/secret_key`` (mode 0600) and shared by every worker of that home. Production
requires the key to be set. The former published development default, or any key shorter
than 32 bytes, is refused everywhere.
"""

from __future__ import annotations

import os
import secrets

from critchem.core.errors import InsecureSettingsError
from critchem.core.settings import DEFAULT_SECRET_KEY, Settings

SECRET_FILE = "secret_key"
MIN_BYTES = 32


def ensure_secret(settings: Settings) -> Settings:
    """``settings`` with a usable signing key, or ``InsecureSettingsError`` naming the fix."""
    key = settings.secret_key
    if not key:
        if settings.environment != "development":
            raise InsecureSettingsError(
                f"refusing to start in {settings.environment}: CRITCHEM_SECRET_KEY is not set; "
                "set it to a random secret shared by every worker, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        key = _home_key(settings)
    if key == DEFAULT_SECRET_KEY or len(key.encode()) < MIN_BYTES:
        raise InsecureSettingsError(
            f"refusing to start: CRITCHEM_SECRET_KEY is the published development default or "
            f"shorter than {MIN_BYTES} bytes; set it to a random secret, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return (
        settings if key == settings.secret_key else settings.model_copy(update={"secret_key": key})
    )


def _home_key(settings: Settings) -> str:
    path = settings.home / SECRET_FILE
    if not path.exists():
        settings.home.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker made it meanwhile
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()
