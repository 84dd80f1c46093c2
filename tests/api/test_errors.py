"""Every non-2xx answer has one body, {"error": {"type", "message"}}: pinned here for every kind of failure."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from hubsight.api.errors import ApiError, status_type, validation_message

SHAPE = {"error": {"type", "message"}}


def assert_error_shape(response: httpx.Response, status: int, type: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == SHAPE["error"], body
    assert body["error"]["type"] == type
    message = body["error"]["message"]
    assert isinstance(message, str) and message
    return message


async def test_unknown_path_is_404(client: httpx.AsyncClient) -> None:
    message = assert_error_shape(await client.get("/v1/nope"), 404, "NotFound")
    assert message == "/v1/nope is not a route of this API; see /docs"


async def test_wrong_method_is_405_and_names_the_right_one(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/query")
    message = assert_error_shape(response, 405, "MethodNotAllowed")
    assert message == "GET is not allowed on /v1/query; use POST"
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"json": {}}, "code: Field required"),
        ({}, 'request body: missing; send a JSON object such as {"code": "..."}'),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "request body: JSON decode error"),
    ],
)
async def test_malformed_body_is_422(client: httpx.AsyncClient, kwargs: dict, message: str) -> None:
    assert assert_error_shape(await client.post("/v1/query", **kwargs), 422, "ValidationError") == message


async def test_bad_authorization_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/query", json={"code": "result = 1\nresult"}, headers={"Authorization": "Basic abc"})
    assert_error_shape(response, 401, "Unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_unexpected_errors_are_500_without_details(app: FastAPI) -> None:
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/teapot")
    async def teapot() -> None:
        raise ApiError(418, "Teapot", "short and stout")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://hubsight.test") as http:
        message = assert_error_shape(await http.get("/boom"), 500, "InternalError")
        assert "secret" not in message
        assert assert_error_shape(await http.get("/teapot"), 418, "Teapot") == "short and stout"


def test_error_shape_over_a_socket(live_url: str) -> None:
    assert_error_shape(httpx.get(f"{live_url}/nope"), 404, "NotFound")
    assert_error_shape(httpx.put(f"{live_url}/v1/query"), 405, "MethodNotAllowed")
    assert_error_shape(httpx.post(f"{live_url}/v1/query", json={"code": 3}), 422, "ValidationError")


def test_status_types_and_validation_messages() -> None:
    assert [status_type(s) for s in (401, 404, 405, 503, 599)] == [
        "Unauthorized", "NotFound", "MethodNotAllowed", "ServiceUnavailable", "HTTPError",
    ]
    errors = [
        {"loc": ("body", "max_calls"), "msg": "Input should be a valid integer", "type": "int_type"},
        {"loc": ("body", "extra"), "msg": "Extra inputs are not permitted", "type": "extra_forbidden"},
    ]
    assert validation_message(errors) == "max_calls: Input should be a valid integer; extra: Extra inputs are not permitted"
