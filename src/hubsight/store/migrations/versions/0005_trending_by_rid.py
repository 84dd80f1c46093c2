"""Trending rows keep only the rid: a ranking page reads the repo's id and pipeline tag from ``repos``.

A day's rankings of every window (1 to 90 days, overall and per pipeline tag) were the store's
fastest-growing table, and each row copied its repo's id and pipeline tag. The page read joins
``repos`` by primary key instead, which also always gives the current id. On SQLite the window's
dates become day numbers (``schema.Day``), as ``repos`` and ``repo_versions`` did in 0004.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

DATES = ("date_from", "date_to")
_TO_DAY = "CAST(julianday({c}) - 2440587.5 AS INTEGER)"
_TO_TEXT = "date({c} * 86400, 'unixepoch')"


def _batch(sqlite: bool) -> object:
    return op.batch_alter_table("trending", recreate="always" if sqlite else "auto", table_kwargs={"sqlite_with_rowid": False})


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # values first: the rebuild below casts what it copies, and a text date would not survive
        for column in DATES:
            op.execute(f"UPDATE trending SET {column} = {_TO_DAY.format(c=column)} WHERE typeof({column}) = 'text'")
    with _batch(sqlite) as batch:
        batch.drop_column("repo_id")
        batch.drop_column("pipeline_tag")
        if sqlite:
            for column in DATES:
                batch.alter_column(column, existing_type=sa.Date(), type_=sa.Integer(), existing_nullable=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with _batch(sqlite) as batch:
        batch.add_column(sa.Column("repo_id", sa.String(200), nullable=True))
        batch.add_column(sa.Column("pipeline_tag", sa.String(64)))
    for column in ("repo_id", "pipeline_tag"):
        op.execute(f"UPDATE trending SET {column} = (SELECT repos.{column} FROM repos "
                   "WHERE repos.kind = trending.kind AND repos.rid = trending.rid)")
    with _batch(sqlite) as batch:
        batch.alter_column("repo_id", existing_type=sa.String(200), nullable=False)
        if sqlite:
            for column in DATES:
                batch.alter_column(column, existing_type=sa.Integer(), type_=sa.Date(), existing_nullable=False)
    if sqlite:  # after the rebuild, which casts what it copies (day numbers survive a cast, text dates not)
        for column in DATES:
            op.execute(f"UPDATE trending SET {column} = {_TO_TEXT.format(c=column)} WHERE typeof({column}) = 'integer'")
