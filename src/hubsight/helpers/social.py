"""People helpers: followers/following, org members, repo likers, a user's likes, whoami.

Actor lists are bounded scans of Link-paginated listings, read page by page: a scan stops as soon as
it holds one matching row more than it returns (the probe), or at the end of a page once it has
enough, where the page's ``Link: rel="next"`` header says whether more rows exist. So knowing "is
there more?" never costs an extra request, whatever size the Hub's pages are (500 for people lists).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hubsight.errors import ContractError, HubsightError, NotFound
from hubsight.helpers import contracts
from hubsight.helpers.coverage import scan_meta
from hubsight.helpers.registry import REPO_TYPES
from hubsight.helpers.runtime import Ctx
from hubsight.hub import normalise

LIKERS_SCAN_CAP = 10_000
"""hf_repo_likers has no scan_limit parameter: it reads at most this many likers."""
ENRICHED = ("repo_likes", "repo_downloads")
INFO = {"model": ("model_info", ["likes", "downloads"]), "dataset": ("dataset_info", ["likes", "downloads"]),
        "space": ("space_info", ["likes"])}
_HANDLE = re.compile(r"^[\w][\w.-]*$")


# -- small shared pieces (also used by profiles and activity) -----------------------------------
def check_handle(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _HANDLE.match(value.strip()):
        raise ContractError(f"{name} must be a Hub user or organization name like 'julien-c', got {value!r}")
    return value.strip()


async def current_username(ctx: Ctx, what: str) -> str:
    """The token's user, via whoami; without a token fail before any request."""
    ctx.client.require_token(what)
    me, _ = await ctx.client.whoami()
    if me.get("type", "user") != "user" or not me.get("name"):
        raise ContractError(f"{what}: the token does not belong to a user; name the user explicitly")
    return str(me["name"])


async def entity_overview(ctx: Ctx, handle: str, *, user_only: bool = False) -> tuple[str, Any]:
    """("user", User) or ("org", Organization): the user overview first, the org overview on a 404."""
    api = ctx.client.api
    try:
        return "user", await ctx.client.call(f"get_user_overview({handle})", api.get_user_overview, handle)
    except NotFound:
        if user_only:
            raise
    try:
        return "org", await ctx.client.call(f"get_organization_overview({handle})", api.get_organization_overview, handle)
    except NotFound as exc:
        raise NotFound(f"no user or organization named {handle!r} on the Hub; check the handle", 404) from exc


def actor_row(user: Any, default_type: str | None = "user") -> dict[str, Any]:
    """A huggingface_hub ``User`` from a likers/followers/members listing as a canonical actor row."""
    return {
        "username": user.username,
        "fullname": user.fullname or None,
        "is_pro": user.is_pro,
        "role": getattr(user, "role", None),
        "type": getattr(user, "user_type", None) or default_type,
    }


