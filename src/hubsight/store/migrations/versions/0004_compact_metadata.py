"""Smaller metadata on SQLite: tags deflated, dates as day numbers, hub ids as bytes, no rowids.

After 30 days at a million models the metadata, not the daily numbers, was most of the store: a
repo's tags as JSON averaged 140 bytes, dates were ten-character strings, and both tables kept a
rowid plus a second b-tree for their primary key. On SQLite ``tags`` become ``tagcodec`` payloads,
``first_seen``, ``last_seen``, ``deleted_on``, ``meta_since``, ``valid_from`` and ``valid_to`` become
days since 1970-01-01 (``schema.Day``), ``hub_oid`` its 12 bytes (``schema.ObjectId``, a blob in the same text column), and both tables
are rebuilt clustered on their primary key.
PostgreSQL keeps its types. On both, ``trending`` rows no longer copy the repo's id and pipeline tag
(a ranking page reads them from ``repos`` by primary key): a day's rankings of every window were
the store's fastest-growing table; on SQLite their dates become day numbers too.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:30:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DATES = {"repos": ("first_seen", "last_seen", "deleted_on", "meta_since"), "repo_versions": ("valid_from", "valid_to")}
KEYS = {"repos": ("kind", "rid"), "repo_versions": ("kind", "rid", "valid_from")}
_TO_DAY = "CAST(julianday({c}) - 2440587.5 AS INTEGER)"
_TO_TEXT = "date({c} * 86400, 'unixepoch')"
BATCH = 5000


def _recode(table: str, column: str, encode, wanted: str) -> None:
    """Rewrite every ``column`` value of ``table`` not yet of SQLite type ``wanted`` with ``encode``, in
    batches (a million rows and more)."""
    conn = op.get_bind()
    keys = KEYS[table]
    where = " AND ".join(f"{k} = ?" for k in keys)
    rows = conn.exec_driver_sql(
        f"SELECT {', '.join(keys)}, {column} FROM {table} WHERE {column} IS NOT NULL AND typeof({column}) != '{wanted}'"
    ).fetchall()
    for lo in range(0, len(rows), BATCH):
        batch = [(encode(row[-1]), *row[:-1]) for row in rows[lo : lo + BATCH]]
        conn.exec_driver_sql(f"UPDATE {table} SET {column} = ? WHERE {where}", batch)


def _rebuild(table: str, with_rowid: bool, tags: sa.types.TypeEngine, day: sa.types.TypeEngine,
             old_day: sa.types.TypeEngine, old_tags: sa.types.TypeEngine) -> None:
    with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}) as batch:
        batch.alter_column("tags", existing_type=old_tags, type_=tags)
        for column in DATES[table]:
            batch.alter_column(column, existing_type=old_day, type_=day)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # values first: the rebuild below casts what it copies (text dates would not survive)
        for column in ("date_from", "date_to"):
            op.execute(f"UPDATE trending SET {column} = {_TO_DAY.format(c=column)} WHERE typeof({column}) = 'text'")
    with op.batch_alter_table("trending", recreate="always" if sqlite else "auto",
                              table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_column("repo_id")
        batch.drop_column("pipeline_tag")
        if sqlite:
            for column in ("date_from", "date_to"):
                batch.alter_column(column, existing_type=sa.Date(), type_=sa.Integer(), existing_nullable=False)
    if not sqlite:
        return
    from hubsight.store import tagcodec
    from hubsight.store.schema import object_id_bytes

    for table, columns in DATES.items():
        for column in columns:
            op.execute(f"UPDATE {table} SET {column} = {_TO_DAY.format(c=column)} WHERE typeof({column}) = 'text'")
        _recode(table, "tags", lambda value: tagcodec.pack(json.loads(value)), "blob")
        if table == "repos":
            _recode("repos", "hub_oid", object_id_bytes, "blob")
        _rebuild(table, False, sa.LargeBinary(), sa.Integer(), sa.Date(), sa.JSON())


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _trending_back(sqlite)
    if not sqlite:
        return
    from hubsight.store import tagcodec

    for table, columns in DATES.items():
        _recode(table, "tags", lambda value: json.dumps(tagcodec.unpack(bytes(value))), "text")
        if table == "repos":
            _recode("repos", "hub_oid", lambda value: bytes(value).hex(), "text")
        _rebuild(table, True, sa.JSON(), sa.Date(), sa.Integer(), sa.LargeBinary())
        for column in columns:
            op.execute(f"UPDATE {table} SET {column} = {_TO_TEXT.format(c=column)} WHERE typeof({column}) = 'integer'")


def _trending_back(sqlite: bool) -> None:
    """Trending rows carry their repo's id and pipeline tag again (copied from ``repos``), dates as text."""
    with op.batch_alter_table("trending", recreate="always" if sqlite else "auto",
                              table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.add_column(sa.Column("repo_id", sa.String(200), nullable=True))
        batch.add_column(sa.Column("pipeline_tag", sa.String(64)))
    for column in ("repo_id", "pipeline_tag"):
        op.execute(f"UPDATE trending SET {column} = (SELECT repos.{column} FROM repos "
                   "WHERE repos.kind = trending.kind AND repos.rid = trending.rid)")
    with op.batch_alter_table("trending", recreate="always" if sqlite else "auto",
                              table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.alter_column("repo_id", existing_type=sa.String(200), nullable=False)
        if sqlite:
            for column in ("date_from", "date_to"):
                batch.alter_column(column, existing_type=sa.Integer(), type_=sa.Date(), existing_nullable=False)
    if sqlite:  # after the rebuild, which casts what it copies (day numbers survive a cast, text dates not)
        for column in ("date_from", "date_to"):
            op.execute(f"UPDATE trending SET {column} = {_TO_TEXT.format(c=column)} WHERE typeof({column}) = 'integer'")
