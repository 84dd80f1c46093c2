"""GET /health answers in process and under a real server."""

from __future__ import annotations

import httpx


async def test_health_in_process(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_health_over_a_socket(live_url: str) -> None:
    response = httpx.get(f"{live_url}/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
