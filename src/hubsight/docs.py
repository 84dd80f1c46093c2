"""Reference pages generated from the code: helpers (the registry), settings, CLI. `scripts/gen-docs` writes
them; tests fail when a committed page differs from what the code generates."""

from __future__ import annotations

from pathlib import Path


def helpers_page() -> str:
    from hubsight.prompt import contracts, signatures

    return (
        "# Helper reference\n\n_Generated from `src/hubsight/helpers/registry.py` by `scripts/gen-docs`; do not edit._\n\n"
        "Every helper is async and returns `{ok, item, items, meta, error}`.\n\n"
        + signatures().replace("## ", "## ", 1)
        + "\n\n"
        + contracts()
        + "\n"
    )


def settings_table() -> str:
    from hubsight.settings import reference

    rows = "\n".join(f"| `{var}` | {default} | {meaning} |" for var, default, meaning in reference())
    return "| variable | default | meaning |\n|---|---|---|\n" + rows + "\n"


def settings_page() -> str:
    return (
        "# Settings reference\n\n_Generated from `src/hubsight/settings.py` by `scripts/gen-docs`; do not edit._\n\n"
        "hubsight reads one Settings object from the environment (`get_settings()`); command-line options win "
        "where both exist.\n\n" + settings_table()
    )


def cli_page() -> str:
    from hubsight.cli import command as cli_command

    command = cli_command()
    lines = ["# CLI reference", "", "_Generated from `src/hubsight/cli.py` by `scripts/gen-docs`; do not edit._", ""]

    def walk(cmd, path: list[str]) -> None:
        for name in sorted(getattr(cmd, "commands", {})):
            sub = cmd.commands[name]
            full = [*path, name]
            if getattr(sub, "commands", None):
                walk(sub, full)
                continue
            lines.append(f"## `{' '.join(full)}`")
            lines.append("")
            lines.append(" ".join((sub.help or "").strip().split("\n\n")[0].split()))  # the first paragraph, whole
            lines.append("")
            params = [p for p in sub.params if p.name != "help"]
            if params:
                lines.append("| argument / option | help |")
                lines.append("|---|---|")
                for p in params:
                    names = ", ".join(f"`{o}`" for o in getattr(p, "opts", [])) if p.param_type_name == "option" else f"`{p.name.upper()}`"
                    helptext = (getattr(p, "help", None) or "").replace("|", "\\|").replace("\n", " ")
                    lines.append(f"| {names} | {helptext} |")
                lines.append("")

    walk(command, ["hubsight"])
    return "\n".join(lines) + "\n"


def history_sql_page() -> str:
    from hubsight.store import views

    out = [
        "# The history in SQL",
        "",
        "_Generated from `src/hubsight/store/views.py` by `scripts/gen-docs`; do not edit._",
        "",
        "Every crawl keeps the history's Parquet files current (`store/lake.py`); these views over them are a",
        "public contract. Ask them from every door, with DuckDB's SQL dialect: `hubsight sql \"SELECT ...\"`,",
        "`POST /v1/sql {\"sql\", \"params\", \"limit\"}`, `hf_history_sql(sql, params=None, limit=1000)` in a",
        "script, or the dashboard's SQL page. Only one read query (SELECT or WITH ... SELECT) runs; it may read",
        "nothing but these views, within `HUBSIGHT_SQL_TIMEOUT` seconds and `HUBSIGHT_SQL_MEMORY_MB`, and returns",
        "at most `HUBSIGHT_SQL_MAX_ROWS` rows (`truncated` says when more existed). Dates are DATE, instants",
        "TIMESTAMPTZ in UTC, tags, authors and categories VARCHAR[] (`list_contains(tags, 'license:mit')`).",
        "",
    ]
    for view in views.VIEWS:
        out += [f"## `{view.name}`", "", view.description, "", "| column | type | meaning |", "|---|---|---|"]
        out += ["| `{}` | {} | {} |".format(c.name, c.type, c.description.replace("|", "\\|")) for c in view.columns]
        out.append("")
    out += ["## Examples", ""]
    for example in views.EXAMPLES:
        out += [f"**{example.title}**", "", "```sql", example.sql, "```", ""]
    out += [
        "## The files themselves",
        "",
        "`hubsight export DIR` writes the same files anywhere (`DIR/repo_days/date=YYYY-MM-DD/data.parquet`, ",
        "`DIR/repos.parquet`, ...). The daily numbers carry a per-kind integer `rid` instead of the id; join them",
        "to `repos.parquet` on `(kind, rid)`:",
        "",
        "```python",
        "import duckdb, pandas as pd, polars as pl",
        "",
        "days = pd.read_parquet(\"DIR/repo_days\")               # pandas (pyarrow): `date` comes from the folders",
        "repos = pl.read_parquet(\"DIR/repos.parquet\")          # Polars",
        "duckdb.sql(\"\"\"SELECT r.repo_id, d.date, d.likes",
        "              FROM read_parquet('DIR/repo_days/*/*.parquet', hive_partitioning = true) d",
        "              JOIN 'DIR/repos.parquet' r USING (kind, rid) WHERE r.repo_id = 'owner/name'\"\"\").show()",
        "```",
        "",
    ]
    return "\n".join(out)


PAGES = {"docs/helpers.md": helpers_page, "docs/settings.md": settings_page, "docs/cli.md": cli_page,
         "docs/history-sql.md": history_sql_page}


def write(root: Path) -> list[Path]:
    written = []
    for rel, render in PAGES.items():
        path = root / rel
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    readme = root / "README.md"
    text = readme.read_text()
    start = text.index("| variable | default | meaning |")
    end = text.index("<!-- /settings-table -->")
    readme.write_text(text[:start] + settings_table() + text[end:])
    written.append(readme)
    return written
