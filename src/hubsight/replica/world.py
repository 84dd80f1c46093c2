"""The replica's generated world: owners, repos, likes, follows, and a clock that moves it on.

Everything is held in numpy columns so that a world of a million models is generated in seconds
and one day of evolution is a handful of vectorised operations. The world is a pure function of
``(seed, scale, start date, days advanced)``: two replicas with the same arguments serve the same Hub.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from hubsight.replica import families, vocab

SCALES: dict[str, int] = {"tiny": 2_000, "small": 20_000, "medium": 200_000, "large": 1_000_000}
KINDS = ("model", "dataset", "space")
KIND_CODE = {"model": 1, "dataset": 2, "space": 3}
LEGACY_CREATED_AT = datetime(2022, 3, 2, 23, 29, 4, tzinfo=UTC)
DAY = 86_400
ROLES = ["admin", "write", "contributor", "read"]
LMARENA_DATASET = "lmarena-ai/leaderboard-dataset"
# libraries whose repos hold no safetensors weights (agents' zips, checkpoints of their own)
NO_SAFETENSORS = ("stable-baselines3", "ml-agents", "ultralytics", "nemo", "espnet")


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
        self.last_suffix: dict[str, int] = {}  # the highest -k a wanted id was given

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


@dataclass(frozen=True)
class _Table:
    """Per-family choices padded into arrays, so that a draw for many rows is one comparison."""

    values: np.ndarray  # (families, width) codes; -1 pads
    cum: np.ndarray  # (families, width) cumulative probabilities; 2.0 pads

    def draw(self, rng: np.random.Generator, fam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position, value) of one weighted choice per row of family ``fam``."""
        if not len(fam):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=self.values.dtype)
        u = rng.random(len(fam))
        k = (u[:, None] >= self.cum[fam]).sum(axis=1)
        return k, self.values[fam, k]


def _padded(rows: list[list[tuple[object, float]]], dtype=np.int64) -> _Table:
    width = max(len(r) for r in rows)
    values = np.full((len(rows), width), -1, dtype=dtype)
    cum = np.full((len(rows), width), 2.0)
    for f, row in enumerate(rows):
        w = np.array([x[1] for x in row], dtype=float)
        c = np.cumsum(w / w.sum()) if w.sum() > 0 else np.linspace(1 / len(row), 1, len(row))
        c[-1] = 1.0
        values[f, : len(row)] = [x[0] for x in row]
        cum[f, : len(row)] = c
    return _Table(values, cum)


@dataclass(frozen=True)
class _Catalogue:
    """The family, topic and space tables of families.py as codes into vocab."""

    pipelines: _Table
    libraries: _Table
    sizes: _Table  # values are parameter counts
    finetune_pipelines: _Table  # per family: what a finetune of it does
    family_weights: np.ndarray
    kind: np.ndarray  # family -> index into KIND_NAMES
    n_versions: np.ndarray
    n_variants: np.ndarray
    license: np.ndarray  # family -> license code or -1
    family_licenses: np.ndarray  # the license codes some family has as its own
    publisher_specs: list[tuple[str, ...]]
    topic_tasks: _Table
    topic_formats: _Table
    space_sdks: _Table
    space_pipeline: np.ndarray  # space kind -> pipeline code or -1
    corrections: _Table  # per family: the pipelines a correction may move a model to
    n_corrections: np.ndarray
    retask: np.ndarray  # per family: a finetune of it may do another task (a bert finetuned for NER)
    stage_cum: np.ndarray  # (stage, next stage) cumulative daily transition probabilities
    stage_commit: np.ndarray  # (stage, next stage) True when the move is a commit (lastModified moves)


FAMILY_KINDS = ("llm", "vlm", "encoder", "embedding", "seq2seq", "diffusion", "video", "asr", "tts", "audio",
                "vision", "detection", "rl", "robotics", "other")


