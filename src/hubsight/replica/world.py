"""The replica's generated world: owners, repos, likes, follows, and a clock that moves it on.

Everything is held in numpy columns so that a world of a million models is generated in seconds
and one day of evolution is a handful of vectorised operations. The world is a pure function of
``(seed, scale, start date, days advanced)``: two replicas with the same arguments serve the same Hub.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from hubsight.replica import vocab

SCALES: dict[str, int] = {"tiny": 2_000, "small": 20_000, "medium": 200_000, "large": 1_000_000}
KINDS = ("model", "dataset", "space")
KIND_CODE = {"model": 1, "dataset": 2, "space": 3}
LEGACY_CREATED_AT = datetime(2022, 3, 2, 23, 29, 4, tzinfo=UTC)
DAY = 86_400
ROLES = ["admin", "write", "contributor", "read"]


def parse_scale(value: str | int) -> int:
    """Number of models for a scale name or a plain positive integer."""
    if isinstance(value, int):
        n = value
    elif value in SCALES:
        return SCALES[value]
    else:
        try:
            n = int(str(value).replace("_", ""))
        except ValueError:
            raise ValueError(
                f"unknown scale {value!r}: use one of {', '.join(SCALES)} or a number of models"
            ) from None
    if n < 50:
        raise ValueError(f"scale {n} is too small: use at least 50 models")
    return n


@dataclass
class Owners:
    """Users first, then organisations; an owner's index is stable for the world's life."""

    names: list[str]
    fullnames: list[str]
    n_users: int
    is_pro: np.ndarray
    created: np.ndarray
    fame: np.ndarray
    index: dict[str, int] = field(default_factory=dict)
    lower_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {name: i for i, name in enumerate(self.names)}
        self.lower_index = {name.lower(): i for i, name in enumerate(self.names)}

    def is_org(self, i: int) -> bool:
        return i >= self.n_users

    def find(self, name: str) -> int | None:
        i = self.index.get(name)
        return i if i is not None else self.lower_index.get(name.lower())


class Repos:
    """Columns of one repo kind. Rows are never removed: deletion clears ``alive``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.ids: list[str] = []
        self.lower_ids: list[str] = []
        self.id_index: dict[str, int] = {}
        self.old_ids: dict[str, int] = {}
        self.cols: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __getattr__(self, name: str) -> np.ndarray:
        cols = self.__dict__.get("cols")
        if cols is not None and name in cols:
            return cols[name]
        raise AttributeError(name)

    def append(self, ids: list[str], cols: dict[str, np.ndarray]) -> None:
        start = len(self.ids)
        self.ids.extend(ids)
        self.lower_ids.extend(i.lower() for i in ids)
        for offset, rid in enumerate(ids):
            self.id_index[rid] = start + offset
        if not self.cols:
            self.cols = {k: np.asarray(v) for k, v in cols.items()}
        else:
            for k, v in cols.items():
                self.cols[k] = np.concatenate([self.cols[k], np.asarray(v, dtype=self.cols[k].dtype)])

    def rename(self, i: int, new_id: str) -> None:
        old = self.ids[i]
        del self.id_index[old]
        self.old_ids[old] = i
        self.ids[i] = new_id
        self.lower_ids[i] = new_id.lower()
        self.id_index[new_id] = i

    def find(self, repo_id: str) -> int | None:
        """Index of a live repo by id; a renamed repo's old id still finds it, as on the Hub."""
        i = self.id_index.get(repo_id)
        if i is None:
            i = self.old_ids.get(repo_id)
        if i is None or not self.cols["alive"][i]:
            return None
        return i

    def object_id(self, i: int, seed: int) -> str:
        return f"{(seed * 2654435761) & 0xFFFFFFFF:08x}{KIND_CODE[self.kind]:x}{i:015x}"


