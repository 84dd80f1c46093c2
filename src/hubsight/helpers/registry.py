"""Every hf_* helper, declared once.

The runtime functions, their argument validation, ``hf_runtime_capabilities``, the generated prompt
and the type stubs are all derived from these declarations.
"""

from __future__ import annotations

from typing import Any

from hubsight.helpers.spec import REPO_TYPES, Column, Helper, Limits, Param, row
from hubsight.store.views import MAX_SQL_CHARS, VIEWS

MAX_DAYS = 90
"""The longest window of the history's precomputed rankings and of ``hf_history_new`` (days 1-90)."""
MODEL, DATASET, SPACE = REPO_TYPES
REPO_ROW: tuple[Column, ...] = (
    Column("repo_id", str, attr="id", wire="id"),
    Column("repo_type", str),
    Column("author", str | None, expand=("author",)),
    Column("likes", int | None, expand=("likes",)),
    Column("downloads", int | None, kinds=(MODEL, DATASET), expand=("downloads",)),  # spaces have no downloads
    Column("trending_score", float | None, wire="trendingScore", expand=("trendingScore",)),
    Column("created_at", str | None, wire="createdAt", time=True, expand=("createdAt",)),
    Column("last_modified", str | None, wire="lastModified", time=True, expand=("lastModified",)),
    Column("pipeline_tag", str | None, expand=("pipeline_tag",), expand_kinds=(MODEL,)),
    Column("num_params", int | None, wire="numParameters", expand=("safetensors", "gguf"), expand_kinds=(MODEL,)),
    Column("repo_url", str),
    Column("tags", list[str] | None, expand=("tags",)),
    Column("library_name", str | None, expand=("library_name",), expand_kinds=(MODEL,)),
    Column("description", str | None, expand=("description",), expand_kinds=(DATASET,)),
    Column("paperswithcode_id", str | None, expand=("paperswithcode_id",), expand_kinds=(DATASET,)),
    Column("sdk", str | None, expand=("sdk",), expand_kinds=(SPACE,)),
    Column("models", list[str] | None, expand=("models",), expand_kinds=(SPACE,)),
    Column("datasets", list[str] | None, expand=("datasets",), expand_kinds=(SPACE,)),
    Column("subdomain", str | None, expand=("subdomain",), expand_kinds=(SPACE,)),
    Column("runtime_stage", str | None, kinds=(SPACE,), expand=("runtime",)),
    Column("runtime", dict[str, Any] | None, kinds=(SPACE,), expand=("runtime",)),
)
"""The repo row every repo helper returns; ``hub/normalise.py`` fills it from the Hub's objects and JSON.
A new field is one more Column here (``default=False`` keeps the seed's default_fields: asked for by name)."""
TRENDING_ROW = (
    *(c for c in REPO_ROW if c.default), Column("trending_rank", int), *(c for c in REPO_ROW if not c.default)
)
DOWNLOAD_KINDS = next(c.kinds for c in REPO_ROW if c.name == "downloads")
"""The repo types the Hub counts downloads for: spaces have none. The crawl, the store and the API read this."""
REPO_FIELDS = tuple(c.name for c in REPO_ROW)
REPO_GUARANTEED = ("repo_id", "repo_type", "author", "repo_url")
ACTOR_FIELDS = ("username", "fullname", "is_pro", "role", "type")
OPTIONAL_STR = str | None
STR_OR_LIST = str | list[str] | None
WHERE_EXAMPLE = "{'likes': {'gte': 10}}"
WHERE = Param("where", dict[str, Any] | None, None, example=WHERE_EXAMPLE)
POST_FILTER = Param("post_filter", dict[str, Any] | None, None, example=WHERE_EXAMPLE)
FIELDS = Param("fields", list[str] | None, None, one_or_many=True, label="field")
"""Its allowed values are each helper's fields (``Helper.fields``)."""
COUNT_ONLY = Param("count_only", bool, False)
SEARCH_NOTE = (
    "This is a one-shot selective search; if meta.limit_boundary_hit is true, more rows may exist and counts are not exact."
)
MODEL_SORTS = ("created_at", "downloads", "last_modified", "likes", "trending_score")
SPACE_SORTS = ("created_at", "last_modified", "likes", "trending_score")
SEARCH_LIMITS = Limits(default_limit=100, max_limit=5000)
GRAPH_LIMITS = Limits(default_limit=1000, max_limit=10000, scan_max=10000)

