"""The `hubsight` command line: a thin door over the core.

Errors are translated once, here: a usage error or a bad value prints one line saying what to do
and exits with 2.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console

from hubsight import __version__
from hubsight.settings import get_settings

app = typer.Typer(
    name="hubsight",
    help="Ask the Hugging Face Hub anything and see how it changes over time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
out = Console()


def usage_failure(message: str) -> typer.BadParameter:
    """A bad value found after parsing (busy port, clashing rates): reported like any usage error."""
    return typer.BadParameter(message)


def _settings(**overrides: Any) -> Any:  # -> Settings
    """The settings with a command's options applied; a bad value is one usage line, for every command."""
    from pydantic import ValidationError

    try:
        return get_settings(**overrides)
    except ValidationError as exc:
        raise usage_failure(exc.errors()[0]["msg"]) from None


def _store(settings: Any) -> Any:  # -> Engine (sqlalchemy is imported lazily)
    """The history store, opened and brought up to date: a wrong --db is a usage error found at start,
    not a traceback later."""
    from hubsight.store.db import StoreUnavailable, make_engine, upgrade

    try:
        engine = make_engine(settings.db)
        upgrade(engine)
    except StoreUnavailable as exc:
        raise usage_failure(f"{exc}; check --db or HUBSIGHT_DB") from None
    return engine


def _bind(host: str, port: int) -> Any:  # -> socket.socket
    """A socket bound to host:port for uvicorn to serve on (port 0: any free one, which it then names);
    a busy port is a usage error."""
    import socket

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise usage_failure(f"port {port} on {host} is busy: pass --port with a free port (or --port 0 for any)") from None
    return sock


