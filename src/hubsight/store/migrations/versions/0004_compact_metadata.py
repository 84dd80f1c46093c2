"""Smaller metadata on SQLite: tags deflated, dates as day numbers, hub ids as bytes, no rowids.

After 30 days at a million models the metadata, not the daily numbers, was most of the store: a
repo's tags as JSON averaged 140 bytes, dates were ten-character strings, and both tables kept a
rowid plus a second b-tree for their primary key. On SQLite ``tags`` become ``tagcodec`` payloads,
``first_seen``, ``last_seen``, ``deleted_on``, ``meta_since``, ``valid_from`` and ``valid_to`` become
days since 1970-01-01 (``schema.Day``), ``hub_oid`` its 12 bytes (``schema.ObjectId``, a blob in the same text column), and both tables
are rebuilt clustered on their primary key.
PostgreSQL keeps its types; nothing changes there.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"

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
    if op.get_bind().dialect.name != "sqlite":
        return
    from hubsight.store import tagcodec
    from hubsight.store.schema import object_id_bytes

    for table, columns in DATES.items():
        for column in columns:
            op.execute(f"UPDATE {table} SET {column} = {_TO_DAY.format(c=column)} WHERE typeof({column}) = 'text'")
        _recode(table, "tags", lambda value: None if (tags := json.loads(value)) is None else tagcodec.pack(tags), "blob")
        if table == "repos":
            _recode("repos", "hub_oid", object_id_bytes, "blob")
        _rebuild(table, False, sa.LargeBinary(), sa.Integer(), sa.Date(), sa.JSON())


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    from hubsight.store import tagcodec

    for table, columns in DATES.items():
        _recode(table, "tags", lambda value: json.dumps(tagcodec.unpack(bytes(value))), "text")
        if table == "repos":
            _recode("repos", "hub_oid", lambda value: bytes(value).hex(), "text")
        _rebuild(table, True, sa.JSON(), sa.Date(), sa.Integer(), sa.LargeBinary())
        for column in columns:
            op.execute(f"UPDATE {table} SET {column} = {_TO_TEXT.format(c=column)} WHERE typeof({column}) = 'integer'")

