"""Why a crawl source stops. Each stops only its own source; nothing of that source is stored.

    HubsightError
     └── CrawlError
          ├── SchemaChanged      the upstream wire format is not what hubsight was written for
          ├── RetriesExhausted   a transient failure (5xx, 429, timeout) outlasted every attempt
          └── CrawlRefused       the crawl would store something wrong (an older Hub date, a vanishing Hub)
"""

from __future__ import annotations

from hubsight.errors import HubsightError


class CrawlError(HubsightError):
    """A crawl source failed; its transaction was rolled back."""


class SchemaChanged(CrawlError):
    """A required field is missing, renamed or of another type: better to stop than to store garbage."""


class RetriesExhausted(CrawlError):
    """Every attempt at one request failed with a transient error."""


class CrawlRefused(CrawlError):
    """The request makes no sense for the store as it is (e.g. a Hub date older than the newest stored)."""


__all__ = ["CrawlError", "CrawlRefused", "RetriesExhausted", "SchemaChanged"]
