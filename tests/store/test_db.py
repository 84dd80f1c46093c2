"""Engines, pragmas and migrations: the store opens the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from hubsight.store.db import StoreUnavailable, make_engine, normalise_url, upgrade
from hubsight.store.schema import metadata, repos


def test_upgrade_creates_every_table_and_matches_the_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # idempotent: every command calls it
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert {t.name for t in metadata.sorted_tables} <= tables
    assert "alembic_version" in tables
    assert diff == [], "schema.py and the migrations disagree: add a revision"


def test_sqlite_gets_wal_and_its_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'h.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert (tmp_path / "deep" / "er" / "h.db").exists()


def test_a_transaction_that_does_not_commit_undoes_its_schema_changes_too(db_url: str) -> None:
    # a first crawl drops the repos indexes to bulk-load; killed before commit, they must still exist
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn, conn.begin() as tx:
        conn.execute(text("DROP INDEX ix_repos_created"))
        conn.execute(text("INSERT INTO api_usage (key_hash, month, count) VALUES ('k', '2026-11', 1)"))
        tx.rollback()
    with engine.connect() as conn:
        assert "ix_repos_created" in {ix["name"] for ix in inspect(conn).get_indexes("repos")}
        assert conn.execute(text("SELECT count(*) FROM api_usage")).scalar() == 0
    engine.dispose()


def test_no_engine_is_built_at_import() -> None:
    import hubsight.crawl.runner as runner
    import hubsight.store.db as db

    for module in (db, runner):
        assert not [name for name, value in vars(module).items() if type(value).__name__ == "Engine"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_mean_psycopg3(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_an_unreachable_server_is_a_clear_error() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=2")
    with pytest.raises(StoreUnavailable, match=r"cannot open the history store postgresql\+psycopg://postgres@127.0.0.1:1"):
        upgrade(engine)


@pytest.mark.parametrize("foreign", ["CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)",
                                     "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"])
def test_a_database_of_another_application_is_refused_and_left_as_it_was(db_url: str, foreign: str) -> None:
    # an app's own SQLite file or schema given as --db by mistake: adding hubsight's tables to it would
    # be a change its owner never asked for
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(foreign))
        if "alembic_version" in foreign:
            conn.execute(text("INSERT INTO alembic_version VALUES ('ae1027a6acf')"))  # another app's revision
    with engine.connect() as conn:
        before = set(inspect(conn).get_table_names())
    with pytest.raises(StoreUnavailable) as caught:
        upgrade(engine)
    message = str(caught.value)
    assert "not a hubsight history store" in message and "a new file or database" in message
    assert ("users" in message) if "users" in foreign else ("ae1027a6acf" in message)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) == before, "nothing was added"
    engine.dispose()


def test_a_bad_url_is_a_clear_error() -> None:
    with pytest.raises(StoreUnavailable, match="is not a database URL"):
        make_engine("not a url")


@pytest.mark.postgres
def test_postgres_schema_isolation_puts_tables_in_the_test_schema(db_url_factory) -> None:
    engine = make_engine(db_url_factory("postgresql"))
    upgrade(engine)
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        where = conn.execute(text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'repos'")).scalars().all()
    engine.dispose()
    assert schema.startswith("hs_") and schema in where


def _migrate(engine: Any, revision: str, *, down: bool = False) -> None:
    """Move the store to ``revision`` with Alembic, to seed data as an older release stored it."""
    from alembic import command
    from alembic.config import Config

    from hubsight.store.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_upgrading_a_first_release_store_keeps_its_repos_and_renames(db_url: str) -> None:
    from hubsight.store import queries

    engine = make_engine(db_url)
    _migrate(engine, "0001")
    with engine.begin() as conn:
        created = "2024-05-22 00:50:35.123000" if conn.dialect.name == "sqlite" else "2024-05-22 00:50:35.123+00"
        conn.execute(
            text(
                "INSERT INTO repos (kind, rid, hub_oid, repo_id, created_at, last_modified, tags, first_seen, "
                "last_seen, meta_hash) VALUES ('model', 0, 'oid0', 'o/new-name', :c, NULL, '[]', '2026-11-23', "
                "'2026-11-24', 7)"
            ),
            {"c": created},
        )
        conn.execute(text("INSERT INTO renames VALUES ('model', 'oid0', '2026-11-24', 'o/old-name', 'o/new-name')"))
    upgrade(engine)
    with engine.connect() as conn:
        (stored,) = conn.execute(select(repos.c.created_at, repos.c.last_modified)).all()
        moved = queries.resolve_repo(conn, "model", "o/old-name")
    engine.dispose()
    assert stored == (datetime(2024, 5, 22, 0, 50, 35, 123000, tzinfo=UTC), None)
    assert moved is not None and moved.rid == 0 and moved.repo_id == "o/new-name"


OID = "65f1c0ffee0123456789abcd"


def test_upgrading_a_0003_store_keeps_its_tags_and_dates_and_downgrading_restores_them(db_url: str) -> None:
    from hubsight.store import queries
    from hubsight.store.schema import repo_versions

    engine = make_engine(db_url)
    tags = ["transformers", "safetensors", "base_model:finetune:o/base", "license:mit", "region:us"]

    def stored() -> tuple[Any, ...]:
        with engine.connect() as conn:
            repo = conn.execute(select(repos.c.hub_oid, repos.c.tags, repos.c.first_seen, repos.c.last_seen,
                                       repos.c.deleted_on, repos.c.meta_since)).one()
            version = conn.execute(select(repo_versions.c.tags, repo_versions.c.valid_from, repo_versions.c.valid_to)).one()
            ranked = conn.execute(queries.trending_page_query("model", "likes", 1, None, 10)).all()
        return tuple(repo), tuple(version), [(r.repo_id, r.date_from, r.date_to) for r in ranked]

    _migrate(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO repos (kind, rid, hub_oid, repo_id, tags, first_seen, last_seen, deleted_on, meta_since, "
            f"meta_hash) VALUES ('model', 0, '{OID}', 'o/m', '{json.dumps(tags)}', '2026-11-23', '2026-11-25', "
            "'2026-11-26', '2026-11-24', 7)"))
        conn.execute(text(
            "INSERT INTO repo_versions (kind, rid, valid_from, valid_to, tags) VALUES "
            "('model', 0, '2026-11-23', '2026-11-24', '[\"transformers\"]')"))
        conn.execute(text(
            "INSERT INTO trending (kind, metric, days, tag, rank, rid, repo_id, pipeline_tag, value_latest, delta, "
            "date_from, date_to) VALUES ('model', 'likes', 1, '', 1, 0, 'o/m', 'text-generation', 5, 2, '2026-11-24', "
            "'2026-11-25')"))
    expected = ((OID, tags, date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 24)),
                (["transformers"], date(2026, 11, 23), date(2026, 11, 24)),
                [("o/m", date(2026, 11, 24), date(2026, 11, 25))])
    _migrate(engine, "head")
    assert stored() == expected
    if engine.dialect.name == "sqlite":  # compact on SQLite: a deflated payload and day numbers
        with engine.connect() as conn:
            raw_oid, raw_tags, raw_day = conn.exec_driver_sql("SELECT hub_oid, tags, first_seen FROM repos").one()
        assert raw_oid == bytes.fromhex(OID)
        assert isinstance(raw_tags, bytes) and len(raw_tags) < len(json.dumps(tags)) / 2
        assert raw_day == (date(2026, 11, 23) - date(1970, 1, 1)).days
    _migrate(engine, "0003", down=True)
    with engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT tags, first_seen, hub_oid FROM repos").one()
        ranked = conn.exec_driver_sql("SELECT repo_id, pipeline_tag, date_from FROM trending").one()
    assert tuple(ranked[:2]) == ("o/m", None) and str(ranked[2]) == "2026-11-24"
    engine.dispose()
    assert (json.loads(raw[0]) if isinstance(raw[0], str) else raw[0]) == tags and str(raw[1]) == "2026-11-23"
    assert raw[2] == OID


@pytest.mark.parametrize("oid", [OID, "0123456789abcdef01 23 45", "0123456789abcdef0123\t4 5", "oid0", "65F1C0FFEE0123456789ABCD"])
def test_a_hub_id_reads_back_as_written(conn, oid: str) -> None:
    from hubsight.store.db import insert_rows

    insert_rows(conn, repos, ["kind", "rid", "hub_oid", "repo_id", "first_seen", "last_seen", "meta_hash"],
                [("model", 0, oid, "o/m", date(2026, 11, 23), date(2026, 11, 23), 0)])
    assert conn.execute(select(repos.c.hub_oid)).scalar_one() == oid


def test_upgrading_keeps_json_null_tags_as_no_tags(db_url: str) -> None:
    engine = make_engine(db_url)
    _migrate(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO repos (kind, rid, hub_oid, repo_id, tags, first_seen, last_seen, meta_hash) "
            "VALUES ('model', 0, 'oid0', 'o/m', 'null', '2026-11-23', '2026-11-23', 1)"))
    upgrade(engine)
    with engine.connect() as conn:
        tags = conn.execute(select(repos.c.tags)).scalar_one()
    engine.dispose()
    assert tags is None
