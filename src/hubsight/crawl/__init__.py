"""The history half of hubsight: daily crawls of the Hub, arXiv and LMArena into the store.

``crawl(day, only, settings, progress)`` runs one day; ``scheduler.run_daily`` repeats it.
"""

from hubsight.crawl.errors import CrawlError, CrawlRefused, RetriesExhausted, SchemaChanged
from hubsight.crawl.runner import SOURCES, CrawlSummary, SourceResult, crawl

__all__ = [
    "SOURCES",
    "CrawlError",
    "CrawlRefused",
    "CrawlSummary",
    "RetriesExhausted",
    "SchemaChanged",
    "SourceResult",
    "crawl",
]
