"""Activity feeds: an entity's likes, publications, updates and discussions, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hubsight.replica.community.base import avatar
from hubsight.replica.community.cards import repo_card
from hubsight.replica.community.discussion import discussion_title, discussions
from hubsight.replica.render import iso
from hubsight.replica.world import KIND_CODE, KINDS, World

ACTIVITY_TYPES = ("like", "publish", "update", "discussion")


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