def _scale(value: str) -> str:
    from hubsight.replica.world import parse_scale

    try:
        parse_scale(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD") from None


def _rate(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise typer.BadParameter(f"{value} is not a rate: use a number between 0 and 1")
    return value


@app.command()
def version() -> None:
    """Print hubsight's version."""
    out.print(__version__)


@app.command()
def run(
    file: Annotated[str, typer.Argument(help="Script file to run, or - to read it from standard input.")],
    max_calls: Annotated[int | None, typer.Option(min=0, help="External-call budget of the script (default: HUBSIGHT_MAX_CALLS).")] = None,
    timeout: Annotated[float | None, typer.Option(min=0.1, help="Wall-clock limit in seconds.")] = None,
    type_check: Annotated[bool, typer.Option("--type-check", help="Type-check the script against the helper stubs first.")] = False,
    endpoint: Annotated[str | None, typer.Option(help="Hub URL (default: HF_ENDPOINT), e.g. a replica.")] = None,
) -> None:
    """Run a hubsight script in the sandbox and print its envelope as JSON (exit 0 ok, 1 script failed)."""
    import asyncio
    import json

    if file == "-":
        code = sys.stdin.read()
    else:
        try:
            with open(file, encoding="utf-8") as fh:
                code = fh.read()
        except OSError as exc:
            raise usage_failure(f"cannot read {file!r}: {exc.strerror}; pass a script file or - for stdin") from None
    settings = _settings(hf_endpoint=endpoint)
    from hubsight.sandbox import run_script

    envelope = asyncio.run(
        run_script(code, max_calls=max_calls, timeout=timeout, settings=settings, type_check=type_check)
    )
    sys.stdout.write(json.dumps(envelope, ensure_ascii=False, indent=2) + "\n")
    if not envelope["ok"]:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain language.")],
    show_code: Annotated[bool, typer.Option("--show-code", help="Also print the script the model wrote.")] = False,
    retries: Annotated[int | None, typer.Option(min=0, max=10, help="Retries with the error fed back (default: HUBSIGHT_ASK_RETRIES).")] = None,
    model: Annotated[str | None, typer.Option(help="Model name (default: HUBSIGHT_ASK_MODEL).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (default: HUBSIGHT_ASK_BASE_URL).")] = None,
    endpoint: Annotated[str | None, typer.Option(help="Hub URL the script queries (default: HF_ENDPOINT).")] = None,
    max_calls: Annotated[int | None, typer.Option(min=0, help="External-call budget of the script.")] = None,
) -> None:
    """Ask the Hub a question: an LLM writes a script, hubsight runs it and prints the result."""
    import asyncio
    import json

    from hubsight.ask import AskError
    from hubsight.ask import ask as ask_model

    settings = _settings(hf_endpoint=endpoint, ask_model=model, ask_base_url=base_url)
    try:
        with console.status("Asking the model and running its script…"):
            sources = {k: v for k, v in (("base_url", "--base-url" if base_url else None), ("model", "--model" if model else None)) if v}
            answer = asyncio.run(ask_model(question, settings, retries=retries, max_calls=max_calls, sources=sources))
    except AskError as exc:
        console.print(f"error: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    for number, attempt in enumerate(answer.attempts, start=1):
        if show_code:
            console.print(f"[bold]script (attempt {number}):[/]")
            console.print(attempt.code, markup=False, highlight=False)
        if not attempt.envelope["ok"]:
            error = attempt.envelope["error"] or {}
            console.print(f"attempt {number} failed: {error.get('type')}: {error.get('message')}", highlight=False)
    final = answer.final.envelope
    sys.stdout.write(json.dumps(final["result"] if final["ok"] else final, ensure_ascii=False, indent=2) + "\n")
    if not final["ok"]:
        raise typer.Exit(1)


@app.command()
def prompt() -> None:
    """Print the tool description that teaches an LLM to write hubsight scripts (generated from the registry)."""
    from hubsight.prompt import render

    sys.stdout.write(render())


@app.command()
def replica(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default: 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="Port to listen on (default: 8765).")] = None,
    scale: Annotated[
        str, typer.Option(callback=_scale, help="World size: tiny, small, medium, large (1,000,000 models) or a number of models.")
    ] = "small",
    seed: Annotated[int, typer.Option(help="World seed: the same seed, scale and date give the same Hub.")] = 0,
    start_date: Annotated[
        str | None, typer.Option("--date", help="The world's first day, YYYY-MM-DD (default: today, UTC).")
    ] = None,
    latency_ms: Annotated[float, typer.Option(min=0, help="Extra latency added to every Hub request.")] = 0.0,
    error_rate: Annotated[float, typer.Option(callback=_rate, help="Share of Hub requests answered 500/502/503.")] = 0.0,
    rate_limit_rate: Annotated[
        float, typer.Option(callback=_rate, help="Share of Hub requests answered 429 with Retry-After.")
    ] = 0.0,
) -> None:
    """Serve a local Hugging Face Hub (plus arXiv and LMArena) from a generated, evolving world."""
    import uvicorn

    from hubsight.replica.app import create_app
    from hubsight.replica.state import Faults

    settings = _settings()
    host = host or settings.replica_host
    port = settings.replica_port if port is None else port
    start = _date(start_date)
    faults = Faults(latency_ms=latency_ms, error_rate=error_rate, rate_limit_rate=rate_limit_rate)
    try:
        faults.validate()
    except ValueError as exc:
        raise usage_failure(str(exc)) from None
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    began = time.perf_counter()
    with console.status(f"Generating a {scale} world (seed {seed})…"):
        asgi = create_app(seed=seed, scale=scale, start=start, faults=faults)
    world = asgi.state.replica.world
    counts = ", ".join(f"{int(t.alive.sum()):,} {kind}s" for kind, t in world.repos.items())
    url = f"http://{host}:{port}"
    console.print(f"[bold green]Replica ready[/] in {time.perf_counter() - began:.1f}s: {counts}, {world.owners.n_users:,} users")
    console.print(f"  export HF_ENDPOINT={url}    # any huggingface_hub client now talks to the replica")
    console.print(f"  token for a user: hf_replica_<username>, e.g. hf_replica_{world.owners.names[0]}")
    console.print(f"  clock: GET {url}/_replica/clock · POST {url}/_replica/clock/advance?days=N")
    uvicorn.Server(uvicorn.Config(asgi, log_level="warning", access_log=False)).run(sockets=[sock])


