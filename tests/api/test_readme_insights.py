"""The README's insights examples are requests this API accepts, answered from a crawled store."""

from __future__ import annotations

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


async def test_every_curl_example_is_answered(crawled: Crawled) -> None:
    urls = examples()
    assert len(urls) == 5
    async with api(crawled.url) as http:
        for url in urls:
            parts = urlsplit("http://" + url)
            response = await http.get(f"{parts.path}?{parts.query}")
            if "/history" in parts.path:  # an id of the demo's world (seed 0), not of this store's (seed 7)
                assert response.status_code == 404 and "is not in the history store" in response.text
            else:
                assert response.status_code == 200, (url, response.text)
                assert response.content, url
