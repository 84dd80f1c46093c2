"""The history store's tables (SQLAlchemy Core). The same schema serves SQLite and PostgreSQL.

Design: the Hub changes once a day, so a day of numbers for every repo is stored column-wise in
compressed blobs (``snapshots``: one row per kind, chunk of 4096 repos and date; see ``codec.py``),
about 2 bytes per repo-day instead of ~50 for a row per repo per day. Everything a read needs
is precomputed at crawl time (``trending``) or indexed (``repos`` by created_at), so reads are index
lookups.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine


class CompactOnSQLite(TypeDecorator):
    """A column in its native type on PostgreSQL and in a compact form on SQLite: a subclass names the
    SQLite type (``sqlite_type``) and converts values to it (``pack``) and back (``unpack``)."""

    cache_ok = True
    sqlite_type: TypeEngine[Any]

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(self.sqlite_type if dialect.name == "sqlite" else self.impl_instance)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return value if value is None or dialect.name != "sqlite" else self.pack(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return value if value is None or dialect.name != "sqlite" else self.unpack(value)

    def pack(self, value: Any) -> Any:
        raise NotImplementedError

    def unpack(self, value: Any) -> Any:
        raise NotImplementedError


class Timestamp(CompactOnSQLite):
    """A UTC instant: ``timestamptz`` on PostgreSQL; on SQLite integer milliseconds since the epoch
    (6 bytes instead of a 26-character string, and an index half the size). Reads give aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True  # (SQLAlchemy asks each class)
    sqlite_type = BigInteger()

    def pack(self, value: datetime) -> int:
        return ((value if value.tzinfo else value.replace(tzinfo=UTC)) - EPOCH) // MILLISECOND

    def unpack(self, value: Any) -> datetime:
        return EPOCH + int(value) * MILLISECOND


class Day(CompactOnSQLite):
    """A calendar date: ``date`` on PostgreSQL; on SQLite the days since 1970-01-01 (an integer of two or
    three bytes instead of a ten-character string: repos and versions carry several). Reads give dates."""

    impl = Date()
    cache_ok = True  # (SQLAlchemy asks each class)
    sqlite_type = Integer()

    def pack(self, value: date | str) -> int:
        return (date.fromisoformat(value) if isinstance(value, str) else value).toordinal() - EPOCH_DAY

    def unpack(self, value: Any) -> date:
        return date.fromordinal(int(value) + EPOCH_DAY)


class Tags(CompactOnSQLite):
    """A list of tags: JSON on PostgreSQL; on SQLite deflated against a dictionary of the Hub's common
    tags (``tagcodec``: a quarter of the JSON, and tags are most of a metadata row)."""

    impl = JSON()
    cache_ok = True  # (SQLAlchemy asks each class)
    sqlite_type = LargeBinary()

    def pack(self, value: list[str]) -> bytes:
        from hubsight.store import tagcodec

        return tagcodec.pack(value)

    def unpack(self, value: Any) -> list[str]:
        from hubsight.store import tagcodec

        return tagcodec.unpack(bytes(value))


class ObjectId(CompactOnSQLite):
    """The Hub's ``_id`` (24 lowercase hex digits, a MongoDB ObjectId): text on PostgreSQL; on SQLite its
    12 bytes, in a text column that keeps them as a blob (anything else stays text, so every value reads
    back as written)."""

    impl = String(24)
    cache_ok = True  # (SQLAlchemy asks each class)
    sqlite_type = String(24)

    def pack(self, value: str) -> bytes | str:
        return object_id_bytes(value)

    def unpack(self, value: Any) -> str:
        return value.hex() if isinstance(value, bytes) else value


def object_id_bytes(value: str) -> bytes | str:
    """A hub id's stored form on SQLite: 12 bytes when it is 24 lowercase hex digits, else the text."""
    if len(value) == 24 and all(c in _LOWER_HEX for c in value):  # fromhex alone skips whitespace
        return bytes.fromhex(value)
    return value


_LOWER_HEX = frozenset("0123456789abcdef")


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_DAY = date(1970, 1, 1).toordinal()
MILLISECOND = timedelta(milliseconds=1)

CHUNK = 4096
"""Repos per snapshot blob: a repo's numbers live in blob ``rid // CHUNK`` at slot ``rid % CHUNK``."""

metadata = MetaData()

repos = Table(
    "repos",
    metadata,
    Column("kind", String(8), primary_key=True, comment="model, dataset or space"),
    Column("rid", Integer, primary_key=True, autoincrement=False, comment="dense per-kind number: blob slot"),
    Column(
        "hub_oid",
        ObjectId,
        nullable=False,
        comment="the Hub's _id: survives renames (unique per kind; crawls match it in memory, so no index)",
    ),
    Column("repo_id", String(200), nullable=False, comment="current owner/name"),
    Column("author", String(100)),
    Column("created_at", Timestamp, comment="the Hub's createdAt; null when the Hub has none"),
    Column("last_modified", Timestamp),
    Column("pipeline_tag", String(64)),
    Column("library_name", String(64)),
    Column("sdk", String(32)),
    Column("runtime_stage", String(32)),
    Column("gated", String(16)),
    Column("tags", Tags),
    Column("num_params", BigInteger, comment="parameters: the Hub's safetensors total, else its gguf total; null when it gives neither"),
    Column("meta_since", Day, comment="first crawl date of the current tracked metadata (the current version's valid_from)"),
    Column("first_seen", Day, nullable=False),
    Column(
        "last_seen",
        Day,
        nullable=False,
        comment="last crawl date that wrote this row; exact for deleted repos, a live one is in every later crawl",
    ),
    Column("deleted_on", Day, comment="first crawl date the repo was missing from a complete listing"),
    Column("meta_hash", BigInteger, nullable=False, default=0, comment="digest of the listed metadata: rewrite only changed rows"),
    Index("ix_repos_repo_id", "kind", "repo_id"),
    Index("ix_repos_created", "kind", "created_at"),
    sqlite_with_rowid=False,  # clustered on (kind, rid): no rowid, no second copy of the key, a kind is one range
)

