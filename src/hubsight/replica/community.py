"""Generated community content: collections, discussions and activity feeds.

Everything here is derived from the world without storing new state in it. Two rules keep the
content stable while the clock moves:

* every random draw is a counter-based hash of ``(seed, purpose, entity, ...)``, never a stream
  whose position depends on how many repos exist today;
* things that happen over time (a discussion opened, a collection item added, a discussion closed)
  have a fixed timestamp and are shown once ``w.now_ts`` reaches it, so what was visible
  yesterday is still there today unless its repo was deleted.

The per-version results are cached per world (weakly), so a request costs a lookup.
"""

from __future__ import annotations

import hashlib
import html
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import numpy as np

from hubsight.replica import vocab
from hubsight.replica.papers import arxiv_world
from hubsight.replica.render import iso, subdomain
from hubsight.replica.world import DAY, KIND_CODE, KINDS, ROLES, World, _stable_hash

T = TypeVar("T")
_MASK64 = (1 << 64) - 1
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_CACHE: weakref.WeakKeyDictionary[World, dict[str, tuple[int, Any]]] = weakref.WeakKeyDictionary()
COLLECTIONS_LAUNCH = int(datetime(2023, 8, 15, tzinfo=UTC).timestamp())
ITEM_TYPES = ("model", "dataset", "space", "paper", "collection")
KINDS_ORDER = ("model", "dataset", "space")  # ITEM_TYPES codes 0..2
ACTIVITY_TYPES = ("like", "publish", "update", "discussion")


# -- deterministic randomness ------------------------------------------------------------------
def _salt(w: World, purpose: str) -> int:
    return (((w.seed & 0xFFFFFFFF) << 32) ^ _stable_hash(purpose)) & _MASK64


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a cheap, well-spread bijection on uint64 arrays."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _hash(salt: int, *keys: Any) -> np.ndarray:
    """A uint64 per broadcast position of ``keys`` (non-negative ints), stable across runs."""
    arrays = np.broadcast_arrays(*[np.atleast_1d(np.asarray(k, dtype=np.int64)).astype(np.uint64) for k in keys])
    h = np.full(arrays[0].shape, salt, dtype=np.uint64)
    for a in arrays:
        h = _mix(h ^ (a * _GOLD))
    return h


