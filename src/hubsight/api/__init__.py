"""The HTTP API: a thin FastAPI door over the sandbox (``POST /v1/query``), OpenAPI docs at ``/docs``.

    from hubsight.api import create_app
    app = create_app(get_settings())        # what `hubsight serve` runs under uvicorn

``app.py`` builds the app, ``routes/`` holds one module per resource, ``deps.py`` the dependencies
(settings, the caller's token) and ``errors.py`` the one JSON error body of every non-2xx answer.
"""

from __future__ import annotations

from hubsight.api.app import create_app

__all__ = ["create_app"]
