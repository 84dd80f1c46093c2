"""hubsight's exception tree. Doors translate these once each (CLI line, HTTP body, MCP tool error).

Every error hubsight raises on purpose is a ``HubsightError``; the classes below the first group live
with the code that raises them (module in brackets).

    HubsightError
     ├── ContractError          bad helper argument: unknown field/where key/op/sort/expand, bad value
     ├── BudgetExceeded         the run's max_calls budget is spent
     ├── AuthRequired           the call needs a Hub token and none was given
     ├── UpstreamError          the Hub (or arXiv, LMArena) answered with an error or not at all
     │    ├── NotFound          404: missing repo, user, collection, discussion
     │    ├── AccessDenied      401/403
     │    ├── RateLimited       429
     │    ├── UpstreamTimeout   no answer within the timeout
     │    └── Unreachable       nothing answers at the endpoint (connection refused, unknown host)
     ├── StoreUnavailable       [store.db] the history store cannot be opened or read (bad URL, server down)
     ├── NoHistory              [store.history] nothing stored to answer with: no store, no crawl, not this repo
     ├── SqlError               [store.sql] a history SQL query refused, failed or out of time; ``kind`` says
     │                          which: SqlRefused, SqlTimeout, SqlError, NoHistory, StoreUnavailable
     ├── LakeError              [store.lake] the Parquet lake cannot be written or read
     ├── CrawlError             [crawl.errors] a crawl source failed; nothing of it was stored
     │    ├── SchemaChanged     the upstream wire format is not what hubsight was written for
     │    ├── RetriesExhausted  a transient failure (5xx, 429, timeout) outlasted every attempt
     │    └── CrawlRefused      the crawl would store something wrong (an older Hub date, a vanishing Hub)
     └── AskError               [ask] the model could not be reached or never wrote a script that ran

Upstream failures (huggingface_hub, httpx, requests, arxiv exceptions) become this tree in one place,
``hub.client.translate``; the crawler's retries ask the same place what a failure was.

The doors:

- **Helpers and the sandbox** answer ``ok=false`` with ``meta.error_type`` = the class name
  (``SqlError``: its ``kind``); a bug is ``InternalError``. A script's own failures are not in this
  tree: the sandbox reports them by Python's names (SyntaxError, TimeoutError, ResultError, ...).
- **The HTTP API** answers ``{"error": {"type", "message"}}`` with the status of the error's branch:
  ``api.errors.HUBSIGHT_STATUS`` (ContractError 422, NoHistory 503 or 404 for a repo, StoreUnavailable
  503, SqlError by kind: 400, 408 SqlTimeout, ...).
- **The CLI** prints one ``error:`` line and exits 1 (2 for a usage error: a bad option or setting).
- **The MCP server** returns the helper or script envelope; a tool's own failure is a tool error.
"""

from __future__ import annotations

TOKEN_HINT = "set HF_TOKEN (or pass a token for this run)"
"""What a message says to do about a missing token, to a caller with a process of its own."""
BAD_TOKEN_HINT = "pass a valid HF_TOKEN"
"""What a message says to do about a token the Hub refused, likewise."""
HTTP_HINTS = {
    TOKEN_HINT: "send your Hub token with the request as 'Authorization: Bearer <token>'",
    BAD_TOKEN_HINT: "send a valid Hub token as 'Authorization: Bearer <token>'",
}
"""The same advice to a caller over HTTP, whose token comes in the request: the server's own HF_TOKEN
never serves it, so setting that would not help."""


class HubsightError(Exception):
    """Base of every error hubsight raises on purpose."""


class ContractError(HubsightError, ValueError):
    """A helper argument outside the helper's declared contract."""


class BudgetExceeded(HubsightError):
    """The run made as many upstream calls as its max_calls budget allows."""


class AuthRequired(HubsightError):
    """The helper needs a Hub token (HF_TOKEN or a per-run token) and none was given."""


class UpstreamError(HubsightError):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotFound(UpstreamError):
    pass


class AccessDenied(UpstreamError):
    pass


class RateLimited(UpstreamError):
    pass


class UpstreamTimeout(UpstreamError):
    pass


class Unreachable(UpstreamError):
    """Nothing answers at the endpoint: retrying for half a minute will not change that."""


__all__ = [
    "AccessDenied",
    "AuthRequired",
    "BudgetExceeded",
    "ContractError",
    "HubsightError",
    "NotFound",
    "RateLimited",
    "Unreachable",
    "UpstreamError",
    "UpstreamTimeout",
]