def uniform(salt: int, *keys: Any) -> np.ndarray:
    """Uniform floats in [0, 1) keyed by ``keys``: the replica's counter-based random numbers."""
    return (_hash(salt, *keys) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _u(salt: int, *keys: int) -> float:
    return float(uniform(salt, *keys)[0])


def _choice(seq: list[T] | tuple[T, ...], u: float) -> T:
    return seq[min(len(seq) - 1, int(u * len(seq)))]


def _cached(w: World, name: str, build: Callable[[World], T]) -> T:
    """``build(w)`` once per world version: the callers hold the replica lock."""
    slot = _CACHE.setdefault(w, {})
    hit = slot.get(name)
    if hit is not None and hit[0] == w.version:
        return hit[1]
    value = build(w)
    slot[name] = (w.version, value)
    return value


def object_id(w: World, code: str, value: int) -> str:
    """A 24-hex Mongo-like id, as the Hub uses for users, collections, discussions and events."""
    return f"{(w.seed * 2654435761) & 0xFFFFFFFF:08x}{code}{value & ((1 << 60) - 1):015x}"


def avatar(w: World, owner: int) -> str:
    return f"https://cdn-avatars.huggingface.co/v1/production/uploads/{w.owners.names[owner]}.png"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "collection"


# -- people ------------------------------------------------------------------------------------
_BIOS = [
    "ML engineer working on {a} {b}.",
    "Researcher interested in {a} and {b}.",
    "Open-source enthusiast building {a} tools.",
    "PhD student: {a} {b}, mostly.",
    "I fine-tune small models for {a} {b}.",
    "Making {a} models faster and cheaper.",
]
_SOCIAL = ("websiteUrl", "twitterUsername", "githubUsername", "linkedinUsername", "blueskyUsername")


def user_profile(w: World, u: int) -> dict[str, Any]:
    """Bio and social handles: fixed per user, present only for some users (as on the Hub)."""
    salt = _salt(w, "profile")
    name = w.owners.names[u]
    handle = name.lower().replace("_", "-")
    r = uniform(salt, u, np.arange(8)).tolist()
    out: dict[str, Any] = {"details": ""}
    if r[0] < 0.6:
        out["details"] = _choice(_BIOS, r[1]).format(a=_choice(vocab.WORDS, r[2]), b=_choice(vocab.WORDS, r[3]))
    values = {
        "websiteUrl": f"https://{handle}.github.io",
        "twitterUsername": handle.replace("-", "_"),
        "githubUsername": handle,
        "linkedinUsername": handle,
        "blueskyUsername": f"{handle}.bsky.social",
    }
    for key, p, x in zip(_SOCIAL, (0.2, 0.3, 0.45, 0.15, 0.1), r[3:], strict=True):
        if x < p * (2 if u < len(vocab.KNOWN_USERS) else 1):
            out[key] = values[key]
    return out


def org_profile(w: World, org: int) -> dict[str, Any]:
    """Description, verification and plan of an organisation: the well-known ones are verified."""
    salt = _salt(w, "org-profile")
    r = uniform(salt, org, np.arange(4)).tolist()
    known = w.owners.names[org] in vocab.KNOWN_ORGS
    plan = ("enterprise" if r[0] < 0.6 else "team") if known else ("team" if r[0] < 0.08 else None)
    details = f"{w.owners.fullnames[org]} works on {_choice(vocab.WORDS, r[1])} {_choice(vocab.WORDS, r[2])}."
    return {"details": details, "isVerified": known, "plan": plan, "isEnterprise": plan == "enterprise"}


def num_papers(w: World, owner: int) -> int:
    """Papers credited to an owner: most have none, famous ones a few dozen."""
    o = w.owners
    f = float(o.fame[owner] / o.fame.max())
    x = _u(_salt(w, "papers"), owner)
    return int(x * x * 60 * f**0.5) if x > 0.55 or f > 0.05 else 0


def pick_users(w: World, salt: int, keys: tuple[Any, ...], ts: np.ndarray) -> np.ndarray:
    """One user per position of ``ts`` whose account existed at ``ts``; a few users are very active."""
    o = w.owners
    n = o.n_users
    ts = np.atleast_1d(np.asarray(ts, dtype=np.int64))
    perm = _cached(w, "activity-order", lambda w: np.argsort(uniform(_salt(w, "active-users"), np.arange(n))))
    first = perm[(uniform(salt, *keys, 1) ** 2 * n).astype(np.int64)]
    ok = o.created[first] <= ts
    if ok.all():
        return first
    by_created = _cached(w, "users-by-created", lambda w: np.argsort(w.owners.created[:n], kind="stable"))
    created_sorted = o.created[by_created]
    count = np.maximum(1, np.searchsorted(created_sorted, ts, side="right"))
    fallback = by_created[(uniform(salt, *keys, 2) * count).astype(np.int64)]
    return np.where(ok, first, fallback)


# -- repo cards (trending, collection items, activity, search) ----------------------------------
# What a Space does, in the words of the Hub's AI-written labels: by its noun, else by its linked model.
SPACE_CATEGORIES: dict[str, tuple[str, str]] = {
    "text-generation": ("Chatbots", "Chat with an AI assistant"),
    "image-text-to-text": ("Chatbots", "Chat about images with an AI assistant"),
    "text-to-image": ("Image Generation", "Generate images from text prompts"),
    "image-to-image": ("Image Editing", "Edit images with text instructions"),
    "text-to-video": ("Video Generation", "Generate videos from text prompts"),
    "image-to-video": ("Video Generation", "Animate an image into a short video"),
    "translation": ("Translation", "Translate text between languages"),
    "automatic-speech-recognition": ("Speech Recognition", "Transcribe speech from audio files"),
    "text-to-speech": ("Speech Synthesis", "Convert text to natural-sounding speech"),
    "token-classification": ("Text Analysis", "Tag named entities in text"),
    "text-classification": ("Text Analysis", "Classify the sentiment of text"),
    "sentence-similarity": ("Semantic Search", "Search documents by meaning"),
    "summarization": ("Text Summarization", "Summarize long documents"),
    "object-detection": ("Object Detection", "Detect objects in images"),
    "image-to-text": ("Image Captioning", "Generate captions for images"),
}
NOUN_CATEGORIES: dict[str, tuple[str, str]] = {
    "leaderboard": ("Model Benchmarking", "Compare model scores on benchmarks"),
    "arena": ("Model Benchmarking", "Vote between anonymous chatbots"),
    "dashboard": ("Data Visualization", "Explore metrics in interactive charts"),
    "explorer": ("Data Visualization", "Browse and filter a dataset"),
    "viewer": ("Data Visualization", "View files in the browser"),
    "blog": ("Documentation", "Read articles and tutorials"),
    "docs": ("Documentation", "Read the project documentation"),
}
OTHER_CATEGORY = ("Other", "Try an interactive machine learning demo")
_EMOJIS = ("🚀", "🤗", "🔥", "🎨", "💬", "🌍", "🦀", "🐢", "⚡", "📊", "🎙️", "🖼️")
_COLORS = ("red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray")


def space_labels(w: World, i: int) -> tuple[str, str]:
    """(ai_category, ai_short_description) of Space ``i``."""
    t = w.repos["space"]
    if "noun" in t.cols:
        from hubsight.replica import families

        noun = families.SPACE_KINDS[int(t.noun[i])][0]
        if noun in NOUN_CATEGORIES:
            return NOUN_CATEGORIES[noun]
    m = int(t.linked_model[i])
    models = w.repos["model"]
    if 0 <= m < len(models):
        p = int(models.pipeline[m])
        if p >= 0 and vocab.PIPELINE_TAGS[p][0] in SPACE_CATEGORIES:
            return SPACE_CATEGORIES[vocab.PIPELINE_TAGS[p][0]]
    return OTHER_CATEGORY


def space_category_codes(w: World) -> tuple[list[str], np.ndarray]:
    """Every Space's ai_category as codes into a list of names (for vectorised search)."""

    def build(w: World) -> tuple[list[str], np.ndarray]:
        names = sorted({c for c, _ in (*SPACE_CATEGORIES.values(), *NOUN_CATEGORIES.values(), OTHER_CATEGORY)})
        t = w.repos["space"]
        codes = np.full(len(t), names.index(OTHER_CATEGORY[0]), dtype=np.int64)
        models = w.repos["model"]
        linked = t.linked_model
        ok = (linked >= 0) & (linked < len(models))
        pipe = np.full(len(t), -1, dtype=np.int64)
        pipe[ok] = models.pipeline[linked[ok]]
        tags = vocab.names(vocab.PIPELINE_TAGS)
        for tag, (cat, _) in SPACE_CATEGORIES.items():
            if tag in tags:
                codes[pipe == tags.index(tag)] = names.index(cat)
        if "noun" in t.cols:
            from hubsight.replica import families

            for k, (noun, _, _) in enumerate(families.SPACE_KINDS):
                if noun in NOUN_CATEGORIES:
                    codes[t.noun == k] = names.index(NOUN_CATEGORIES[noun][0])
        return names, codes

    return _cached(w, "space-categories", build)


def follower_count(w: World, owner: int) -> int:
    return len(w.follows.of("dst", owner))


def is_hf(w: World, owner: int) -> bool:
    """Hugging Face itself, or one of its members."""
    hf = w.owners.index.get("huggingface", -1)
    if owner == hf:
        return True
    if w.owners.is_org(owner):
        return False
    return bool((w.members.dst[w.members.of("src", owner)] == hf).any())


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


# -- collections -------------------------------------------------------------------------------
@dataclass
class Collections:
    """Visible collections (rows) and their visible items, at one world version."""

    owner: np.ndarray  # owner index per collection
    created: np.ndarray
    last_updated: np.ndarray
    upvotes: np.ndarray
    trending: np.ndarray
    position: np.ndarray  # rank among the owner's collections
    serial: np.ndarray  # stable collection number (object id)
    titles: list[str]
    descriptions: list[str | None]
    themes: list[str]
    # items, grouped by collection (rows of the arrays above) and ordered by position
    item_offsets: np.ndarray
    item_type: np.ndarray  # index into ITEM_TYPES
    item_repo: np.ndarray  # repo index, -1 for papers
    item_paper: list[str | None]
    item_ref: np.ndarray  # serial of the collection a "collection" item points at, -1 otherwise
    item_position: np.ndarray
    item_serial: np.ndarray
    item_note: list[str | None]
    by_serial: dict[int, int]

    def __len__(self) -> int:
        return len(self.owner)

    def items_of(self, row: int) -> range:
        return range(int(self.item_offsets[row]), int(self.item_offsets[row + 1]))

    def slug(self, w: World, row: int) -> str:
        return f"{w.owners.names[int(self.owner[row])]}/{slugify(self.titles[row])}-{object_id(w, 'a', int(self.serial[row]))}"


def collections(w: World) -> Collections:
    return _cached(w, "collections", _build_collections)


_NOTES = ["Our flagship release.", "Start here.", "Quantized variants below.", "Great for beginners.", "Evaluation set."]
_GENERIC_TITLES = [
    "Favorite {a} models", "{A} reasoning", "Papers on {a} {b}", "Datasets for {a}", "Spaces to try",
    "{A} {b} picks", "Reading list: {a}", "{A} and {b}", "Small but mighty", "Benchmarks I trust",
]


def _build_collections(w: World) -> Collections:
    o = w.owners
    n_owners = len(o.names)
    salt = _salt(w, "collections")
    now = w.now_ts
    owners_idx = np.arange(n_owners)
    f = o.fame / o.fame.max()
    lam = np.minimum(12.0, 0.03 + 9.0 * f**0.6)
    counts = np.floor(lam * (0.5 + uniform(salt, owners_idx, 1)) + uniform(salt, owners_idx, 2)).astype(np.int64)
    for name in ("Qwen", "huggingface"):
        counts[o.index[name]] = max(3, counts[o.index[name]])
    owner = np.repeat(owners_idx, counts)
    serial = np.arange(len(owner))
    r = [uniform(salt, serial, 10 + k) for k in range(9)]
    # most collections are from the past year or two; a quarter appear after the world's start
    floor_ts = np.minimum(np.maximum(o.created[owner], COLLECTIONS_LAUNCH), w.start_ts)
    age = (-np.log1p(-r[0] * 0.999) * 250 * DAY).astype(np.int64)
    past = w.start_ts - age
    late = floor_ts + ((w.start_ts - floor_ts) * r[5]).astype(np.int64)
    past = np.where(past < floor_ts, late, past)
    future = w.start_ts + (r[1] * 365 * DAY).astype(np.int64)
    is_future = r[2] < 0.25
    for name in ("Qwen", "huggingface"):  # the examples in the docs must find a few at any date
        is_future[np.flatnonzero(owner == o.index[name])[:3]] = False
    created = np.where(is_future, future, past)
    n_items = 3 + np.floor(r[3] ** 1.6 * 23).astype(np.int64)
    upvote_final = np.floor(np.exp(0.4 + 1.6 * _normal(r[4], r[8])) * (1 + 40 * f[owner] ** 0.5)).astype(np.int64)
    theme_i = (r[6] * len(vocab.COLLECTION_THEMES)).astype(np.int64)
    p_own = np.where(owner >= o.n_users, 0.75, 0.35)

    # items: the first three land at creation, the rest are added over the following weeks
    it_coll = np.repeat(serial, n_items)
    starts = np.concatenate([[0], np.cumsum(n_items)[:-1]])
    it_pos = np.arange(len(it_coll)) - starts[it_coll]
    gaps = np.where(it_pos < 3, 0, (-np.log1p(-uniform(salt, it_coll, it_pos, 1) * 0.999) * 9 * DAY).astype(np.int64))
    gap_sum = np.cumsum(gaps)
    added = created[it_coll] + gap_sum - (gap_sum[starts] - gaps[starts])[it_coll]
    visible = (added <= now) & (created[it_coll] <= now)
    iu = [uniform(salt, it_coll, it_pos, 2 + k) for k in range(5)]
    it_type = np.searchsorted(np.cumsum([0.58, 0.16, 0.14, 0.12]), iu[0] * 0.99999, side="right")
    it_repo = np.full(len(it_coll), -1, dtype=np.int64)
    for code, kind in enumerate(KINDS_ORDER):
        sel = np.flatnonzero(visible & (it_type == code))
        if len(sel):
            own = iu[1][sel] < p_own[it_coll[sel]]
            it_repo[sel] = _pick_repos(w, kind, owner[it_coll[sel]], added[sel], own, iu[2][sel], iu[3][sel])
    it_type = np.where((it_type < 3) & (it_repo < 0), 3, it_type)  # no repo existed yet: cite a paper
    # papers are the replica's daily papers, picked among those on the Hub before the item was added
    paper = np.full(len(it_coll), -1, dtype=np.int64)
    wanted = np.flatnonzero(visible & (it_type == 3))
    pu = np.stack([uniform(salt, it_coll[wanted], it_pos[wanted], 30 + k) for k in range(6)], axis=1).tolist()
    for k, u in zip(wanted.tolist(), pu, strict=True):
        paper[k] = _pick_paper(w, int(added[k]), u)
    # a quarter of the cited papers are other collections instead, older than the addition
    ref = np.full(len(it_coll), -1, dtype=np.int64)
    nest = np.flatnonzero(visible & (it_type == 3) & (uniform(salt, it_coll, it_pos, 40) < 0.25))
    if len(nest):
        by_created = np.argsort(created, kind="stable")
        count = np.searchsorted(created[by_created], added[nest], side="right")
        pick = by_created[np.minimum((uniform(salt, it_coll[nest], it_pos[nest], 41) * count).astype(np.int64), np.maximum(count - 1, 0))]
        ok = (count > 0) & (pick != it_coll[nest])
        ref[nest[ok]], it_type[nest[ok]] = pick[ok], 4
    visible &= (it_type < 3) | (it_type == 4) | (paper >= 0)
    ident = np.where(it_type < 3, it_repo, np.where(it_type == 4, ref, paper))
    key = (it_coll * 5 + it_type) * (1 << 40) + ident
    _, first = np.unique(np.where(visible, key, -1 - np.arange(len(key))), return_index=True)
    keep = np.zeros(len(key), dtype=bool)
    keep[first] = True
    keep &= visible

    # what each collection is called: its first item when the owner publishes, a theme otherwise
    shown = np.flatnonzero(created <= now)
    rt = np.stack([uniform(salt, shown, 20 + k) for k in range(4)], axis=1)
    titles = [
        _title(w, rt[n], int(owner[c]), int(it_type[starts[c]]), int(it_repo[starts[c]])) for n, c in enumerate(shown)
    ]
    descriptions = [None if r[7][c] < 0.45 else f"A curated set of {title.lower()} resources." for c, title in zip(shown, titles, strict=True)]

    rank = np.lexsort((serial[shown], created[shown], owner[shown]))
    position = np.empty(len(shown), dtype=np.int64)
    owner_sorted = owner[shown][rank]
    group_start = np.searchsorted(owner_sorted, owner_sorted, side="left")
    position[rank] = np.arange(len(shown)) - group_start

    alive_item = keep.copy()
    for code, kind in enumerate(KINDS_ORDER):
        sel = np.flatnonzero(keep & (it_type == code))
        alive_item[sel] = w.repos[kind].alive[it_repo[sel]]
    # items of visible collections, grouped by collection row
    row_of = np.full(len(owner), -1, dtype=np.int64)
    row_of[shown] = np.arange(len(shown))
    items = np.flatnonzero(alive_item & (row_of[it_coll] >= 0))
    note_u = uniform(salt, it_coll, it_pos, 7)
    items = items[np.lexsort((it_pos[items], row_of[it_coll[items]]))]
    item_rows = row_of[it_coll[items]]
    offsets = np.searchsorted(item_rows, np.arange(len(shown) + 1), side="left")
    # the last addition, even when its repo was deleted since: an update time never moves back
    last_updated = created.copy()
    np.maximum.at(last_updated, it_coll[keep], added[keep])
    age = (now - created[shown]) / DAY
    final = upvote_final[shown]
    upvotes = np.floor(final * np.minimum(1.0, age / 60)).astype(np.int64)
    week_ago = np.floor(final * np.clip((age - 7) / 60, 0.0, 1.0)).astype(np.int64)
    return Collections(
        owner=owner[shown],
        created=created[shown],
        last_updated=last_updated[shown],
        upvotes=upvotes,
        trending=upvotes - week_ago,
        position=position,
        serial=serial[shown],
        titles=titles,
        descriptions=descriptions,
        themes=[vocab.COLLECTION_THEMES[t] for t in theme_i[shown]],
        item_offsets=offsets,
        item_type=it_type[items],
        item_repo=it_repo[items],
        item_paper=[f"{int(paper[k]) // 100_000:04d}.{int(paper[k]) % 100_000:05d}" if it_type[k] == 3 else None for k in items],
        item_ref=ref[items],
        item_position=it_pos[items],
        item_serial=items,
        item_note=[_choice(_NOTES, note_u[k] * 10 % 1) if note_u[k] < 0.1 else None for k in items],
        by_serial={int(s): row for row, s in enumerate(serial[shown])},
    )


def _normal(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Box–Muller: two uniforms in, one standard normal out."""
    return np.sqrt(-2 * np.log1p(-u1 * 0.999999)) * np.cos(2 * np.pi * u2)


def _pick_paper(w: World, when: int, u: list[float]) -> int:
    """A daily paper (as ``YYMM * 100000 + number``) on the Hub by ``when``, recent ones likelier; -1 if none."""
    aw = arxiv_world(w)
    last = datetime.fromtimestamp(when, UTC).date() - timedelta(days=4)  # its daily page is up by then
    span = (last - aw.first).days
    if span < 0:
        return -1
    for attempt in range(3):
        day = last - timedelta(days=int(u[2 * attempt] ** 2 * min(span, 300)))
        plan = aw.plan(day)
        rows = np.flatnonzero(plan.daily_after > 0)
        if len(rows):
            pid = plan.arxiv_id(int(rows[int(u[2 * attempt + 1] * len(rows))]))
            return int(pid[:4]) * 100_000 + int(pid[5:])
    return -1


def _pick_repos(w: World, kind: str, owner: np.ndarray, when: np.ndarray, own: np.ndarray, u_own: np.ndarray, u_any: np.ndarray) -> np.ndarray:
    """Repos that existed at ``when``: the owner's own with ``own``, else popular ones (by likes).

    Candidates are taken from prefixes of creation order, and repos born later always sort after
    them, so an item's repo never changes once chosen.
    """
    t = w.repos[kind]

    def build(w: World) -> tuple[np.ndarray, ...]:
        order = np.argsort(t.created, kind="stable")
        weights = np.cumsum(1 + t.likes_target[order].astype(np.int64))
        key = t.author.astype(np.int64) * (1 << 32) + t.created
        by_owner = np.argsort(key, kind="stable")
        return order, t.created[order], weights, by_owner, key[by_owner]

    order, created_sorted, cw, by_owner, keys = _cached(w, f"pick-{kind}", build)
    out = np.full(len(owner), -1, dtype=np.int64)
    lo = np.searchsorted(keys, owner * (1 << 32), side="left")
    hi = np.searchsorted(keys, owner * (1 << 32) + when, side="right")
    mine = own & (hi > lo)
    out[mine] = by_owner[lo[mine] + (u_own[mine] * (hi - lo)[mine]).astype(np.int64)]
    p = np.searchsorted(created_sorted, when, side="right")
    rest = ~mine & (p > 0)
    top = cw[p[rest] - 1]
    pos = np.searchsorted(cw, (u_any[rest] * top).astype(np.int64), side="right")
    out[rest] = order[np.minimum(pos, p[rest] - 1)]
    return out


def _title(w: World, r: np.ndarray, owner: int, item_type: int, repo: int) -> str:
    if item_type < 3 and repo >= 0 and int(w.repos[KINDS_ORDER[item_type]].author[repo]) == owner and r[0] < 0.8:
        parts = w.repos[KINDS_ORDER[item_type]].ids[repo].split("/", 1)[1].split("-")
        head = " ".join(parts[:2]) if len(parts) > 1 and parts[1][:1].isdigit() else parts[0]
        return _choice([head, f"{head} models", f"{head} release", f"{head} quantized"], r[1])
    a, b = _choice(vocab.WORDS, r[2]), _choice(vocab.WORDS, r[3])
    return _choice(_GENERIC_TITLES, r[1]).format(a=a, b=b, A=a.title())


def collection_body(w: World, cols: Collections, row: int, max_items: int | None = None, with_position: bool = True) -> dict[str, Any]:
    """A collection as the Hub serves it. List rows carry at most 4 items and no ``position``."""
    owner = int(cols.owner[row])
    items = []
    for k in list(cols.items_of(row))[:max_items]:
        items.append(_item_body(w, cols, k))
    body: dict[str, Any] = {
        "slug": cols.slug(w, row),
        "title": cols.titles[row],
        "description": cols.descriptions[row],
        "gating": False,
        "lastUpdated": iso(cols.last_updated[row]),
        "owner": author_data(w, owner),
        "items": items,
        "theme": cols.themes[row],
        "private": False,
        "upvotes": int(cols.upvotes[row]),
        "isUpvotedByUser": False,
        "shareUrl": f"https://hf.co/collections/{cols.slug(w, row)}",
    }
    if with_position:
        body["position"] = int(cols.position[row])
    return body


def _item_body(w: World, cols: Collections, k: int) -> dict[str, Any]:
    code = int(cols.item_type[k])
    if code == 3:
        pid = cols.item_paper[k] or ""
        aw = arxiv_world(w)
        paper, daily = aw.find(pid, w.now_ts), aw.daily(pid, w.now_ts)
        body: dict[str, Any] = {
            "id": pid,
            "title": paper.title if paper else pid,
            "publishedAt": iso(paper.published) if paper else None,
            "upvotes": daily.upvotes(w.now_ts) if daily else 0,
            "isUpvotedByUser": False,
            "thumbnailUrl": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{pid}.png",
        }
    elif code == 4:
        row = cols.by_serial[int(cols.item_ref[k])]
        slug = cols.slug(w, row)
        body = {
            "id": object_id(w, "a", int(cols.serial[row])),
            "slug": slug,
            "title": cols.titles[row],
            "description": cols.descriptions[row],
            "lastUpdated": iso(cols.last_updated[row]),
            "numberItems": len(cols.items_of(row)),
            "owner": author_data(w, int(cols.owner[row])),
            "theme": cols.themes[row],
            "shareUrl": f"https://hf.co/collections/{slug}",
            "upvotes": int(cols.upvotes[row]),
            "isUpvotedByUser": False,
        }
    else:
        body = repo_card(w, KINDS_ORDER[code], int(cols.item_repo[k]), "collection")
    body |= {"type": ITEM_TYPES[code], "position": int(cols.item_position[k]), "_id": object_id(w, "b", int(cols.item_serial[k]))}
    note = cols.item_note[k]
    if note:
        body["note"] = {"html": f"<p>{html.escape(note)}</p>", "text": note}
    return body


# -- discussions -------------------------------------------------------------------------------
@dataclass
class Discussions:
    """Discussions visible now on every repo of one kind (dead repos included), grouped by repo."""

    kind: str
    offsets: np.ndarray  # per repo, into the flat arrays; num = position in group + 1
    repo: np.ndarray
    created: np.ndarray
    author: np.ndarray
    is_pr: np.ndarray
    closed_at: np.ndarray  # -1 while open
    merged: np.ndarray

    def of(self, repo: int) -> range:
        return range(int(self.offsets[repo]), int(self.offsets[repo + 1]))

    def status(self, k: int) -> str:
        if self.closed_at[k] < 0:
            return "open"
        return "merged" if self.merged[k] else "closed"


def discussions(w: World, kind: str) -> Discussions:
    return _cached(w, f"discussions-{kind}", lambda w: _build_discussions(w, kind))


def _build_discussions(w: World, kind: str) -> Discussions:
    """How many discussions a repo has grows with its likes; most repos have none.

    A repo born before the world's start has ``n0`` discussions spread over its past and then
    gains more at a steady rate; one born later starts from nothing.
    """
    t = w.repos[kind]
    n = len(t)
    salt = _salt(w, f"discussions-{kind}")
    idx = np.arange(n)
    start, now = w.start_ts, w.now_ts
    expected = 65 * (1 - np.exp(-((t.likes_target / 70.0) ** 1.3)))
    genesis = t.created <= start
    n0 = np.where(genesis, np.floor(expected * (0.4 + 1.2 * uniform(salt, idx, 1)) + uniform(salt, idx, 2)), 0)
    n0 = np.minimum(n0, 90).astype(np.int64)
    age_days = np.maximum(60.0, (start - t.created) / DAY)
    rate = np.where(genesis, 0.5 * expected / age_days, expected / 120.0)
    t0 = np.maximum(start, t.created)
    x = rate * np.maximum(0, now - t0) / DAY
    whole = np.floor(x).astype(np.int64)
    m = np.where(x > 0, whole + (uniform(salt, idx, whole, 3) <= x - whole), 0)
    m = np.minimum(m, 150)
    total = n0 + m
    offsets = np.concatenate([[0], np.cumsum(total)])
    repo = np.repeat(idx, total)
    j = np.arange(len(repo)) - offsets[repo]
    first = j < n0[repo]
    # the past ones are stratified over the repo's life, the later ones follow at the steady rate
    h_past = uniform(salt, repo, j, 4)
    past_ts = t.created[repo] + ((start - t.created[repo]) * (j + h_past) / np.maximum(1, n0[repo])).astype(np.int64)
    k = np.maximum(0, j - n0[repo])
    h_future = uniform(salt, repo, k, 3)
    step = np.where(first, 0.0, DAY / np.where(first, 1.0, rate[repo]))
    future_ts = t0[repo] + ((k + h_future) * step).astype(np.int64)
    created = np.minimum(np.where(first, past_ts, future_ts), now)
    author = pick_users(w, salt, (repo, j), created)
    is_pr = uniform(salt, repo, j, 5) < 0.28
    closes = uniform(salt, repo, j, 6) < np.where(is_pr, 0.75, 0.6)
    close_ts = created + (-np.log1p(-uniform(salt, repo, j, 7) * 0.999) * 25 * DAY).astype(np.int64)
    closed_at = np.where(closes & (close_ts <= now), close_ts, -1)
    merged = is_pr & (closed_at >= 0) & (uniform(salt, repo, j, 8) < 0.65)
    return Discussions(kind, offsets, repo, created, author, is_pr, closed_at, merged)


def discussion_counts(w: World) -> np.ndarray:
    """Discussions each owner opened, on repos that still exist."""

    def build(w: World) -> np.ndarray:
        total = np.zeros(len(w.owners.names), dtype=np.int64)
        for kind in KINDS:
            d = discussions(w, kind)
            live = w.repos[kind].alive[d.repo]
            total += np.bincount(d.author[live], minlength=len(total))
        return total

    return _cached(w, "discussion-counts", build)


_TITLES = {
    "model": [
        "How to run this on a {gpu}?", "Error when loading with transformers", "What dataset was used for training?",
        "License question", "Request: {fmt} version", "Great work, thank you!", "Inference is very slow",
        "Tokenizer issue with special tokens", "Chat template missing?", "Benchmark results differ from the report",
        "Fine-tuning guide?", "Out of memory on long inputs",
    ],
    "dataset": [
        "Missing values in the train split", "Dataset viewer not working", "Duplicate rows", "License clarification",
        "Could you add a {lang} subset?", "Where does this data come from?", "Loading fails with datasets",
    ],
    "space": [
        "Space is stuck building", "Runtime error", "Could you expose an API endpoint?", "Great demo!",
        "Queue is very long", "Could you add {fmt} export?",
    ],
}
# (title, file touched, line added): the PR's diff says what its title says
_PR_TITLES = {
    "model": [
        ("Update README.md", "README.md", "## Usage"),
        ("Add library_name to model card", "README.md", "library_name: transformers"),
        ("Fix typo in README", "README.md", "This model is fine-tuned for instruction following."),
        ("Add chat template", "tokenizer_config.json", '  "chat_template": "{{ messages }}",'),
        ("Update config.json", "config.json", '  "use_cache": true,'),
        ("Add evaluation results", "README.md", "model-index:"),
    ],
    "dataset": [
        ("Add dataset card", "README.md", "pretty_name: Dataset"),
        ("Fix task_categories metadata", "README.md", "task_categories:"),
        ("Update README.md", "README.md", "## Citation"),
    ],
    "space": [
        ("Update requirements.txt", "requirements.txt", "torch>=2.4"),
        ("Bump gradio version", "requirements.txt", "gradio>=5.0"),
        ("Update app.py", "app.py", "demo.queue(max_size=20)"),
    ],
}
_BODIES = [
    "Thanks for releasing this! {q}", "I ran into this today. {q}", "{q} Any pointers appreciated.",
    "Hi team, {q}", "{q} I can share more details if useful.",
]
_REPLIES = [
    "Thanks for reporting, we are looking into it.", "Same issue here.", "This is fixed in the latest revision.",
    "Could you share the full traceback?", "+1, would love this too.", "Closing as resolved, feel free to reopen.",
    "Try updating to the latest version of the library.", "Good catch, thanks!",
]


@dataclass
class Thread:
    """One discussion with its events, rendered on demand from the flat arrays."""

    title: str
    events: list[dict[str, Any]]
    num_comments: int
    diff: str | None
    conflicts: list[str]
    merge_commit: str | None


def actor_brief(w: World, u: int, *, followers: bool = False) -> dict[str, Any]:
    """A discussion's author as discussion lists (``followers``) and details show them."""
    o = w.owners
    out: dict[str, Any] = {
        "_id": object_id(w, "0", u),
        "avatarUrl": avatar(w, u),
        "fullname": o.fullnames[u],
        "name": o.names[u],
        "type": "org" if o.is_org(u) else "user",
        "isPro": bool(o.is_pro[u]),
        "isHf": is_hf(w, u),
        "isHfAdmin": False,
        "isMod": False,
    }
    if followers:
        out["followerCount"] = follower_count(w, u)
    out["isUserFollowing"] = False
    return out


def actor_ref(w: World, u: int) -> dict[str, Any]:
    """An owner as discussion events other than comments name them: id, name and type only."""
    return {"_id": object_id(w, "0", u), "name": w.owners.names[u], "type": "org" if w.owners.is_org(u) else "user"}


def org_brief(w: World, org: int) -> dict[str, Any]:
    """The organisation owning a discussed repo, as discussion details carry it."""
    return {"avatarUrl": avatar(w, org), "fullname": w.owners.fullnames[org], "name": w.owners.names[org], "type": "org", "isHf": is_hf(w, org)}


def repo_staff(w: World, owner: int) -> int:
    """Who answers for a repo: its owner, or an org's longest-standing admin (else any member)."""
    if not w.owners.is_org(owner):
        return owner
    pos = w.members.of("dst", owner)
    if not len(pos):
        return 0
    admins = pos[w.members.extra[pos] == ROLES.index("admin")]
    return int(w.members.src[(admins if len(admins) else pos)[-1]])


def discussion_title(w: World, kind: str, repo: int, num: int, is_pr: bool) -> tuple[str, tuple[str, str] | None]:
    """The title, and for a PR the (file, added line) its diff shows."""
    r = uniform(_salt(w, "discussion-text"), KIND_CODE[kind], repo, num, np.arange(4)).tolist()
    if is_pr:
        title, file, line = _choice(_PR_TITLES[kind], r[0])
        return title, (file, line)
    fill = {
        "gpu": _choice(["single 24GB GPU", "Mac M2", "CPU only", "T4", "A100"], r[1]),
        "fmt": _choice(["GGUF", "AWQ", "MLX", "ONNX"], r[2]),
        "lang": _choice([lang for lang, _ in vocab.LANGUAGES], r[3]),
    }
    return _choice(_TITLES[kind], r[0]).format(**fill), None


def thread(w: World, d: Discussions, k: int) -> Thread:
    """The events of discussion ``k``: opening comment, commits, replies, status changes, all ≤ now."""
    kind = d.kind
    repo, num = int(d.repo[k]), int(k - d.offsets[d.repo[k]] + 1)
    salt = _salt(w, "discussion-events")
    kc = KIND_CODE[kind]
    now = w.now_ts
    r = uniform(salt, kc, repo, num, np.arange(16)).tolist()
    t0, author = int(d.created[k]), int(d.author[k])
    closed = int(d.closed_at[k])
    end = closed if closed >= 0 else now
    title, change = discussion_title(w, kind, repo, num, bool(d.is_pr[k]))
    owner = int(w.repos[kind].author[repo])
    staff = repo_staff(w, owner)
    org_members = set(w.members.src[w.members.of("dst", owner)].tolist()) if w.owners.is_org(owner) else set()
    events: list[tuple[int, dict[str, Any]]] = []
    seq = 0

    def add(ts: int, etype: str, who: int, data: dict[str, Any]) -> None:
        """One event; comments name their author in full, other events by id, name and type."""
        nonlocal seq
        eid = object_id(w, "e", (kc << 56) | (repo << 20) | (num << 8) | seq)
        seq += 1
        if etype == "comment":
            by = actor_brief(w, who) | {"isOwner": who == owner, "isOrgMember": who in org_members}
        else:
            by = actor_ref(w, who)
        events.append((ts, {"id": eid, "author": by, "createdAt": iso(ts), "type": etype, "data": data}))

    def comment(ts: int, who: int, text: str, u_edit: float, u_hide: float) -> None:
        edit_ts = ts + int(u_edit * 3 * 3600)
        edited = u_edit < 0.12 and edit_ts <= now
        add(ts, "comment", who, {
            "edited": edited,
            "hidden": u_hide < 0.02,
            "latest": {
                "raw": text,
                "html": f"<p>{html.escape(text)}</p>\n",
                "updatedAt": iso(edit_ts if edited else ts),
                "author": actor_ref(w, who),
            },
            "numEdits": 1 if edited else 0,
            "editors": [w.owners.names[who]],
            "editorAvatarUrls": [avatar(w, who)],
            "reactions": [],
            "isReport": False,
        })

    opening = _choice(_BODIES, r[0]).format(q=f"{title.rstrip('?!.')}." if d.is_pr[k] else title)
    comment(t0, author, opening, r[1], 1.0)
    if r[2] < 0.05 and t0 + 600 <= now:
        old = discussion_title(w, kind, repo, num + 1000, bool(d.is_pr[k]))[0]
        if old != title:
            add(t0 + 600, "title-change", author, {"from": old, "to": title})
    diff = None
    if d.is_pr[k]:
        oid = hashlib.sha1(f"{w.seed}:{kind}:{repo}:{num}:pr".encode()).hexdigest()
        parent = hashlib.sha1(f"{w.seed}:{kind}:{repo}:{num}:parent".encode()).hexdigest()
        add(min(now, t0 + 1 + int(r[3] * 60)), "commit", author, {"subject": title, "oid": oid, "parents": [parent]})
        diff = _diff(*(change or ("README.md", title)))
    n_replies = int(r[4] * r[4] * 9)
    ts = t0
    for step in range(n_replies):
        u = uniform(salt, kc, repo, num, 100 + step, np.arange(5)).tolist()
        ts += int(-np.log1p(-u[0] * 0.999) * 1.5 * DAY) + 60
        if ts > end:
            break
        who = staff if u[1] < 0.35 else int(pick_users(w, salt, (kc, repo, num, 100 + step), np.array([ts]))[0])
        comment(ts, who, _choice(_REPLIES, u[2]), u[3], u[4])
    if closed >= 0:
        add(closed, "status-change", staff if d.is_pr[k] or r[15] < 0.5 else author, {"status": d.status(k)})
    events.sort(key=lambda e: e[0])
    ordered = [e for _, e in events]
    conflicts = [change[0]] if change and d.is_pr[k] and closed < 0 and r[14] < 0.1 else []
    merge = hashlib.sha1(f"{w.seed}:{kind}:{repo}:{num}:merge".encode()).hexdigest() if d.merged[k] else None
    return Thread(title, ordered, sum(e["type"] == "comment" for e in ordered), diff, conflicts, merge)


def _diff(file: str, line: str) -> str:
    return f"diff --git a/{file} b/{file}\n--- a/{file}\n+++ b/{file}\n@@ -1,2 +1,3 @@\n ---\n+{line}\n ---\n"


# -- activity ----------------------------------------------------------------------------------
@dataclass
class Feed:
    """Events of one entity, newest first: (time, key) decides the order and the cursor."""

    time: np.ndarray
    key: np.ndarray  # type << 58 | kind << 56 | repo << 16 | sub
    types: tuple[str, ...] = ACTIVITY_TYPES

    def __len__(self) -> int:
        return len(self.time)


def feed(w: World, entity: int, types: set[str]) -> Feed:
    """Likes, publications, updates and discussions of a user, or of an org's repos."""
    o = w.owners
    times: list[np.ndarray] = []
    keys: list[np.ndarray] = []

    def put(code: int, kc: int, ts: np.ndarray, repos: np.ndarray, sub: np.ndarray | int = 0) -> None:
        times.append(ts.astype(np.int64))
        keys.append((np.int64(code) << 58) | (np.int64(kc) << 56) | (repos.astype(np.int64) << 16) | np.asarray(sub, dtype=np.int64))

    for kind in KINDS:
        t = w.repos[kind]
        kc = KIND_CODE[kind]
        if "like" in types and not o.is_org(entity):
            edges = w.likes[kind]
            pos = edges.of("src", entity)
            repos = edges.dst[pos]
            live = t.alive[repos]
            put(0, kc, edges.ts[pos][live], repos[live])
        if types & {"publish", "update"}:
            mine = np.flatnonzero((t.author == entity) & t.alive)
            if "publish" in types:
                put(1, kc, t.created[mine], mine)
            if "update" in types:
                upd = mine[t.modified[mine] > t.created[mine] + 3600]
                put(2, kc, t.modified[upd], upd)
        if "discussion" in types:
            d = discussions(w, kind)
            if o.is_org(entity):
                sel = np.flatnonzero(t.author[d.repo] == entity)
            else:
                sel = np.flatnonzero(d.author == entity)
            sel = sel[t.alive[d.repo[sel]]]
            put(3, kc, d.created[sel], d.repo[sel], sel - d.offsets[d.repo[sel]] + 1)
    time = np.concatenate(times) if times else np.zeros(0, dtype=np.int64)
    key = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    keep = time <= w.now_ts
    time, key = time[keep], key[keep]
    order = np.lexsort((-key, -time))
    return Feed(time[order], key[order])


def feed_event(w: World, entity: int, time: int, key: int) -> dict[str, Any]:
    """One feed entry as the Hub's recent-activity endpoint lists it."""
    code, kc, repo, sub = key >> 58, (key >> 56) & 3, (key >> 16) & ((1 << 40) - 1), key & 0xFFFF
    kind = KINDS[kc - 1]
    t = w.repos[kind]
    who = entity if code in (0, 3) and not w.owners.is_org(entity) else int(t.author[repo])
    body: dict[str, Any] = {
        "time": iso(time),
        "type": ACTIVITY_TYPES[code],
        "user": w.owners.names[who],
        "userAvatarUrl": avatar(w, who),
        "repoId": t.ids[repo],
        "repoType": kind,
        "repoData": repo_card(w, kind, repo),
    }
    if code == 3:
        d = discussions(w, kind)
        k = int(d.offsets[repo]) + sub - 1
        opener = int(d.author[k])
        body["user"] = w.owners.names[opener]
        body["userAvatarUrl"] = avatar(w, opener)
        body["discussionData"] = {
            "num": sub,
            "title": discussion_title(w, kind, repo, sub, bool(d.is_pr[k]))[0],
            "status": d.status(k),
            "isPullRequest": bool(d.is_pr[k]),
        }
    return body
