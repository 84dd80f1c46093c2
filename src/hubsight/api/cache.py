"""A response cache in front of the app: a GET answered 200 is replayed byte for byte until a newer crawl.

The store changes once a day, so an answer stays right until the next crawl of its source. Routes
say which crawl an answer came from (``pages.respond(..., source=(source, day))``); this middleware
keeps the answer under its exact request (path, query string, Host, Accept) and serves it again,
without parameter parsing or routing, while ``HistoryStore.fresh(source)`` still names that day.
After ``api_cache_seconds`` the store's newest crawl date must be read again, which only a request
through the app does; that request refreshes the date and the cache.

Off with ``HUBSIGHT_API_CACHE_ENTRIES=0``, and never used when API keys are required: every request must then be counted against its key.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hubsight.api.pages import CACHE_SCOPE_KEY
from hubsight.api.store import HistoryStore
from hubsight.lru import LRU

__all__ = ["ResponseCache"]

MAX_BODY = 1 << 20
"""Answers bigger than this (a history page of 180 days as CSV is ~40 kB) are not kept."""


class ResponseCache:
    def __init__(self, app: ASGIApp, enabled: bool = True, entries: int = 4096) -> None:
        self.app = app
        self.enabled = enabled
        self.entries = entries
        self._answers: LRU[tuple[Any, ...], tuple[str, date, Message, bytes]] = LRU(entries)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.enabled or scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = (scope["path"], scope["query_string"], headers.get(b"host"), headers.get(b"accept"))
        hit = self._answers.get(key)
        if hit is not None:
            source, day, start, body = hit
            history: HistoryStore = scope["app"].state.history
            if history.fresh(source) == day:
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            self._answers.pop(key)
        box: list[tuple[str, date]] = []
        scope[CACHE_SCOPE_KEY] = box
        start_message: Message | None = None
        parts: list[bytes] = []
        complete = False

        async def capture(message: Message) -> None:
            nonlocal start_message, complete
            if message["type"] == "http.response.start":
                start_message = message
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, capture)
        if box and complete and start_message is not None and start_message["status"] == 200:
            body = b"".join(parts)
            if len(body) <= MAX_BODY:
                source, day = box[-1]
                self._answers.put(key, (source, day, start_message, body))