@app.command()
def demo(
    scale: Annotated[str, typer.Option(callback=_scale, help="World size for the demo replica.")] = "tiny",
    seed: Annotated[int, typer.Option(help="World seed.")] = 0,
    days: Annotated[int, typer.Option(min=1, max=365, help="Simulated days of history to crawl.")] = 30,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port for the API and dashboard.")] = 8000,
    db: Annotated[
        str | None, typer.Option(help="SQLite file for the demo's history, recreated on each run (default: demo.db in the data directory).")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Exit after crawling and checking the API instead of serving.")] = False,
) -> None:
    """Offline demo: a replica Hub, 30 crawled days of history, then the API and dashboard over them."""
    from pathlib import Path

    import httpx2
    import uvicorn
    from platformdirs import user_data_dir

    from hubsight.api.app import create_app
    from hubsight.demo import crawl_history, start_date, trending_table
    from hubsight.replica.server import ReplicaServer

    sock = _bind("127.0.0.1", port)
    db_path = Path(db) if db else Path(user_data_dir("hubsight", appauthor=False)) / "demo.db"
    settings = _settings()
    with console.status(f"Starting a {scale} replica of the Hub…"):
        replica = ReplicaServer(scale=scale, seed=seed, start=start_date(days)).start()
    try:
        console.print(f"[bold green]Replica[/] of the Hub at {replica.url}")
        store = crawl_history(replica.url, db_path, days, settings, console)
        console.print(f"[bold green]History[/]: {store.first_day} → {store.last_day} in {db_path} ({store.seconds:.0f} s)")
        api_settings = settings.model_copy(update={"db": store.db_url, "hf_endpoint": replica.url, "hf_token": None})
        server = uvicorn.Server(uvicorn.Config(create_app(api_settings), log_level="warning"))
        import threading

        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            if not thread.is_alive():
                raise usage_failure(f"the API could not start on port {port}")
            time.sleep(0.05)
        bound = server.servers[0].sockets[0].getsockname()[1]
        url = f"http://127.0.0.1:{bound}"
        rows = httpx2.get(f"{url}/models/trending", params={"days": 7, "limit": 10}, timeout=30).json()
        out.print(trending_table(rows, "Models that gained the most likes in the last 7 days"))
        console.print(f"[bold]Dashboard[/]  {url}/")
        console.print(f"[bold]API[/]        {url}/docs   (e.g. {url}/models/trending?days=7)")
        console.print(f"[bold]Replica[/]    {replica.url}   (export HF_ENDPOINT={replica.url})")
        if once:
            server.should_exit = True
            thread.join(10)
            return
        console.print("Ctrl-C stops the demo.")
        while thread.is_alive():
            thread.join(1)
    except KeyboardInterrupt:
        pass
    finally:
        replica.stop()


MCP_TRANSPORTS = ("stdio", "http")


def _transport(value: str) -> str:
    if value not in MCP_TRANSPORTS:
        raise typer.BadParameter(f"unknown transport {value!r}: use stdio or http")
    return value


@app.command()
def mcp(
    transport: Annotated[
        str, typer.Option(callback=_transport, help="stdio (the MCP client launches hubsight) or http (streamable HTTP at /mcp).")
    ] = "stdio",
    host: Annotated[str | None, typer.Option(help="Interface for --transport http (default: HUBSIGHT_MCP_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="Port for --transport http (default: HUBSIGHT_MCP_PORT, 8766; 0 for any).")] = None,
    prompt: Annotated[str, typer.Option(help="hub_query's description: full (the whole guide, as the seed) or compact (at most 12,000 characters; contracts via hub_capabilities(helper=...)).")] = "full",
) -> None:
    """Serve hubsight as an MCP server: the tools hub_query (run a script), hub_capabilities and history_sql."""
    settings = _settings()
    if prompt not in ("full", "compact"):
        raise usage_failure(f"--prompt must be full or compact, got {prompt!r}")
    if transport == "stdio":
        from hubsight.mcp_server import create_mcp_server

        # stdout carries the protocol: nothing else may be printed there.
        create_mcp_server(settings, prompt).run("stdio")
        return
    import uvicorn

    host = host or settings.mcp_host
    port = settings.mcp_port if port is None else port
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    from hubsight.mcp_server import MCP_PATH, create_mcp_server, streamable_http_app

    server = create_mcp_server(settings, prompt)
    console.print(f"[bold green]MCP server ready[/] at http://{host}:{port}{MCP_PATH} (streamable HTTP)", soft_wrap=True)
    console.print("  callers send their Hub token as 'Authorization: Bearer <token>'", soft_wrap=True)
    uvicorn.Server(uvicorn.Config(streamable_http_app(server, host=host), log_level="warning", access_log=False)).run(
        sockets=[sock]
    )


DbOption = Annotated[str | None, typer.Option("--db", help="History store URL (default: HUBSIGHT_DB, a SQLite file).")]


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default: HUBSIGHT_API_HOST, 127.0.0.1).")] = None,
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port to listen on (default: HUBSIGHT_API_PORT, 8000; 0 for any).")
    ] = None,
    db: DbOption = None,
    endpoint: Annotated[
        str | None, typer.Option(help="The Hub that /v1/query scripts ask (default: HF_ENDPOINT), e.g. a replica's URL.")
    ] = None,
) -> None:
    """Serve the HTTP API and the dashboard: the insights API over the history store, POST /v1/query
    runs a script; OpenAPI docs at /docs."""
    import uvicorn

    settings = _settings(db=db, hf_endpoint=endpoint)
    _store(settings).dispose()
    host = host or settings.api_host
    port = settings.api_port if port is None else port
    from hubsight.api import create_app

    sock = _bind(host, port)
    port = sock.getsockname()[1]
    url = f"http://{host}:{port}"
    console.print(f"[bold green]hubsight API ready[/] at {url} · dashboard at {url}/ · docs at {url}/docs", soft_wrap=True)
    from sqlalchemy.engine import make_url

    store = make_url(settings.db).render_as_string(hide_password=True)
    console.print(f"  history store {store} · Hub {settings.hf_endpoint}", soft_wrap=True, highlight=False)
    console.print(f"  POST {url}/v1/query with JSON {{\"code\": ...}}; send your Hub token as 'Authorization: Bearer <token>'",
                  soft_wrap=True, highlight=False)
    uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning")).run(sockets=[sock])