@functools.cache
def catalogue() -> _Catalogue:
    fams = families.FAMILIES
    pipes = vocab.names(vocab.PIPELINE_TAGS)
    libs = vocab.names(vocab.LIBRARIES)
    lics = vocab.names(vocab.LICENSES)
    tasks = vocab.names(vocab.TASK_CATEGORIES)
    sdks = vocab.names(vocab.SPACE_SDKS)
    finetune = []
    corrections = []
    for f in fams:
        options = families.FINETUNE_PIPELINES.get(f.kind, f.pipelines)
        finetune.append([(pipes.index(p), w) for p, w in options])
        retaskable = f.kind in ("encoder", "embedding") or (f.kind == "vision" and "image-classification" in dict(f.pipelines))
        merged = dict(f.pipelines) | (dict(options) if retaskable else {})
        corrections.append([(pipes.index(p), w) for p, w in merged.items()])
    return _Catalogue(
        pipelines=_padded([[(pipes.index(p), w) for p, w in f.pipelines] for f in fams]),
        libraries=_padded([[(libs.index(x), w) for x, w in f.libraries] for f in fams]),
        sizes=_padded([[(params, w) for _, params, w in f.sizes] for f in fams], dtype=np.float64),
        finetune_pipelines=_padded(finetune),
        family_weights=np.array([f.weight for f in fams]) / sum(f.weight for f in fams),
        kind=np.array([FAMILY_KINDS.index(f.kind) for f in fams], dtype=np.int16),
        n_versions=np.array([len(f.versions) for f in fams]),
        n_variants=np.array([len(f.variants) for f in fams]),
        license=np.array([lics.index(f.license) if f.license else -1 for f in fams], dtype=np.int16),
        family_licenses=np.array([lics.index(x) for x in families.FAMILY_LICENSES]),
        publisher_specs=list(families.PUBLISHERS.values()),
        topic_tasks=_padded([[(tasks.index(t), w) for t, w in topic[1]] for topic in families.DATASET_TOPICS]),
        topic_formats=_padded([[(vocab.DATASET_FORMATS.index(x), w) for x, w in topic[2]] for topic in families.DATASET_TOPICS]),
        space_sdks=_padded([[(sdks.index(x), w) for x, w in kind[1]] for kind in families.SPACE_KINDS]),
        space_pipeline=np.array([pipes.index(k[2]) if k[2] else -1 for k in families.SPACE_KINDS], dtype=np.int64),
        corrections=_padded(corrections),
        n_corrections=np.array([len(c) for c in corrections]),
        retask=np.array([f.kind in ("encoder", "embedding") or (f.kind == "vision" and "image-classification" in dict(f.pipelines))
                         for f in fams]),
        **_stage_tables(),
    )


# How a Space's runtime stage moves in a day: most sleep when nobody visits, some break, most
# broken ones get fixed. Any stage not named stays where it is.
STAGE_MOVES: dict[str, dict[str, float]] = {
    "RUNNING": {"SLEEPING": 0.3, "RUNTIME_ERROR": 0.015, "BUILD_ERROR": 0.008, "BUILDING": 0.02,
                "RUNNING_BUILDING": 0.01, "PAUSED": 0.003},
    "SLEEPING": {"RUNNING": 0.05, "BUILDING": 0.01, "RUNTIME_ERROR": 0.005, "PAUSED": 0.002},
    "PAUSED": {"RUNNING": 0.03},
    "BUILD_ERROR": {"BUILDING": 0.15, "RUNNING": 0.15},
    "RUNTIME_ERROR": {"RUNNING": 0.2, "BUILDING": 0.1},
    "BUILDING": {"RUNNING": 0.8, "BUILD_ERROR": 0.15},
    "RUNNING_BUILDING": {"RUNNING": 0.85, "BUILD_ERROR": 0.1},
    "APP_STARTING": {"RUNNING": 0.8, "RUNTIME_ERROR": 0.15},
    "CONFIG_ERROR": {"BUILDING": 0.2},
    "STOPPED": {"RUNNING": 0.02},
    "NO_APP_FILE": {"BUILDING": 0.05},
}
# Moves that take a commit: a build starts, breaks or a broken Space is fixed. Sleeping, waking
# and crashing change no file, so they leave lastModified alone, as on the Hub.
_COMMIT_TARGETS = ("BUILDING", "RUNNING_BUILDING", "BUILD_ERROR", "CONFIG_ERROR", "NO_APP_FILE")
_ERRORS = ("BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE")


def _stage_tables() -> dict[str, np.ndarray]:
    stages = vocab.names(vocab.RUNTIME_STAGES)
    m = len(stages)
    prob = np.zeros((m, m))
    commit = np.zeros((m, m), dtype=bool)
    for a, moves in STAGE_MOVES.items():
        for b, p in moves.items():
            prob[stages.index(a), stages.index(b)] = p
            commit[stages.index(a), stages.index(b)] = b in _COMMIT_TARGETS or (a in _ERRORS and b == "RUNNING")
    prob[np.arange(m), np.arange(m)] = 1.0 - prob.sum(axis=1)
    cum = np.cumsum(prob, axis=1)
    cum[:, -1] = 1.0
    return {"stage_cum": cum, "stage_commit": commit}


