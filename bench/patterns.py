"""The runtime prompt's example patterns: hubsight helpers vs a naive sequential huggingface_hub script.

Run:  .venv/bin/python bench/patterns.py [--latency-ms 50] [--scale small]

A replica with the given latency on every Hub request serves both sides. For each pattern the
script prints wall time and upstream requests of
  - naive:   plain HfApi calls, one after another (what a user writes without hubsight);
  - prompt:  the pattern exactly as the runtime prompt writes it (sequential awaits);
  - fan-out: the same pattern with independent helper calls gathered (asyncio.gather),
and the ratios naive/hubsight. Requests are counted by the same traced transport for all sides.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from itertools import islice
from typing import Any

import httpx
import numpy as np
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from hubsight.helpers import hf_profile_summary, hf_spaces_search, hf_user_graph, hf_user_likes
from hubsight.hub.client import HubClient
from hubsight.hub.session import Run, use_run
from hubsight.replica import ReplicaServer
from hubsight.settings import Settings, get_settings


def subjects(server: ReplicaServer) -> dict[str, str]:
    w = server.world
    o = w.owners
    followers = w.follows.counts("dst", len(o.names))
    user = int(np.argmax(np.where(np.arange(len(o.names)) < o.n_users, followers, -1)))
    pro = np.bincount(w.follows.dst[o.is_pro[w.follows.src]], minlength=len(o.names))
    pro_user = int(np.argmax(np.where(np.arange(len(o.names)) < o.n_users, pro, -1)))
    likes = sum(w.likes[k].counts("src", o.n_users) for k in w.likes)
    liker = int(np.argmax(likes))
    return {"user": o.names[user], "pro_user": o.names[pro_user], "liker": o.names[liker], "org": "huggingface"}


# -- the patterns, through hubsight helpers -------------------------------------------------------
async def owner_inventory(s: dict, fan_out: bool) -> Any:
    profile = await hf_profile_summary(handle=s["org"])
    count = (profile.get("item") or {}).get("spaces_count")
    limit = 200 if not isinstance(count, int) else min(max(count, 1), 200)
    resp = await hf_spaces_search(author=s["org"], limit=limit, fields=["repo_id", "repo_url"])
    return resp["items"]


async def follower_profile_join(s: dict, fan_out: bool) -> Any:
    followers = (await hf_user_graph(username=s["user"], relation="followers", limit=100, scan_limit=100,
                                     fields=["username", "fullname"]))["items"]
    matches = [f for f in followers if f["username"].lower().startswith(("a", "b", "c", "m"))]
    if fan_out:
        profiles = await asyncio.gather(*(hf_profile_summary(handle=f["username"]) for f in matches))
    else:
        profiles = [await hf_profile_summary(handle=f["username"]) for f in matches]
    return [{"username": f["username"], "github_url": (p.get("item") or {}).get("github_url")}
            for f, p in zip(matches, profiles, strict=True)]


async def follower_likes(s: dict, fan_out: bool) -> Any:
    followers = (await hf_user_graph(username=s["user"], relation="followers", limit=100, fields=["username"]))["items"]
    calls = [hf_user_likes(username=f["username"], repo_types=["model"], limit=20, fields=["repo_id", "liked_at"])
             for f in followers]
    likes = await asyncio.gather(*calls) if fan_out else [await c for c in calls]
    return [{"follower": f["username"], "liked_models": r["items"]} for f, r in zip(followers, likes, strict=True)]


async def pro_follower_likes(s: dict, fan_out: bool) -> Any:
    followers = (await hf_user_graph(username=s["pro_user"], relation="followers", pro_only=True, limit=100,
                                     fields=["username"]))["items"]
    calls = [hf_user_likes(username=f["username"], repo_types=["model"], limit=2,
                           fields=["repo_id", "repo_author", "liked_at"]) for f in followers]
    likes = await asyncio.gather(*calls) if fan_out else [await c for c in calls]
    return {f["username"]: r["items"] for f, r in zip(followers, likes, strict=True) if r["items"]}


async def coverage(s: dict, fan_out: bool) -> Any:
    resp = await hf_user_likes(username=s["liker"], sort="repo_likes", ranking_window=50, limit=20,
                               fields=["repo_id", "repo_likes", "repo_url"])
    return {"results": resp["items"], "coverage": resp["meta"]}


# -- the same, written naively against HfApi ------------------------------------------------------
def naive_owner_inventory(api: HfApi, s: dict) -> Any:
    # like the helper, the naive script does not know whether the owner is a user or an org
    try:
        owner = api.get_user_overview(s["org"])
    except HfHubHTTPError:
        owner = api.get_organization_overview(s["org"])
    limit = min(max(owner.num_spaces or 1, 1), 200)
    return [sp.id for sp in api.list_spaces(author=s["org"], limit=limit)]


def naive_follower_profile_join(api: HfApi, s: dict) -> Any:
    followers = list(islice(api.list_user_followers(s["user"]), 100))
    matches = [f for f in followers if f.username.lower().startswith(("a", "b", "c", "m"))]
    return [(f.username, api.get_user_overview(f.username)) for f in matches]


def naive_follower_likes(api: HfApi, s: dict) -> Any:
    followers = list(islice(api.list_user_followers(s["user"]), 100))
    return [(f.username, api.list_liked_repos(f.username).models[:20]) for f in followers]


def naive_pro_follower_likes(api: HfApi, s: dict) -> Any:
    followers = [f for f in islice(api.list_user_followers(s["pro_user"]), 100) if f.is_pro]
    return {f.username: api.list_liked_repos(f.username).models[:2] for f in followers}


def naive_coverage(api: HfApi, s: dict) -> Any:
    likes = api.list_liked_repos(s["liker"])
    recent = [("model", r) for r in likes.models] + [("dataset", r) for r in likes.datasets] + [("space", r) for r in likes.spaces]
    ranked = []
    for kind, repo in recent[:50]:
        info = {"model": api.model_info, "dataset": api.dataset_info, "space": api.space_info}[kind](repo)
        ranked.append((info.likes, repo))
    return sorted(ranked, reverse=True)[:20]


PATTERNS: list[tuple[str, Callable[[dict, bool], Awaitable[Any]], Callable[[HfApi, dict], Any], bool]] = [
    ("owner inventory", owner_inventory, naive_owner_inventory, False),
    ("follower-profile join", follower_profile_join, naive_follower_profile_join, True),
    ("follower likes aggregation", follower_likes, naive_follower_likes, True),
    ("pro-follower model likes", pro_follower_likes, naive_pro_follower_likes, True),
    ("coverage (likes ranked by repo likes)", coverage, naive_coverage, True),
]


def measure_helpers(settings: Settings, fn: Callable[[dict, bool], Awaitable[Any]], s: dict, fan_out: bool) -> tuple[float, int]:
    run = Run(max_calls=10_000, settings=settings)

    async def main() -> None:
        with use_run(run):
            await fn(s, fan_out)

    began = time.perf_counter()
    asyncio.run(main())
    return time.perf_counter() - began, run.calls_used


def measure_naive(settings: Settings, fn: Callable[[HfApi, dict], Any], s: dict) -> tuple[float, int]:
    HubClient(settings)  # installs the traced transport so the naive side is counted the same way
    api = HfApi(endpoint=settings.hf_endpoint, token=False)
    run = Run(max_calls=10_000, settings=settings)
    began = time.perf_counter()
    with use_run(run):
        fn(api, s)
    return time.perf_counter() - began, run.calls_used


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--scale", default="small")
    args = parser.parse_args()
    with ReplicaServer(scale=args.scale, seed=0) as server:
        httpx.post(f"{server.url}/_replica/faults", json={"latency_ms": args.latency_ms})
        settings = get_settings(hf_endpoint=server.url, hf_token="")
        s = subjects(server)
        print(f"replica scale={args.scale}, latency {args.latency_ms:g} ms per request; subjects {s}")
        print(f"{'pattern':40} {'naive':>16} {'prompt (seq)':>16} {'fan-out':>16} {'speed-up':>9} {'requests':>9}")
        for name, fn, naive, fans_out in PATTERNS:
            measure_helpers(settings, fn, s, False)  # warm caches on both sides of the wire
            n_t, n_calls = measure_naive(settings, naive, s)
            p_t, p_calls = measure_helpers(settings, fn, s, False)
            f_t, f_calls = measure_helpers(settings, fn, s, True)
            best = min(p_t, f_t) if fans_out else p_t
            print(f"{name:40} {n_t:7.2f}s {n_calls:4d} req {p_t:7.2f}s {p_calls:4d} req {f_t:7.2f}s {f_calls:4d} req "
                  f"{n_t / best:8.1f}x {'<=' if max(p_calls, f_calls) <= n_calls else '>'} naive")


if __name__ == "__main__":
    main()
