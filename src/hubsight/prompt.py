"""The tool description an LLM reads before writing a hubsight script, rendered from the registry.

Rules and examples are prose we own; signatures, contracts and the navigation graph are generated
from ``helpers/registry.py`` so they can never disagree with the runtime.
"""

from __future__ import annotations

import json
import re
import typing
from typing import Any

from hubsight.helpers.contracts import MAX_FILTER_TEXT, MAX_FILTER_VALUES
from hubsight.helpers.describe import contract, signature_line
from hubsight.helpers.registry import HELPERS
from hubsight.helpers.runtime import HelperEnvelope
from hubsight.helpers.spec import type_text
from hubsight.sandbox.rules import PRELUDE_MODULES
from hubsight.store.views import VIEWS

RULES = """\
## Code generation rules
- You write Python that runs in a secure sandbox (Monty). `import` is NOT available: never import anything.
- Every helper is async: always `await` it. Write a top-level script (no `solve(...)` function), shaped like:
```python
resp = await hf_models_search(limit=min(max_calls, 10))
result = resp["items"]
result
```
- `max_calls` is an input provided by the runtime: the total budget of external calls for the whole script.
  A helper call past the budget does not run: it returns `ok=false` with `meta["error_type"] ==
  "BudgetExceeded"` and `meta["budget_remaining"] == 0`, and the script goes on. So check `ok`, stop
  calling helpers once the budget is spent, and return what you already fetched with its coverage;
  the run's meta then says `budget_exhausted: true`.
- Assign the final output to `result`, and end the script with a last line that is only `result`
  (never stop after `result = ...`). If you branch on an error path, the final bare `result` line still
  goes at top level, outside every `if` and loop.
- Use only the documented `hf_*` helpers below.
- Already in scope, no import needed: MODULES. Run independent calls at once:
  `a, b = await asyncio.gather(hf_whoami(), hf_trending(repo_type="model"))`.
- `result` must be plain data: dict, list, str, int, float, bool or None. Do not hand-build JSON or
  markdown strings, or your own wrapper like `{result: ..., meta: ...}`, unless the user asked for prose.
- When the user says "return only" some fields, make `result` exactly that shape.
- Return `resp["items"]` directly only when the helper's coverage is clearly complete. When `meta`
  suggests partial or unknown coverage, return `{"results": resp["items"], "coverage": resp["meta"]}`.
- For current-user questions ("my", "me"), call helpers with `username=None` / `handle=None` first.
  For current-user follower/following aggregation, call `hf_user_graph(relation=...)` directly instead
  of `hf_whoami()` plus a second call: it saves a call and a branch.
- If a current-user helper returns `ok=false`, assign that helper response to `result`.
- For relationship or aggregation questions (followers, members, likes, likers, intersections), keep
  attribution (who → what) in `result` unless the user asked for a collapsed, deduplicated list.
- Do not pick tiny hard-coded limits like 5 for follower/member/likes aggregation unless the user asked
  for a tiny sample: prefer larger limits, and keep coverage when the answer is partial.
""".replace("MODULES", ", ".join(f"`{m}`" for m in PRELUDE_MODULES))