def _derived_suffixes(relation: str, pipeline: str, library: str) -> tuple[str, ...]:
    """What a derived model's name adds to its base's: "-GGUF", "-lora", "-finetuned-sst2", "-slerp"."""
    if relation == "quantized":
        return families.QUANT_SUFFIXES.get(library, families.QUANT_SUFFIXES["gguf"])
    if relation == "finetune":
        return families.FINETUNE_SUFFIXES.get(pipeline, families.FINETUNE_SUFFIXES["_"])
    if relation == "adapter":
        return families.IMAGE_LORA_SUFFIXES if pipeline in ("text-to-image", "image-to-image") else families.ADAPTER_SUFFIXES
    return families.MERGE_SUFFIXES


def _nth_name(kind: str, rid: str, k: int) -> str:
    """The k-th repo that wanted ``rid``: models get a revision ("-0528", "-v2") before a number."""
    revisions = families.REVISIONS
    if kind == "model" and k - 2 < len(revisions):
        return f"{rid}-{revisions[k - 2]}"
    return f"{rid}-{k}"


def _kinds(*names: str) -> list[int]:
    return [FAMILY_KINDS.index(n) for n in names]


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
        # what each organisation is known for: an index into families.PUBLISHERS, or -1
        self.publisher = np.full(n, -1, dtype=np.int16)
        for k, org in enumerate(families.PUBLISHERS):
            if (j := self.owners.index.get(org)) is not None:
                self.publisher[j] = k
        self.data_publisher = np.full(n, -1, dtype=np.int16)
        for k, org in enumerate(families.DATASET_PUBLISHERS):
            if (j := self.owners.index.get(org)) is not None:
                self.data_publisher[j] = k

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
        license_ = _pick(rng, vocab.LICENSES, n)
        gated = np.where(rng.random(n) < 0.03, rng.integers(1, 3, n), 0).astype(np.int8)
        shapes: dict[str, np.ndarray] = {}
        short: list[str] | None = None
        if kind == "model":
            # a derived model is younger than its base, and takes its license
            shapes, short, created = self._model_shapes(rng, n, author, created, license_, gated)
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
            "license": license_,
            "language": _pick(rng, vocab.LANGUAGES, n),
            "gated": gated,
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
            trained = np.where(
                rng.random(n) < 0.2, rng.integers(0, len(self.repos["dataset"]), n), -1
            ).astype(np.int64)
            cols |= shapes | {"trained": trained}
        elif kind == "dataset":
            cat = catalogue()
            topic = rng.integers(0, len(families.DATASET_TOPICS), n).astype(np.int16)
            # publishers known for one kind of data publish that kind
            pub = self.data_publisher[author]
            for k in np.unique(pub[pub >= 0]).tolist():
                rows = np.flatnonzero(pub == k)
                names = [t[0] for t in families.DATASET_TOPICS]
                own = [names.index(x) for x in list(families.DATASET_PUBLISHERS.values())[k]]
                topic[rows] = rng.choice(own, size=len(rows))
            if not len(table):
                # the first dataset becomes the LMArena leaderboard (see _names_for)
                topic[0] = [t[0] for t in families.DATASET_TOPICS].index("eval")
            cols |= {
                "topic": topic,
                "task": cat.topic_tasks.draw(rng, topic)[1].astype(np.int16),
                "size_cat": rng.integers(0, len(vocab.SIZE_CATEGORIES), n).astype(np.int16),
                "format": cat.topic_formats.draw(rng, topic)[1].astype(np.int16),
            }
        else:
            cols |= self._space_shapes(rng, n)
        ids = self._names_for(rng, kind, n, author, cols, short)
        table.append(ids, cols)

    def _model_shapes(
        self, rng: np.random.Generator, n: int, author: np.ndarray, created: np.ndarray,
        license_: np.ndarray, gated: np.ndarray,
    ) -> tuple[dict[str, np.ndarray], list[str], np.ndarray]:
        """Family, pipeline, library, size and base of ``n`` new models, and their names (without owner).

        Organisations publish their own families; quantisers publish GGUF/MLX copies of popular
        models; everyone else publishes a family at the Hub's rough shares, or derives a finetune,
        adapter, quantisation or merge from an existing model, named after it.
        """
        cat = catalogue()
        fams = families.FAMILIES
        table = self.repos["model"]
        existing = len(table)
        libs = vocab.names(vocab.LIBRARIES)
        pipes = vocab.names(vocab.PIPELINE_TAGS)
        pub = self.publisher[author]
        specs = cat.publisher_specs
        quant_lib = np.full(n, -1, dtype=np.int64)  # the library a quantiser publishes in
        family = rng.choice(len(fams), size=n, p=cat.family_weights).astype(np.int16)
        relation = np.full(n, -1, dtype=np.int8)
        generic = pub < 0
        derive = generic & (rng.random(n) < 0.55)
        relation[derive] = rng.choice(4, size=int(derive.sum()), p=[0.45, 0.22, 0.22, 0.11])
        for k in np.unique(pub[pub >= 0]).tolist():
            rows = np.flatnonzero(pub == k)
            choice = np.array(specs[k])[rng.integers(0, len(specs[k]), len(rows))]
            quant = np.char.startswith(choice, "quantize:")
            relation[rows[quant]] = families.RELATIONS.index("quantized")
            quant_lib[rows[quant]] = [libs.index(c.split(":", 1)[1]) for c in choice[quant]]
            own = rows[~quant]
            family[own] = [families.FAMILY_INDEX[c] for c in choice[~quant]]
        # every row first gets the family's own pipeline, library, size, version and variant;
        # derived rows then take their base's
        pipeline = cat.pipelines.draw(rng, family)[1].astype(np.int16)
        library = cat.libraries.draw(rng, family)[1].astype(np.int16)
        size_k, nominal = cat.sizes.draw(rng, family)
        params = (nominal * rng.lognormal(0.0, 0.03, n)).astype(np.int64)
        version = (rng.random(n) * cat.n_versions[family]).astype(np.int64)
        variant = (rng.random(n) * cat.n_variants[family]).astype(np.int64)
        own_license = cat.license[family]
        has_own = (own_license >= 0) & (rng.random(n) < 0.9)
        license_[has_own] = own_license[has_own]
        # a family's own license (llama3.1, gemma, ...) goes with that family only
        borrowed = ~has_own & np.isin(license_, cat.family_licenses)
        license_[borrowed] = vocab.names(vocab.LICENSES).index("apache-2.0")
        orig = np.flatnonzero(relation < 0)
        # derived models: a base among the originals (existing or new), popular ones more often
        base = np.full(n, -1, dtype=np.int64)
        if existing:
            old_orig = np.flatnonzero(table.alive & (table.base < 0))
            pool_fam = np.concatenate([table.family[old_orig], family[orig]])
            pool_id = np.concatenate([old_orig, existing + orig])
            pool_w = np.concatenate([
                self.owners.fame[table.author[old_orig]] ** 0.5 * (1.0 + table.likes[old_orig]),
                self.owners.fame[author[orig]] ** 0.5,
            ])
        else:
            pool_fam, pool_id, pool_w = family[orig], orig.astype(np.int64), self.owners.fame[author[orig]] ** 0.5
        # people derive from the popular families (Llama, Qwen) far more than from the rest
        pool_w = pool_w * cat.family_weights[pool_fam]
        pool_kind = cat.kind[pool_fam]
        eligible = {
            "finetune": ~np.isin(pool_kind, _kinds("rl", "robotics")),
            "adapter": np.isin(pool_kind, _kinds("llm", "vlm", "diffusion")),
            "quantized": np.isin(pool_kind, _kinds("llm", "vlm")),
            "merge": pool_kind == FAMILY_KINDS.index("llm"),
        }
        for r, rel in enumerate(families.RELATIONS):
            rows = np.flatnonzero(relation == r)
            ok = np.flatnonzero(eligible[rel])
            if not len(rows):
                continue
            if not len(ok):
                relation[rows] = -1
                continue
            w = pool_w[ok]
            picked = rng.choice(ok, size=len(rows), p=w / w.sum())
            base[rows] = pool_id[picked]
        derived = np.flatnonzero(base >= 0)
        relation[base < 0] = -1
        orig = np.flatnonzero(base < 0)
        # the big labs gate their flagship originals
        lab = orig[pub[orig] >= 0]
        for name, how in {"Llama": 2, "gemma": 1, "FLUX": 1, "paligemma": 1}.items():
            gated[lab[family[lab] == families.FAMILY_INDEX[name]]] = how
        # what a derived model inherits from its base
        in_batch = base[derived] >= existing
        src = base[derived]

        def of_base(column: str, batch_values: np.ndarray) -> np.ndarray:
            out = np.empty(len(derived), dtype=batch_values.dtype)
            out[in_batch] = batch_values[src[in_batch] - existing]
            if existing:
                out[~in_batch] = table.cols[column][src[~in_batch]]
            return out

        family[derived] = of_base("family", family)
        params[derived] = of_base("params", params)
        pipeline[derived] = of_base("pipeline", pipeline)
        library[derived] = of_base("library", library)
        license_[derived] = of_base("license", license_)
        created[derived] = np.minimum(
            np.maximum(created[derived], of_base("created", created) + rng.integers(3_600, 30 * DAY, len(derived))),
            self.now_ts - rng.integers(60, 3_600, len(derived)),
        )
        rel = relation[derived]
        fd = family[derived]
        tune = rel == families.RELATIONS.index("finetune")
        retask = tune & cat.retask[fd]
        pipeline[derived[retask]] = cat.finetune_pipelines.draw(rng, fd[retask])[1]
        lib_of = {name: libs.index(name) for name in ("transformers", "peft", "diffusers", "gguf", "mlx", "sentence-transformers", "setfit")}
        similarity = pipeline[derived] == pipes.index("sentence-similarity")
        library[derived[retask & similarity]] = lib_of["sentence-transformers"]
        embed_cls = retask & (cat.kind[fd] == FAMILY_KINDS.index("embedding")) & (pipeline[derived] == pipes.index("text-classification"))
        library[derived[embed_cls]] = lib_of["setfit"]
        adapter = rel == families.RELATIONS.index("adapter")
        image = cat.kind[fd] == FAMILY_KINDS.index("diffusion")
        library[derived[adapter]] = np.where(image[adapter], lib_of["diffusers"], lib_of["peft"])
        quantized = rel == families.RELATIONS.index("quantized")
        chosen = quant_lib[derived]
        drawn = np.array([lib_of["gguf"], lib_of["transformers"], lib_of["mlx"]])[rng.choice(3, size=len(derived), p=[0.6, 0.25, 0.15])]
        library[derived[quantized]] = np.where(chosen >= 0, chosen, drawn)[quantized]
        library[derived[rel == families.RELATIONS.index("merge")]] = lib_of["transformers"]
        # sentence similarity is what sentence-transformers models do
        library[pipeline == pipes.index("sentence-similarity")] = lib_of["sentence-transformers"]
        # some uploads carry no parameter count (pickles, no safetensors metadata)
        params[generic & (rng.random(n) < 0.08)] = 0
        cols = {
            "pipeline": pipeline, "library": library, "params": params, "base": base,
            "family": family, "relation": relation,
        }
        # names: originals from the family's parts, derived ones after their base
        short: list = [""] * n
        stems = [[f.stem(v) for v in f.versions] for f in fams]
        labels = [[x[0] for x in f.sizes] for f in fams]
        fam_l, ver_l, var_l, size_l = family.tolist(), version.tolist(), variant.tolist(), size_k.tolist()
        for i in orig.tolist():
            fi = fam_l[i]
            short[i] = "-".join(x for x in (stems[fi][ver_l[i]], labels[fi][size_l[i]], fams[fi].variants[var_l[i]]) if x)
        options_for: dict[tuple[int, int, int], tuple[str, ...]] = {}
        texts = rng.integers(0, 1 << 30, len(derived)).tolist()
        rows = zip(derived.tolist(), relation[derived].tolist(), pipeline[derived].tolist(), library[derived].tolist(),
                   base[derived].tolist(), texts, strict=True)
        for i, r, pipe, lib, b, text in rows:
            key = (r, pipe, lib)
            options = options_for.get(key)
            if options is None:
                options = options_for[key] = _derived_suffixes(families.RELATIONS[r], pipes[pipe] if pipe >= 0 else "", libs[lib])
            short[i] = ("", options[text % len(options)], b)
        return cols, short, created

    def _space_shapes(self, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        """SDK, stage, hardware and linked repos from what the space is (its noun)."""
        cat = catalogue()
        noun = rng.integers(0, len(families.SPACE_KINDS), n).astype(np.int16)
        sdk = cat.space_sdks.draw(rng, noun)[1].astype(np.int16)
        static = sdk == vocab.names(vocab.SPACE_SDKS).index("static")
        stage = _pick(rng, vocab.RUNTIME_STAGES, n)
        stage[static] = vocab.names(vocab.RUNTIME_STAGES).index("RUNNING")
        hardware = np.where(rng.random(n) < 0.85, 0, rng.integers(1, len(vocab.HARDWARE), n)).astype(np.int16)
        hardware[static] = 0
        models = self.repos["model"]
        n_models, n_data = len(models), len(self.repos["dataset"])
        linked = np.where(rng.random(n) < 0.3, rng.integers(0, max(1, n_models), n), -1).astype(np.int64)
        if n_models:
            # a transcriber links a speech model, a chatbot a text-generation model
            want = cat.space_pipeline[noun]
            linked[want >= 0] = -1
            for code in np.unique(want[want >= 0]).tolist():
                rows = np.flatnonzero((want == code) & (rng.random(n) < 0.75))
                pool = np.flatnonzero(models.pipeline == code)
                if len(pool):
                    linked[rows] = rng.choice(pool, size=len(rows))
        return {
            "noun": noun,
            "sdk": sdk,
            "stage": stage,
            "hardware": hardware,
            "linked_model": linked,
            "linked_dataset": np.where(rng.random(n) < 0.15, rng.integers(0, max(1, n_data), n), -1).astype(np.int64),
        }

    def _names_for(
        self, rng: np.random.Generator, kind: str, n: int, author: np.ndarray, cols: dict, short: list | None = None,
    ) -> list[str]:
        owners = self.owners.names
        table = self.repos[kind]
        a = rng.integers(0, 1 << 30, (n, 4))
        ids: list[str | None] = [None] * n
        taken = table.id_index
        fresh: set[str] = set()
        special = kind == "dataset" and not len(table)
        existing = len(table)

        def claim(i: int, name: str) -> None:
            rid = f"{owners[author[i]]}/{name}"
            if special and i == 0:
                # The LMArena leaderboard lives where the real one does.
                author[i] = self.owners.index["lmarena-ai"]
                rid = "lmarena-ai/leaderboard-dataset"
            k = table.last_suffix.get(rid, 1)
            base = rid
            if k > 1:
                rid = _nth_name(kind, base, k)
            while rid in taken or rid in fresh:
                k += 1
                rid = _nth_name(kind, base, k)
            if k > 1:
                table.last_suffix[base] = k
            fresh.add(rid)
            ids[i] = rid

        if kind == "model":
            assert short is not None
            derived = []
            for i in range(n):
                if isinstance(short[i], str):
                    claim(i, short[i])
                else:
                    derived.append(i)
            # derived models are named after their base, once the new bases have their ids
            for i in derived:
                _, suffix, b = short[i]
                base_id = ids[b - existing] if b >= existing else table.ids[b]
                claim(i, f"{base_id.split('/', 1)[1]}-{suffix}")
            return ids  # type: ignore[return-value]
        topics = [t[0] for t in families.DATASET_TOPICS]
        nouns = [k[0] for k in families.SPACE_KINDS]
        for i in range(n):
            r = a[i]
            if kind == "dataset":
                name = f"{topics[int(cols['topic'][i])]}-{families.DATASET_NOUNS[r[1] % len(families.DATASET_NOUNS)]}"
                if r[2] % 2:
                    name += f"-{vocab.LANGUAGES[int(cols['language'][i])][0]}"
            else:
                name = f"{vocab.SPACE_ADJS[r[0] % len(vocab.SPACE_ADJS)]}-{nouns[int(cols['noun'][i])]}"
            claim(i, name)
        return ids  # type: ignore[return-value]

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
        """Move the world ``days`` on: likes and downloads grow, repos are born, die and are renamed,
        and metadata is edited (Space stages, gating, licenses, pipeline tags, base models)."""
        for _ in range(days):
            self.day += 1
            rng = self._rng("day")
            for kind in KINDS:
                self._evolve(rng, kind)
            for kind in KINDS:
                self._evolve_metadata(kind)
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
        if kind == "dataset":  # the LMArena leaderboard (dataset 0) is read by every arena crawl: it stays put
            obscure = obscure[obscure != 0]
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

    def _evolve_metadata(self, kind: str) -> None:
        """A day of metadata edits: gating, licenses, pipeline corrections, new base models, Space stages.

        Every edit but a Space falling asleep, waking up or crashing is a commit, so the repo's
        lastModified (and sha) move to today.
        """
        rng = self._rng("metadata", kind)
        t = self.repos[kind]
        n = len(t)
        live = t.alive.copy()
        if kind == "dataset" and (i := t.id_index.get(LMARENA_DATASET)) is not None:
            live[i] = False  # the leaderboard's commits follow its publications (arena.py)
        commits: list[np.ndarray] = []

        def some(mask: np.ndarray, k: int) -> np.ndarray:
            pool = np.flatnonzero(mask)
            return rng.choice(pool, size=min(k, len(pool)), replace=False) if len(pool) else pool

        if kind == "space":
            commits.append(self._evolve_stages(rng, t, live))
        else:
            # a few repos get gated (auto or manual approval), more of the gated ones open up again
            gate = some(live & (t.gated == 0), max(1, n // 2500))
            t.gated[gate] = rng.integers(1, 3, len(gate))
            n_gated = int(np.count_nonzero(live & (t.gated > 0)))
            ungate = some(live & (t.gated > 0) & ~np.isin(np.arange(n), gate), max(1, n_gated // 30))
            t.gated[ungate] = 0
            commits += [gate, ungate]
        # a few licenses change (a model never to another family's own license)
        relicensed = some(live, max(1, n // 3000))
        new = _pick(rng, vocab.LICENSES, len(relicensed))
        same = new == t.license[relicensed]
        new[same] = (new[same] + 1) % len(vocab.LICENSES)
        if kind == "model":
            cat = catalogue()
            borrowed = np.isin(new, cat.family_licenses) & (new != cat.license[t.family[relicensed]])
            new[borrowed] = np.where(t.license[relicensed[borrowed]] == 0, 1, 0)  # apache-2.0 or mit
        t.license[relicensed] = new
        commits.append(relicensed)
        if kind == "model":
            commits += [self._correct_pipelines(rng, t, live, some), self._cite_bases(rng, t, live, some)]
        touched = np.unique(np.concatenate(commits)) if commits else np.zeros(0, dtype=np.int64)
        # the day's commits happen between midnight and now (noon), so lastModified is today
        t.modified[touched] = np.maximum(t.created[touched], self.now_ts - rng.integers(0, DAY // 2, len(touched)))

    def _evolve_stages(self, rng: np.random.Generator, t: Repos, live: np.ndarray) -> np.ndarray:
        """Move every Space's runtime stage on a day; returns the Spaces whose move was a commit."""
        cat = catalogue()
        stages = vocab.names(vocab.RUNTIME_STAGES)
        static = t.sdk == vocab.names(vocab.SPACE_SDKS).index("static")
        rows = np.flatnonzero(live & ~static)  # static Spaces are files: they are always up
        stage = t.stage[rows].astype(np.int64)
        nxt = (rng.random(len(rows))[:, None] >= cat.stage_cum[stage]).sum(axis=1)
        # a sleeping Space that people visited today (and liked) was woken up
        window = self._recent_likes["space"]
        if window:
            visited = np.zeros(len(t), dtype=bool)
            visited[: len(window[-1])] = window[-1] > 0
            woken = visited[rows] & (stage == stages.index("SLEEPING"))
            nxt[woken] = stages.index("RUNNING")
        commit = cat.stage_commit[stage, nxt]
        t.stage[rows] = nxt
        return rows[commit]

    def _correct_pipelines(self, rng: np.random.Generator, t: Repos, live: np.ndarray, some) -> np.ndarray:
        """A few models' pipeline tags are corrected, to another task their family does."""
        cat = catalogue()
        rows = some(live & (cat.n_corrections[t.family] >= 2), max(1, len(t) // 4000))
        new = cat.corrections.draw(rng, t.family[rows])[1]
        again = new == t.pipeline[rows]
        new[again] = cat.corrections.draw(rng, t.family[rows[again]])[1]
        similarity = vocab.names(vocab.PIPELINE_TAGS).index("sentence-similarity")
        st = vocab.names(vocab.LIBRARIES).index("sentence-transformers")
        ok = (new != t.pipeline[rows]) & ((new != similarity) | (t.library[rows] == st))
        t.pipeline[rows[ok]] = new[ok]
        return rows[ok]

    def _cite_bases(self, rng: np.random.Generator, t: Repos, live: np.ndarray, some) -> np.ndarray:
        """A few models' cards start naming their base: a well-known original of the same family."""
        cat = catalogue()
        rl = np.isin(cat.kind[t.family], _kinds("rl", "robotics"))
        orphans = some(live & (t.base < 0) & (self.publisher[t.author] < 0) & ~rl, max(2, len(t) // 3000))
        if not len(orphans):
            return orphans
        known = np.flatnonzero(live & (t.base < 0) & (self.publisher[t.author] >= 0))
        order = np.argsort(t.family[known], kind="stable")
        known, keys = known[order], t.family[known][order]
        libs = vocab.names(vocab.LIBRARIES)
        relation_of = {libs.index("gguf"): "quantized", libs.index("mlx"): "quantized", libs.index("peft"): "adapter"}
        cited = []
        picks = rng.random(len(orphans))
        for i, u in zip(orphans.tolist(), picks.tolist(), strict=True):
            lo, hi = np.searchsorted(keys, [t.family[i], t.family[i] + 1])
            if hi <= lo:
                continue
            b = int(known[lo + int(u * (hi - lo))])
            if b == i:
                continue
            t.base[i] = b
            t.relation[i] = families.RELATIONS.index(relation_of.get(int(t.library[i]), "finetune"))
            cited.append(i)
        return np.array(cited, dtype=np.int64)

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
            no_weights = {gguf, *(libs.index(x) for x in NO_SAFETENSORS)}
            chat = {pipes.index("text-generation"), pipes.index("image-text-to-text")}
            model_types = [f.model_type for f in families.FAMILIES]
            relations = families.RELATIONS
            model_ids, data_ids = self.repos["model"].ids, self.repos["dataset"].ids
            rows = zip(
                cols["library"][arr].tolist(), cols["pipeline"][arr].tolist(), cols["base"][arr].tolist(),
                cols["relation"][arr].tolist(), cols["family"][arr].tolist(),
                cols["trained"][arr].tolist(), lang_l, lic_l, strict=True,
            )
            for lib, pipe, base, rel, fam, trained, lang, lic in rows:
                tags = [libs[lib]] if lib >= 0 else []
                if lib not in no_weights:
                    tags.append("safetensors")
                if lib == transformers:
                    tags.append(model_types[fam])
                if pipe >= 0:
                    tags.append(pipes[pipe])
                    if pipe in chat:
                        tags.append("conversational")
                if trained >= 0:
                    tags.append(f"dataset:{data_ids[trained]}")
                tags.append(langs[lang])
                if base >= 0:
                    tags += [f"base_model:{model_ids[base]}", f"base_model:{relations[rel]}:{model_ids[base]}"]
                tags.append(lics[lic])
                if lib == transformers:
                    tags.append("endpoints_compatible")
                tags.append("region:us")
                out.append(list(dict.fromkeys(tags)))
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
                rest = tag.split(":", 1)[1]
                relation, _, rid = rest.partition(":")
                if relation in families.RELATIONS and rid:
                    i = self.repos["model"].find(rid)
                    return none if i is None else (t.base == i) & (t.relation == families.RELATIONS.index(relation))
                i = self.repos["model"].find(rest)
                return none if i is None else t.base == i
            if tag.startswith("dataset:"):
                i = self.repos["dataset"].find(tag[8:])
                return none if i is None else t.trained == i
            if tag == "conversational":
                return np.isin(t.pipeline, [code_of(vocab.PIPELINE_TAGS, "text-generation"), code_of(vocab.PIPELINE_TAGS, "image-text-to-text")])
            if tag == "endpoints_compatible":
                return t.library == code_of(vocab.LIBRARIES, "transformers")
            if tag == "safetensors":
                return ~np.isin(t.library, [code_of(vocab.LIBRARIES, x) for x in ("gguf", *NO_SAFETENSORS)])
            if (c := code_of(vocab.LIBRARIES, tag)) >= 0:
                return t.library == c
            if (c := code_of(vocab.PIPELINE_TAGS, tag)) >= 0:
                return t.pipeline == c
            typed = [k for k, f in enumerate(families.FAMILIES) if f.model_type == tag]
            if typed:
                return np.isin(t.family, typed) & (t.library == code_of(vocab.LIBRARIES, "transformers"))
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
