"""schemathesis over the app's own OpenAPI, in process, on a crawled store: no input gives a 5xx, and every
answer matches its documented status codes, content type and schema.

The schema is loaded from an app made at import (making one opens nothing); each test points that app at
the crawled store of its backend. ``POST /v1/query`` is left out: it runs scripts against the Hub,
which is not this store.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hubsight.api import create_app
from hubsight.api.store import HistoryStore
from hubsight.settings import get_settings
from tests.api import history_store
from tests.api.history_store import Crawled

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

MAX_EXAMPLES = 15
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "hubsight-hypothesis"))  # not a .hypothesis/ in the repo
APP = create_app(get_settings(db="sqlite:///:memory:"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).exclude(path="/v1/query")


@pytest.fixture
def on_store(crawled: Crawled) -> Iterator[None]:
    store = HistoryStore(get_settings(db=crawled.url))
    APP.state.history = store
    yield
    store.dispose()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
def test_no_input_breaks_the_api(case: schemathesis.Case, on_store: None) -> None:
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
