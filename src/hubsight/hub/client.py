"""The helpers' door to the Hub: huggingface_hub's HfApi for everything it covers, its session for the rest.

Blocking client calls run in a dedicated thread pool so the event loop never blocks; every call
carries the current run (budget and trace) into its thread, and every failure comes back as one
of hubsight's typed errors. The crawler (``crawl/``) calls HfApi, arXiv and LMArena itself, in its
own threads and with its own retries, but what an upstream failure *is* is read here for both
(``failure``: status, Retry-After, whether a retry can help; ``translate``: the error tree).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx2

from hubsight.errors import (
    BAD_TOKEN_HINT,
    TOKEN_HINT,
    AccessDenied,
    AuthRequired,
    BudgetExceeded,
    ContractError,
    HubsightError,
    NotFound,
    RateLimited,
    UpstreamError,
    UpstreamTimeout,
)
from hubsight.hub import session
from hubsight.lru import LRU
from hubsight.settings import Settings, get_settings

T = TypeVar("T")

_executor: ThreadPoolExecutor | None = None


def _pool(workers: int) -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hubsight-hub")
    return _executor


RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Failure:
    """What an upstream client's exception says went wrong: a short ``reason`` (``HTTP 503``, ``timeout``,
    ``ConnectTimeout`` when no connection was made, ``ConnectError``, ``empty page``); ``transient`` when a
    retry may succeed (408, 429 and 5xx answers, timeouts, dropped or refused connections); the HTTP
    ``status`` and ``Retry-After`` seconds when the answer had them."""

    reason: str
    transient: bool = False
    status: int | None = None
    retry_after: float | None = None


def retry_after(headers: Any) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), if any."""
    raw = headers.get("retry-after") if headers is not None else None
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def failure(exc: BaseException) -> Failure:
    """Read a failure of any upstream client (huggingface_hub, httpx2, requests, arxiv), looking through
    the cause chain for the first exception that says what happened; else ``Failure(type name)``."""
    import requests
    from huggingface_hub.errors import HfHubHTTPError

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, HfHubHTTPError) and current.response is not None:
            status = current.response.status_code
            return Failure(f"HTTP {status}", status in RETRY_STATUSES, status, retry_after(current.response.headers))
        if isinstance(current, httpx2.ConnectTimeout | requests.ConnectTimeout):
            return Failure("ConnectTimeout", True)  # no connection was made: the host drops packets
        if isinstance(current, UpstreamTimeout | httpx2.TimeoutException | requests.Timeout):
            return Failure("ConnectTimeout" if isinstance(current.__cause__, httpx2.ConnectTimeout) else "timeout", True)
        if isinstance(current, httpx2.TransportError | requests.ConnectionError):
            return Failure(type(current).__name__, True)
        status = getattr(current, "status", None)  # arxiv.HTTPError
        if isinstance(status, int) and type(current).__module__.startswith("arxiv"):
            return Failure(f"HTTP {status}", status in RETRY_STATUSES, status)
        if type(current).__name__ == "UnexpectedEmptyPageError":  # arxiv
            return Failure("empty page", True)
        current = current.__cause__ or current.__context__
    return Failure(type(exc).__name__)


def translate(exc: BaseException, what: str) -> HubsightError:
    """Map huggingface_hub / httpx2 failures to hubsight's error tree, with a message that says what to do."""
    from huggingface_hub.errors import (
        EntryNotFoundError,
        GatedRepoError,
        HfHubHTTPError,
        HFValidationError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, HubsightError):
        return exc
    if isinstance(exc, HFValidationError):
        return ContractError(f"{what}: {exc}")
    if isinstance(exc, GatedRepoError):
        return AccessDenied(f"{what}: the repo is gated; accept its terms on the Hub and pass a token", 403)
    if isinstance(exc, RepositoryNotFoundError | RevisionNotFoundError | EntryNotFoundError):
        return NotFound(f"{what}: not found on the Hub (check the id and the repo_type; private repos need a token)", 404)
    found = failure(exc)
    if found.reason in ("timeout", "ConnectTimeout"):
        return UpstreamTimeout(f"{what}: the Hub did not answer in time; retry later or raise HUBSIGHT_HTTP_TIMEOUT")
    if found.transient and found.status is None:
        return UpstreamError(f"{what}: cannot reach the Hub ({found.reason}); check HF_ENDPOINT and the network")
    if isinstance(exc, HfHubHTTPError):
        status = found.status
        detail = (exc.server_message or str(exc)).splitlines()[0]
        if status == 404:
            return NotFound(f"{what}: not found on the Hub ({detail})", 404)
        if status == 401:
            return AccessDenied(f"{what}: the Hub refused the token (401); {BAD_TOKEN_HINT}", 401)
        if status == 403:
            return AccessDenied(f"{what}: access denied (403); the token lacks permission for this resource", 403)
        if status == 429:
            return RateLimited(f"{what}: rate-limited by the Hub (429); wait and retry, or use a token for a higher limit", 429)
        if status == 400:
            return ContractError(f"{what}: the Hub rejected the request (400): {detail}")
        return UpstreamError(f"{what}: the Hub answered {status}: {detail}", status)
    if isinstance(exc, ValueError):
        return ContractError(f"{what}: {exc}")
    return UpstreamError(f"{what}: unexpected {type(exc).__name__}: {exc}")


