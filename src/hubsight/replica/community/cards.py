"""Repo cards as trending, collection items, activity and search embed them; space categories."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from hubsight.replica import vocab
from hubsight.replica.community.base import _cached, _choice, _salt, _u, avatar, object_id, uniform
from hubsight.replica.community.people import follower_count, is_hf, org_profile
from hubsight.replica.render import iso, subdomain
from hubsight.replica.world import World

OTHER_CATEGORY = ("Other", "Try an interactive machine learning demo")
_EMOJIS = ("🚀", "🤗", "🔥", "🎨", "💬", "🌍", "🦀", "🐢", "⚡", "📊", "🎙️", "🖼️")
_COLORS = ("red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray")


# What a Space does, in the words of the Hub's AI-written labels: by its noun, else by its linked model.
@cache
def _categories(by: str) -> dict[str, tuple[str, str]]:
    """(ai_category, ai_short_description) by pipeline tag (``by="pipeline"``) or by Space noun (``"noun"``),
    from ``data/space_categories.json``."""
    data = json.loads(files("hubsight.replica").joinpath("data", "space_categories.json").read_text(encoding="utf-8"))
    return {key: (category, description) for key, (category, description) in data[f"by_{by}"].items()}


def space_labels(w: World, i: int) -> tuple[str, str]:
    """(ai_category, ai_short_description) of Space ``i``."""
    t = w.repos["space"]
    if "noun" in t.cols:
        from hubsight.replica import families

        noun = families.SPACE_KINDS[int(t.noun[i])][0]
        if noun in _categories("noun"):
            return _categories("noun")[noun]
    m = int(t.linked_model[i])
    models = w.repos["model"]
    if 0 <= m < len(models):
        p = int(models.pipeline[m])
        if p >= 0 and vocab.PIPELINE_TAGS[p][0] in _categories("pipeline"):
            return _categories("pipeline")[vocab.PIPELINE_TAGS[p][0]]
    return OTHER_CATEGORY


def space_category_codes(w: World) -> tuple[list[str], np.ndarray]:
    """Every Space's ai_category as codes into a list of names (for vectorised search)."""

    def build(w: World) -> tuple[list[str], np.ndarray]:
        names = sorted({c for c, _ in (*_categories("pipeline").values(), *_categories("noun").values(), OTHER_CATEGORY)})
        t = w.repos["space"]
        codes = np.full(len(t), names.index(OTHER_CATEGORY[0]), dtype=np.int64)
        models = w.repos["model"]
        linked = t.linked_model
        ok = (linked >= 0) & (linked < len(models))
        pipe = np.full(len(t), -1, dtype=np.int64)
        pipe[ok] = models.pipeline[linked[ok]]
        tags = vocab.names(vocab.PIPELINE_TAGS)
        for tag, (cat, _) in _categories("pipeline").items():
            if tag in tags:
                codes[pipe == tags.index(tag)] = names.index(cat)
        if "noun" in t.cols:
            from hubsight.replica import families

            for k, (noun, _, _) in enumerate(families.SPACE_KINDS):
                if noun in _categories("noun"):
                    codes[t.noun == k] = names.index(_categories("noun")[noun][0])
        return names, codes

    return _cached(w, "space-categories", build)


def author_data(w: World, owner: int, flavour: str = "card") -> dict[str, Any]:
    """An owner as the Hub embeds them in repo cards. ``card`` (collections, feeds) carries the
    viewer's ``isUserFollowing``; ``search`` (semantic search) carries isEnterprise for orgs instead
    and no _id for them, as huggingface.co answers."""
    o = w.owners
    org = o.is_org(owner)
    out: dict[str, Any] = {}
    if not (org and flavour == "search"):
        out["_id"] = object_id(w, "0", owner)
    out |= {
        "avatarUrl": avatar(w, owner),
        "fullname": o.fullnames[owner],
        "name": o.names[owner],
        "type": "org" if org else "user",
    }
    if not org:
        out["isPro"] = bool(o.is_pro[owner])
    out |= {"isHf": is_hf(w, owner), "isHfAdmin": False, "isMod": False}
    if org and flavour == "search":
        out["isEnterprise"] = org_profile(w, owner)["isEnterprise"]
    out["followerCount"] = follower_count(w, owner)
    if flavour != "search":
        out["isUserFollowing"] = False
    return out


def _space_runtime(w: World, i: int, full: bool) -> dict[str, Any]:
    t = w.repos["space"]
    stage = vocab.RUNTIME_STAGES[int(t.stage[i])][0]
    static = vocab.SPACE_SDKS[int(t.sdk[i])][0] == "static"
    hw = None if static else vocab.HARDWARE[int(t.hardware[i])]
    running = stage in ("RUNNING", "RUNNING_BUILDING", "APP_STARTING")
    brief = {
        "stage": stage,
        "hardware": {"current": hw if running else None, "requested": hw},
        "replicas": {"current": 1 if running else 0, "requested": 1},
    }
    if not full:
        return brief
    from hubsight.replica.render import space_runtime

    return space_runtime(w, i)


