"""The history's public SQL contract: every view, its columns, their types and meanings, declared once.

The SQL engine (``store/sql.py``) creates these views over the Parquet files of ``store/lake.py``; the
docs page (docs/history-sql.md), the runtime prompt, ``hf_runtime_capabilities``, the API's
``GET /v1/sql/views`` and the dashboard's SQL page are all renderings of ``VIEWS`` and ``EXAMPLES``.
Types are DuckDB's: dates are DATE, instants TIMESTAMPTZ in UTC, lists are VARCHAR[].

A view's ``sql`` reads the lake's files through ``{root}`` (the lake directory) and may use the
private relations ``_repos`` (current metadata with the dense ``rid``), ``_days`` (the daily numbers
keyed by ``(kind, rid)``) and ``_versions`` (closed versions); users see only the views.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EXAMPLES", "MAX_SQL_CHARS", "PRIVATE", "VIEWS", "Col", "Example", "View", "by_name", "schema_text"]

MAX_SQL_CHARS = 100_000
"""Longest query any door takes (the API, MCP, ``hf_history_sql``, the engine itself)."""


@dataclass(frozen=True)
class Col:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class View:
    name: str
    description: str
    columns: tuple[Col, ...]
    sql: str

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Example:
    title: str
    sql: str


KIND = Col("kind", "VARCHAR", "model, dataset or space")
REPO_ID = Col("repo_id", "VARCHAR", "the repo's current id, owner/name (a renamed repo keeps its whole history under its new id)")
TRACKED = (
    Col("pipeline_tag", "VARCHAR", "the model's task (models only)"),
    Col("library_name", "VARCHAR", "the model's library, e.g. transformers, diffusers, gguf (models only)"),
    Col("tags", "VARCHAR[]", "the repo's tags, e.g. license:mit, base_model:finetune:owner/name"),
    Col("gated", "VARCHAR", "null when open, else 'auto' or 'manual'"),
    Col("sdk", "VARCHAR", "the space's SDK: gradio, streamlit, docker or static (spaces only)"),
    Col("runtime_stage", "VARCHAR", "the space's runtime stage: RUNNING, SLEEPING, BUILD_ERROR, ... (spaces only)"),
    Col("num_params", "BIGINT", "parameters: the Hub's safetensors total, else its gguf total (models only; null when unknown)"),
)
_TRACKED_SQL = ", ".join(c.name for c in TRACKED)

PRIVATE = {
    "_repos": "SELECT * FROM read_parquet('{root}/repos.parquet')",
    "_days": "SELECT * FROM read_parquet('{root}/repo_days/*/*.parquet', hive_partitioning = true, hive_types = {{'date': DATE}})",
    "_arena": "SELECT * FROM read_parquet('{root}/arena/*/*.parquet', hive_partitioning = true, hive_types = {{'publish_date': DATE}})",
    "_totals": "SELECT * FROM read_parquet('{root}/hub_days/*/*.parquet', hive_partitioning = true, hive_types = {{'date': DATE}})",
    "_authors": "SELECT * FROM read_parquet('{root}/author_days/*/*.parquet', hive_partitioning = true, hive_types = {{'date': DATE}})",
    "_versions": "SELECT * FROM read_parquet('{root}/repo_versions/*/*.parquet', hive_partitioning = true, hive_types = {{'valid_to': DATE}})",
}
"""Relations the views are built on (not part of the contract)."""

VIEWS: tuple[View, ...] = (
    View(
        "repo_days",
        "One row per repo per crawled day on which the Hub listed it: the daily numbers.",
        (
            Col("date", "DATE", "the crawl day"),
            KIND,
            REPO_ID,
            Col("likes", "BIGINT", "likes that day"),
            Col("downloads", "BIGINT", "the Hub's 30-day download count that day (null for spaces)"),
            Col("downloads_all_time", "BIGINT", "all-time downloads that day (null for spaces)"),
            Col("daily_downloads", "BIGINT", "downloads_all_time minus the previous calendar day's; null when that day was not crawled"),
            Col("trending_score", "BIGINT", "the Hub's trendingScore that day"),
            Col("author", "VARCHAR", "the owner (current; filter and group here instead of joining repos)"),
            Col("pipeline_tag", "VARCHAR", "the model's current task (that day's: repo_versions)"),
            Col("library_name", "VARCHAR", "the model's current library (that day's: repo_versions)"),
        ),
        "SELECT d.date, d.kind, r.repo_id, d.likes, d.downloads, d.downloads_all_time, d.daily_downloads, d.trending_score, "
        "r.author, r.pipeline_tag, r.library_name FROM _days d JOIN _repos r ON r.kind = d.kind AND r.rid = d.rid",
    ),
    View(
        "hub_days",
        "Hub-wide totals per crawled day and kind (a sum over repo_days, kept ready: use it for Hub-wide series).",
        (
            Col("date", "DATE", "the crawl day"),
            KIND,
            Col("repos", "BIGINT", "repos listed that day"),
            Col("likes", "BIGINT", "their likes"),
            Col("downloads", "BIGINT", "their 30-day downloads (null for spaces)"),
            Col("downloads_all_time", "BIGINT", "their all-time downloads (null for spaces)"),
            Col("daily_downloads", "BIGINT", "downloads that day: the sum of repo_days.daily_downloads (null without the day before)"),
        ),
        "SELECT date, kind, repos, likes, downloads, downloads_all_time, daily_downloads FROM _totals",
    ),
    View(
        "author_days",
        "Totals per owner, kind and crawled day (a sum over repo_days, kept ready: use it to rank owners).",
        (
            Col("date", "DATE", "the crawl day"),
            KIND,
            Col("author", "VARCHAR", "the owner, as the repos were owned when the day was stored"),
            Col("repos", "BIGINT", "their repos listed that day"),
            Col("likes", "BIGINT", "their likes"),
            Col("downloads", "BIGINT", "their 30-day downloads (null for spaces)"),
            Col("downloads_all_time", "BIGINT", "their all-time downloads (null for spaces)"),
            Col("daily_downloads", "BIGINT", "their downloads that day (null without the day before)"),
        ),
        "SELECT date, kind, author, repos, likes, downloads, downloads_all_time, daily_downloads FROM _authors",
    ),
    View(
        "repos",
        "Current metadata: one row per repo ever seen, deleted ones included.",
        (
            KIND,
            REPO_ID,
            Col("author", "VARCHAR", "the owner (user or organisation)"),
            Col("created_at", "TIMESTAMPTZ", "the Hub's createdAt (null for repos older than the Hub's records)"),
            Col("first_seen", "DATE", "first crawl day that listed it"),
            Col("last_seen", "DATE", "last crawl day that listed it"),
            Col("deleted_on", "DATE", "first crawl day it was missing from a complete listing; null while it lives"),
            *TRACKED,
        ),
        "SELECT kind, repo_id, author, created_at, first_seen, last_seen, deleted_on, " + _TRACKED_SQL + " FROM _repos",
    ),
    View(
        "repo_versions",
        "Tracked metadata over time: a version covers day d when valid_from <= d < valid_to; the current one has valid_to null.",
        (
            KIND,
            REPO_ID,
            Col("valid_from", "DATE", "first crawl day this metadata was listed"),
            Col("valid_to", "DATE", "first crawl day it no longer was (exclusive); null for the current version"),
            *TRACKED,
        ),
        "SELECT v.kind, r.repo_id, v.valid_from, v.valid_to, "
        + ", ".join(f"v.{c.name}" for c in TRACKED)
        + " FROM _versions v JOIN _repos r ON r.kind = v.kind AND r.rid = v.rid "
        "UNION ALL SELECT kind, repo_id, meta_since, CAST(NULL AS DATE), " + _TRACKED_SQL + " FROM _repos",
    ),
    View(
        "renames",
        "Repos the Hub renamed: the old id still redirects to the new one.",
        (
            KIND,
            Col("old_repo_id", "VARCHAR", "the id before the rename"),
            Col("new_repo_id", "VARCHAR", "the id after it"),
            Col("date", "DATE", "the crawl day that first saw the new id"),
        ),
        "SELECT kind, old_repo_id, new_repo_id, date FROM read_parquet('{root}/renames.parquet')",
    ),
    View(
        "papers",
        "arXiv papers the papers crawl stored (the configured categories).",
        (
            Col("arxiv_id", "VARCHAR", "arXiv id without version, e.g. 2501.01234"),
            Col("title", "VARCHAR", "title"),
            Col("summary", "VARCHAR", "abstract"),
            Col("authors", "VARCHAR[]", "author names"),
            Col("categories", "VARCHAR[]", "arXiv categories, e.g. cs.CL"),
            Col("primary_category", "VARCHAR", "the primary category"),
            Col("published", "TIMESTAMPTZ", "first version's submission time"),
            Col("updated", "TIMESTAMPTZ", "latest version's time"),
        ),
        "SELECT arxiv_id, title, summary, authors, categories, primary_category, published, updated "
        "FROM read_parquet('{root}/papers.parquet')",
    ),
    View(
        "daily_papers",
        "Hugging Face's daily papers as each crawl day saw them.",
        (
            Col("date", "DATE", "the crawl day"),
            Col("paper_id", "VARCHAR", "arXiv id"),
            Col("rank", "INTEGER", "position on the day's page, 1 first"),
            Col("title", "VARCHAR", "title"),
            Col("upvotes", "INTEGER", "upvotes that day"),
            Col("num_comments", "INTEGER", "comments that day"),
        ),
        "SELECT date, paper_id, rank, title, upvotes, num_comments FROM read_parquet('{root}/daily_papers.parquet')",
    ),
    View(
        "arena",
        "The LMArena leaderboard, every publication of every subset and category.",
        (
            Col("publish_date", "DATE", "the leaderboard's publication day"),
            Col("subset", "VARCHAR", "text, vision, webdev, ..."),
            Col("category", "VARCHAR", "overall, coding, ..."),
            Col("model_name", "VARCHAR", "the model as LMArena names it"),
            Col("organization", "VARCHAR", "its maker"),
            Col("license", "VARCHAR", "its license"),
            Col("rating", "DOUBLE", "Arena score"),
            Col("rating_lower", "DOUBLE", "lower end of the 95% interval"),
            Col("rating_upper", "DOUBLE", "upper end of the 95% interval"),
            Col("variance", "DOUBLE", "rating variance"),
            Col("vote_count", "BIGINT", "votes"),
            Col("rank", "INTEGER", "rank (ties share one)"),
        ),
        "SELECT publish_date, subset, category, model_name, organization, license, rating, rating_lower, rating_upper, "
        "variance, vote_count, rank FROM _arena",
    ),
    View(
        "crawls",
        "Every completed crawl: one row per day and source.",
        (
            Col("date", "DATE", "the crawl day"),
            Col("source", "VARCHAR", "hub, papers or arena"),
            Col("started_at", "TIMESTAMPTZ", "when it started"),
            Col("finished_at", "TIMESTAMPTZ", "when it was stored"),
        ),
        "SELECT date, source, started_at, finished_at FROM read_parquet('{root}/crawls.parquet')",
    ),
)

EXAMPLES: tuple[Example, ...] = (
    Example(
        "GGUF models that gained the most likes in the last 30 days",
        "WITH w AS (SELECT max(date) AS hi, max(date) - 30 AS lo FROM crawls WHERE source = 'hub')\n"
        "SELECT d.repo_id, max(d.likes) FILTER (d.date = w.hi) - coalesce(max(d.likes) FILTER (d.date = w.lo), 0) AS likes_gained\n"
        "FROM repo_days d, w\n"
        "WHERE d.kind = 'model' AND d.library_name = 'gguf' AND d.date IN (w.lo, w.hi)\n"
        "GROUP BY d.repo_id ORDER BY likes_gained DESC LIMIT 20",
    ),
    Example(
        "Authors whose repos gained the most likes in the last 7 days",
        "WITH w AS (SELECT max(date) AS hi, max(date) - 7 AS lo FROM crawls WHERE source = 'hub')\n"
        "SELECT a.author, sum(CASE WHEN a.date = w.hi THEN a.likes ELSE -a.likes END) AS likes_gained\n"
        "FROM author_days a, w\n"
        "WHERE a.date IN (w.lo, w.hi)\n"
        "GROUP BY a.author ORDER BY likes_gained DESC LIMIT 20",
    ),
    Example(
        "New models per day by pipeline tag",
        "SELECT CAST(created_at AS DATE) AS day, pipeline_tag, count(*) AS new_models\n"
        "FROM repos WHERE kind = 'model' AND created_at >= (SELECT min(date) FROM crawls WHERE source = 'hub')\n"
        "GROUP BY ALL ORDER BY day, new_models DESC",
    ),
    Example(
        "Total downloads per day, all models",
        "SELECT date, daily_downloads FROM hub_days WHERE kind = 'model' ORDER BY date",
    ),
    Example(
        "Spaces whose runtime stage changed most often",
        "SELECT repo_id, count(*) - 1 AS changes FROM repo_versions WHERE kind = 'space'\n"
        "GROUP BY repo_id ORDER BY changes DESC LIMIT 20",
    ),
    Example(
        "The newest LMArena text leaderboard",
        "SELECT rank, model_name, organization, rating FROM arena\n"
        "WHERE subset = 'text' AND category = 'overall' AND publish_date = (SELECT max(publish_date) FROM arena WHERE subset = 'text')\n"
        "ORDER BY rank, rating DESC LIMIT 20",
    ),
)


def by_name(name: str) -> View:
    for view in VIEWS:
        if view.name == name:
            return view
    raise KeyError(name)


def schema_text() -> str:
    """The views as compact text for prompts and error messages: ``name(col TYPE, ...)``, one per line."""
    return "\n".join(f"{v.name}({', '.join(f'{c.name} {c.type}' for c in v.columns)})" for v in VIEWS)