@app.command("crawl")
def crawl_command(
    day: Annotated[
        str | None, typer.Option("--date", help="Crawl date, YYYY-MM-DD (default: today in UTC, or a replica's own date).")
    ] = None,
    only: Annotated[str | None, typer.Option(help="Comma-separated sources to crawl: hub, papers, arena (default: all).")] = None,
    db: Annotated[str | None, typer.Option(help="History store URL (default: HUBSIGHT_DB, a SQLite file).")] = None,
    endpoint: Annotated[
        str | None, typer.Option(help="Hub URL for every source (default: HF_ENDPOINT); a replica serves all three.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-crawl sources already stored for the date, replacing their rows.")] = False,
    daily: Annotated[bool, typer.Option("--daily", help="Keep running and crawl once a day at --at (UTC); Ctrl-C stops.")] = False,
    at: Annotated[str | None, typer.Option(help="UTC time of day for --daily, HH:MM (default: HUBSIGHT_CRAWL_AT, 00:30).")] = None,
) -> None:
    """Snapshot the Hub (every repo), arXiv papers and the LMArena leaderboard into the history store."""
    from hubsight.crawl.runner import parse_only
    from hubsight.crawl.scheduler import parse_at

    crawl_day = _date(day)
    try:
        sources = parse_only([only] if only is not None else None)
        at_time = parse_at(at) if at is not None else None
    except ValueError as exc:
        raise usage_failure(str(exc)) from None
    if daily and crawl_day is not None:
        raise usage_failure("--daily crawls each new day: drop --date")
    if at_time is not None and not daily:
        raise usage_failure("--at only applies with --daily")
    settings = _settings(db=db, hf_endpoint=endpoint, crawl_at=at)
    _store(settings).dispose()

    def once() -> bool:
        from hubsight.crawl import crawl
        from hubsight.crawl.progress import RichProgress, show_retries

        with show_retries(console):
            if console.is_terminal:
                with RichProgress(console) as progress:
                    summary = crawl(crawl_day, sources, settings, progress, force)
            else:
                summary = crawl(crawl_day, sources, settings, None, force)
        out.print(summary.line(), highlight=False, soft_wrap=True)
        for result in summary.results:
            if result.status == "failed":
                console.print(f"error: {result.source}: {result.error}", highlight=False, soft_wrap=True)
        if summary.lake_error:
            console.print(f"error: history files: {summary.lake_error}", highlight=False, soft_wrap=True)
        return summary.ok

    if not daily:
        if not once():
            raise typer.Exit(1)
        return
    import signal

    from hubsight.crawl.scheduler import run_daily

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # a crawl cut short stores each source whole or not at all

    signal.signal(signal.SIGINT, interrupt)  # also when started in the background, where SIGINT is ignored
    signal.signal(signal.SIGTERM, interrupt)

    def announce(due: object) -> None:
        console.print(f"next crawl at {due:%Y-%m-%d %H:%M} UTC (Ctrl-C stops)", highlight=False)

    run_daily(once, parse_at(settings.crawl_at), on_wait=announce)


