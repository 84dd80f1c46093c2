"""Alembic environment: runs on the connection hubsight hands over (``upgrade``), or on a URL.

From a shell: ``alembic -c /dev/null -x url=sqlite:///h.db ...`` is not needed; ``hubsight crawl`` and
every other command upgrade the store themselves. Offline SQL generation is not supported.
"""

from __future__ import annotations

from alembic import context

from hubsight.store.schema import metadata

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from hubsight.settings import get_settings
    from hubsight.store.db import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or get_settings().db
    with make_engine(url).begin() as conn:
        _run(conn)