MODEL_EXPAND = (
    "author", "base_models", "card_data", "config", "created_at", "disabled", "downloads", "downloads_all_time",
    "eval_results", "gated", "gguf", "inference", "inference_provider_mapping", "last_modified", "library_name",
    "likes", "mask_token", "model_index", "pipeline_tag", "private", "resource_group", "safetensors", "sha",
    "siblings", "spaces", "tags", "transformers_info", "trending_score", "widget_data", "xet_enabled", "gitaly_uid",
)
DATASET_EXPAND = (
    "author", "card_data", "citation", "created_at", "description", "disabled", "downloads", "downloads_all_time",
    "gated", "last_modified", "likes", "paperswithcode_id", "private", "resource_group", "sha", "siblings", "tags",
    "trending_score", "xet_enabled", "gitaly_uid",
)
SPACE_EXPAND = (
    "author", "card_data", "created_at", "datasets", "disabled", "last_modified", "likes", "models", "private",
    "resource_group", "runtime", "sdk", "sha", "siblings", "subdomain", "tags", "trending_score", "xet_enabled",
    "gitaly_uid",
)
DAILY_PAPER_FIELDS = (
    "paper_id", "title", "summary", "published_at", "submitted_on_daily_at", "authors", "organization",
    "submitted_by", "discussion_id", "upvotes", "github_repo_url", "github_stars", "project_page_url",
    "num_comments", "is_author_participating", "repo_id", "rank",
)
PAPER_FIELDS = (*(f for f in DAILY_PAPER_FIELDS if f != "rank"), "ai_summary", "ai_keywords")
PROFILE_FIELDS = (
    "handle", "entity_type", "display_name", "bio", "description", "avatar_url", "website_url", "twitter_url",
    "github_url", "linkedin_url", "bluesky_url", "followers_count", "following_count", "likes_count",
    "members_count", "models_count", "datasets_count", "spaces_count", "discussions_count", "papers_count",
    "upvotes_count", "organizations", "is_pro", "likes_sample", "activity_sample",
)
DISCUSSION_FIELDS = ("num", "repo_id", "repo_type", "title", "author", "created_at", "status", "url")
DISCUSSION_DETAIL_FIELDS = (
    *DISCUSSION_FIELDS, "comment_count", "latest_comment_author", "latest_comment_created_at",
    "latest_comment_text", "latest_comment_html",
)
COLLECTION_FIELDS = (
    "collection_id", "slug", "title", "owner", "owner_type", "description", "gating", "last_updated", "item_count",
)
USER_LIKE_FIELDS = ("liked_at", "repo_id", "repo_type", "repo_author", "repo_likes", "repo_downloads", "repo_url")
ACTIVITY_FIELDS = ("event_type", "repo_id", "repo_type", "timestamp")
HISTORY_FIELDS = (
    "repo_id", "repo_type", "snapshot_date", "likes", "downloads", "downloads_all_time", "daily_downloads",
    "trending_score", "pipeline_tag", "library_name", "tags", "gated", "sdk", "runtime_stage", "num_params",
    "deleted_on",
)
HISTORY_TRENDING_FIELDS = (
    "rank", "repo_id", "repo_type", "pipeline_tag", "metric", "latest", "delta", "growth", "date_from", "date_to",
)
HISTORY_NEW_FIELDS = ("repo_id", "repo_type", "author", "pipeline_tag", "created_at", "first_seen")
HISTORY_NOTE = (
    "Reads hubsight's own history store (HUBSIGHT_DB, daily snapshots of every repo from `hubsight crawl`): "
    "no Hub request, no budget; ok=false with meta.error_type NoHistory when the store cannot answer (for "
    "hf_repo_history and hf_history_new, meta.missing says what: store, crawl or repo)."
)
CAPABILITY_SECTIONS = ("overview", "helpers", "helper_contracts", "helper_defaults", "fields", "limits", "repo_search")
"""The seed's sections."""
SECTIONS = (*CAPABILITY_SECTIONS, "arguments_schema", "history_sql")
"""Every section ``section=`` takes: the seed's, then hubsight's own (each helper's arguments as JSON
schema, and the history's SQL views)."""


