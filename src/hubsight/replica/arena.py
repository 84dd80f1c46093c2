"""The LMArena leaderboard, laid out like the real ``lmarena-ai/leaderboard-dataset``.

Subsets (``text``, ``vision``, ``webdev``, ``text-to-image`` …) each have a ``latest`` and a ``full``
split stored as ``{subset}/{split}-00000-of-00001.parquet``. The leaderboard is republished on an
irregular schedule (every 2–7 days); ``full`` holds every publish date up to the world's today and
``latest`` only the newest one, so advancing the clock makes new publish dates appear.

Ratings are generated, not recorded: each model enters a subset some days after its release, its
rating follows a deterministic mean-reverting random walk around a base score (newer models are
generally stronger), votes accumulate while it is active, and confidence intervals narrow with the
vote count. ``rank`` is LMArena's "rank (UB)": one plus the number of models whose lower bound lies
above this model's upper bound, within one (publish date, subset, category).

Everything is a pure function of ``(seed, today)``; the model roster does not depend on the seed.
Random draws come in fixed blocks of publish dates so that moving ``today`` never changes history.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hubsight.lru import LRU
from hubsight.replica.world import _stable_hash

if TYPE_CHECKING:
    from hubsight.replica.world import World

REPO_ID = "lmarena-ai/leaderboard-dataset"
SPLITS = ("latest", "full")
FIRST_PUBLISH = date(2024, 6, 1)

# Subsets in the order the real dataset card lists them, with the date each one started.
SUBSET_START: dict[str, date] = {
    "text": date(2024, 6, 1),
    "text_style_control": date(2024, 8, 27),
    "vision": date(2024, 6, 1),
    "vision_style_control": date(2025, 5, 1),
    "search": date(2025, 4, 14),
    "search_style_control": date(2025, 4, 14),
    "document": date(2025, 8, 15),
    "document_style_control": date(2025, 8, 15),
    "webdev": date(2024, 12, 16),
    "text-to-image": date(2024, 11, 5),
    "image-edit": date(2025, 6, 10),
    "text-to-video": date(2025, 6, 20),
    "image-to-video": date(2025, 6, 20),
    "video-edit": date(2025, 10, 15),
}
SUBSETS = list(SUBSET_START)

# Categories per base subset, each with the share of the subset's votes it receives.
CATEGORIES: dict[str, dict[str, float]] = {
    "text": {
        "overall": 1.0, "coding": 0.22, "math": 0.07, "creative_writing": 0.12, "hard_prompts": 0.28,
        "hard_prompts_english": 0.16, "if": 0.2, "longer_query": 0.25, "multi_turn": 0.15,
        "english": 0.55, "chinese": 0.06, "expert": 0.05,
    },
    "vision": {"overall": 1.0, "english": 0.6, "chinese": 0.1},
    "search": {"overall": 1.0, "english": 0.7},
    "document": {"overall": 1.0, "english": 0.65},
    "webdev": {"overall": 1.0},
    "text-to-image": {"overall": 1.0, "portraits": 0.15, "text_rendering": 0.08, "art": 0.2},
    "image-edit": {"overall": 1.0},
    "text-to-video": {"overall": 1.0},
    "image-to-video": {"overall": 1.0},
    "video-edit": {"overall": 1.0},
}
# Roster group letter of each base subset, and votes a typical model gets there per day.
GROUP = {
    "text": "L", "vision": "V", "document": "D", "webdev": "W", "search": "S", "text-to-image": "I",
    "image-edit": "E", "text-to-video": "T", "image-to-video": "G", "video-edit": "X",
}
TRAFFIC = {
    "text": 90.0, "vision": 30.0, "document": 20.0, "webdev": 45.0, "search": 40.0, "text-to-image": 70.0,
    "image-edit": 50.0, "text-to-video": 30.0, "image-to-video": 25.0, "video-edit": 12.0,
}
MIN_VOTES = 50  # LMArena hides (model, category) pairs with too few votes
BLOCK = 32  # publish dates per block of random draws
PHI, SIGMA, SIGMA_ENTRY, SIGMA_RETIRED = 0.93, 2.5, 12.0, 0.3

SCHEMA = pa.schema(
    [
        ("model_name", pa.string()),
        ("organization", pa.string()),
        ("license", pa.string()),
        ("rating", pa.float64()),
        ("rating_lower", pa.float64()),
        ("rating_upper", pa.float64()),
        ("variance", pa.float64()),
        ("vote_count", pa.int64()),
        ("rank", pa.int64()),
        ("category", pa.string()),
        ("leaderboard_publish_date", pa.string()),
    ]
)

# -- paths ------------------------------------------------------------------------------------------
def parquet_paths() -> list[str]:
    """Every parquet file of the dataset, in git tree order."""
    return sorted(f"{subset}/{split}-00000-of-00001.parquet" for subset in SUBSETS for split in SPLITS)


def parse_path(path: str) -> tuple[str, str] | None:
    """``(subset, split)`` of a parquet path, or None for any other path."""
    m = re.fullmatch(r"([a-z_-]+)/(latest|full)-00000-of-00001\.parquet", path)
    if m is None or m.group(1) not in SUBSET_START:
        return None
    return m.group(1), m.group(2)


def configs() -> list[dict[str, Any]]:
    """The ``configs`` block of the dataset card: one config per subset, one data file per split."""
    return [
        {"config_name": s, "data_files": [{"split": sp, "path": f"{s}/{sp}-*"} for sp in SPLITS]}
        for s in SUBSETS
    ]


def card_data() -> dict[str, Any]:
    """What the real dataset card declares (licence, name, configs)."""
    return {"license": "cc-by-4.0", "pretty_name": "LMArena Leaderboard", "configs": configs()}


# -- the clock --------------------------------------------------------------------------------------
def _rng(seed: int, *parts: object) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, _stable_hash(*parts) & 0xFFFFFFFF])


def _unit(*parts: object) -> float:
    """A seed-independent uniform number in [0, 1) for roster facts."""
    return (_stable_hash(*parts) >> 11) / float(1 << 53)


def _schedule_until(seed: int, n_min: int, until: date) -> list[date]:
    """Publish dates, in blocks of gaps drawn per block, until both ``n_min`` dates and ``until`` are covered."""
    dates = [FIRST_PUBLISH]
    b = 0
    while len(dates) < n_min or dates[-1] <= until:
        gaps = _rng(seed, "arena-schedule", b).integers(2, 8, 64)
        for g in gaps.tolist():
            dates.append(dates[-1] + timedelta(days=g))
        b += 1
    return dates


def publish_dates(seed: int, today: date) -> list[date]:
    """Every publish date on or before ``today`` (the leaderboard never publishes in the future)."""
    return [d for d in _schedule_until(seed, 0, today) if d <= today]


def noon_ts(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, 12, tzinfo=UTC).timestamp())


def last_modified(world: World, i: int) -> int:
    """The dataset's last commit time: the world's own, or the newest publish date if that is later."""
    dates = publish_dates(world.seed, world.today)
    own = int(world.repos["dataset"].modified[i])
    return max(own, noon_ts(dates[-1])) if dates else own


def commit(world: World, i: int) -> str:
    """The dataset's commit sha, formed like ``World.sha`` so both agree once ``modified`` keeps up."""
    return hashlib.sha1(f"{world.seed}:dataset:{i}:{last_modified(world, i)}".encode()).hexdigest()


