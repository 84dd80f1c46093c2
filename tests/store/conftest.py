from tests.store.backends import db_url, db_url_factory  # noqa: F401