def _repo_search(name: str, kind: str, backed_by: str, params: tuple[Param, ...], sorts, expand) -> Helper:
    return Helper(
        name=name,
        use_for=f"{kind} search/list/discovery",
        category="wrapped_hf_repo_search",
        backed_by=backed_by,
        row_type="repo",
        params=(
            Param("search", OPTIONAL_STR, None, upstream="search"),
            Param("filter", STR_OR_LIST, None, upstream="filter"),
            Param("author", OPTIONAL_STR, None, upstream="author"),
            *params,
            Param("sort", OPTIONAL_STR, None, values=sorts, show_values=False),
            Param("limit", int, 100),
            Param("expand", list[str] | None, None, values=expand, show_values=False),
            Param("full", bool | None, None),
            *((Param("card_data", bool, False), Param("fetch_config", bool, False)) if kind == "model" else ()),
            FIELDS,
            POST_FILTER,
        ),
        **row(REPO_ROW),
        guaranteed_fields=REPO_GUARANTEED,
        sort_values=sorts,
        expand_values=expand,
        post_filter=True,
        limits=SEARCH_LIMITS,
        notes=(
            f"Thin {kind}-search wrapper around the Hub {backed_by.split('.')[-1]} path. Prefer this over "
            f"hf_repo_search for {kind}-only queries. {SEARCH_NOTE}"
        ),
        impl="hubsight.helpers.repos:search_one_type",
        extra={"repo_type": kind},
    )