# -- the roster -------------------------------------------------------------------------------------
def _data_rows(name: str) -> list[dict[str, str]]:
    """The rows of ``data/{name}``, a CSV file shipped with the package."""
    with files("hubsight.replica").joinpath("data", name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# The real models, one row of ``data/arena_models.csv`` each: (model_name, organization, license,
# release date, base score, groups). For language models the score is the text-arena rating; other
# groups derive theirs from it. Media and search models carry the rating of their own arena. Groups:
# L text, V vision, D document, W webdev, S search, I text-to-image, E image-edit, T text-to-video,
# G image-to-video, X video-edit.
@cache
def _roster_models() -> tuple[tuple[str, str, str, str, float, str], ...]:
    return tuple(
        (r["model_name"], r["organization"], r["license"], r["release"], int(r["score"]), r["groups"])
        for r in _data_rows("arena_models.csv")
    )


# Successors released after the real roster ends, one row of ``data/arena_lineages.csv`` each: (name
# template, organization, license, groups, first release, first score, score gain per release, mean
# days between releases, first version k).
@cache
def _lineages() -> tuple[tuple[str, str, str, str, str, float, float, int, int], ...]:
    return tuple(
        (r["template"], r["organization"], r["license"], r["groups"], r["first_release"], int(r["first_score"]),
         int(r["gain"]), int(r["every_days"]), int(r["first_k"]))
        for r in _data_rows("arena_lineages.csv")
    )


def _lineage_models(until: date) -> list[tuple[str, str, str, str, float, str]]:
    out = []
    for template, org, lic, groups, first, score0, gain, every, k0 in _lineages():
        release = date.fromisoformat(first)
        step = 0
        while release <= until:
            name = template.format(
                k=k0 + step, ymd=release.strftime("%Y%m%d"), mmdd=release.strftime("%m%d"),
                yymm=release.strftime("%y%m"),
            )
            name = re.sub(r"\.0(?=-|$)", "", name)
            jitter = (_unit("arena-jitter", name) - 0.5) * 12
            out.append((name, org, lic, release.isoformat(), score0 + gain * step + jitter, groups))
            step += 1
            release += timedelta(days=int(every * (0.7 + 0.6 * _unit("arena-gap", template, step))))
    return out


def _base_score(base: str, name: str, score: float) -> float:
    """A model's score in ``base``: language-model subsets scale the text score, others use it as is."""
    off = (_unit("arena-offset", base, name) - 0.5) * 30
    if base == "vision":
        return 1000 + (score - 1000) * 0.65 + off
    if base == "document":
        return 1000 + (score - 1000) * 0.7 + off
    if base == "webdev":
        return 1000 + (score - 1150) * 1.6 + off * 1.5
    if base in ("image-edit", "image-to-video", "video-edit"):
        return score + off
    return score


def roster(base: str, until: date) -> list[dict[str, Any]]:
    """Models of a base subset released by ``until``, ordered by (entry date, name), with their entry date."""
    group = GROUP[base]
    start = SUBSET_START[base]
    seen: set[str] = set()
    rows = []
    for name, org, lic, rel, score, groups in (*_roster_models(), *_lineage_models(until)):
        release = date.fromisoformat(rel)
        if group not in groups or release > until or name in seen:
            continue
        seen.add(name)
        lag = 2 + int(_unit("arena-lag", name) * 12)
        entry = max(release + timedelta(days=lag), start)
        rows.append(
            {"name": name, "org": org, "license": lic, "entry": entry, "score": _base_score(base, name, score)}
        )
    rows.sort(key=lambda r: (r["entry"], r["name"]))
    return rows


# -- the leaderboard --------------------------------------------------------------------------------
def _noise(seed: int, base: str, schedule: list[date], n_dates: int, models: list[dict], n_cat: int) -> np.ndarray:
    """Standard normals (n_dates, len(models), n_cat), drawn per block of dates so history never changes."""
    entries = np.array([m["entry"].toordinal() for m in models], dtype=np.int64)
    out = np.zeros((n_dates, len(models), n_cat))
    for b in range((n_dates + BLOCK - 1) // BLOCK):
        block_end = schedule[(b + 1) * BLOCK - 1].toordinal()
        # Every model entered by the block's last date takes part in the draw, even past today.
        width = int(np.count_nonzero(entries <= block_end)) if len(models) else 0
        eps = _rng(seed, "arena-walk", base, b).standard_normal((BLOCK, width, n_cat))
        lo, hi = b * BLOCK, min(n_dates, (b + 1) * BLOCK)
        take = min(width, len(models))
        out[lo:hi, :take] = eps[: hi - lo, :take]
    return out


def _ranks(group: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Rank (UB) per row: 1 + rows of the same group whose lower bound exceeds this row's upper bound."""
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    span = 1e5  # wider than any rating, so groups never overlap once shifted
    key_lower = np.sort(group * span + lower)
    ends = np.searchsorted(key_lower, group * span + span / 2, side="left")
    above = ends - np.searchsorted(key_lower, group * span + upper, side="right")
    return (1 + above).astype(np.int64)


def _dict_column(indices: np.ndarray, values: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(values, pa.string())).cast(
        pa.string()
    )


def _build(seed: int, today: date, subset: str) -> pa.Table:
    base = subset.removesuffix("_style_control")
    styled = base != subset
    cats = list(CATEGORIES[base])
    shares = np.array([CATEGORIES[base][c] for c in cats])
    dates = publish_dates(seed, today)
    n_dates = len(dates)
    if not n_dates:
        return SCHEMA.empty_table()
    schedule = _schedule_until(seed, ((n_dates + BLOCK - 1) // BLOCK) * BLOCK, today)
    models = roster(base, schedule[((n_dates + BLOCK - 1) // BLOCK) * BLOCK - 1])
    eps_all = _noise(seed, base, schedule, n_dates, models, len(cats))
    models = [m for m in models if m["entry"] <= today]
    n_models, n_cat = len(models), len(cats)
    if not n_models:
        return SCHEMA.empty_table()
    eps = eps_all[:, :n_models]
    date_ord = np.array([d.toordinal() for d in dates], dtype=np.int64)
    entry = np.array([m["entry"].toordinal() for m in models], dtype=np.int64)
    score = np.array([m["score"] for m in models])

    # Per-model facts that depend on the seed: category strengths, style penalty, traffic, lifetime.
    cat_off = np.zeros((n_models, n_cat))
    style_off = np.zeros((n_models, n_cat))
    rate = np.zeros(n_models)
    span = np.zeros(n_models, dtype=np.int64)
    spread = np.zeros((n_models, n_cat))
    for j, m in enumerate(models):
        r = _rng(seed, "arena-model", base, m["name"])
        cat_off[j, 1:] = r.normal(0, 12, n_cat - 1)
        style_off[j] = r.normal(-3, 12) + r.normal(0, 4, n_cat)
        rate[j] = TRAFFIC[base] * r.lognormal(0, 0.5)
        span[j] = int(r.integers(270, 720))
        spread[j] = np.exp(r.normal(0, 0.1, n_cat))

    # A mean-reverting walk per (model, category); a new model starts far off and settles.
    active = entry[None, :] <= date_ord[:, None]  # (D, M)
    retired = date_ord[:, None] > (entry + span)[None, :]
    walk = np.zeros((n_dates, n_models, n_cat))
    x = np.zeros((n_models, n_cat))
    was = np.zeros(n_models, dtype=bool)
    for t in range(n_dates):
        now = active[t]
        step = np.where(retired[t][:, None], SIGMA_RETIRED, SIGMA)
        moved = np.where(retired[t][:, None], x, PHI * x) + step * eps[t]
        x = np.where((now & ~was)[:, None], SIGMA_ENTRY * eps[t], np.where(now[:, None], moved, 0.0))
        walk[t] = x
        was = now

    rating = score[None, :, None] + cat_off[None] + walk
    if styled:
        rating = rating + style_off[None]
    days = np.clip(date_ord[:, None] - entry[None, :] + 7, 0, (span + 7)[None, :])  # votes start before entry
    votes = np.floor(rate[None, :, None] * shares[None, None, :] * days[:, :, None]).astype(np.int64)
    variance = 65_000.0 / np.maximum(votes, 1) * spread[None] * (1.3 if styled else 1.0)
    half = 1.96 * np.sqrt(variance)

    keep = active[:, :, None] & (votes >= MIN_VOTES) & (date_ord >= SUBSET_START[subset].toordinal())[:, None, None]
    t_idx, m_idx, c_idx = np.nonzero(keep)
    r = rating[keep]
    lo, hi = r - half[keep], r + half[keep]
    order = np.lexsort((-r, c_idx, t_idx))
    t_idx, m_idx, c_idx, r, lo, hi = t_idx[order], m_idx[order], c_idx[order], r[order], lo[order], hi[order]
    rank = _ranks(t_idx * n_cat + c_idx, lo, hi)
    names = [m["name"] for m in models]
    return pa.table(
        [
            _dict_column(m_idx, names),
            _dict_column(m_idx, [m["org"] for m in models]),
            _dict_column(m_idx, [m["license"] for m in models]),
            pa.array(r, pa.float64()),
            pa.array(lo, pa.float64()),
            pa.array(hi, pa.float64()),
            pa.array(variance[keep][order], pa.float64()),
            pa.array(votes[keep][order], pa.int64()),
            pa.array(rank, pa.int64()),
            _dict_column(c_idx, cats),
            _dict_column(t_idx, [d.isoformat() for d in dates]),
        ],
        schema=SCHEMA,
    )


# Budgets in bytes: a text ``full`` table is ~15 MB in memory and ~8 MB as parquet in late 2026.
_tables: LRU[tuple[int, date, str], pa.Table] = LRU(160 << 20, size=lambda t: t.nbytes)
_bytes: LRU[tuple[int, date, str], bytes] = LRU(96 << 20, size=len)


def table(seed: int, today: date, subset: str, split: str = "full") -> pa.Table:
    """The ground truth of one file: the subset's rows as of ``today``, every date or only the newest."""
    if subset not in SUBSET_START or split not in SPLITS:
        raise ValueError(f"unknown subset/split {subset!r}/{split!r}: use one of {SUBSETS} and {SPLITS}")
    key = (seed, today, subset)
    full = _tables.get(key)
    if full is None:
        full = _build(seed, today, subset)
        _tables.put(key, full)
    if split == "full" or not full.num_rows:
        return full
    dates = full.column("leaderboard_publish_date")
    newest = max(dates.unique().to_pylist())
    return full.filter(pc.equal(dates, newest))


def rows(seed: int, today: date, subset: str, split: str = "full") -> list[dict[str, Any]]:
    """The ground truth as plain dicts (for tests and debugging)."""
    return table(seed, today, subset, split).to_pylist()


def _features() -> bytes:
    """The ``huggingface`` schema metadata the datasets library writes, so loaders see typed features."""
    kinds = {pa.string(): "string", pa.float64(): "float64", pa.int64(): "int64"}
    feats = {f.name: {"dtype": kinds[f.type], "_type": "Value"} for f in SCHEMA}
    return json.dumps({"info": {"features": feats}}).encode()


def parquet_bytes(seed: int, today: date, path: str) -> bytes | None:
    """The bytes of one dataset file as of ``today``, or None if ``path`` is not a parquet file of the dataset."""
    parsed = parse_path(path)
    if parsed is None:
        return None
    key = (seed, today, path)
    cached = _bytes.get(key)
    if cached is not None:
        return cached
    t = table(seed, today, *parsed)
    t = t.replace_schema_metadata({b"huggingface": _features()})
    sink = io.BytesIO()
    pq.write_table(t, sink, compression="snappy", row_group_size=100_000)
    data = sink.getvalue()
    _bytes.put(key, data)
    return data
