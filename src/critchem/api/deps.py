"""Dependencies of the routes: the settings, the trade store folder and the alert store.

Each is read from ``app.state`` (filled by ``create_app``), so tests override them either by
building the app with other settings or through ``app.dependency_overrides``. They are
``async`` because they only read an attribute: FastAPI runs a plain ``def`` dependency in its
thread pool, a hop that cost more than the read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from critchem.core.settings import Settings
from critchem.surveillance.alerts import AlertStore


async def get_settings(request: Request) -> Settings:
    """The settings the application was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_store_root(settings: SettingsDep) -> Path:
    """The trade store folder."""
    return settings.store


StoreRootDep = Annotated[Path, Depends(get_store_root)]


async def get_alert_store(request: Request) -> AlertStore:
    """The application's alert store (it connects on first use, not before)."""
    store: AlertStore = request.app.state.alert_store
    return store


AlertStoreDep = Annotated[AlertStore, Depends(get_alert_store)]
