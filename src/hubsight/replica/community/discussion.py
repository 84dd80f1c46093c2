"""Discussions and pull requests: which repo has which, their threads of events, PR diffs."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from hubsight.replica import vocab
from hubsight.replica.community.base import _cached, _choice, _salt, avatar, object_id, uniform
from hubsight.replica.community.people import actor_brief, actor_ref, pick_users, repo_staff
from hubsight.replica.render import iso
from hubsight.replica.world import DAY, KIND_CODE, KINDS, World


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