SEARCH_RULES = """\
## Search rules
- Questions about models → `hf_models_search(...)`; datasets → `hf_datasets_search(...)`;
  spaces → `hf_spaces_search(...)`. Use `hf_repo_search(...)` only for intentionally cross-type search.
- `hf_trending(...)` is the small "what is trending right now" feed. When the user says "trending" but also
  gives searchable constraints (pipeline_tag, author, search text, num_params bounds), use the search
  helper with `sort="trending_score"` instead.
- Search helpers are filter-first discovery; `hf_trending(...)` is rank-first inspection of the current feed.

## Parameter notes
- Trust the generated helper contracts below for each helper's params, fields, sort and expand values
  and defaults. Use only canonical (snake_case) field names: unknown `fields` / `where` keys fail fast.
- When the user asks for helper-owned coverage metadata, use `helper_resp["meta"]`.
- Treat any of these meta signals as coverage-sensitive: `limit_boundary_hit`, `truncated`,
  `more_available` not equal to `False`, `sample_complete=false`, `exact_count=false`,
  `ranking_complete=false`, `ranking_window_hit=true`, `hard_cap_applied=true`. Then do not return
  bare items: return `{"results": ..., "coverage": ...}`.
- For pro-only follower/member/liker questions, pass `pro_only=True` instead of filtering a projected field.
- `hf_user_likes(...)` already returns full normalized like rows: omit `fields` unless asked for a subset.
  When sorting it by `repo_likes` or `repo_downloads`, set `ranking_window=50` unless the user asked
  for a narrower recent window.
- For human-facing follower/member/liker lists without a requested count, prefer `limit=100` and return
  coverage when more may exist.
- For follower/following/member/liker questions that filter locally on actor fields (`username`,
  `fullname`), prefer a bounded scan like `limit=100` / `scan_limit=100`, at most about 200 for a
  broader sample; go to 1000 only when the user asked for exhaustive coverage or a very large sample.
- Ownership phrasing ("what collections does Qwen have", "collections by/owned by Qwen") means an owner
  lookup: `hf_collections_search(owner="Qwen")`, not `query="Qwen"`; owners match case-insensitively.
- "What spaces/models/datasets does X have" is an author inventory: `hf_spaces_search(author="X")`,
  `hf_models_search(author="X")` or `hf_datasets_search(author="X")`, not a global keyword search.
- Profile, detail or social questions about a user or org (bio, description, display name, website,
  GitHub, Twitter/X, LinkedIn, Bluesky, organizations, pro status) → `hf_profile_summary(...)` first.
- Join-style questions that need profile details for followers, following, members, likers or other
  actor lists: fetch a bounded actor list, filter locally on `username`/`fullname`, then hydrate only
  the bounded matches with `hf_profile_summary(...)`. Do not spend the whole budget on the first list
  when each match needs a follow-up call; return coverage when hydration is partial.
- Exact counts ("how many models/datasets/spaces does X have") → `hf_profile_summary(...)["item"]`
  counts. These overview counts may differ slightly from visible search results; keep the distinction
  when the user also asked for the list.
- Owner inventory without a requested count: call `hf_profile_summary(...)` first when the owner is
  known; if the count is modest, size the list call with it, otherwise return a bounded list plus coverage.
- Think like `huggingface_hub`: `search`, `filter`, `author`, repo-type-specific upstream params, then
  `fields`. Push constraints upstream whenever a first-class argument exists; `post_filter` is only for
  normalized row filters that cannot be pushed upstream. `num_params` is a first-class model-search
  argument: `num_params="min:6B,max:128B"`, not a post_filter.
- For created/updated date constraints, pair a local `post_filter` with the matching sort
  (`created_at` or `last_modified`); never rely on a date-only post_filter over an unsorted window.
- Every timestamp a helper returns (`created_at`, `last_modified`, `liked_at`, `timestamp`, `published_at`,
  ...) is UTC ISO 8601 with milliseconds, the Hub's own format: `2025-01-31T07:09:51.000Z`. `post_filter`
  compares them as times, so a bound may be a plain date such as `"2025-01-31"`.
- Keep `post_filter` simple: exact match or `in` for returned fields like `runtime_stage`; `gte`/`lte`
  for numeric fields like `downloads` and `likes` and for ISO timestamp fields like `created_at` and
  `last_modified`. Do not post_filter on things with first-class upstream params (`author`,
  `pipeline_tag`, `num_params`, `dataset_name`, `language`, `models`, `datasets`).
- `where` / `post_filter` syntax: `{"field": value}` (equality) or `{"field": {"op": value}}` with ops
  eq, in, contains, icontains, gte, lte. Values are plain str, int, float, bool or None (text at most
  MAX_FILTER_TEXT characters; an `in` list at most MAX_FILTER_VALUES values).
""".replace("MAX_FILTER_TEXT", f"{MAX_FILTER_TEXT:,}").replace("MAX_FILTER_VALUES", f"{MAX_FILTER_VALUES:,}")

