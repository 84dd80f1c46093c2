"""hubsight's exception tree. Doors translate these once each (CLI line, HTTP body, MCP tool error).

    HubsightError
     ├── ContractError        bad helper argument: unknown field/where key/op/sort/expand, bad value
     ├── BudgetExceeded       the run's max_calls budget is spent
     ├── AuthRequired         the call needs a Hub token and none was given
     └── UpstreamError        the Hub (or arXiv, LMArena) answered with an error or not at all
          ├── NotFound        404: missing repo, user, collection, discussion
          ├── AccessDenied    401/403
          ├── RateLimited     429
          ├── UpstreamTimeout no answer within the timeout
          └── Unreachable     nothing answers at the endpoint (connection refused, unknown host)
"""

from __future__ import annotations


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
