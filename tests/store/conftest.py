"""The store tests' backends (SQLite and, with HUBSIGHT_TEST_PG, PostgreSQL) and a connection in a transaction."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection

from hubsight.store.db import make_engine, upgrade
from tests.store.backends import db_url, db_url_factory  # noqa: F401


@pytest.fixture
def conn(db_url: str) -> Iterator[Connection]:  # noqa: F811
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as connection:
        yield connection
    engine.dispose()