EXAMPLES: list[tuple[str, str]] = [
    ("Search", 'result = await hf_models_search(pipeline_tag="text-to-image", limit=10)\nresult'),
    (
        "Filtered, trending-sorted search",
        'result = await hf_models_search(\n    pipeline_tag="text-generation",\n    num_params="min:20B,max:80B",\n'
        '    sort="trending_score",\n    limit=50,\n)\nresult',
    ),
    ("Owner lookup", 'result = await hf_collections_search(owner="Qwen", limit=10)\nresult'),
    (
        "Field-only pattern",
        'resp = await hf_models_search(\n    pipeline_tag="text-to-image",\n'
        '    fields=["repo_id", "author", "likes", "downloads", "repo_url"],\n    limit=3,\n)\nresult = resp["items"]\nresult',
    ),
    (
        "Coverage pattern",
        'resp = await hf_user_likes(\n    username="julien-c",\n    sort="repo_likes",\n    ranking_window=50,\n    limit=20,\n'
        '    fields=["repo_id", "repo_likes", "repo_url"],\n)\nresult = {"results": resp["items"], "coverage": resp["meta"]}\nresult',
    ),
    (
        "Owner-inventory pattern",
        'profile = await hf_profile_summary(handle="huggingface")\ncount = (profile.get("item") or {}).get("spaces_count")\n'
        "limit = 200 if not isinstance(count, int) else min(max(count, 1), 200)\n"
        'resp = await hf_spaces_search(\n    author="huggingface",\n    limit=limit,\n    fields=["repo_id", "repo_url"],\n)\n'
        'meta = resp.get("meta") or {}\nif meta.get("limit_boundary_hit") or meta.get("more_available") not in {False, None}:\n'
        '    result = {"results": resp["items"], "coverage": {**meta, "profile_spaces_count": count}}\nelse:\n'
        '    result = resp["items"]\nresult',
    ),
    (
        "Follower-profile join pattern",
        'followers_resp = await hf_user_graph(\n    relation="followers",\n    limit=100,\n    scan_limit=100,\n'
        '    fields=["username", "fullname"],\n)\nfollowers = followers_resp.get("items") or []\nmatches = []\n'
        "for follower in followers:\n    username = follower.get(\"username\")\n    fullname = follower.get(\"fullname\")\n"
        "    starts_with_b = (\n        (isinstance(username, str) and username.lower().startswith(\"b\"))\n"
        "        or (isinstance(fullname, str) and fullname.lower().startswith(\"b\"))\n    )\n"
        "    if starts_with_b:\n        matches.append(follower)\nremaining_profile_calls = max(0, max_calls - 1)\nresults = []\n"
        "for follower in matches[:remaining_profile_calls]:\n    username = follower.get(\"username\")\n    if not username:\n"
        "        continue\n    profile = await hf_profile_summary(handle=username)\n    item = profile.get(\"item\") or {}\n"
        '    results.append(\n        {\n            "username": username,\n            "fullname": follower.get("fullname"),\n'
        '            "github_url": item.get("github_url"),\n        }\n    )\nresult = {\n    "results": results,\n'
        '    "coverage": {\n        "followers": followers_resp.get("meta") or {},\n        "matching_followers_seen": len(matches),\n'
        '        "profile_calls_used": len(results),\n        "profile_hydration_partial": len(matches) > len(results),\n'
        "    },\n}\nresult",
    ),
    (
        "Follower-likes aggregation pattern",
        'followers_resp = await hf_user_graph(relation="followers", limit=100, fields=["username"])\n'
        'followers = followers_resp.get("items") or []\nresults = []\nfor follower in followers:\n'
        '    username = follower.get("username")\n    if not username:\n        continue\n'
        '    likes_resp = await hf_user_likes(\n        username=username,\n        repo_types=["model"],\n        limit=20,\n'
        '        fields=["repo_id", "liked_at"],\n    )\n    results.append(\n        {\n            "follower": username,\n'
        '            "liked_models": likes_resp.get("items") or [],\n        }\n    )\n'
        'coverage = {\n    "followers": followers_resp.get("meta") or {},\n}\nresult = {"results": results, "coverage": coverage}\nresult',
    ),
    (
        "Current-user pro-follower model-likes pattern",
        'followers_resp = await hf_user_graph(\n    relation="followers",\n    pro_only=True,\n    limit=100,\n    fields=["username"],\n)\n'
        'followers = followers_resp.get("items") or []\nremaining_calls = max(0, max_calls - 1)\nresults = {}\npartial = (\n'
        '    (followers_resp.get("meta") or {}).get("limit_boundary_hit")\n'
        '    or (followers_resp.get("meta") or {}).get("more_available") not in {False, None}\n)\nprocessed_followers = 0\n'
        "for follower in followers:\n    if remaining_calls <= 0:\n        partial = True\n        break\n"
        '    username = follower.get("username")\n    if not username:\n        continue\n'
        '    likes_resp = await hf_user_likes(\n        username=username,\n        repo_types=["model"],\n        limit=2,\n'
        '        fields=["repo_id", "repo_author", "liked_at"],\n    )\n    remaining_calls -= 1\n'
        '    likes_meta = likes_resp.get("meta") or {}\n'
        '    if likes_meta.get("limit_boundary_hit") or likes_meta.get("more_available") not in {False, None}:\n'
        "        partial = True\n    items = likes_resp.get(\"items\") or []\n    if items:\n        results[username] = items\n"
        "    processed_followers += 1\ncoverage = {\n"
        '    "followers": followers_resp.get("meta") or {},\n    "processed_followers": processed_followers,\n'
        '    "partial": partial,\n}\nresult = {"results": results, "coverage": coverage}\nresult',
    ),
]

RESULT_SHAPE_NOTES = """\
- `items` is the canonical list field; `item` is only a singleton convenience (the row when there is exactly one).
- `meta` holds helper-owned execution, limit and coverage info.

## High-signal output rules
- Prefer compact dict/list outputs over prose when the user asked for fields.
- Use canonical snake_case keys in generated code and structured output.
- Use `repo_id` as the display label for repos.
- For joins, intersections and rankings, fetch the needed working set first and compute locally.
- If the result is partial, use the top-level keys `results` and `coverage`.
"""


