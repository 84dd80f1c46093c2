"""API keys and monthly quotas: off by default; on, a bad key is 401 and a spent quota 429 with Retry-After."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from hubsight.api.keys import create_key, hash_key, list_keys, month_of, next_month, revoke_key, spend
from hubsight.store.db import make_engine, upgrade
from hubsight.store.schema import api_keys, api_usage
from tests.api import history_store
from tests.api.history_store import Crawled, api
from tests.store import backends

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules
db_url = backends.db_url  # an empty store per backend

HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))


def new_key(url: str, name: str, quota: int) -> str:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        key = create_key(conn, name, quota)
    engine.dispose()
    return key


async def test_keys_are_off_by_default(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        response = await http.get("/models/trending", params={"limit": 1})
    assert response.status_code == 200 and "x-quota-limit" not in response.headers


async def test_a_missing_unknown_or_revoked_key_is_401(crawled: Crawled) -> None:
    key = new_key(crawled.url, "to-revoke", 10)
    async with api(crawled.url, api_keys_required=True) as http:
        missing = await http.get("/models/trending")
        unknown = await http.get("/models/trending", headers={"X-API-Key": "hs_not-a-key"})
        good = await http.get("/models/trending", headers={"X-API-Key": key})
        engine = make_engine(crawled.url)
        with engine.begin() as conn:
            revoke_key(conn, hash_key(key)[:12])
        engine.dispose()
        revoked = await http.get("/models/trending", headers={"X-API-Key": key})
        query = await http.post("/v1/query", json={"code": "result = 1\nresult"})
    for response, text in ((missing, "send it in the X-API-Key header"), (unknown, "unknown or revoked"),
                           (revoked, "unknown or revoked"), (query, "X-API-Key")):
        assert response.status_code == 401 and response.headers["www-authenticate"] == "ApiKey"
        assert response.json()["error"]["type"] == "Unauthorized" and text in response.json()["error"]["message"]
    assert good.status_code == 200 and good.headers["x-quota-limit"] == "10" and good.headers["x-quota-remaining"] == "9"


async def test_health_and_docs_stay_open(crawled: Crawled) -> None:
    async with api(crawled.url, api_keys_required=True) as http:
        for path in ("/health", "/docs", "/openapi.json"):
            assert (await http.get(path)).status_code == 200, path
        spec = (await http.get("/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey", "in": "header", "name": "X-API-Key", "description": spec["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    assert "429" in spec["paths"]["/models/trending"]["get"]["responses"]


async def test_a_spent_quota_is_429_with_retry_after_until_next_month(crawled: Crawled) -> None:
    key = new_key(crawled.url, "free-plan", 3)
    async with api(crawled.url, api_keys_required=True) as http:
        served = [await http.get("/papers/recent", params={"limit": 1}, headers={"X-API-Key": key}) for _ in range(3)]
        refused = await http.get("/papers/recent", headers={"X-API-Key": key})
        csv = await http.get("/arena/rankings", params={"format": "csv"}, headers={"X-API-Key": key})
    assert [r.status_code for r in served] == [200, 200, 200]
    assert [r.headers["x-quota-remaining"] for r in served] == ["2", "1", "0"]
    assert refused.status_code == 429 and csv.status_code == 429
    error = refused.json()["error"]
    assert error["type"] == "TooManyRequests" and "'free-plan' (3 requests) is spent" in error["message"]
    now = datetime.now(UTC)
    wait = int(refused.headers["retry-after"])
    assert abs(wait - (next_month(now) - now).total_seconds()) < 60
    assert next_month(now).isoformat() in error["message"]


async def test_concurrent_requests_cannot_overspend_a_quota(crawled: Crawled) -> None:
    key = new_key(crawled.url, "pro-plan", 5)
    async with api(crawled.url, api_keys_required=True) as http:
        answers = await asyncio.gather(*[http.get("/health"), *[
            http.get("/models/trending", params={"limit": 1}, headers={"X-API-Key": key}) for _ in range(12)
        ]])
    codes = sorted(r.status_code for r in answers[1:])
    assert codes == [200] * 5 + [429] * 7


def test_usage_is_counted_per_month_and_only_hashes_are_stored(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    november, december = datetime(2026, 11, 30, 23, 59, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as conn:
        key = create_key(conn, "monthly", 2, now=november)
        assert [spend(conn, key, november) for _ in range(3)] == [("monthly", 2, 1), ("monthly", 2, 2), ("monthly", 2, 3)]
        assert spend(conn, key, december) == ("monthly", 2, 1), "a new month starts from zero"
        assert spend(conn, "hs_wrong", december) is None
        zero = create_key(conn, "suspended", 0, now=december)
        assert spend(conn, zero, december) == ("suspended", 0, 1), "a quota of 0 serves nothing"
        stored = conn.execute(select(api_keys)).all()
        usage = {(r.month, r.count) for r in conn.execute(select(api_usage))}
        listed = list_keys(conn, now=december)
    engine.dispose()
    assert all(key not in str(tuple(r)) for r in stored) and {r.key_hash for r in stored} >= {hash_key(key)}
    assert usage == {("2026-11", 2), ("2026-12", 1)}
    assert [(k.name, k.used_this_month, k.monthly_quota) for k in listed] == [("monthly", 1, 2), ("suspended", 0, 0)]


def test_months_and_renewal() -> None:
    assert month_of(datetime(2026, 1, 5, tzinfo=UTC)) == "2026-01"
    assert next_month(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
    assert next_month(datetime(2026, 2, 1, tzinfo=UTC)) == datetime(2026, 3, 1, tzinfo=UTC)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``hubsight keys ...`` in process (the CLI's own entry point): (exit code, stdout, stderr)."""
    from hubsight.cli import main

    code = main(["keys", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_keys_cli_creates_lists_and_revokes(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, "create", "--name", "ci", "--quota", "1000", "--db", db_url)
    assert code == 0, err
    key = out.strip()
    assert key.startswith("hs_") and "shown once" in err
    key_id = hash_key(key)[:12]
    code, listed, _ = _cli(capsys, "list", "--db", db_url)
    assert code == 0 and f"{key_id}  ci  0/1000 this month  active" in listed
    assert key not in listed, "a key is shown once, at creation"
    code, out, _ = _cli(capsys, "revoke", key_id, "--db", db_url)
    assert code == 0 and f"revoked {key_id}" in out
    assert "revoked" in _cli(capsys, "list", "--db", db_url)[1].split(key_id, 1)[1].splitlines()[0]
    code, _, err = _cli(capsys, "revoke", "nobody", "--db", db_url)
    assert code == 2 and err.startswith("error: ") and "keys list" in err


def test_keys_create_runs_as_a_command(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "HUBSIGHT_DB": f"sqlite:///{tmp_path / 'keys.db'}"}
    result = subprocess.run([HUBSIGHT, "keys", "create", "--name", "free", "--quota", "100"], capture_output=True,
                            text=True, timeout=60, env=env)
    assert result.returncode == 0 and result.stdout.startswith("hs_") and len(result.stdout.splitlines()) == 1


async def test_a_malformed_request_spends_no_quota_and_spaces_around_the_key_are_ignored(crawled: Crawled) -> None:
    key = new_key(crawled.url, "careful", 5)
    async with api(crawled.url, api_keys_required=True) as http:
        bad = await http.post("/v1/query", json={"code": 1}, headers={"X-API-Key": key})
        spaced = await http.get("/models/trending", params={"limit": 1}, headers={"X-API-Key": f"  {key} "})
    assert bad.status_code == 422
    assert spaced.status_code == 200, spaced.text
    assert spaced.headers["x-quota-remaining"] == "4", "the 422 was not counted; the served request was"


async def test_openapi_marks_the_key_optional_only_when_keys_are_off(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        off = (await http.get("/openapi.json")).json()
    async with api(crawled.url, api_keys_required=True) as http:
        on = (await http.get("/openapi.json")).json()
    assert {} in off["paths"]["/models/trending"]["get"]["security"], "no key needed: security lists the empty option"
    assert {} not in on["paths"]["/models/trending"]["get"]["security"]
    assert {"ApiKey": []} in on["paths"]["/models/trending"]["get"]["security"]