class Edges:
    """A growing list of (src, dst, ts) pairs with lazily built per-src and per-dst indexes."""

    def __init__(self, src: np.ndarray, dst: np.ndarray, ts: np.ndarray, extra: np.ndarray | None = None):
        self.src = src.astype(np.int64)
        self.dst = dst.astype(np.int64)
        self.ts = ts.astype(np.int64)
        self.extra = extra if extra is not None else np.zeros(len(src), dtype=np.int8)
        self._by: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.src)

    def add(self, src: np.ndarray, dst: np.ndarray, ts: np.ndarray, extra: np.ndarray | None = None) -> None:
        self.src = np.concatenate([self.src, src.astype(np.int64)])
        self.dst = np.concatenate([self.dst, dst.astype(np.int64)])
        self.ts = np.concatenate([self.ts, ts.astype(np.int64)])
        more = extra if extra is not None else np.zeros(len(src), dtype=np.int8)
        self.extra = np.concatenate([self.extra, more.astype(self.extra.dtype)])
        self._by.clear()

    def keys(self, width: int) -> np.ndarray:
        return self.dst * width + self.src

    def of(self, column: str, value: int) -> np.ndarray:
        """Edge positions whose ``column`` equals ``value``, newest first."""
        if column not in self._by:
            key = getattr(self, column)
            order = np.lexsort((-self.ts, key))
            self._by[column] = (order, key[order])
        order, sorted_key = self._by[column]
        lo, hi = np.searchsorted(sorted_key, [value, value + 1])
        return order[lo:hi]

    def counts(self, column: str, size: int) -> np.ndarray:
        return np.bincount(getattr(self, column), minlength=size)


def _stable_hash(*parts: object) -> int:
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _pick(rng: np.random.Generator, pairs: list[tuple[str, float]], size: int) -> np.ndarray:
    return rng.choice(len(pairs), size=size, p=vocab.weights(pairs)).astype(np.int16)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")


def _size_label(params: int) -> str:
    if params >= 1_000_000_000:
        b = params / 1e9
        return f"{b:.0f}B" if b >= 10 else f"{b:.1f}B".replace(".0B", "B")
    return f"{max(1, params // 1_000_000)}M"


