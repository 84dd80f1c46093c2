"""Generated community content: profiles, repo cards, collections, discussions and activity feeds.

Everything here is derived from the world without storing new state in it. Two rules keep the
content stable while the clock moves:

* every random draw is a counter-based hash of ``(seed, purpose, entity, ...)``, never a stream
  whose position depends on how many repos exist today (``base``);
* things that happen over time (a discussion opened, a collection item added, a discussion closed)
  have a fixed timestamp and are shown once ``w.now_ts`` reaches it, so what was visible
  yesterday is still there today unless its repo was deleted.

The per-version results are cached per world (weakly), so a request costs a lookup. One module per
generator: ``people``, ``cards``, ``collection``, ``discussion``, ``activity``.
"""

from __future__ import annotations

from hubsight.replica.community.activity import ACTIVITY_TYPES, Feed, feed, feed_event
from hubsight.replica.community.base import avatar, object_id, slugify, uniform
from hubsight.replica.community.cards import (
    OTHER_CATEGORY,
    author_data,
    datasets_server_info,
    origin_space,
    repo_card,
    space_category_codes,
    space_labels,
)
from hubsight.replica.community.collection import (
    COLLECTIONS_LAUNCH,
    ITEM_TYPES,
    KINDS_ORDER,
    Collections,
    collection_body,
    collections,
)
from hubsight.replica.community.discussion import (
    Discussions,
    Thread,
    discussion_counts,
    discussion_title,
    discussions,
    thread,
)
from hubsight.replica.community.people import (
    actor_brief,
    actor_ref,
    follower_count,
    is_hf,
    num_papers,
    org_brief,
    org_profile,
    pick_users,
    repo_staff,
    user_profile,
)

__all__ = [
    "ACTIVITY_TYPES",
    "COLLECTIONS_LAUNCH",
    "ITEM_TYPES",
    "KINDS_ORDER",
    "OTHER_CATEGORY",
    "Collections",
    "Discussions",
    "Feed",
    "Thread",
    "actor_brief",
    "actor_ref",
    "author_data",
    "avatar",
    "collection_body",
    "collections",
    "datasets_server_info",
    "discussion_counts",
    "discussion_title",
    "discussions",
    "feed",
    "feed_event",
    "follower_count",
    "is_hf",
    "num_papers",
    "object_id",
    "org_brief",
    "org_profile",
    "origin_space",
    "pick_users",
    "repo_card",
    "repo_staff",
    "slugify",
    "space_category_codes",
    "space_labels",
    "thread",
    "uniform",
    "user_profile",
]
