"""Route tables of the replica, one module per family of Hub endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute


def all_routes() -> list[BaseRoute]:
    from hubsight.replica.routes import community, files, papers, repos, social, spaces

    # Specific families first: the repo family's catch-all detail routes come last.
    return [*social.routes, *community.routes, *papers.routes, *spaces.routes, *files.routes, *repos.routes]
