"""Users and organisations as the Hub's profile, discussion and feed payloads show them."""

from __future__ import annotations

from typing import Any

import numpy as np

from hubsight.replica import vocab
from hubsight.replica.community.base import _cached, _choice, _salt, _u, avatar, object_id, uniform
from hubsight.replica.world import ROLES, World

_BIOS = [
    "ML engineer working on {a} {b}.",
    "Researcher interested in {a} and {b}.",
    "Open-source enthusiast building {a} tools.",
    "PhD student: {a} {b}, mostly.",
    "I fine-tune small models for {a} {b}.",
    "Making {a} models faster and cheaper.",
]
SOCIAL_KEYS = ("websiteUrl", "twitterUsername", "githubUsername", "linkedinUsername", "blueskyUsername")


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
    for key, p, x in zip(SOCIAL_KEYS, (0.2, 0.3, 0.45, 0.15, 0.1), r[3:], strict=True):
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
