"""The README's insights examples are requests this API accepts, answered from a crawled store."""

from __future__ import annotations

import inspect
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from tests.api import history_store
from tests.api.history_store import Crawled, api

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

README = Path(__file__).resolve().parents[2] / "README.md"


def examples() -> list[str]:
    block = README.read_text().split("<!-- readme-example: curl-insights -->", 1)[1]
    lines = block.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    return [shlex.split(line)[-1] for line in lines]


HISTORY_ID = re.compile(r"/models/(?P<id>[^/?]+/[^/?]+)/history")


def most_liked_text_generation(rows: list[dict]) -> str:
    return max((r for r in rows if r.get("pipeline_tag") == "text-generation"), key=lambda r: (r["likes"], r["id"]))["id"]


def test_the_history_example_names_the_demos_most_liked_text_generation_model() -> None:
    """The README says so of its id; the demo's world (its default seed and scale) decides."""
    from huggingface_hub import HfApi

    from hubsight import cli
    from hubsight.replica import ReplicaServer

    defaults = inspect.signature(cli.demo).parameters
    (named,) = [m["id"] for url in examples() if (m := HISTORY_ID.search(url))]
    with ReplicaServer(scale=defaults["scale"].default, seed=defaults["seed"].default) as replica:
        top = next(iter(HfApi(endpoint=replica.url, token=False).list_models(pipeline_tag="text-generation", sort="likes", limit=1)))
    assert named == top.id
    assert f"`{top.id}` is its most-liked text-generation" in README.read_text()


async def test_every_curl_example_is_answered(crawled: Crawled) -> None:
    """Each example against this store; the history one with this store's most-liked text-generation model
    in place of the demo's (the store is another world)."""
    urls = examples()
    assert len(urls) == 5
    last = crawled.served[crawled.last]["model"]
    mine = most_liked_text_generation(last)
    async with api(crawled.url) as http:
        for url in urls:
            parts = urlsplit("http://" + HISTORY_ID.sub(f"/models/{mine}/history", url))
            response = await http.get(f"{parts.path}?{parts.query}")
            assert response.status_code == 200, (url, response.text)
            assert response.content, url
            if "/history" in parts.path:
                rows = response.json()
                assert [r["snapshot_date"] for r in rows] == [d.isoformat() for d in reversed(crawled.days)][:7]
                assert rows[0]["likes"] == next(r["likes"] for r in last if r["id"] == mine)
                assert all("daily_downloads" in r for r in rows)
