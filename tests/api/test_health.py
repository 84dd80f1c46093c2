"""GET /health answers in process and under a real server."""

from __future__ import annotations

import httpx


async def test_health_in_process(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_health_over_a_socket(live_url: str) -> None:
    response = httpx.get(f"{live_url}/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_health_says_when_the_history_store_is_unreachable(replica) -> None:
    from hubsight.api import create_app
    from hubsight.settings import get_settings

    app = create_app(get_settings(hf_endpoint=replica.url, db="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hubsight.test") as http:
            response = await http.get("/health")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["type"] == "ServiceUnavailable" and "store" in error["message"]


async def test_health_says_when_the_store_is_a_file_that_is_not_a_database(replica, tmp_path) -> None:
    from hubsight.api import create_app
    from hubsight.settings import get_settings

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"these bytes are not a SQLite database\n" * 200)
    app = create_app(get_settings(hf_endpoint=replica.url, db=f"sqlite:///{junk}"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hubsight.test") as http:
            response = await http.get("/health")
    assert response.status_code == 503
    assert "not a database" in response.json()["error"]["message"]