_apis: dict[tuple[str, str | bool], Any] = {}


def _api(endpoint: str, token: str | bool) -> Any:
    """One HfApi per (endpoint, process token), shared by every run that uses the process's own token.

    Only anonymous access and the process's own HF_TOKEN are cached here; a caller's token never is."""
    api = _apis.get((endpoint, token))
    if api is None:
        from huggingface_hub import HfApi

        api = _apis[(endpoint, token)] = HfApi(endpoint=endpoint, token=token)
    return api


_whoami: LRU[tuple[str, str], tuple[float, dict[str, Any]]] = LRU(8)
"""(endpoint, the process's own token) → (when it was asked, the Hub's whoami answer)."""


class HubClient:
    """Async access to the Hub for one endpoint and token. Cheap to create; shares one HTTP pool.

    A caller's token (one that is not the process's own HF_TOKEN) lives in ``run.memo`` only, so it is
    gone when the run ends: a shared server never holds every caller's token for its whole life."""

    def __init__(self, settings: Settings | None = None, token: str | None = None, run: session.Run | None = None) -> None:
        self.settings = settings or get_settings()
        self.token = token if token is not None else self.settings.hf_token
        self.endpoint = self.settings.hf_endpoint
        self._run = run
        self._api: Any = None

    @property
    def api(self) -> Any:
        """The HfApi, made on first use: a helper that never asks the Hub never imports huggingface_hub."""
        if self._api is None:
            session.install(self.settings.http_timeout)
            if not self.token or self.token == self.settings.hf_token:
                self._api = _api(self.endpoint, self.token or False)
            else:
                from huggingface_hub import HfApi

                key = ("hfapi", self.endpoint, self.token)
                memo = self._run.memo if self._run is not None else {}
                api = memo.get(key)
                if api is None:
                    api = memo[key] = HfApi(endpoint=self.endpoint, token=self.token)
                self._api = api
        return self._api

    async def call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking client call in the pool, inside the current run's context."""
        session.install(self.settings.http_timeout)
        loop = asyncio.get_running_loop()
        ctx = contextvars.copy_context()
        job = functools.partial(ctx.run, fn, *args, **kwargs)
        try:
            return await loop.run_in_executor(_pool(self.settings.hub_workers), job)
        except BudgetExceeded:
            raise
        except Exception as exc:
            raise translate(exc, what) from exc

    async def whoami(self) -> tuple[dict[str, Any], bool]:
        """The token's whoami answer, and whether it came from memory rather than a request.

        Asked once per run; the process's own token's answer is also remembered across runs for
        ``whoami_cache_seconds`` (the seed's runtime keeps it for the process's life). A caller's
        token is never remembered past its run."""
        token = self.require_token("whoami")
        key = ("whoami", token)
        memo = self._run.memo if self._run is not None else {}
        if key in memo:
            return memo[key], True
        ttl = self.settings.whoami_cache_seconds
        shared = ttl > 0 and token == self.settings.hf_token
        if shared and (kept := _whoami.get((self.endpoint, token))) is not None and time.monotonic() - kept[0] < ttl:
            memo[key] = kept[1]
            return kept[1], True
        answer = await self.call("whoami", self.api.whoami)
        memo[key] = answer
        if shared:
            _whoami.put((self.endpoint, token), (time.monotonic(), answer))
        return answer, False

    async def get_json(self, path: str, params: dict[str, Any] | list[tuple[str, Any]] | None = None) -> Any:
        """GET an endpoint HfApi has no method for (trending, recent activity), with the client's own
        session, headers and error mapping."""

        def fetch() -> Any:
            from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

            headers = build_hf_headers(token=self.token or False)
            response = get_session().get(f"{self.endpoint}{path}", params=params, headers=headers)
            hf_raise_for_status(response)
            return response.json()

        return await self.call(f"GET {path}", fetch)

    def require_token(self, what: str) -> str:
        if not self.token:
            raise AuthRequired(
                f"{what} needs a Hub token: {TOKEN_HINT}, or name the user explicitly"
            )
        return self.token


def list_page(iterator_factory: Callable[[], Any], limit: int) -> tuple[list[Any], bool]:
    """Take up to ``limit`` items plus one probe from a lazy listing: (items, more_available)."""
    items = []
    more = False
    for item in iterator_factory():
        if len(items) == limit:
            more = True
            break
        items.append(item)
    return items, more