HELPERS: tuple[Helper, ...] = (
    Helper(
        name="hf_collection_items",
        use_for="items inside a known collection",
        category="collection_navigation",
        row_type="repo",
        params=(
            Param("collection_id", str),
            Param("repo_types", list[str] | None, None, values=REPO_TYPES),
            Param("limit", int, 100),
            COUNT_ONLY, WHERE, FIELDS,
        ),
        **row(REPO_ROW),
        guaranteed_fields=("repo_id", "repo_type", "repo_url"),
        where=True,
        limits=Limits(default_limit=100, max_limit=500),
        notes="Returns repos inside one collection as summary rows.",
        impl="hubsight.helpers.collections:hf_collection_items",
    ),
    Helper(
        name="hf_collections_search",
        use_for="collections search (owner lookups use owner=...)",
        category="collection_search",
        row_type="collection",
        params=(
            Param("query", OPTIONAL_STR, None),
            Param("owner", OPTIONAL_STR, None),
            Param("limit", int, 20),
            COUNT_ONLY, WHERE, FIELDS,
        ),
        default_fields=COLLECTION_FIELDS,
        guaranteed_fields=("collection_id", "title", "owner"),
        where=True,
        limits=Limits(default_limit=20, max_limit=500),
        notes="Collection summary helper.",
        impl="hubsight.helpers.collections:hf_collections_search",
    ),
    Helper(
        name="hf_daily_papers",
        use_for="daily papers",
        category="curated_feed",
        row_type="daily_paper",
        params=(Param("limit", int, 20), WHERE, FIELDS),
        default_fields=DAILY_PAPER_FIELDS,
        guaranteed_fields=("paper_id", "title", "published_at", "rank"),
        where=True,
        limits=Limits(default_limit=20, max_limit=500),
        notes="Returns daily paper summary rows. repo_id is omitted unless the upstream payload provides it.",
        impl="hubsight.helpers.papers:hf_daily_papers",
    ),
    _repo_search(
        "hf_datasets_search", "dataset", "HfApi.list_datasets",
        (
            Param("benchmark", str | bool | None, None, upstream="benchmark"),
            Param("dataset_name", OPTIONAL_STR, None, upstream="dataset_name"),
            Param("gated", bool | None, None, upstream="gated"),
            Param("language_creators", STR_OR_LIST, None, upstream="language_creators"),
            Param("language", STR_OR_LIST, None, upstream="language"),
            Param("multilinguality", STR_OR_LIST, None, upstream="multilinguality"),
            Param("size_categories", STR_OR_LIST, None, upstream="size_categories"),
            Param("task_categories", STR_OR_LIST, None, upstream="task_categories"),
            Param("task_ids", STR_OR_LIST, None, upstream="task_ids"),
        ),
        MODEL_SORTS, DATASET_EXPAND,
    ),
    Helper(
        name="hf_history_new",
        use_for="repos the Hub created in the last N days (history store)",
        category="history_store",
        row_type="new_repo",
        params=(
            Param("repo_type", str, "model", values=REPO_TYPES),
            Param("days", int, 7, ge=1, le=MAX_DAYS),
            Param("pipeline_tag", OPTIONAL_STR, None),
            Param("limit", int, 100),
            FIELDS,
        ),
        default_fields=HISTORY_NEW_FIELDS,
        guaranteed_fields=("repo_id", "repo_type", "created_at"),
        limits=Limits(default_limit=100, max_limit=5000),
        notes=(
            "Repos created (the Hub's createdAt) since midnight UTC `days` (1-90) days before the newest crawl, newest "
            "first; deleted repos are left out. pipeline_tag applies to models only. " + HISTORY_NOTE
        ),
        impl="hubsight.helpers.history:hf_history_new",
    ),
    Helper(
        name="hf_history_trending",
        use_for="what gained the most likes/downloads over any window, filtered (history store)",
        category="history_store",
        row_type="history_trending",
        params=(
            Param("repo_type", str, "model", values=REPO_TYPES),
            Param("metric", str, "likes", values=("likes", "downloads")),
            Param("days", int | None, 7, ge=1),
            Param("date_from", OPTIONAL_STR, None),
            Param("date_to", OPTIONAL_STR, None),
            Param("pipeline_tag", OPTIONAL_STR, None),
            Param("author", OPTIONAL_STR, None),
            Param("library", OPTIONAL_STR, None),
            Param("tag", OPTIONAL_STR, None),
            Param("min_params", int | None, None),
            Param("max_params", int | None, None),
            Param("group_by", OPTIONAL_STR, None, values=("author",)),
            Param("limit", int, 20),
            FIELDS,
        ),
        default_fields=HISTORY_TRENDING_FIELDS,
        allowed_fields=(*HISTORY_TRENDING_FIELDS, "author", "library_name", "num_params", "value_from", "repos", "series"),
        guaranteed_fields=("rank", "delta"),
        limits=Limits(default_limit=20, max_limit=1000),
        notes=(
            "Ranks repos by what they gained over a window of crawled days: `days` ending at date_to (default: the "
            "newest crawl), or date_from..date_to (YYYY-MM-DD); any length the store holds (a window it cannot cover "
            "fails and names the stored range). metric likes, or downloads (all-time count differences; not spaces). "
            "latest is the value on date_to, delta the gain (only gains rank), growth delta/value on date_from (null "
            "from 0). Filters on current metadata: author, tag (e.g. license:mit); models only: pipeline_tag, "
            "library (e.g. gguf), min_params/max_params. group_by='author' ranks owners by their repos' summed gains "
            "(rows: rank, author, repos, latest, delta, growth). No cap: meta.total counts the whole ranking. Unlike "
            "hf_trending (the Hub's current feed), this is measured history. " + HISTORY_NOTE
        ),
        impl="hubsight.helpers.history:hf_history_trending",
    ),
    Helper(
        name="hf_history_sql",
        use_for="any question about the Hub's past, in SQL over the history's views (history store)",
        category="history_store",
        row_type="sql_row",
        params=(
            Param("sql", str, max_chars=MAX_SQL_CHARS),
            Param("params", list | dict | None, None),
            Param("limit", int, 1000),
        ),
        default_fields=(),
        guaranteed_fields=(),
        limits=Limits(default_limit=1000, max_limit=10_000),
        has_fields_param=False,
        notes=(
            "One read-only DuckDB SELECT (or WITH ... SELECT) over the history's views; rows come back as dicts "
            "named by the query's columns, meta has columns, row_count, truncated and as_of. `?` or `$name` "
            "placeholders take `params`. Views (their columns: hf_runtime_capabilities section history_sql): "
            + ", ".join(v.name for v in VIEWS) + ". A bad query is ok=false with the engine's message and the views' columns. " + HISTORY_NOTE
        ),
        impl="hubsight.helpers.history:hf_history_sql",
    ),
    _repo_search(
        "hf_models_search", "model", "HfApi.list_models",
        (
            Param("apps", STR_OR_LIST, None, upstream="apps"),
            Param("gated", bool | None, None, upstream="gated"),
            Param("inference", OPTIONAL_STR, None, upstream="inference"),
            Param("inference_provider", STR_OR_LIST, None, upstream="inference_provider"),
            Param("model_name", OPTIONAL_STR, None),
            Param("trained_dataset", STR_OR_LIST, None, upstream="trained_dataset"),
            Param("pipeline_tag", OPTIONAL_STR, None, upstream="pipeline_tag"),
            Param("num_params", OPTIONAL_STR, None, upstream="num_parameters"),
            Param("emissions_thresholds", tuple[float, float] | None, None, upstream="emissions_thresholds"),
        ),
        MODEL_SORTS, MODEL_EXPAND,
    ),
    Helper(
        name="hf_org_members",
        use_for="organization members",
        category="graph_scan",
        row_type="actor",
        params=(
            Param("organization", str),
            Param("limit", int | None, None),
            Param("scan_limit", int | None, None),
            COUNT_ONLY, WHERE, FIELDS,
        ),
        default_fields=ACTOR_FIELDS,
        guaranteed_fields=("username",),
        where=True,
        limits=GRAPH_LIMITS,
        notes="Returns organization member summary rows.",
        impl="hubsight.helpers.social:hf_org_members",
    ),
    Helper(
        name="hf_paper_details",
        use_for="one paper's page by its arXiv id (title, abstract, authors, upvotes, links)",
        category="paper_detail",
        backed_by="HfApi.paper_info",
        row_type="paper",
        params=(Param("paper_id", str), FIELDS),
        default_fields=PAPER_FIELDS,
        guaranteed_fields=("paper_id", "title"),
        notes=(
            "Exact paper page by arXiv id (e.g. '2509.04664'): the daily feed's fields (without rank) plus "
            "ai_summary and ai_keywords. One call."
        ),
        impl="hubsight.helpers.papers:hf_paper_details",
    ),
    Helper(
        name="hf_profile_summary",
        use_for="profile / overview / social/detail / aggregate counts",
        category="profile_summary",
        row_type="profile",
        params=(
            Param("handle", OPTIONAL_STR, None),
            Param("include", list[str] | None, None, values=("likes", "activity")),
            Param("likes_limit", int, 10),
            Param("activity_limit", int, 10),
        ),
        default_fields=PROFILE_FIELDS,
        guaranteed_fields=("handle", "entity_type"),
        has_fields_param=False,
        notes=(
            "Profile summary helper. Aggregate counts like followers_count/following_count are in the base item. "
            "include=['likes', 'activity'] adds composed samples and extra upstream work; no other include values "
            "are supported. Overview-owned repo counts may differ slightly from visible public search/list results."
        ),
        impl="hubsight.helpers.profiles:hf_profile_summary",
    ),
    Helper(
        name="hf_recent_activity",
        use_for="recent activity feed",
        category="activity_feed",
        row_type="activity",
        params=(
            Param("feed_type", OPTIONAL_STR, None, values=("user", "org")),
            Param("entity", OPTIONAL_STR, None),
            Param("activity_types", list[str] | None, None),
            Param("repo_types", list[str] | None, None, values=REPO_TYPES),
            Param("limit", int | None, None),
            Param("max_pages", int | None, None),
            Param("start_cursor", OPTIONAL_STR, None),
            COUNT_ONLY, WHERE, FIELDS,
        ),
        default_fields=ACTIVITY_FIELDS,
        guaranteed_fields=("event_type", "timestamp"),
        where=True,
        limits=Limits(default_limit=100, max_limit=2000, max_pages=10, page_limit=100),
        notes=(
            "Activity helper may fetch multiple pages when requested coverage exceeds one page. count_only may "
            "still be a lower bound unless the feed exhausts before max_pages. entity=None means the token's user; "
            "feed_type defaults to user, then org; pass meta.next_cursor back as start_cursor to resume."
        ),
        impl="hubsight.helpers.activity:hf_recent_activity",
    ),
    Helper(
        name="hf_repo_details",
        use_for="exact repo details",
        category="repo_detail",
        row_type="repo",
        params=(
            Param("repo_id", OPTIONAL_STR, None),
            Param("repo_ids", list[str] | None, None),
            Param("repo_type", str, "auto", values=(*REPO_TYPES, "auto")),
            FIELDS,
        ),
        **row(REPO_ROW),
        guaranteed_fields=REPO_GUARANTEED,
        notes="Exact repo metadata path. Multiple repo_ids may trigger one detail call per requested repo.",
        impl="hubsight.helpers.repos:hf_repo_details",
    ),
    Helper(
        name="hf_repo_discussion_details",
        use_for="specific discussion details",
        category="discussion_detail",
        row_type="discussion_detail",
        params=(
            Param("repo_type", str, values=REPO_TYPES),
            Param("repo_id", str),
            Param("discussion_num", int, ge=1),
            FIELDS,
        ),
        default_fields=DISCUSSION_DETAIL_FIELDS,
        guaranteed_fields=("repo_id", "repo_type", "title", "author", "status"),
        notes="Exact discussion detail helper.",
        impl="hubsight.helpers.discussions:hf_repo_discussion_details",
    ),
    Helper(
        name="hf_repo_discussions",
        use_for="repo discussions",
        category="discussion_summary",
        row_type="discussion",
        params=(
            Param("repo_type", str, values=REPO_TYPES),
            Param("repo_id", str),
            Param("limit", int, 20),
            FIELDS,
        ),
        default_fields=DISCUSSION_FIELDS,
        guaranteed_fields=("num", "title", "author", "status"),
        limits=Limits(default_limit=20, max_limit=200),
        notes="Discussion summary helper.",
        impl="hubsight.helpers.discussions:hf_repo_discussions",
    ),
    Helper(
        name="hf_repo_history",
        use_for="one repo's daily history: likes/downloads over time (history store)",
        category="history_store",
        row_type="repo_snapshot",
        params=(
            Param("repo_id", str),
            Param("repo_type", str, "model", values=REPO_TYPES),
            Param("limit", int, 30),
            FIELDS,
        ),
        default_fields=HISTORY_FIELDS,
        guaranteed_fields=("repo_id", "repo_type", "snapshot_date", "likes"),
        limits=Limits(default_limit=30, max_limit=1000),
        notes=(
            "One repo's daily snapshots, newest first, one row per crawled day, with its metadata (pipeline_tag, "
            "library_name, tags, gated, sdk, runtime_stage, num_params) as it was that day; deleted_on is the day a "
            "deleted repo vanished (null while it lives). downloads is the Hub's 30-day count that day; daily_downloads the rise of downloads_all_time since the previous day (null without one); "
            "spaces have no downloads (null). An id from before a rename still works (meta.renamed_from). "
            + HISTORY_NOTE
        ),
        impl="hubsight.helpers.history:hf_repo_history",
    ),
    Helper(
        name="hf_repo_likers",
        use_for="users who liked one repo (repo → users)",
        category="repo_to_users",
        row_type="actor",
        params=(
            Param("repo_id", str),
            Param("repo_type", str, values=REPO_TYPES),
            Param("limit", int | None, None),
            COUNT_ONLY,
            Param("pro_only", bool | None, None),
            WHERE, FIELDS,
        ),
        default_fields=ACTOR_FIELDS,
        guaranteed_fields=("username",),
        where=True,
        limits=Limits(default_limit=1000),
        notes="Returns users who liked a repo.",
        impl="hubsight.helpers.social:hf_repo_likers",
    ),
    Helper(
        name="hf_repo_search",
        use_for="cross-type repo search",
        category="cross_type_repo_search",
        row_type="repo",
        params=(
            Param("search", OPTIONAL_STR, None, upstream="search"),
            Param("repo_type", OPTIONAL_STR, None, values=REPO_TYPES),
            Param("repo_types", list[str] | None, None, values=REPO_TYPES),
            Param("filter", STR_OR_LIST, None, upstream="filter"),
            Param("author", OPTIONAL_STR, None, upstream="author"),
            Param("sort", OPTIONAL_STR, None, values=MODEL_SORTS),
            Param("limit", int, 100),
            FIELDS, POST_FILTER,
        ),
        **row(REPO_ROW),
        guaranteed_fields=REPO_GUARANTEED,
        sort_values_by_repo_type={"dataset": MODEL_SORTS, "model": MODEL_SORTS, "space": SPACE_SORTS},
        post_filter=True,
        limits=SEARCH_LIMITS,
        notes=(
            "Small generic repo-search helper. Prefer hf_models_search, hf_datasets_search, or hf_spaces_search for "
            f"single-type queries; use hf_repo_search for intentionally cross-type search. {SEARCH_NOTE}"
        ),
        impl="hubsight.helpers.repos:hf_repo_search",
    ),
    Helper(
        name="hf_runtime_capabilities",
        use_for="what the runtime offers (contracts, limits, fields)",
        category="introspection",
        row_type="runtime_capability",
        params=(Param("section", OPTIONAL_STR, None, values=SECTIONS),),
        default_fields=("allowed_sections", *CAPABILITY_SECTIONS),
        guaranteed_fields=("allowed_sections", *CAPABILITY_SECTIONS),
        has_fields_param=False,
        notes="Introspection helper. Use section=... to narrow the response.",
        impl="hubsight.helpers.introspection:hf_runtime_capabilities",
    ),
    _repo_search(
        "hf_spaces_search", "space", "HfApi.list_spaces",
        (
            Param("datasets", STR_OR_LIST, None, upstream="datasets"),
            Param("models", STR_OR_LIST, None, upstream="models"),
            Param("linked", bool, False, upstream="linked"),
        ),
        SPACE_SORTS, SPACE_EXPAND,
    ),
    Helper(
        name="hf_trending",
        use_for="trending repos (small current feed)",
        category="curated_repo_feed",
        row_type="repo",
        params=(
            Param("repo_type", str, "model", values=(*REPO_TYPES, "all")),
            Param("limit", int, 20),
            WHERE, FIELDS,
        ),
        **row(TRENDING_ROW),
        guaranteed_fields=(*REPO_GUARANTEED, "trending_rank"),
        where=True,
        limits=Limits(default_limit=20, max_limit=20),
        notes="Returns ordered trending summary rows only. Use hf_repo_details for exact repo metadata.",
        impl="hubsight.helpers.repos:hf_trending",
    ),
    Helper(
        name="hf_user_graph",
        use_for="followers / following lists (user/org → followers/following)",
        category="graph_scan",
        row_type="actor",
        params=(
            Param("username", OPTIONAL_STR, None),
            Param("relation", str, "followers", values=("followers", "following")),
            Param("limit", int | None, None),
            Param("scan_limit", int | None, None),
            COUNT_ONLY,
            Param("pro_only", bool | None, None),
            WHERE, FIELDS,
        ),
        default_fields=ACTOR_FIELDS,
        guaranteed_fields=("username",),
        where=True,
        limits=GRAPH_LIMITS,
        notes="Returns followers/following summary rows.",
        impl="hubsight.helpers.social:hf_user_graph",
    ),
    Helper(
        name="hf_user_likes",
        use_for="repos a user liked (user → repos)",
        category="user_to_repos",
        row_type="user_like",
        params=(
            Param("username", OPTIONAL_STR, None),
            Param("repo_types", list[str] | None, None, values=REPO_TYPES),
            Param("limit", int | None, None),
            Param("scan_limit", int | None, None),
            COUNT_ONLY, WHERE, FIELDS,
            Param("sort", OPTIONAL_STR, None, values=("liked_at", "repo_likes", "repo_downloads")),
            Param("ranking_window", int | None, None),
        ),
        default_fields=USER_LIKE_FIELDS,
        guaranteed_fields=("liked_at", "repo_id", "repo_type"),
        sort_values=("liked_at", "repo_likes", "repo_downloads"),
        where=True,
        limits=Limits(default_limit=100, max_limit=2000, enrich_max=50, ranking_default=50, scan_max=10000),
        notes=(
            "Default recency mode is cheap. Popularity-ranked sorts use canonical keys liked_at/repo_likes/"
            "repo_downloads and rerank only a bounded recent shortlist. Check meta.ranking_complete / "
            "meta.ranking_window when ranking by popularity; helper-owned coverage matters here."
        ),
        impl="hubsight.helpers.social:hf_user_likes",
    ),
    Helper(
        name="hf_whoami",
        use_for="explicit current username",
        category="identity",
        row_type="user",
        params=(),
        default_fields=("username", "fullname", "is_pro"),
        guaranteed_fields=("username",),
        has_fields_param=False,
        notes="Returns the current authenticated user when a request token is available.",
        impl="hubsight.helpers.social:hf_whoami",
    ),
)

BY_NAME: dict[str, Helper] = {h.name: h for h in HELPERS}


def closest(name: str) -> str | None:
    """The helper a misspelled name most likely meant (``hf_model_search`` → ``hf_models_search``), else None."""
    import difflib

    found = difflib.get_close_matches(name, [h.name for h in HELPERS], n=1, cutoff=0.6)
    return found[0] if found else None
