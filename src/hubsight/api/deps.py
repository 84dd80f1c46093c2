"""Dependencies of the API's routes: the settings, the caller's Hub token and the history store.

The token comes only from the caller's ``Authorization: Bearer <token>`` header: a shared server never
lends its own HF_TOKEN to anonymous callers, so scripts run with the server's settings minus its token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hubsight.api.errors import ApiError
from hubsight.api.store import HistoryStore
from hubsight.settings import Settings

__all__ = [
    "ScriptSettingsDep",
    "SettingsDep",
    "StoreDep",
    "TokenDep",
    "caller_token",
    "history_store",
    "quota",
    "script_settings",
    "settings",
]

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="HubToken",
    description="Optional Hugging Face token used by this request's script only; never echoed.",
)


def settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


def script_settings(request: Request) -> Settings:
    """The settings scripts run with: the app's, without the server's own HF_TOKEN."""
    return request.app.state.script_settings


def caller_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> str | None:
    """The caller's Hub token, or None for an anonymous caller; a malformed Authorization header is a 401."""
    if credentials is not None and credentials.credentials.strip():
        return credentials.credentials.strip()
    if request.headers.get("authorization") is not None:
        # The header's value is not repeated: it may be a credential.
        raise ApiError(
            401,
            "Unauthorized",
            "the Authorization header must be 'Bearer <Hugging Face token>'; fix it or leave it out",
            {"WWW-Authenticate": "Bearer"},
        )
    return None


async def history_store(request: Request) -> HistoryStore:
    """The history store the app reads (``HUBSIGHT_DB``), shared by all requests."""
    return request.app.state.history


def quota(request: Request) -> dict[str, str] | None:
    """The caller's quota headers, when the server meters keys (set by ``keys.require_api_key``)."""
    return getattr(request.state, "quota", None)


SettingsDep = Annotated[Settings, Depends(settings)]
StoreDep = Annotated[HistoryStore, Depends(history_store)]
ScriptSettingsDep = Annotated[Settings, Depends(script_settings)]
TokenDep = Annotated[str | None, Depends(caller_token)]
