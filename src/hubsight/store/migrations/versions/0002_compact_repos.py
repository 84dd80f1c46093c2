"""Smaller repos rows: timestamps as epoch milliseconds on SQLite, no hub_oid index, renames keep the rid.

A repo's metadata is stored once but weighs more than a year of its daily numbers, so it sets the
store's bytes per repo-day for the first weeks. On SQLite ``created_at`` and ``last_modified`` become
integers (``schema.Timestamp``); PostgreSQL keeps ``timestamptz``. Crawls match ``hub_oid`` in memory,
so its index goes; rename lookups join on the rid, which ``renames`` now records.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"

# text 'YYYY-MM-DD HH:MM:SS.ffffff' (how SQLAlchemy stored DateTime on SQLite) to epoch milliseconds
_TO_MS = "CAST(round((julianday({c}) - 2440587.5) * 86400000) AS INTEGER)"
_TO_TEXT = "strftime('%Y-%m-%d %H:%M:%f000', {c} / 1000.0, 'unixepoch')"


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_repos_oid", table_name="repos")
    op.add_column("renames", sa.Column("rid", sa.Integer(), nullable=True, comment="the renamed repo's rid"))
    op.execute(
        "UPDATE renames SET rid = (SELECT repos.rid FROM repos WHERE repos.kind = renames.kind "
        "AND repos.hub_oid = renames.hub_oid)"
    )
    op.execute("DELETE FROM renames WHERE rid IS NULL")  # (none: every rename's repo is stored)
    with op.batch_alter_table("renames") as batch:
        batch.alter_column("rid", existing_type=sa.Integer(), nullable=False, existing_comment="the renamed repo's rid")
    if sqlite:
        for column in ("created_at", "last_modified"):
            op.execute(f"UPDATE repos SET {column} = {_TO_MS.format(c=column)} WHERE typeof({column}) = 'text'")
        with op.batch_alter_table("repos") as batch:
            for column in ("created_at", "last_modified"):
                batch.alter_column(column, existing_type=sa.DateTime(timezone=True), type_=sa.BigInteger())
    else:  # (SQLite keeps no comments)
        op.alter_column(
            "repos", "hub_oid", existing_type=sa.String(length=24), existing_nullable=False,
            comment="the Hub's _id: survives renames (unique per kind; crawls match it in memory, so no index)",
            existing_comment="the Hub's _id: survives renames",
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        with op.batch_alter_table("repos") as batch:
            for column in ("created_at", "last_modified"):
                batch.alter_column(column, existing_type=sa.BigInteger(), type_=sa.DateTime(timezone=True))
        for column in ("created_at", "last_modified"):
            op.execute(f"UPDATE repos SET {column} = {_TO_TEXT.format(c=column)} WHERE typeof({column}) = 'integer'")
    with op.batch_alter_table("renames") as batch:
        batch.drop_column("rid")
    op.create_index("ix_repos_oid", "repos", ["kind", "hub_oid"], unique=True)