SQL_FORMATS = ("table", "csv", "json", "parquet")


@app.command("sql")
def sql_command(
    query: Annotated[str, typer.Argument(help="One SELECT (or WITH ... SELECT) over the history's views; `-` reads it from stdin.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table, csv, json (one object per row) or parquet (needs --output).")] = "table",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write the result to this file instead of stdout.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most rows to return (clamped to HUBSIGHT_SQL_MAX_ROWS).")] = 1000,
    db: Annotated[str | None, typer.Option(help="History store URL (default: HUBSIGHT_DB).")] = None,
    lake: Annotated[str | None, typer.Option(help="Parquet directory (default: HUBSIGHT_LAKE, or beside the store).")] = None,
) -> None:
    """Ask the history anything in SQL (DuckDB over its Parquet files): views such as repo_days, hub_days
    and repos (all of them and their columns: docs/history-sql.md). Exit 1 when the query is refused or
    fails; the error lists the views and their columns."""
    from hubsight.store.sql import SqlError, for_settings

    if format not in SQL_FORMATS:
        raise usage_failure(f"--format must be one of {', '.join(SQL_FORMATS)}, got {format!r}")
    if format == "parquet" and output is None:
        raise usage_failure("--format parquet writes a file: add --output FILE.parquet")
    if query == "-":
        query = sys.stdin.read(100_001)
    settings = _settings(db=db, lake=lake)
    try:
        result = for_settings(settings).run(query, None, limit)
    except SqlError as exc:
        console.print(f"error: {exc}", highlight=False, soft_wrap=True)
        console.print(exc.hint, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    _write_result(result, format, output)
    if result.truncated:
        console.print(f"note: only the first {len(result.rows):,} rows are shown: raise --limit (at most "
                      f"HUBSIGHT_SQL_MAX_ROWS={settings.sql_max_rows:,}) or aggregate", highlight=False)


def _write_result(result: object, format: str, output: str | None) -> None:
    import csv
    import io

    import orjson

    from hubsight.store.sql import SqlResult

    assert isinstance(result, SqlResult)
    if format == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist([dict(zip(result.names, row, strict=True)) for row in result.rows]), output)
        console.print(f"wrote {len(result.rows):,} rows to {output}", highlight=False)
        return
    if format == "table" and output is None:
        from rich.table import Table

        table = Table(*result.names, show_lines=False)
        for row in result.lists():
            table.add_row(*("" if v is None else ";".join(map(str, v)) if isinstance(v, list) else str(v) for v in row))
        out.print(table)
        return
    buffer = io.StringIO()
    if format == "json":
        for row in result.dicts():
            buffer.write(orjson.dumps(row).decode() + "\n")
    else:  # csv (also "table" into a file)
        writer = csv.writer(buffer)
        writer.writerow(result.names)
        for row in result.lists():
            writer.writerow("" if v is None else ";".join(map(str, v)) if isinstance(v, list) else v for v in row)
    if output is None:
        sys.stdout.write(buffer.getvalue())
    else:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        console.print(f"wrote {len(result.rows):,} rows to {output}", highlight=False)