def result_shape() -> str:
    """The helper envelope as the prompt shows it, from its one declaration (``runtime.HelperEnvelope``)."""
    hints = typing.get_type_hints(HelperEnvelope)
    keys = [f'    "{name}": {type_text(hint).replace("[str, Any]", "")},' for name, hint in hints.items()]
    return "\n".join(["## Helper result shape", "All helpers return:", "```python", "{", *keys, "}", "```", RESULT_SHAPE_NOTES])


def _render(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    for key, inner in value.items():
        if isinstance(inner, dict):
            lines.append(f"{pad}- {key}:")
            lines.extend(_render(inner, indent + 1))
        elif isinstance(inner, list):
            lines.append(f"{pad}- {key}: {', '.join(map(str, inner)) if inner else '[]'}")
        else:
            lines.append(f"{pad}- {key}: {json.dumps(inner) if isinstance(inner, bool) else inner}")
    return lines


def navigation() -> str:
    lines = ["## Navigation graph", "Use the helper that matches the question type."]
    lines += [f"- {h.use_for} → `{h.name}(...)`" for h in HELPERS if h.use_for]
    lines += [
        "",
        "Direction reminders: `hf_user_likes(...)` = user → repos; `hf_repo_likers(...)` = repo → users; "
        "`hf_user_graph(...)` = user/org → followers/following.",
    ]
    return "\n".join(lines)


def examples() -> str:
    parts = ["## Examples"]
    for title, code in EXAMPLES:
        parts.append(f"{title}:\n```python\n{code}\n```")
    return "\n\n".join(parts)


_QUOTED_TYPE = re.compile(r"(: |-> )'([^']*)'")


def signatures(compact: bool = False) -> str:
    """As inspect.signature writes them (the seed's form); compact: the types without their quotes."""
    body = [signature_line(h) for h in HELPERS]
    if compact:
        body = [_QUOTED_TYPE.sub(r"\1\2", line) for line in body]
    lines = [
        "## Helper signatures (generated with inspect.signature)",
        "If prose and signatures disagree, trust the signatures.",
        "```python",
        *body,
        "```",
    ]
    return "\n".join(lines)


def contracts() -> str:
    parts = [
        "## Helper contracts (generated from the registry)",
        "Field names and enum values are canonical snake_case. All helpers return {ok, item, items, meta, error}.",
    ]
    for h in HELPERS:
        parts.append(f"### {h.name}\n" + "\n".join(_render(contract(h), 0)))
    return "\n\n".join(parts)


def history_views() -> str:
    """The history's SQL views for hf_history_sql, from ``store/views.py``."""
    from hubsight.store import views

    lines = [
        "## History SQL (hf_history_sql)",
        "One DuckDB SELECT (or WITH ... SELECT) over these views; `?` placeholders take params=[...]. "
        "Lists (tags, authors, categories) are VARCHAR[]: list_contains(tags, 'license:mit'). Filter on date and "
        "kind first; a query has a time limit and its rows are capped (meta.truncated).",
    ]
    for view in views.VIEWS:
        lines.append(f"- {view.name}({', '.join(f'{c.name} {c.type}' for c in view.columns)}): {view.description}")
    example = views.EXAMPLES[0]
    lines += [f"Example ({example.title}):", "```sql", example.sql, "```"]
    return "\n".join(lines)


COMPACT_LIMIT = 12_000
"""Most characters of the compact guide (``hubsight mcp --prompt compact``)."""

COMPACT_NOTE = """\
## Contracts on demand
This is the compact guide. Each helper's full contract (fields, allowed values, limits, notes) is one
call away: `hub_capabilities(helper="hf_models_search")`; sections: `hub_capabilities(section="...")`.
Fetch the contract of a helper before using an argument or field not shown in its signature.
History questions: hf_history_sql(sql, params=None, limit=1000) runs one DuckDB SELECT over the views
VIEW_NAMES (`hub_capabilities(section="history_sql")` gives their columns).""".replace(
    "VIEW_NAMES", ", ".join(v.name for v in VIEWS))


def render_compact() -> str:
    """The guide for agents with little context: rules, navigation, result shape and signatures;
    contracts are left to ``hub_capabilities``."""
    return "\n\n".join(
        [
            "# hubsight: query the Hugging Face Hub with a short async Python script",
            RULES,
            navigation(),
            result_shape(),
            COMPACT_NOTE,
            signatures(compact=True),
        ]
    ) + "\n"


def render() -> str:
    """The whole tool description: rules, search notes, examples, navigation, shape, signatures, contracts."""
    return "\n\n".join(
        [
            "# hubsight: query the Hugging Face Hub with a short async Python script",
            RULES,
            SEARCH_RULES,
            examples(),
            navigation(),
            result_shape(),
            history_views(),
            signatures(),
            contracts(),
        ]
    ) + "\n"
