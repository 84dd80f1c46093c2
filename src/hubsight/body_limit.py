"""Refusing oversized request bodies before they are read whole, for every HTTP door (API and MCP).

A script is at most 256 KiB (``sandbox.rules.MAX_SCRIPT_BYTES``); its JSON body may be larger by its
escapes, so a body past ``MAX_BODY_BYTES`` cannot hold a valid request. ``BodyLimit`` answers 413 as
soon as ``Content-Length`` says so (the body is never read), and reads a body sent without a length
only up to the limit, so a 200 MB upload costs the server at most the limit, never the whole body.
A body that is longer than its declared length is the server's (uvicorn's) to refuse.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["MAX_BODY_BYTES", "BodyLimit", "api_body", "jsonrpc_body"]

MAX_BODY_BYTES = 1024 * 1024
"""Four times the script cap: room for JSON escapes, far below what could hurt the server."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _message(limit: int) -> str:
    return (
        f"the request body is larger than {limit // 1024} KiB; a script may be at most 256 KiB: "
        "fetch data with the helpers instead of pasting it"
    )


def api_body(limit: int) -> dict[str, Any]:
    return {"error": {"type": "PayloadTooLarge", "message": _message(limit)}}


def jsonrpc_body(limit: int) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": _message(limit)}}


class BodyLimit:
    """ASGI middleware: 413 with a JSON error for bodies over ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES,
                 body: Callable[[int], dict[str, Any]] = api_body) -> None:
        self.app = app
        self.limit = limit
        self.body = body

    async def _refuse(self, send: Send) -> None:
        payload = json.dumps(self.body(self.limit)).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.limit:
                    await self._refuse(send)
                    return
        if not any(name == b"content-length" for name, _ in scope.get("headers") or ()):
            # no length declared (chunked): read up to the limit here, then hand the body on
            chunks: list[bytes] = []
            seen = 0
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunk = message.get("body") or b""
                seen += len(chunk)
                if seen > self.limit:
                    await self._refuse(send)
                    return
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)