@app.command("export")
def export_command(
    directory: Annotated[str, typer.Argument(help="Folder to write the Parquet files into (created if missing).")],
    db: Annotated[str | None, typer.Option(help="History store URL (default: HUBSIGHT_DB).")] = None,
) -> None:
    """Write the whole history as Parquet files partitioned by date (repo_days/date=YYYY-MM-DD/..., repos,
    repo_versions, renames, papers, daily_papers, arena, crawls), readable by pandas, Polars, DuckDB, Spark."""
    from pathlib import Path

    from hubsight.store.lake import LakeError, sync

    settings = _settings(db=db)
    engine = _store(settings)
    target = Path(directory).expanduser()
    try:
        with console.status("exporting the history") as status:
            report = sync(engine, target, lambda msg: status.update(msg))
    except LakeError as exc:
        console.print(f"error: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    days = len(list((target / "repo_days").glob("date=*")))
    out.print(f"exported {days} crawled days to {target} ({len(report.days_written)} days and "
              f"{len(report.tables_written)} tables written now)", highlight=False)


# -- hubsight keys: API keys and their monthly quotas (see hubsight.api.keys) ----------------------------
keys_app = typer.Typer(
    help="Manage the HTTP API's keys and monthly quotas (enforced when HUBSIGHT_API_KEYS_REQUIRED=true).",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")
def _keys_engine(db: str | None):  # -> Engine (sqlalchemy is imported lazily)
    return _store(_settings(db=db))


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    quota: Annotated[int, typer.Option(min=0, help="Requests per calendar month (UTC), e.g. 100 (free) or 1000 (pro).")] = 100,
    db: DbOption = None,
) -> None:
    """Create a key and print it once: only its sha256 is stored."""
    from hubsight.api.keys import create_key
    from hubsight.store.db import writing

    engine = _keys_engine(db)
    with writing(engine) as conn:
        key = create_key(conn, name, quota)
    engine.dispose()
    out.print(key, highlight=False, soft_wrap=True)
    console.print(f"key for {name!r}, {quota:,} requests a month: shown once, store it now", highlight=False)


@keys_app.command("list")
def keys_list(db: DbOption = None) -> None:
    """List keys (by id: the start of their sha256) with quota and this month's use."""
    from hubsight.api.keys import list_keys

    engine = _keys_engine(db)
    with engine.connect() as conn:
        rows = list_keys(conn)
    engine.dispose()
    for k in rows:
        state = "revoked" if k.disabled else "active"
        out.print(f"{k.id}  {k.name}  {k.used_this_month}/{k.monthly_quota} this month  {state}  created {k.created_at:%Y-%m-%d}",
                  highlight=False, soft_wrap=True)
    if not rows:
        console.print("no API keys yet: hubsight keys create --name NAME --quota 100")


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="The key's id (from `hubsight keys list`), the key itself, or its name.")],
    db: DbOption = None,
) -> None:
    """Revoke a key: requests with it get 401 from then on."""
    from hubsight.api.keys import revoke_key
    from hubsight.store.db import writing

    engine = _keys_engine(db)
    try:
        with writing(engine) as conn:
            ids = revoke_key(conn, key)
    except ValueError as exc:
        raise usage_failure(str(exc)) from None
    finally:
        engine.dispose()
    out.print(f"revoked {', '.join(ids)}", highlight=False)


def command() -> Any:
    """The click command behind ``app``, with help that reads naturally: flags show no ``<bool>``
    and arguments show as ``FILE``, ``QUESTION`` (usage: ``hubsight run [OPTIONS] FILE``)."""
    import typer.main

    root = typer.main.get_command(app)

    def help_without_type(get_help_option: Any) -> Any:
        def wrapped(ctx: Any) -> Any:
            option = get_help_option(ctx)
            if option is not None:
                option.metavar = ""
            return option

        return wrapped

    def tidy(cmd: Any) -> None:
        for param in cmd.params:
            if param.param_type_name == "option" and getattr(param, "is_flag", False):
                param.metavar = ""
            elif param.param_type_name == "argument" and param.metavar is None and param.name:
                param.metavar = param.name.upper()
                # usage as people write it: FILE when required, [FILE] when not (not {FILE})
                usage = param.metavar if param.required else f"[{param.metavar}]"
                param.get_usage_pieces = lambda ctx, usage=usage: [usage]
        cmd.get_help_option = help_without_type(cmd.get_help_option)  # type: ignore[method-assign]
        for sub in getattr(cmd, "commands", {}).values():
            tidy(sub)

    tidy(root)
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the app and turns usage errors into one line and exit code 2."""
    try:
        code = command().main(args=argv, prog_name="hubsight", standalone_mode=False)
        # without standalone mode, a typer.Exit raised by a command comes back as its exit code
        if isinstance(code, int):
            return code
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        console.print("Aborted.")
        return 130
    except typer.TyperException as exc:
        # typer's parsing errors (bad option, bad value) carry a click-style exit code and message
        code = getattr(exc, "exit_code", 1)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        ctx = getattr(exc, "ctx", None)
        hint = ""
        if code == 2:
            hint = f" (see '{ctx.command_path if ctx is not None else 'hubsight'} --help')"
        console.print(f"error: {message}{hint}", highlight=False, soft_wrap=True)
        return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