def repo_card(w: World, kind: str, i: int, flavour: str = "feed") -> dict[str, Any]:
    """A repo as the Hub embeds it: ``collection`` items, ``search`` results, ``feed`` (trending, activity).

    Collection items carry what huggingface.co's do; feeds add the trending score, the pipeline and
    parameter count of models and a dataset's description (what hubsight's trending rows read)."""
    t = w.repos[kind]
    owner = int(t.author[i])
    feed = flavour == "feed"
    card: dict[str, Any] = {} if flavour == "search" else {"_id": t.object_id(i, w.seed)}
    card |= {"id": t.ids[i], "author": w.owners.names[owner]}
    if kind != "dataset":
        card["authorData"] = author_data(w, owner, "search" if flavour == "search" else "card")
    card |= {
        "lastModified": iso(t.modified[i]),
        "likes": int(t.likes[i]),
        "private": False,
        "repoType": kind,
        "isLikedByUser": False,
    }
    if kind == "space" or feed:
        card["trendingScore"] = int(t.trending[i])
    if kind != "space":
        card["downloads"] = int(t.dl30[i])
        card["gated"] = [False, "auto", "manual"][int(t.gated[i])]
    if kind == "model":
        pipe = int(t.pipeline[i])
        if pipe >= 0:
            card["pipeline_tag"] = vocab.PIPELINE_TAGS[pipe][0]
        if int(t.params[i]):
            card["numParameters"] = int(t.params[i])
        from hubsight.replica.render import providers

        card["availableInferenceProviders"] = list(providers(w, i))
    elif kind == "dataset":
        card |= {"datasetsServerInfo": datasets_server_info(w, i), "isBenchmark": _is_benchmark(w, i), "isTraces": False}
        if feed:
            card["description"] = f"{vocab.SIZE_CATEGORIES[int(t.size_cat[i])]} rows of {vocab.TASK_CATEGORIES[int(t.task[i])][0]} data."
    else:
        name = t.ids[i].split("/", 1)[1]
        sdk = vocab.SPACE_SDKS[int(t.sdk[i])][0]
        category, blurb = space_labels(w, i)
        r = uniform(_salt(w, "space-card"), i, np.arange(4)).tolist()
        card |= {
            "title": name.replace("-", " ").replace("_", " ").title(),
            "emoji": _choice(_EMOJIS, r[0]),
            "colorFrom": _choice(_COLORS, r[1]),
            "colorTo": _choice(_COLORS, r[2]),
            "sdk": sdk,
            "runtime": _space_runtime(w, i, full=flavour == "search"),
            "createdAt": iso(t.created[i]),
            "pinned": r[3] < 0.1,
            "ai_category": category,
            "ai_short_description": blurb,
        }
        if flavour == "search":
            origin = origin_space(w, i)
            if origin is not None:
                card["originSpace"] = origin
            if r[3] > 0.5:
                card["shortDescription"] = f"{name.replace('-', ' ').capitalize()} built with {sdk}"
        else:
            card |= {"disabled": False, "featured": False, "tags": w.tags("space", i), "visibility": "public"}
            if feed:
                card["subdomain"] = subdomain(t.ids[i])
                card["shortDescription"] = f"{name.replace('-', ' ').capitalize()} built with {sdk}"
    return card


def datasets_server_info(w: World, i: int) -> dict[str, Any]:
    """What the dataset viewer knows of a dataset: its formats, loading libraries, modalities and rows."""
    t = w.repos["dataset"]
    fmt = vocab.DATASET_FORMATS[int(t.format[i])] if "format" in t.cols else "parquet"
    libraries = {"parquet": ["datasets", "pandas", "polars"], "json": ["datasets", "pandas", "polars"], "csv": ["datasets", "pandas", "polars"],
                 "imagefolder": ["datasets"], "text": ["datasets"]}.get(fmt, ["datasets"])
    modality = "image" if fmt == "imagefolder" else "tabular" if fmt == "csv" else "text"
    bounds = [int(float(x[:-1]) * {"K": 1e3, "M": 1e6, "B": 1e9}[x[-1]]) for x in re.findall(r"\d+[KMB]", vocab.SIZE_CATEGORIES[int(t.size_cat[i])])]
    lo, hi = (bounds[0], bounds[-1]) if len(bounds) > 1 else (bounds[0] // 10, bounds[0]) if bounds else (1, 1000)
    rows = lo + int(_u(_salt(w, "dataset-rows"), i) * (hi - lo))
    return {"formats": [fmt], "libraries": libraries, "modalities": [modality], "numRows": rows, "viewer": "viewer"}


def _is_benchmark(w: World, i: int) -> bool:
    name = w.repos["dataset"].ids[i].lower()
    return any(k in name for k in ("bench", "eval", "leaderboard"))


def origin_space(w: World, i: int) -> dict[str, Any] | None:
    """The Space a duplicated Space was copied from (about a third of Spaces are duplicates)."""
    t = w.repos["space"]
    if i == 0 or _u(_salt(w, "space-origin"), i) > 0.35:
        return None
    j = int(_u(_salt(w, "space-origin-pick"), i) * i)
    if not t.alive[j]:
        return None
    author = author_data(w, int(t.author[j]), "search")
    return {"name": t.ids[j], "author": author}
