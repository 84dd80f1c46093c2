"""Collections: who curates what, when each item was added, and their bodies as the Hub serves them."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from hubsight.replica import vocab
from hubsight.replica.community.base import (
    _cached,
    _choice,
    _salt,
    object_id,
    slugify,
    uniform,
)
from hubsight.replica.community.cards import author_data, repo_card
from hubsight.replica.papers import arxiv_world
from hubsight.replica.render import iso
from hubsight.replica.world import DAY, World

COLLECTIONS_LAUNCH = int(datetime(2023, 8, 15, tzinfo=UTC).timestamp())
ITEM_TYPES = ("model", "dataset", "space", "paper", "collection")
KINDS_ORDER = ("model", "dataset", "space")  # ITEM_TYPES codes 0..2


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