def like_row(raw: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """One ``/api/users/{u}/likes`` entry as a canonical user_like row (repo stats filled by enrichment)."""
    repo = raw.get("repo") or {}
    repo_id = str(repo.get("name") or repo.get("id") or "")
    kind = repo.get("type") or "model"
    return {
        "liked_at": normalise.iso(raw.get("createdAt")),
        "repo_id": repo_id,
        "repo_type": kind,
        "repo_author": repo_id.split("/", 1)[0] if "/" in repo_id else None,
        "repo_likes": None,
        "repo_downloads": None,
        "repo_url": normalise.repo_url(endpoint, kind, repo_id) if kind in REPO_TYPES else None,
    }


Pages = Callable[[], Iterable[tuple[list[Any], bool]]]
"""A listing read lazily, page by page: (rows, last) where ``last`` means the page had no next link."""


def _pages(ctx: Ctx, path: str, to_item: Callable[[dict[str, Any]], Any] = lambda raw: raw) -> Pages:
    """``path``'s pages, following ``Link: rel="next"`` as huggingface_hub's paginate does (its HTTP
    calls, retries and errors), but page by page: HfApi's listings yield rows and hide where pages end."""

    def factory() -> Iterable[tuple[list[Any], bool]]:
        from huggingface_hub.utils import build_hf_headers, hf_raise_for_status, http_backoff

        headers = build_hf_headers(token=ctx.client.token or False)
        url: str | None = f"{ctx.client.endpoint}{path}"
        while url is not None:
            response = http_backoff("GET", url, headers=headers)
            hf_raise_for_status(response)
            url = response.links.get("next", {}).get("url")
            yield [to_item(raw) for raw in response.json()], url is None

    return factory


def _users(raw: dict[str, Any]) -> Any:
    from huggingface_hub import User

    return User(**raw)


# -- the bounded scan ---------------------------------------------------------------------------
@dataclass
class Scan:
    rows: list[dict[str, Any]]
    """Matching rows: at most ``want`` plus one probe row."""
    scanned: int
    exhausted: bool
    """True: the source ended; False: rows exist beyond the scan (the probe row, or the Hub's next link)."""


def scan(pages: Pages, to_row: Callable[[Any], dict[str, Any]], accept: Callable[[dict[str, Any]], bool], *,
         scan_limit: int, want: int | None) -> Scan:
    """Read at most ``scan_limit`` rows, stopping once ``want`` + 1 rows match (``want=None``: count them all),
    or at a page's end once ``want`` match or ``scan_limit`` rows are read."""
    rows: list[dict[str, Any]] = []
    scanned = 0
    for page, last in pages():
        for raw in page:
            if (want is not None and len(rows) > want) or scanned >= scan_limit:
                return Scan(rows, scanned, False)
            scanned += 1
            row = to_row(raw)
            if accept(row):
                rows.append(row)
        if last:
            return Scan(rows, scanned, True)
        if (want is not None and len(rows) >= want) or scanned >= scan_limit:
            return Scan(rows, scanned, False)  # the page's next link: more rows exist
    return Scan(rows, scanned, True)


def scan_coverage(plan: contracts.LimitPlan, scan_plan: contracts.LimitPlan, result: Scan, *,
                  returned: int, filtered: bool, count_only: bool = False) -> dict[str, Any]:
    """coverage.scan_meta, sharpened with what the probe told us (see coverage.py for each flag)."""
    matched = len(result.rows)
    meta = scan_meta(plan, scanned=result.scanned, matched=matched, returned=matched if count_only else returned,
                     source_exhausted=result.exhausted is True, scan_limit=scan_plan.applied,
                     requested_scan_limit=scan_plan.requested)
    cut = not count_only and matched > returned
    if result.exhausted is False:
        meta["limit_boundary_hit"] = True  # the scan stopped at a limit with rows beyond it
        if not cut and not filtered:
            meta["more_available"] = True  # unfiltered: the rows beyond the scan match
    meta["source_exhausted"] = result.exhausted
    meta["hard_cap_applied"] = plan.hard_cap_applied or scan_plan.hard_cap_applied
    if count_only:
        meta.update(count=matched, count_source="scan", lower_bound=result.exhausted is not True)
    return meta


def overview_count(plan: contracts.LimitPlan, count: int | None, source: str) -> dict[str, Any]:
    """Meta of a count answered by an overview's authoritative total, without scanning."""
    if count is None:
        raise HubsightError(f"the Hub's {source} answer has no count; the API may have changed")
    return {
        "requested_limit": plan.requested, "applied_limit": plan.applied, "default_limit_used": plan.default_used,
        "hard_cap_applied": plan.hard_cap_applied, "scanned": 0, "matched": count, "limit_boundary_hit": False,
        "truncated": False, "more_available": False, "sample_complete": True, "exact_count": True, "total": count,
        "count": count, "count_source": "overview", "lower_bound": False,
    }


async def _actor_scan(ctx: Ctx, what: str, pages: Pages, *, count_only: bool,
                      pro_only: bool | None, scan_cap: int, default_type: str | None, **extra: Any) -> dict[str, Any]:
    """The shared body of the three actor lists: scan, filter (pro_only, where), cut to the limit."""
    plan = ctx.limit(maximum=scan_cap)
    scan_plan = ctx.limit("scan_limit", default=scan_cap, maximum=scan_cap) if "scan_limit" in ctx.args else \
        contracts.LimitPlan(None, scan_cap, True, False)
    where = ctx.where
    filtered = bool(where) or pro_only is True  # pro_only=False means "no pro filter", not "non-pro only"

    def accept(row: dict[str, Any]) -> bool:
        return (pro_only is not True or row["is_pro"] is True) and contracts.matches(row, where)

    result = await ctx.client.call(what, scan, pages, lambda u: actor_row(u, default_type), accept,
                                   scan_limit=scan_plan.applied, want=None if count_only else plan.applied)
    if count_only:
        return ctx.ok([], **scan_coverage(plan, scan_plan, result, returned=0, filtered=filtered, count_only=True),
                      pro_only=pro_only, **extra)
    rows = result.rows[: plan.applied]
    meta = scan_coverage(plan, scan_plan, result, returned=len(rows), filtered=filtered)
    return ctx.ok(rows, **meta, pro_only=pro_only, **extra)


# -- helpers ------------------------------------------------------------------------------------
async def hf_user_graph(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Followers or following of a user (or followers of an org: tried when the user listing 404s)."""
    relation = args["relation"]
    explicit = args.get("username") is not None
    user = check_handle(args["username"], "username") if explicit else \
        await current_username(ctx, "hf_user_graph with username=None (the current user)")
    count_only, pro_only = bool(args.get("count_only")), args.get("pro_only")
    if count_only and not args.get("where") and pro_only is not True:
        plan = ctx.limit()
        kind, ov = await entity_overview(ctx, user, user_only=not explicit)
        if kind == "org" and relation == "following":
            raise ContractError(f"{user!r} is an organization: organizations have followers but no following list")
        ctx.source = f"/api/{'users' if kind == 'user' else 'organizations'}/{user}/overview"
        count = ov.num_followers if relation == "followers" else ov.num_following
        return ctx.ok([], **overview_count(plan, count, ctx.source), relation=relation, entity=user, entity_type=kind)
    ctx.source = f"/api/users/{user}/{relation}"
    common = {"count_only": count_only, "pro_only": pro_only, "scan_cap": ctx.spec.limits.scan_max,
              "default_type": "user" if relation == "followers" else None, "relation": relation, "entity": user}
    try:
        return await _actor_scan(ctx, f"list_user_{relation}({user})", _pages(ctx, ctx.source, _users), **common,
                                 entity_type="user")
    except NotFound as exc:
        if relation == "following" or not explicit:
            raise NotFound(f"no user named {user!r} on the Hub (organizations have no following list)", 404) from exc
    ctx.source = f"/api/organizations/{user}/followers"
    try:
        return await _actor_scan(ctx, f"list_organization_followers({user})",
                                 _pages(ctx, ctx.source, _users), **common, entity_type="org")
    except NotFound as exc:
        raise NotFound(f"no user or organization named {user!r} on the Hub; check the username", 404) from exc


async def hf_org_members(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Members of an organization with their role; an unfiltered count comes from the org overview."""
    org = check_handle(args["organization"], "organization")
    api = ctx.client.api
    if args.get("count_only") and not args.get("where"):
        ctx.source = f"/api/organizations/{org}/overview"
        try:
            ov = await ctx.client.call(f"get_organization_overview({org})", api.get_organization_overview, org)
        except NotFound as exc:
            raise NotFound(f"no organization named {org!r} on the Hub; check the name", 404) from exc
        return ctx.ok([], **overview_count(ctx.limit(), ov.num_users, ctx.source), organization=org)
    ctx.source = f"/api/organizations/{org}/members"
    try:
        return await _actor_scan(ctx, f"list_organization_members({org})", _pages(ctx, ctx.source, _users),
                                 count_only=bool(args.get("count_only")), pro_only=None,
                                 scan_cap=ctx.spec.limits.scan_max, default_type="user", organization=org)
    except NotFound as exc:
        raise NotFound(f"no organization named {org!r} on the Hub; check the name", 404) from exc


async def hf_repo_likers(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Users who liked one repo, read from the likers listing (at most LIKERS_SCAN_CAP of them)."""
    from huggingface_hub.utils import validate_repo_id

    repo_id, kind = args["repo_id"], args["repo_type"]
    if not isinstance(repo_id, str) or "/" not in repo_id:
        raise ContractError(f"repo_id must look like 'owner/name', got {repo_id!r}")
    try:
        validate_repo_id(repo_id)
    except ValueError as exc:
        raise ContractError(f"repo_id {repo_id!r} is not a valid repo id: {exc}") from exc
    ctx.source = f"/api/{kind}s/{repo_id}/likers"
    try:
        return await _actor_scan(ctx, f"list_repo_likers({repo_id})", _pages(ctx, ctx.source, _users),
                                 count_only=bool(args.get("count_only")), pro_only=args.get("pro_only"),
                                 scan_cap=LIKERS_SCAN_CAP, default_type="user", repo_id=repo_id, repo_type=kind,
                                 scan_cap_note=f"reads at most {LIKERS_SCAN_CAP} likers")
    except NotFound as exc:
        raise NotFound(f"no {kind} named {repo_id!r} on the Hub; check the id and the repo_type", 404) from exc


async def hf_whoami(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """The token's user; without a token fail before any request (the client would refuse anyway)."""
    ctx.client.require_token("hf_whoami")
    ctx.source = "/api/whoami-v2"
    me, cached = await ctx.client.whoami()
    row = {"username": me.get("name"), "fullname": me.get("fullname"), "is_pro": me.get("isPro")}
    return ctx.ok([row], entity_type=me.get("type"), **({"cached": True} if cached else {}))


async def hf_user_likes(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Recency mode reads only the likes listing. Popularity sorts take the newest ``ranking_window``
    likes, fetch each repo's details (bounded fan-out), rerank and return the top ``limit``."""
    lim = ctx.spec.limits
    plan = ctx.limit()
    scan_plan = ctx.limit("scan_limit", default=lim.scan_max, maximum=lim.scan_max)
    sort = args.get("sort") or "liked_at"
    ranked = sort in ENRICHED
    count_only = bool(args.get("count_only"))
    conditions = ctx.where
    late = [c for c in conditions if c.field in ENRICHED]
    early = [c for c in conditions if c.field not in ENRICHED]
    if late and (not ranked or count_only):
        raise ContractError(
            "where on repo_likes/repo_downloads needs sort='repo_likes' or sort='repo_downloads' (and no count_only): "
            "only those modes fetch repo details"
        )
    kinds = set(args.get("repo_types") or REPO_TYPES)
    filtered = bool(early) or kinds != set(REPO_TYPES)
    explicit = args.get("username") is not None
    user = check_handle(args["username"], "username") if explicit else \
        await current_username(ctx, "hf_user_likes with username=None (the current user)")
    extra = {"username": user, "sort": sort, "repo_types": sorted(kinds)}
    if count_only and not filtered:
        ctx.source = f"/api/users/{user}/overview"
        try:
            _, ov = await entity_overview(ctx, user, user_only=True)
        except NotFound as exc:
            raise NotFound(f"no user named {user!r} on the Hub (organizations have no likes)", 404) from exc
        return ctx.ok([], **overview_count(plan, ov.num_likes, ctx.source), **extra)
    ctx.source = f"/api/users/{user}/likes"
    endpoint = ctx.client.endpoint

    def accept(row: dict[str, Any]) -> bool:
        return row["repo_type"] in kinds and contracts.matches(row, early)

    window = ctx.limit("ranking_window", default=lim.ranking_default, maximum=lim.enrich_max) if ranked else None
    want = None if count_only else window.applied if window else plan.applied
    try:
        result = await ctx.client.call(f"likes of {user}", scan, _pages(ctx, ctx.source),
                                       lambda r: like_row(r, endpoint), accept, scan_limit=scan_plan.applied, want=want)
    except NotFound as exc:
        raise NotFound(f"no user named {user!r} on the Hub (organizations have no likes)", 404) from exc
    if count_only:
        return ctx.ok([], **scan_coverage(plan, scan_plan, result, returned=0, filtered=filtered, count_only=True), **extra)
    if window is None:
        rows = result.rows[: plan.applied]
        return ctx.ok(rows, **scan_coverage(plan, scan_plan, result, returned=len(rows), filtered=filtered), **extra,
                      enriched=0, note=UNENRICHED_NOTE)
    return await _ranked_likes(ctx, plan, scan_plan, window, result, sort, late, filtered, extra)


UNENRICHED_NOTE = ("repo_likes and repo_downloads are not read in this mode (null): sort='repo_likes' or "
                   "sort='repo_downloads' reads them for the newest ranking_window likes, one request per repo")


async def _enrich(ctx: Ctx, rows: list[dict[str, Any]]) -> list[str]:
    """Fill repo_likes/repo_downloads from each repo's details, at most helper_fanout at a time.
    Returns the ids of liked repos that no longer exist; any other failure fails the helper."""
    gate = asyncio.Semaphore(ctx.settings.helper_fanout)

    async def one(row: dict[str, Any]) -> None:
        if row["repo_type"] not in INFO:
            return
        method, expand = INFO[row["repo_type"]]
        async with gate:
            info = await ctx.client.call(f"{method}({row['repo_id']})", getattr(ctx.client.api, method),
                                         row["repo_id"], expand=expand)
        row["repo_likes"] = getattr(info, "likes", None)
        row["repo_downloads"] = getattr(info, "downloads", None) if row["repo_type"] != "space" else None

    outcomes = await asyncio.gather(*(one(r) for r in rows), return_exceptions=True)
    missing = []
    for row, outcome in zip(rows, outcomes, strict=True):
        if isinstance(outcome, NotFound):
            missing.append(row["repo_id"])
        elif isinstance(outcome, BaseException):
            raise outcome
    return missing


async def _ranked_likes(ctx: Ctx, plan: contracts.LimitPlan, scan_plan: contracts.LimitPlan,
                        window: contracts.LimitPlan, result: Scan, sort: str, late: list[contracts.Condition],
                        filtered: bool, extra: dict[str, Any]) -> dict[str, Any]:
    candidates = result.rows[: window.applied]
    missing = await _enrich(ctx, candidates)
    gone = set(missing)
    ranked = [r for r in candidates if r["repo_id"] not in gone and contracts.matches(r, late)]
    ranked.sort(key=lambda r: (r[sort] is not None, r[sort] or 0), reverse=True)  # stable: ties stay newest first
    rows = ranked[: plan.applied]
    cut = len(ranked) > len(rows)
    whole = result.exhausted is True and len(result.rows) <= window.applied
    if len(result.rows) > window.applied or (result.exhausted is False and not filtered):
        window_hit: bool | str = True
    else:
        window_hit = False if whole else "unknown"
    if cut:
        more: bool | str = True
    elif whole:
        more = False
    else:
        more = True if window_hit is True and not late else "unknown"
    meta = {
        "requested_limit": plan.requested, "applied_limit": plan.applied, "default_limit_used": plan.default_used,
        "hard_cap_applied": plan.hard_cap_applied or window.hard_cap_applied or scan_plan.hard_cap_applied,
        "scanned": result.scanned, "matched": len(ranked), "scan_limit": scan_plan.applied,
        "requested_scan_limit": scan_plan.requested, "limit_boundary_hit": True if cut else window_hit,
        "truncated": cut or not whole, "more_available": more, "sample_complete": whole, "exact_count": whole,
        "total": len(ranked) if whole else None, "ranking_window": window.applied,
        "requested_ranking_window": window.requested, "ranking_window_hit": window_hit,
        "ranking_complete": whole and not missing, "enriched": len(candidates) - len(missing),
        "missing_repos": missing,
    }
    return ctx.ok(rows, **meta, **extra)
