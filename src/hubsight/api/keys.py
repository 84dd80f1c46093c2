"""API keys with a monthly quota each: off by default, on with ``HUBSIGHT_API_KEYS_REQUIRED=true``.

A key is shown once, when created (``hubsight keys create``); the store keeps only its sha256. Each
served request adds one to the key's count for the month (UTC) in ``api_usage``, in one atomic
upsert that refuses to pass the quota, so concurrent requests cannot overspend it. The seed API's
plans are quotas: Free is 100 requests a month, PRO 1,000.

Callers send the key in the ``X-API-Key`` header only: keys in URLs end up in logs and browser
history. ``/health``, ``/docs`` and ``/openapi.json`` never need a key.

    missing, unknown or revoked key -> 401 Unauthorized
    quota spent                     -> 429 TooManyRequests, Retry-After: seconds until the next month (UTC)
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader
from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hubsight.api.errors import ApiError, ErrorBody
from hubsight.store.schema import api_keys, api_usage

__all__ = [
    "KEY_RESPONSES",
    "KeyInfo",
    "create_key",
    "hash_key",
    "list_keys",
    "month_of",
    "next_month",
    "optional_key_in_openapi",
    "refund",
    "require_api_key",
    "revoke_key",
    "spend",
]

PREFIX = "hs_"

_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `hubsight keys create`; needed only when the server sets HUBSIGHT_API_KEYS_REQUIRED.",
)

KEY_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "API keys are required and X-API-Key is missing, unknown or revoked."},
    429: {"model": ErrorBody, "description": "The key's monthly quota is spent; Retry-After says when it renews."},
}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def month_of(now: datetime) -> str:
    return f"{now.year:04d}-{now.month:02d}"


def next_month(now: datetime) -> datetime:
    """Midnight UTC on the first day of the month after ``now``'s: when quotas renew."""
    now = now.astimezone(UTC)
    return datetime(now.year + now.month // 12, now.month % 12 + 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class KeyInfo:
    id: str
    """The first 12 hex digits of the key's sha256: names a key without revealing it."""
    name: str
    monthly_quota: int
    created_at: datetime
    disabled: bool
    used_this_month: int


def create_key(conn: Connection, name: str, quota: int, now: datetime | None = None) -> str:
    """A new key (returned once, never stored) with ``quota`` requests a month."""
    if quota < 0:
        raise ValueError("a quota is a number of requests per month: use 0 or more")
    key = PREFIX + secrets.token_urlsafe(24)
    conn.execute(
        api_keys.insert().values(
            key_hash=hash_key(key), name=name, monthly_quota=quota, created_at=now or datetime.now(UTC), disabled=False
        )
    )
    return key


def list_keys(conn: Connection, now: datetime | None = None) -> list[KeyInfo]:
    month = month_of(now or datetime.now(UTC))
    used = dict(conn.execute(select(api_usage.c.key_hash, api_usage.c.count).where(api_usage.c.month == month)).all())
    rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.name))
    return [
        KeyInfo(r.key_hash[:12], r.name, r.monthly_quota, r.created_at, bool(r.disabled), used.get(r.key_hash, 0))
        for r in rows
    ]


def revoke_key(conn: Connection, ident: str) -> list[str]:
    """Disable the key named by its id (from ``list_keys``), its full value, or its name if that is unique.

    Returns the ids revoked; raises ValueError when ``ident`` names no key or several.
    """
    ident = ident.strip()
    rows = conn.execute(select(api_keys.c.key_hash, api_keys.c.name)).all()
    full = hash_key(ident) if ident.startswith(PREFIX) else None
    matches = [h for h, _ in rows if h == full] or [h for h, _ in rows if len(ident) >= 6 and h.startswith(ident)]
    if not matches:
        matches = [h for h, name in rows if name == ident]
        if len(matches) > 1:
            ids = ", ".join(h[:12] for h in matches)
            raise ValueError(f"{len(matches)} keys are named {ident!r} ({ids}): revoke one by its id")
    if not matches:
        raise ValueError(f"no key has the id, value or name {ident!r}; `hubsight keys list` shows them")
    conn.execute(update(api_keys).where(api_keys.c.key_hash.in_(matches)).values(disabled=True))
    return [h[:12] for h in matches]


def spend(conn: Connection, key: str, now: datetime) -> tuple[str, int, int] | None:
    """Count one request against ``key``: (name, quota, used) after counting; None for a bad key.

    ``used > quota`` means the quota was already spent and nothing was counted.
    """
    digest = hash_key(key)
    row = conn.execute(
        select(api_keys.c.name, api_keys.c.monthly_quota, api_keys.c.disabled).where(api_keys.c.key_hash == digest)
    ).first()
    if row is None or row.disabled:
        return None
    month = month_of(now)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(api_usage).values(key_hash=digest, month=month, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[api_usage.c.key_hash, api_usage.c.month],
        set_={"count": api_usage.c.count + 1},
        where=api_usage.c.count < row.monthly_quota,
    ).returning(api_usage.c.count)
    counted = conn.execute(stmt).scalar() if row.monthly_quota > 0 else None
    if counted is None:
        return row.name, row.monthly_quota, row.monthly_quota + 1
    return row.name, row.monthly_quota, counted


def refund(conn: Connection, key: str, now: datetime) -> None:
    """Give back the request ``spend`` counted (a request that turned out malformed was not served)."""
    conn.execute(
        update(api_usage)
        .where(api_usage.c.key_hash == hash_key(key), api_usage.c.month == month_of(now), api_usage.c.count > 0)
        .values(count=api_usage.c.count - 1)
    )


def optional_key_in_openapi(app: Any) -> None:
    """When keys are off, the OpenAPI document says so: each metered operation also lists "no key" (``{}``)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            if not app.state.settings.api_keys_required:
                for operations in schema.get("paths", {}).values():
                    for operation in operations.values():
                        security = operation.get("security") if isinstance(operation, dict) else None
                        if security and {} not in security and any("ApiKey" in s for s in security):
                            operation["security"] = [{}, *security]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


async def require_api_key(request: Request, key: Annotated[str | None, Depends(_header)]) -> None:
    """The guard of every metered route: a no-op unless the server requires keys."""
    if not request.app.state.settings.api_keys_required:
        return
    key = key.strip() if key else key  # a pasted key often brings spaces along
    if not key:
        raise ApiError(
            401, "Unauthorized", "this server requires an API key: send it in the X-API-Key header", {"WWW-Authenticate": "ApiKey"}
        )
    now = datetime.now(UTC)
    store = request.app.state.history
    spent = await store.write(spend, key, now)
    if spent is None:
        raise ApiError(401, "Unauthorized", "the X-API-Key is unknown or revoked", {"WWW-Authenticate": "ApiKey"})
    name, quota, used = spent
    if used > quota:
        renew = next_month(now)
        wait = max(1, int((renew - now).total_seconds() + 0.999))
        raise ApiError(
            429,
            "TooManyRequests",
            f"the monthly quota of key {name!r} ({quota} requests) is spent; it renews at {renew.isoformat()}",
            {"Retry-After": str(wait), "X-Quota-Limit": str(quota), "X-Quota-Remaining": "0"},
        )
    request.state.quota = {"X-Quota-Limit": str(quota), "X-Quota-Remaining": str(quota - used)}

    async def give_back() -> None:
        request.state.refund_quota = None
        await store.write(refund, key, now)

    request.state.refund_quota = give_back