class World:
    """The whole replica state. Mutated only by :meth:`advance`; every mutation bumps ``version``."""

    def __init__(self, seed: int = 0, scale: str | int = "small", start: date | None = None) -> None:
        self.seed = int(seed)
        self.scale_name = str(scale)
        self.n_models = parse_scale(scale)
        self.start = start or datetime.now(UTC).date()
        self.day = 0
        self.version = 0
        self.repos: dict[str, Repos] = {kind: Repos(kind) for kind in KINDS}
        self._recent_likes: dict[str, list[np.ndarray]] = {kind: [] for kind in KINDS}
        rng = self._rng("genesis")
        self._make_owners(rng)
        n_datasets = max(20, self.n_models // 4)
        n_spaces = max(30, self.n_models * 2 // 5)
        for kind, n in (("dataset", n_datasets), ("model", self.n_models), ("space", n_spaces)):
            self._add_repos(rng, kind, n, newborn=False)
        self._make_likes(rng)
        self._make_follows(rng)
        self._make_members(rng)

    # -- time ---------------------------------------------------------------------------------
    @property
    def start_ts(self) -> int:
        return int(datetime(self.start.year, self.start.month, self.start.day, 12, tzinfo=UTC).timestamp())

    @property
    def now_ts(self) -> int:
        return self.start_ts + self.day * DAY

    @property
    def today(self) -> date:
        return self.start + timedelta(days=self.day)

    def _rng(self, *parts: object) -> np.random.Generator:
        return np.random.default_rng([self.seed & 0xFFFFFFFF, _stable_hash(*parts) & 0xFFFFFFFF, self.day])

    # -- owners -------------------------------------------------------------------------------
    def _make_owners(self, rng: np.random.Generator) -> None:
        n_users = max(400, self.n_models // 5)
        n_orgs = max(60, self.n_models // 100)
        names: list[str] = []
        fullnames: list[str] = []
        seen: set[str] = set()

        def claim(name: str) -> str:
            base, k = name, 1
            while name.lower() in seen:
                k += 1
                name = f"{base}{k}"
            seen.add(name.lower())
            return name

        firsts = rng.integers(0, len(vocab.FIRST_NAMES), n_users)
        lasts = rng.integers(0, len(vocab.LAST_NAMES), n_users)
        nums = rng.integers(0, 1000, n_users)
        for i in range(n_users):
            if i < len(vocab.KNOWN_USERS):
                name = vocab.KNOWN_USERS[i]
                full = name.replace("-", " ").title()
            else:
                first, last = vocab.FIRST_NAMES[firsts[i]], vocab.LAST_NAMES[lasts[i]]
                style = nums[i] % 3
                name = f"{first}-{last}" if style == 0 else f"{first}{last}{nums[i]}" if style == 1 else f"{first}_{last}"
                full = f"{first.title()} {last.title()}"
            names.append(claim(name))
            fullnames.append(full)
        pre = rng.integers(0, len(vocab.ORG_PREFIXES), n_orgs)
        suf = rng.integers(0, len(vocab.ORG_SUFFIXES), n_orgs)
        for j in range(n_orgs):
            if j < len(vocab.KNOWN_ORGS):
                name = vocab.KNOWN_ORGS[j]
                full = name.replace("-", " ")
            else:
                name = f"{vocab.ORG_PREFIXES[pre[j]]}-{vocab.ORG_SUFFIXES[suf[j]]}"
                full = name.replace("-", " ").title()
            names.append(claim(name))
            fullnames.append(full)
        n = n_users + n_orgs
        is_pro = rng.random(n) < 0.07
        is_pro[: len(vocab.KNOWN_USERS)] = True
        is_pro[n_users:] = False
        # Fame decides who gets followed and who publishes: a Zipf law over a random order,
        # with the well-known names at the head.
        order = rng.permutation(n)
        fame = np.empty(n)
        fame[order] = 1.0 / (np.arange(n) + 20.0) ** 1.15
        fame[: len(vocab.KNOWN_USERS)] *= 30
        fame[n_users : n_users + len(vocab.KNOWN_ORGS)] *= 400
        fame[n_users + vocab.KNOWN_ORGS.index("lmarena-ai")] /= 300
        created = self.start_ts - (rng.random(n) ** 0.7 * 6 * 365 * DAY).astype(np.int64)
        self.owners = Owners(names, fullnames, n_users, is_pro, created, fame)

    # -- repos --------------------------------------------------------------------------------
    def _add_repos(self, rng: np.random.Generator, kind: str, n: int, newborn: bool) -> None:
        owners = self.owners
        table = self.repos[kind]
        p = owners.fame / owners.fame.sum()
        author = rng.choice(len(owners.names), size=n, p=p).astype(np.int32)
        now = self.now_ts
        if newborn:
            created = now - rng.integers(0, DAY, n)
        else:
            # Hub growth is roughly exponential: most repos are recent.
            age_days = rng.exponential(420, n).clip(0, 6 * 365)
            created = now - (age_days * DAY).astype(np.int64) - rng.integers(0, DAY, n)
        age = np.maximum(1.0, (now - created) / DAY)
        modified = created + ((now - created) * rng.random(n) ** 0.3).astype(np.int64)
        # Heavy tails: most repos have no likes at all, a handful have thousands.
        has_likes = rng.random(n) < (0.5 if newborn else 0.35)
        likes_target = np.where(has_likes, np.floor(rng.lognormal(0.2, 1.55, n)), 0).astype(np.int64)
        likes_target = np.minimum(likes_target, owners.n_users // 3)
        base_rate = likes_target / (age + 10.0) * rng.lognormal(0, 0.6, n)
        surge = rng.random(n) < (0.08 if newborn else 0.002)
        like_rate = base_rate + surge * rng.lognormal(2.5, 1.0, n)
        # a repo surging today has already collected a week of its surge
        likes_target = np.minimum(likes_target + surge * rng.poisson(like_rate * 7), owners.n_users // 3)
        cols: dict[str, np.ndarray] = {
            "author": author,
            "created": created.astype(np.int64),
            "modified": modified.astype(np.int64),
            "likes": np.zeros(n, dtype=np.int64),
            "likes_target": likes_target,
            "like_rate": like_rate,
            "trending": np.zeros(n, dtype=np.int64),
            "alive": np.ones(n, dtype=bool),
            "license": _pick(rng, vocab.LICENSES, n),
            "language": _pick(rng, vocab.LANGUAGES, n),
            "gated": np.where(rng.random(n) < 0.03, rng.integers(1, 3, n), 0).astype(np.int8),
            "legacy": (~np.full(n, newborn)) & (created < LEGACY_CREATED_AT.timestamp()),
        }
        if kind != "space":
            dl30 = np.floor(
                (likes_target + 0.3) ** 1.25 * rng.lognormal(2.2, 1.6, n) * (rng.random(n) < 0.92)
            )
            cols["dl_rate"] = dl30 / 30.0
            cols["dl30"] = dl30
            cols["dl_all"] = (dl30 * (1 + age / 30.0 * rng.lognormal(-0.5, 0.5, n))).astype(np.int64)
        if kind == "model":
            pipe = _pick(rng, vocab.PIPELINE_TAGS, n)
            pipe[rng.random(n) < 0.08] = -1
            lib = _pick(rng, vocab.LIBRARIES, n)
            lib[rng.random(n) < 0.05] = -1
            params = self._params_for(rng, pipe)
            params[rng.random(n) < 0.15] = 0
            base = np.full(n, -1, dtype=np.int64)
            existing = len(table)
            if existing:
                finetune = rng.random(n) < 0.35
                base[finetune] = rng.integers(0, existing, int(finetune.sum()))
            trained = np.where(
                rng.random(n) < 0.2, rng.integers(0, len(self.repos["dataset"]), n), -1
            ).astype(np.int64)
            cols |= {"pipeline": pipe, "library": lib, "params": params, "base": base, "trained": trained}
        elif kind == "dataset":
            cols |= {
                "task": _pick(rng, vocab.TASK_CATEGORIES, n),
                "size_cat": rng.integers(0, len(vocab.SIZE_CATEGORIES), n).astype(np.int16),
                "format": rng.integers(0, len(vocab.DATASET_FORMATS), n).astype(np.int16),
            }
        else:
            n_models = len(self.repos["model"])
            n_data = len(self.repos["dataset"])
            cols |= {
                "sdk": _pick(rng, vocab.SPACE_SDKS, n),
                "stage": _pick(rng, vocab.RUNTIME_STAGES, n),
                "hardware": np.where(rng.random(n) < 0.85, 0, rng.integers(1, len(vocab.HARDWARE), n)).astype(np.int16),
                "linked_model": np.where(rng.random(n) < 0.5, rng.integers(0, max(1, n_models), n), -1).astype(np.int64),
                "linked_dataset": np.where(rng.random(n) < 0.15, rng.integers(0, max(1, n_data), n), -1).astype(np.int64),
            }
        ids = self._names_for(rng, kind, n, author, cols)
        table.append(ids, cols)

    def _params_for(self, rng: np.random.Generator, pipe: np.ndarray) -> np.ndarray:
        n = len(pipe)
        text_gen = np.isin(pipe, [i for i, (t, _) in enumerate(vocab.PIPELINE_TAGS) if ("text" in t and "generation" in t) or t == "image-text-to-text"])
        big = rng.lognormal(np.log(7e9), 1.3, n)
        small = rng.lognormal(np.log(1.5e8), 1.4, n)
        params = np.where(text_gen, big, small).clip(1e5, 1.2e12)
        return params.astype(np.int64)

    def _names_for(self, rng: np.random.Generator, kind: str, n: int, author: np.ndarray, cols: dict) -> list[str]:
        owners = self.owners.names
        table = self.repos[kind]
        a = rng.integers(0, 1 << 30, (n, 4))
        ids: list[str] = []
        taken = table.id_index
        fresh: set[str] = set()
        special = kind == "dataset" and not len(table)
        for i in range(n):
            r = a[i]
            if kind == "model":
                fam = vocab.MODEL_FAMILIES[r[0] % len(vocab.MODEL_FAMILIES)]
                ver = f"{1 + r[1] % 4}.{r[1] % 3}" if r[1] % 5 else str(1 + r[1] % 4)
                size = _size_label(int(cols["params"][i])) if cols["params"][i] else ""
                variant = vocab.MODEL_VARIANTS[r[2] % len(vocab.MODEL_VARIANTS)] if r[2] % 3 else ""
                name = "-".join(x for x in (fam, ver, size, variant) if x)
            elif kind == "dataset":
                name = f"{vocab.DATASET_TOPICS[r[0] % len(vocab.DATASET_TOPICS)]}-{vocab.DATASET_NOUNS[r[1] % len(vocab.DATASET_NOUNS)]}"
                if r[2] % 2:
                    name += f"-{vocab.LANGUAGES[int(cols['language'][i])][0]}"
            else:
                name = f"{vocab.SPACE_ADJS[r[0] % len(vocab.SPACE_ADJS)]}-{vocab.SPACE_NOUNS[r[1] % len(vocab.SPACE_NOUNS)]}"
            rid = f"{owners[author[i]]}/{name}"
            if special and i == 0:
                # The LMArena leaderboard lives where the real one does.
                author[i] = self.owners.index["lmarena-ai"]
                rid = "lmarena-ai/leaderboard-dataset"
            k = 1
            base = rid
            while rid in taken or rid in fresh:
                k += 1
                rid = f"{base}-{k}"
            fresh.add(rid)
            ids.append(rid)
        return ids

    # -- social graph -------------------------------------------------------------------------
    def _like_edges(self, rng: np.random.Generator, kind: str, repo_idx: np.ndarray, lo_ts: np.ndarray) -> None:
        """Add likes for ``repo_idx`` (one entry per like), skipping (user, repo) pairs that exist."""
        n_users = self.owners.n_users
        if not len(repo_idx):
            return
        # Some users like a lot: a skewed draw over a fixed random order of users.
        users = self._liker_order[(rng.random(len(repo_idx)) ** 2.2 * n_users).astype(np.int64)]
        keys = repo_idx * n_users + users
        keys, first = np.unique(keys, return_index=True)
        edges = self.likes.get(kind)
        if edges is not None and len(edges):
            fresh = ~np.isin(keys, edges.keys(n_users), assume_unique=False)
            keys, first = keys[fresh], first[fresh]
        ts = lo_ts[first] + ((self.now_ts - lo_ts[first]) * rng.random(len(first)) ** 0.6).astype(np.int64)
        repos, users = keys // n_users, keys % n_users
        if edges is None:
            self.likes[kind] = Edges(users, repos, ts)
        else:
            edges.add(users, repos, ts)
        table = self.repos[kind]
        table.likes[:] += np.bincount(repos, minlength=len(table))

    def _make_likes(self, rng: np.random.Generator) -> None:
        self._liker_order = rng.permutation(self.owners.n_users)
        self.likes: dict[str, Edges] = {}
        for kind in KINDS:
            table = self.repos[kind]
            idx = np.repeat(np.arange(len(table)), table.likes_target)
            self._like_edges(rng, kind, idx, table.created[idx])
            # trending is last week's likes: never more than the repo has
            table.trending[:] = np.minimum(rng.poisson(table.like_rate * 7), table.likes)

    def _make_follows(self, rng: np.random.Generator) -> None:
        o = self.owners
        n_users, n = o.n_users, len(o.names)
        per_user = np.minimum(np.floor(rng.lognormal(1.2, 1.2, n_users)), 500).astype(np.int64)
        src = np.repeat(np.arange(n_users), per_user)
        dst = rng.choice(n, size=len(src), p=o.fame / o.fame.sum())
        keep = src != dst
        keys = np.unique(dst[keep] * n + src[keep])
        src, dst = keys % n, keys // n
        lo = np.maximum(o.created[src], o.created[dst])
        ts = lo + ((self.now_ts - lo) * rng.random(len(src))).astype(np.int64)
        self.follows = Edges(src, dst, ts)

    def _make_members(self, rng: np.random.Generator) -> None:
        o = self.owners
        n_orgs = len(o.names) - o.n_users
        size = np.minimum(np.floor(rng.lognormal(1.5, 1.1, n_orgs)) + 1, o.n_users // 2).astype(np.int64)
        org = np.repeat(np.arange(n_orgs) + o.n_users, size)
        user = rng.integers(0, o.n_users, len(org))
        # the well-known people work at huggingface
        hf = o.index["huggingface"]
        known = np.arange(len(vocab.KNOWN_USERS))
        org, user = np.concatenate([org, np.full(len(known), hf)]), np.concatenate([user, known])
        keys = np.unique(org * o.n_users + user)
        org, user = keys // o.n_users, keys % o.n_users
        role = np.where(rng.random(len(org)) < 0.15, 0, rng.integers(1, 4, len(org))).astype(np.int8)
        self.members = Edges(user, org, o.created[user], role)

    # -- the clock ----------------------------------------------------------------------------
    def advance(self, days: int = 1) -> None:
        """Move the world ``days`` on: likes and downloads grow, repos are born, die and are renamed."""
        for _ in range(days):
            self.day += 1
            rng = self._rng("day")
            for kind in KINDS:
                self._evolve(rng, kind)
            self.version += 1

    def _evolve(self, rng: np.random.Generator, kind: str) -> None:
        table = self.repos[kind]
        old = len(table)
        born = max(2, old // 1000) if kind != "dataset" else max(1, old // 1500)
        self._add_repos(rng, kind, born, newborn=True)
        n = len(table)
        alive = table.alive
        # momentum: rates drift multiplicatively and slowly decay; a few repos surge
        table.like_rate[:] *= rng.lognormal(-0.02, 0.18, n)
        surge = rng.choice(np.flatnonzero(alive), size=max(2, n // 20_000), replace=False)
        table.like_rate[surge] += rng.lognormal(2.8, 0.8, len(surge))
        new_likes = np.where(alive, rng.poisson(table.like_rate), 0)
        new_likes = np.minimum(new_likes, self.owners.n_users // 50 + 1)
        new_likes[old:] += table.likes_target[old:] // 4
        before = table.likes.copy()
        idx = np.repeat(np.arange(n), new_likes)
        self._like_edges(rng, kind, idx, np.maximum(table.created[idx], self.now_ts - DAY))
        gained = table.likes - before
        window = self._recent_likes[kind]
        window.append(gained)
        del window[:-7]
        trending = np.zeros(n, dtype=np.int64)
        for g in window:
            trending[: len(g)] += g
        table.trending[:] = trending
        if kind != "space":
            table.dl_rate[:] *= rng.lognormal(0.0, 0.12, n)
            table.dl_rate[surge] *= rng.lognormal(1.5, 0.5, len(surge))
            daily = np.where(alive, rng.poisson(table.dl_rate), 0)
            table.dl_all[:] += daily
            table.dl30[:] = np.floor(table.dl30 * (29 / 30) + daily)
        touched = alive & (rng.random(n) < 0.01 + gained / (gained + 5.0))
        table.modified[touched] = np.maximum(table.created[touched], self.now_ts - rng.integers(0, DAY, int(touched.sum())))
        # deaths and renames, mostly among the obscure and never on the day of birth
        obscure = np.flatnonzero(alive[:old] & (table.likes[:old] < 3))
        if len(obscure) > 10:
            doomed = rng.choice(obscure, size=max(1, old // 5000), replace=False)
            table.alive[doomed] = False
            renamed = rng.choice(obscure, size=max(1, old // 8000), replace=False)
            for i in renamed:
                if table.alive[i]:
                    owner, name = table.ids[i].split("/", 1)
                    new_id = f"{owner}/{name}-v{self.day + 1}"
                    if new_id not in table.id_index:
                        table.rename(int(i), new_id)
                        table.modified[i] = self.now_ts

    # -- queries shared by the routes ---------------------------------------------------------
    def tags(self, kind: str, i: int) -> list[str]:
        return self.tag_rows(kind, [i])[0]

    def tag_rows(self, kind: str, idx: list[int]) -> list[list[str]]:
        """The Hub tag list of each row, built column-wise (this is on every listing's hot path)."""
        cols = self.repos[kind].cols
        arr = np.asarray(idx, dtype=np.int64)
        langs = [lang for lang, _ in vocab.LANGUAGES]
        lics = [f"license:{lic}" for lic, _ in vocab.LICENSES]
        lang_l = cols["language"][arr].tolist()
        lic_l = cols["license"][arr].tolist()
        out: list[list[str]] = []
        if kind == "model":
            libs = vocab.names(vocab.LIBRARIES)
            pipes = vocab.names(vocab.PIPELINE_TAGS)
            gguf, transformers = libs.index("gguf"), libs.index("transformers")
            chat = {pipes.index("text-generation"), pipes.index("image-text-to-text")}
            model_ids, data_ids = self.repos["model"].ids, self.repos["dataset"].ids
            rows = zip(
                cols["library"][arr].tolist(), cols["pipeline"][arr].tolist(), cols["base"][arr].tolist(),
                cols["trained"][arr].tolist(), lang_l, lic_l, strict=True,
            )
            for lib, pipe, base, trained, lang, lic in rows:
                tags = [libs[lib]] if lib >= 0 else []
                tags.append("gguf" if lib == gguf else "safetensors")
                if pipe >= 0:
                    tags.append(pipes[pipe])
                    if pipe in chat:
                        tags.append("conversational")
                if base >= 0:
                    tags.append(f"base_model:{model_ids[base]}")
                if trained >= 0:
                    tags.append(f"dataset:{data_ids[trained]}")
                tags += [langs[lang], lics[lic]]
                if lib == transformers:
                    tags.append("endpoints_compatible")
                tags.append("region:us")
                out.append(tags)
            return out
        if kind == "dataset":
            tasks = vocab.names(vocab.TASK_CATEGORIES)
            rows = zip(cols["task"][arr].tolist(), cols["size_cat"][arr].tolist(), cols["format"][arr].tolist(), lang_l, lic_l, strict=True)
            return [
                [
                    f"task_categories:{tasks[task]}", f"language:{langs[lang]}",
                    f"size_categories:{vocab.SIZE_CATEGORIES[size]}", f"format:{vocab.DATASET_FORMATS[fmt]}",
                    "library:datasets", lics[lic], "region:us",
                ]
                for task, size, fmt, lang, lic in rows
            ]
        sdks = vocab.names(vocab.SPACE_SDKS)
        return [[sdks[sdk], lics[lic], "region:us"] for sdk, lic in zip(cols["sdk"][arr].tolist(), lic_l, strict=True)]

    def tag_mask(self, kind: str, tag: str) -> np.ndarray:
        """Rows whose tag list contains ``tag``, computed from columns without building tag lists."""
        t = self.repos[kind]
        n = len(t)
        none = np.zeros(n, dtype=bool)

        def code_of(pairs: list, value: str) -> int:
            names = [p[0] if isinstance(p, tuple) else p for p in pairs]
            return names.index(value) if value in names else -10

        if tag == "region:us":
            return np.ones(n, dtype=bool)
        if tag.startswith("license:"):
            return t.license == code_of(vocab.LICENSES, tag[8:])
        if kind == "model":
            if tag.startswith("base_model:"):
                i = self.repos["model"].find(tag.split(":", 1)[1].removeprefix("finetune:"))
                return none if i is None else t.base == i
            if tag.startswith("dataset:"):
                i = self.repos["dataset"].find(tag[8:])
                return none if i is None else t.trained == i
            if tag == "conversational":
                return np.isin(t.pipeline, [code_of(vocab.PIPELINE_TAGS, "text-generation"), code_of(vocab.PIPELINE_TAGS, "image-text-to-text")])
            if tag == "endpoints_compatible":
                return t.library == code_of(vocab.LIBRARIES, "transformers")
            if tag == "safetensors":
                return t.library != code_of(vocab.LIBRARIES, "gguf")
            if (c := code_of(vocab.LIBRARIES, tag)) >= 0:
                return t.library == c
            if (c := code_of(vocab.PIPELINE_TAGS, tag)) >= 0:
                return t.pipeline == c
            return t.language == code_of(vocab.LANGUAGES, tag.removeprefix("language:"))
        if kind == "dataset":
            prefix, _, value = tag.partition(":")
            if prefix == "task_categories":
                return t.task == code_of(vocab.TASK_CATEGORIES, value)
            if prefix == "language":
                return t.language == code_of(vocab.LANGUAGES, value)
            if prefix == "size_categories":
                return t.size_cat == code_of(vocab.SIZE_CATEGORIES, value)
            if prefix == "format":
                return t.format == code_of(vocab.DATASET_FORMATS, value)
            return np.ones(n, dtype=bool) if tag == "library:datasets" else none
        return t.sdk == code_of(vocab.SPACE_SDKS, tag)

    def owner_repo_counts(self, owner: int) -> dict[str, int]:
        return {kind: int(np.count_nonzero((self.repos[kind].author == owner) & self.repos[kind].alive)) for kind in KINDS}

    def token_user(self, token: str | None) -> int | None:
        """The user a replica token belongs to: tokens are ``hf_replica_<username>``."""
        if not token or not token.startswith("hf_replica_"):
            return None
        i = self.owners.index.get(token.removeprefix("hf_replica_"))
        return i if i is not None and not self.owners.is_org(i) else None

    def sha(self, kind: str, i: int) -> str:
        modified = int(self.repos[kind].cols["modified"][i])
        return hashlib.sha1(f"{self.seed}:{kind}:{i}:{modified}".encode()).hexdigest()
