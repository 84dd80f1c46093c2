"""hubsight's configuration: one Settings object, read from the environment, built by a factory.

Every setting is documented in its ``description``; the README's settings table is checked against
this class by a test, so the two cannot drift.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_ENDPOINT = "https://huggingface.co"


def default_db_url() -> str:
    return f"sqlite:///{Path(user_data_dir('hubsight', appauthor=False)) / 'hubsight.db'}"


class Settings(BaseSettings):
    """All of hubsight's settings. Environment variables win over defaults; arguments win over both."""

    model_config = SettingsConfigDict(env_prefix="HUBSIGHT_", extra="ignore", populate_by_name=True)

    hf_endpoint: str = Field(
        DEFAULT_ENDPOINT,
        validation_alias=AliasChoices("HF_ENDPOINT", "hf_endpoint"),
        description="Base URL of the Hub (the standard HF_ENDPOINT): point it at a replica to work offline.",
    )
    hf_token: str | None = Field(
        None,
        validation_alias=AliasChoices("HF_TOKEN", "hf_token"),
        description="Hub token (the standard HF_TOKEN). Never shown to scripts.",
        repr=False,
    )
    db: str = Field(
        default_factory=default_db_url,
        description="SQLAlchemy URL of the history store (HUBSIGHT_DB): SQLite by default, postgresql+psycopg://... to scale.",
    )
    lake: Path | None = Field(
        None,
        description="Directory of the history's Parquet files (HUBSIGHT_LAKE), which `hubsight crawl` keeps current and the SQL door reads. Default: beside a SQLite store (history.db → history.lake), else in the user data directory.",
    )
    sql_timeout: float = Field(10.0, gt=0, le=600, description="Seconds one history SQL query may run before it is stopped.")
    sql_memory_mb: int = Field(1024, ge=64, description="Memory megabytes the history SQL engine may use (queries past it fail, nothing spills to disk).")
    sql_max_rows: int = Field(10_000, ge=1, description="Most rows one history SQL query returns; a query's own limit is clamped to it.")
    http_timeout: float = Field(
        30.0, gt=0, description="Seconds before any single Hub, arXiv or LMArena request gives up."
    )
    hub_workers: int = Field(
        64, ge=1, le=1024, description="Threads for blocking huggingface_hub calls: bounds concurrent upstream requests."
    )
    helper_fanout: int = Field(
        8, ge=1, le=256, description="Concurrent upstream requests one helper may run (repo_ids details, profile includes, likes enrichment)."
    )
    whoami_cache_seconds: float = Field(
        300.0, ge=0,
        description="Seconds the user of the process's own HF_TOKEN is remembered (hf_whoami, current-user helpers); 0 asks the Hub every run. A caller's token is never remembered past its run.",
    )
    max_calls: int = Field(100, ge=1, description="Default upstream-call budget of one script run or helper call.")
    max_calls_ceiling: int = Field(
        1000, ge=1, description="Largest max_calls a caller may ask for; larger requests are clamped to it."
    )
    sandbox_cpu_seconds: float = Field(
        10.0, gt=0, description="Execution seconds one sandboxed script may spend computing (time awaiting helpers is not counted)."
    )
    sandbox_timeout: float = Field(
        120.0, gt=0, description="Wall-clock seconds one sandboxed script may run, helper calls included; run_script's timeout overrides it."
    )
    sandbox_memory_mb: int = Field(256, ge=8, description="Heap megabytes one sandboxed script may allocate.")
    sandbox_recursion_depth: int = Field(200, ge=10, le=10_000, description="Deepest function-call nesting a sandboxed script may reach.")
    sandbox_stdout_bytes: int = Field(
        65_536, ge=0, description="Bytes of a script's print() output kept in the result envelope; the rest is dropped with a marker."
    )
    sandbox_result_bytes: int = Field(
        1_000_000, ge=1_000, description="Bytes of JSON a script's result may take; larger results are cut with an explicit truncation marker."
    )
    sandbox_workers: int = Field(
        32, ge=1, le=512, description="Most sandbox worker processes (about 9 MB each, started on demand) running scripts at once; a script holds one while it awaits helpers. Read when the pool starts."
    )
    sandbox_warm_workers: int = Field(
        1, ge=0, le=512, description="Sandbox worker processes started with the pool and kept warm; read when the pool starts."
    )
    sandbox_queue_timeout: float = Field(
        30.0, gt=0, description="Seconds a script waits for a free sandbox worker before failing as busy; read when the pool starts."
    )
    ask_base_url: str = Field(
        "https://router.huggingface.co/v1",
        description="OpenAI-compatible chat endpoint `hubsight ask` uses (default: Hugging Face's inference router, with HF_TOKEN).",
    )
    ask_model: str = Field("openai/gpt-oss-120b", description="Model `hubsight ask` asks to write scripts.")
    ask_retries: int = Field(2, ge=0, le=10, description="How many times `hubsight ask` feeds a failed script's error back to the model.")
    ask_timeout: float = Field(120.0, gt=0, description="Seconds before one model reply gives up.")
    arxiv_url: str | None = Field(
        None,
        description="arXiv query API URL. Default: export.arxiv.org, or <endpoint>/arxiv/api/query when the endpoint is a replica.",
    )
    arxiv_categories: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["cs.AI", "cs.LG", "cs.CL", "cs.CV", "stat.ML"],
        description="arXiv categories the papers crawl follows (comma-separated in the environment).",
    )
    arxiv_delay_seconds: float = Field(
        3.0, ge=0, description="Pause between arXiv requests; arXiv's terms ask for at least 3 seconds."
    )
    crawl_attempts: int = Field(
        8, ge=1, le=100, description="Attempts per crawl request on 5xx, 429 or a timeout before that crawl source fails."
    )
    crawl_backoff_seconds: float = Field(
        1.0, ge=0, description="First pause between crawl retries, doubled on each retry; a Retry-After header wins."
    )
    crawl_at: str = Field(
        "00:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="UTC time of day (HH:MM) `hubsight crawl --daily` crawls at."
    )
    replica_host: str = Field("127.0.0.1", description="Interface `hubsight replica` listens on.")
    replica_port: int = Field(8765, ge=0, le=65535, description="Port `hubsight replica` listens on.")
    api_host: str = Field("127.0.0.1", description="Interface `hubsight serve` (the HTTP API) listens on.")
    api_port: int = Field(8000, ge=0, le=65535, description="Port `hubsight serve` (the HTTP API) listens on.")
    api_keys_required: bool = Field(
        False, description="Require an X-API-Key (from `hubsight keys create`) with a monthly quota on every API route but /health and /docs."
    )
    api_cache_seconds: float = Field(
        2.0, ge=0, description="Seconds the API trusts the newest crawl date it read; answers are cached per (query, newest crawl)."
    )
    api_cache_entries: int = Field(
        4096, ge=0, description="Responses, and answers, the API keeps in memory per process (least recently used go first); 0 turns caching off: every request reads the store."
    )
    mcp_host: str = Field("127.0.0.1", description="Interface `hubsight mcp --transport http` listens on.")
    mcp_port: int = Field(8766, ge=0, le=65535, description="Port `hubsight mcp --transport http` listens on.")
    mcp_result_bytes: int = Field(
        100_000, ge=1_000, description="Bytes of JSON a script's result may take over MCP (at most sandbox_result_bytes), and four times its print output: about 25,000 tokens, what an agent's context and most MCP clients take from one tool call."
    )

    @field_validator("hf_endpoint")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"HF_ENDPOINT must start with http:// or https://, got {value!r}")
        return value

    @field_validator("arxiv_categories", mode="before")
    @classmethod
    def _split_categories(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def is_replica(self) -> bool:
        return self.hf_endpoint != DEFAULT_ENDPOINT

    @property
    def lake_dir(self) -> Path:
        """The history's Parquet directory: ``lake`` if set, else derived from the store's URL."""
        if self.lake is not None:
            return self.lake.expanduser()
        from hubsight.store.lake import default_dir

        return default_dir(self.db)


def env_var(field: str) -> str:
    """The environment variable that sets ``field``."""
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"HUBSIGHT_{field.upper()}"


def reference() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting: the source of the docs' settings table."""
    rows = []
    for name, info in Settings.model_fields.items():
        if info.default_factory is not None:
            default = "a SQLite file in the user data directory" if name == "db" else ", ".join(info.default_factory())
        else:
            default = "unset" if info.default is None else str(info.default)
        rows.append((env_var(name), default, info.description or ""))
    return rows


def get_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, with explicit overrides (``None`` means "not given")."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