TRACKED = ("pipeline_tag", "library_name", "tags", "gated", "sdk", "runtime_stage", "num_params")
"""The metadata whose history is kept: a change to any of them closes the repo's current version."""

repo_versions = Table(
    "repo_versions",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("rid", Integer, primary_key=True, autoincrement=False),
    Column("valid_from", Day, primary_key=True, comment="first crawl date this metadata was listed"),
    Column("valid_to", Day, nullable=False, comment="first crawl date it no longer was (exclusive)"),
    Column("pipeline_tag", String(64)),
    Column("library_name", String(64)),
    Column("tags", Tags),
    Column("gated", String(16)),
    Column("sdk", String(32)),
    Column("runtime_stage", String(32)),
    Column("num_params", BigInteger),
    sqlite_with_rowid=False,
)
"""Closed versions only: the current one is the ``repos`` row, valid from ``repos.meta_since``."""

snapshots = Table(
    "snapshots",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("chunk", Integer, primary_key=True, autoincrement=False),
    Column("date", Date, primary_key=True),
    Column("payload", LargeBinary, nullable=False, comment="codec.encode(): likes, downloads, downloads_all_time, trending"),
)

renames = Table(
    "renames",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("hub_oid", String(24), primary_key=True),
    Column("date", Date, primary_key=True),
    Column("rid", Integer, nullable=False, comment="the renamed repo's rid"),
    Column("old_id", String(200), nullable=False),
    Column("new_id", String(200), nullable=False),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("date", Date, primary_key=True),
    Column("source", String(16), primary_key=True, comment="hub, papers or arena"),
    Column("status", String(16), nullable=False, comment="done; a source is stored in one transaction"),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("stats", JSON),
)

papers = Table(
    "papers",
    metadata,
    Column("arxiv_id", String(32), primary_key=True, comment="without version"),
    Column("version", Integer),
    Column("title", Text, nullable=False),
    Column("summary", Text),
    Column("authors", JSON),
    Column("published", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True)),
    Column("primary_category", String(32)),
    Column("comment", Text),
    Column("journal_ref", Text),
    Column("doi", String(128)),
    Column("first_seen", Date, nullable=False),
    Index("ix_papers_published", "published"),
)

paper_categories = Table(
    "paper_categories",
    metadata,
    Column("category", String(32), primary_key=True),
    Column("arxiv_id", String(32), primary_key=True),
    Column("published", DateTime(timezone=True), nullable=False, comment="copied for an index-only recent scan"),
    Index("ix_paper_categories_recent", "category", "published"),
)

daily_papers = Table(
    "daily_papers",
    metadata,
    Column("date", Date, primary_key=True, comment="crawl date"),
    Column("paper_id", String(32), primary_key=True),
    Column("rank", Integer),
    Column("title", Text),
    Column("upvotes", Integer),
    Column("num_comments", Integer),
    Column("submitted_by", String(100)),
    Column("organization", String(100)),
    Column("published_at", DateTime(timezone=True)),
    Column("submitted_on_daily_at", DateTime(timezone=True)),
    Column("github_repo", Text),
    Column("github_stars", Integer),
    Column("project_page", Text),
)

arena_rankings = Table(
    "arena_rankings",
    metadata,
    Column("publish_date", Date, primary_key=True),
    Column("subset", String(32), primary_key=True),
    Column("category", String(64), primary_key=True),
    Column("model_name", String(128), primary_key=True),
    Column("organization", String(128)),
    Column("license", String(64)),
    Column("rating", Float),
    Column("rating_lower", Float),
    Column("rating_upper", Float),
    Column("variance", Float),
    Column("vote_count", BigInteger),
    Column("rank", Integer),
    Index("ix_arena_latest", "subset", "category", "publish_date", "rank"),
)

trending = Table(
    "trending",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("metric", String(16), primary_key=True, comment="likes or downloads"),
    Column("days", Integer, primary_key=True, autoincrement=False),
    Column("tag", String(64), primary_key=True, comment="'' for all; else a pipeline tag"),
    Column("rank", Integer, primary_key=True, autoincrement=False),
    Column("rid", Integer, nullable=False),  # the repo: a page reads its id and pipeline tag from repos
    Column("value_latest", BigInteger, nullable=False),
    Column("delta", BigInteger, nullable=False),
    Column("growth", Float, comment="delta / value at date_from; null when that was 0"),
    Column("date_from", Day, nullable=False),
    Column("date_to", Day, nullable=False),
    sqlite_with_rowid=False,  # small rows read by primary key: one b-tree instead of table + index
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_hash", String(64), primary_key=True, comment="sha256 of the key; the key itself is never stored"),
    Column("name", String(100), nullable=False),
    Column("monthly_quota", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

api_usage = Table(
    "api_usage",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("month", String(7), primary_key=True, comment="YYYY-MM"),
    Column("count", Integer, nullable=False),
)
