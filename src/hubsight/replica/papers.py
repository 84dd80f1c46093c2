"""The replica's arXiv: a deterministic stream of AI papers, and the Hub's daily papers on top of it.

Every calendar day from ``FIRST_DAYS_BACK`` days before the world's start has a fixed set of
submissions, a pure function of ``(seed, scale, date)``; the clock only decides which of them are
visible (submitted before ``now``), so advancing it reveals new papers and nothing else changes.
A day is first drawn as cheap numpy columns (times, ids, category bitmasks, revisions, daily-paper
picks) so that category and date queries never build text; a paper's text is built on demand from
its own seeded generator, so building one paper never requires building its neighbours.

The arXiv search engine (``search``) lives here too: ``arxiv_query`` parses a query, this module
answers it, routes render.
"""

from __future__ import annotations

import math
import random
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import numpy as np

from hubsight.lru import LRU
from hubsight.replica import vocab
from hubsight.replica.arxiv_query import (
    ARXIV_ID,
    QueryError,
    norm,
    parse_id_list,
    parse_query,
    span,
    text_terms,
)
from hubsight.replica.world import DAY, World, _stable_hash

FIRST_DAYS_BACK = 400
MAIN_CATEGORIES = ["cs.AI", "cs.LG", "cs.CL", "cs.CV", "stat.ML"]
PRIMARY_WEIGHTS = [0.14, 0.30, 0.24, 0.24, 0.08]
CATS = list(vocab.ARXIV_CATEGORIES)
# Chance that a paper is cross-listed in each category of CATS (besides its primary one).
CROSS_LIST = [0.35, 0.35, 0.12, 0.12, 0.10, 0.05, 0.05, 0.03, 0.04]
# Sequence numbers reserved per calendar day inside a month: ids grow with the date and stay 5 digits.
SEQ_STRIDE = 900
# How many days after submission a paper reaches the Hub's daily papers (1, 2 or 3).
DAILY_DELAY_WEIGHTS = [0.55, 0.30, 0.15]
DAILY_TARGET = 15
# A search hit: (day ordinal, row in the day, version to show or 0 for the latest).
Ref = tuple[int, int, int]

UNIVERSITIES = [
    "Tsinghua University", "Stanford University", "Massachusetts Institute of Technology", "ETH Zurich",
    "University of Oxford", "Carnegie Mellon University", "Peking University", "University of Toronto",
    "KAIST", "University of Tokyo", "EPFL", "University of Cambridge", "UC Berkeley", "Mila",
    "National University of Singapore", "Shanghai AI Laboratory", "University of Washington", "Inria",
]
VENUES = ["NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "ICCV", "AAAI", "COLM", "NAACL"]
JOURNALS = [
    ("Transactions on Machine Learning Research", "10.48550/tmlr"),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", "10.1109/TPAMI"),
    ("Journal of Machine Learning Research", "10.5555/jmlr"),
    ("Nature Machine Intelligence", "10.1038/s42256"),
    ("Computational Linguistics", "10.1162/coli"),
]
_GLUE = ["For", "With", "Via", "In", "Under", "Beyond", "for", "with", "via", "in"]
TITLES = [
    "{a}: {0} {1} {g} {2} {3}",
    "{0} {1} {g} {2} {3}",
    "Towards {0} {1} in {2} {3}",
    "On the {0} of {1} {2}",
    "Rethinking {0} {1} for {2} {3}",
    "{0} {1}: A Benchmark for {2} {3}",
    "{a}: Scaling {1} {2} with {4} {5}",
    "{0} {1} Is All You Need for {2} {3}",
    "{a}: {0} {2} for {3} {4}",
]


def daily_rate(n_models: int) -> int:
    """Mean arXiv AI submissions a day: the replica's arXiv grows with its Hub, but stays moderate."""
    return 40 if n_models < 20_000 else 120 if n_models < 200_000 else 300


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    affiliation: str | None
    user: int  # owner index of the Hub user who claimed this authorship, or -1


@dataclass(frozen=True, slots=True)
class Paper:
    id: str
    day: date
    published: int
    revised: int  # epoch seconds of v2, or 0 when the paper is never revised
    title: str
    summary: str
    authors: tuple[Author, ...]
    primary: str
    categories: tuple[str, ...]
    comment: str | None
    journal_ref: str | None
    doi: str | None
    org: int  # owner index of the organisation behind the paper, or -1

    def version(self, now: int) -> int:
        return 2 if self.revised and self.revised <= now else 1

    def updated(self, now: int) -> int:
        return self.revised if self.version(now) == 2 else self.published


@dataclass(frozen=True, slots=True)
class DailyPaper:
    """A paper as submitted to the Hub's daily papers; counters grow with the clock."""

    paper: Paper
    submitted: int
    submitter: int
    final_upvotes: int
    final_comments: int
    final_stars: int
    github_repo: str | None
    project_page: str | None
    ai_summary: str | None
    ai_keywords: tuple[str, ...]
    discussion_id: str
    media_urls: tuple[str, ...]

    def age_days(self, now: int) -> float:
        return max(0.0, (now - self.submitted) / DAY)

    def upvotes(self, now: int) -> int:
        return max(1, round(self.final_upvotes * (1 - math.exp(-self.age_days(now) / 2))))

    def comments(self, now: int) -> int:
        return round(self.final_comments * (1 - math.exp(-self.age_days(now) / 3)))

    def stars(self, now: int) -> int | None:
        if not self.github_repo:
            return None
        return round(self.final_stars * (1 - 0.7 * math.exp(-self.age_days(now) / 10)))


@dataclass(frozen=True)
class DayPlan:
    """One day's submissions as columns, sorted by submission time (and so by id)."""

    day: date
    published: np.ndarray
    seq: np.ndarray
    primary: np.ndarray  # index into CATS
    cats: np.ndarray  # bitmask over CATS
    revised: np.ndarray
    daily_after: np.ndarray  # days until the Hub's daily papers, 0 = never

    def __len__(self) -> int:
        return len(self.seq)

    def arxiv_id(self, j: int) -> str:
        return f"{self.day.year % 100:02d}{self.day.month:02d}.{int(self.seq[j]):05d}"


class _FastRandom(random.Random):
    """``random.Random`` whose choice/randint/sample ride on the C-level ``random()``.

    The stock versions go through a Python-level bit loop and dominate paper generation; a text
    search over a year of papers builds every one of them.
    """

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def sample(self, population, k, *, counts=None):  # type: ignore[override]
        out: list = []
        while len(out) < k:
            x = population[int(self.random() * len(population))]
            if x not in out:
                out.append(x)
        return out


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _title_case(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


class ArxivWorld:
    """Paper generation and caches for one (seed, scale, start); shared by replicas with equal keys."""

    def __init__(self, w: World) -> None:
        self.seed = w.seed & 0xFFFFFFFF
        self.rate = daily_rate(w.n_models)
        self.first = w.start - timedelta(days=FIRST_DAYS_BACK)
        o = w.owners
        self.n_users = o.n_users
        self.names = o.names
        self.fullnames = o.fullnames
        self._user_cdf = np.cumsum(o.fame[: o.n_users]) / o.fame[: o.n_users].sum()
        self._org_cdf = np.cumsum(o.fame[o.n_users :]) / o.fame[o.n_users :].sum()
        self._ak = o.index.get("akhaliq", -1)
        self.p_daily = min(0.5, DAILY_TARGET / self.rate)
        self.plan = lru_cache(maxsize=2048)(self._plan)
        self.paper = lru_cache(maxsize=8192)(self._paper)
        self.daily_on = lru_cache(maxsize=2048)(self._daily_on)
        self._queries: LRU[tuple, list[Ref]] = LRU(32)
        self._title_words = {w: _title_case(w) for w in vocab.WORDS}

    # -- owners ---------------------------------------------------------------------------------
    def _user(self, r: random.Random) -> int:
        return min(int(np.searchsorted(self._user_cdf, r.random(), side="right")), self.n_users - 1)

    def _org(self, r: random.Random) -> int:
        j = int(np.searchsorted(self._org_cdf, r.random(), side="right"))
        return self.n_users + min(j, len(self._org_cdf) - 1)

    # -- days -----------------------------------------------------------------------------------
    def _plan(self, day: date) -> DayPlan:
        rng = np.random.default_rng([self.seed, _stable_hash("arxiv-day", day.isoformat()) & 0xFFFFFFFF])
        # arXiv is quieter at weekends.
        n = int(min(SEQ_STRIDE, rng.poisson(self.rate * (0.5 if day.weekday() >= 5 else 1.15))))
        if day < self.first:
            n = 0
        start = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
        # Submissions peak in the European afternoon, before the US deadline.
        tod = np.sort((rng.normal(16.0, 4.5, n) * 3600).astype(np.int64) % DAY)
        seq = (day.day - 1) * SEQ_STRIDE + 1 + np.sort(rng.choice(SEQ_STRIDE, n, replace=False))
        primary = rng.choice(len(MAIN_CATEGORIES), n, p=PRIMARY_WEIGHTS)
        primary = np.array([CATS.index(MAIN_CATEGORIES[k]) for k in primary], dtype=np.int64)
        cross = rng.random((n, len(CATS))) < np.array(CROSS_LIST)
        cats = (cross * (1 << np.arange(len(CATS)))).sum(axis=1).astype(np.int64) | (1 << primary)
        published = start + tod
        revised = np.where(rng.random(n) < 0.18, published + rng.integers(DAY // 2, 60 * DAY, n), 0)
        daily = rng.random(n) < self.p_daily
        after = rng.choice([1, 2, 3], n, p=DAILY_DELAY_WEIGHTS)
        return DayPlan(day, published, seq.astype(np.int64), primary, cats, revised.astype(np.int64), np.where(daily, after, 0))

    def locate(self, arxiv_id: str) -> tuple[date, int] | None:
        """Day and row of a generated paper id (versionless), or None."""
        m = ARXIV_ID.match(arxiv_id)
        if not m or len(m.group(3)) != 5:
            return None
        seq = int(m.group(3))
        try:
            day = date(2000 + int(m.group(1)), int(m.group(2)), (seq - 1) // SEQ_STRIDE + 1)
        except ValueError:
            return None
        if day < self.first:
            return None
        plan = self.plan(day)
        j = int(np.searchsorted(plan.seq, seq))
        return (day, j) if j < len(plan) and plan.seq[j] == seq else None

    # -- papers ---------------------------------------------------------------------------------
    def _paper(self, day: date, j: int) -> Paper:
        plan = self.plan(day)
        pid = plan.arxiv_id(j)
        r = _FastRandom(_stable_hash("arxiv-paper", self.seed, pid))
        words = vocab.WORDS
        topic = r.sample(words, 6)
        acronym = "".join(w[0].upper() for w in r.sample(words, r.randint(3, 5)))
        if r.random() < 0.2:
            acronym += f"-{r.randint(1, 4)}"
        tc = [self._title_words[w] for w in topic]
        title = r.choice(TITLES).format(*tc, a=acronym, g=r.choice(_GLUE))
        gain, speed, nbench = r.randint(2, 35), r.choice(["1.5", "2", "3", "4.7", "10"]), r.randint(3, 14)
        sentences = [
            f"{topic[0].capitalize()} {topic[1]} have made rapid progress in {topic[2]} {topic[3]}, "
            f"yet {topic[4]} remains poorly understood.",
            f"We introduce {acronym}, {_a(r.choice(words))} framework that combines {topic[1]} {topic[2]} "
            f"with {r.choice(words)} {topic[5]}.",
            f"Unlike prior work, {acronym} requires no {r.choice(words)} {r.choice(words)} and scales to "
            f"{r.choice(['billions of tokens', 'long videos', 'hundreds of tasks', 'million-node graphs', 'many agents'])}.",
            f"Experiments on {nbench} benchmarks show that {acronym} improves {topic[3]} by {gain}% "
            f"while reducing {r.choice(words)} cost by {speed}x.",
        ]
        if r.random() < 0.5:
            sentences.append(f"We further analyse the role of {r.choice(words)} {r.choice(words)} and release our {r.choice(['code', 'models', 'data', 'benchmark'])}.")
        summary = " ".join(sentences)
        org = self._org(r) if r.random() < 0.35 else -1
        affs = [self.fullnames[org]] if org >= 0 else []
        affs += r.sample(UNIVERSITIES, r.randint(1, 2))
        # Mostly small teams, now and then a large collaboration.
        n_auth = 1 + min(14, int(r.expovariate(1 / 4))) + (r.randint(10, 30) if r.random() < 0.04 else 0)
        authors = []
        for _ in range(n_auth):
            if r.random() < 0.06:
                u = self._user(r)
                name = self.fullnames[u]
            else:
                u = -1
                first = r.choice(vocab.FIRST_NAMES).title()
                middle = f" {r.choice('ABCDEFGHJKLMNPRSTW')}." if r.random() < 0.12 else ""
                name = f"{first}{middle} {r.choice(vocab.LAST_NAMES).title()}"
            authors.append(Author(name, r.choice(affs) if r.random() < 0.3 else None, u))
        cats = int(plan.cats[j])
        primary = CATS[int(plan.primary[j])]
        categories = (primary, *(c for k, c in enumerate(CATS) if cats >> k & 1 and c != primary))
        year = day.year
        match r.randint(0, 4):
            case 0:
                comment = None
            case 1:
                comment = f"{r.randint(8, 40)} pages, {r.randint(2, 15)} figures"
            case 2:
                comment = f"Accepted at {r.choice(VENUES)} {year + (day.month > 8)}"
            case 3:
                comment = "Preprint. Under review."
            case _:
                comment = f"{r.randint(9, 30)} pages; code available"
        journal_ref = doi = None
        if r.random() < 0.12:
            journal, prefix = r.choice(JOURNALS)
            journal_ref = f"{journal} {r.randint(1, 48)} ({year}) {r.randint(1, 900)}-{r.randint(901, 1900)}"
            doi = f"{prefix}.{year}.{r.randint(10000, 99999)}"
        elif r.random() < 0.05:
            doi = f"10.48550/arXiv.{pid}"
        return Paper(
            id=pid,
            day=day,
            published=int(plan.published[j]),
            revised=int(plan.revised[j]),
            title=title,
            summary=summary,
            authors=tuple(authors),
            primary=primary,
            categories=categories,
            comment=comment,
            journal_ref=journal_ref,
            doi=doi,
            org=org,
        )

    def papers_on(self, day: date, now: int) -> list[Paper]:
        """Papers submitted on ``day`` that are visible at ``now``, oldest first."""
        plan = self.plan(day)
        n = int(np.searchsorted(plan.published, now, side="right"))
        return [self.paper(day, j) for j in range(n)]

    def find(self, arxiv_id: str, now: int) -> Paper | None:
        where = self.locate(arxiv_id)
        if where is None:
            return None
        p = self.paper(*where)
        return p if p.published <= now else None

    # -- daily papers ---------------------------------------------------------------------------
    def _daily(self, p: Paper, after: int) -> DailyPaper:
        r = _FastRandom(_stable_hash("daily-paper", self.seed, p.id))
        d = p.day + timedelta(days=after)
        # AK-style morning curation: every daily paper is in before noon UTC.
        submitted = int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) + r.randint(1800, 36000)
        claimed = [a.user for a in p.authors if a.user >= 0]
        roll = r.random()
        if roll < 0.35 and self._ak >= 0:
            submitter = self._ak
        elif roll < 0.5 and claimed:
            submitter = r.choice(claimed)
        else:
            submitter = self._user(r)
        upvotes = int(min(2500, max(1, r.lognormvariate(math.log(12), 1.1) * (1.6 if p.org >= 0 else 1.0))))
        comments = int(min(60, r.expovariate(1.0) * upvotes / 25))
        words = [x for x in re.findall(r"[a-z][a-z-]+", p.title.split(":")[-1].lower()) if x in self._title_words]
        named = ":" in p.title
        slug = re.sub(r"[^A-Za-z0-9-]+", "-", p.title.split(":")[0]) if named else "-".join(words[:3]) or "code"
        owner = self.names[p.org] if p.org >= 0 else re.sub(r"[^a-z0-9]+", "-", p.authors[0].name.lower())
        github = f"https://github.com/{owner}/{slug}" if r.random() < 0.45 else None
        page = f"https://{owner.lower()}.github.io/{slug.lower()}/" if r.random() < 0.3 else None
        ai_summary = None
        keywords: tuple[str, ...] = ()
        if r.random() < 0.8:
            subject = p.title.split(":")[0] if named else "A new method"
            ai_summary = (
                f"{subject} combines {' '.join(words[:2])} to improve {r.choice(vocab.WORDS)} "
                f"{r.choice(vocab.WORDS)} on standard benchmarks."
            )
            keywords = tuple(dict.fromkeys([*words[:3], *r.sample(vocab.WORDS, 4)]))
        media = tuple(
            f"https://cdn-uploads.huggingface.co/production/uploads/{_hex(self.seed, p.id, 'm')}/{_hex(self.seed, p.id, k)}.png"
            for k in range(r.choice([0, 0, 1, 1, 2]))
        )
        return DailyPaper(
            paper=p,
            submitted=submitted,
            submitter=submitter,
            final_upvotes=upvotes,
            final_comments=comments,
            final_stars=int(r.lognormvariate(4.0, 1.5)) if github else 0,
            github_repo=github,
            project_page=page,
            ai_summary=ai_summary,
            ai_keywords=keywords,
            discussion_id=_hex(self.seed, p.id, "discussion"),
            media_urls=media,
        )

    def _daily_on(self, day: date) -> tuple[DailyPaper, ...]:
        out = []
        for after in (1, 2, 3):
            src = day - timedelta(days=after)
            if src < self.first:
                continue
            plan = self.plan(src)
            for j in np.flatnonzero(plan.daily_after == after).tolist():
                out.append(self._daily(self.paper(src, j), after))
        out.sort(key=lambda d: (d.submitted, d.paper.id), reverse=True)
        return tuple(out)

    def dailies(self, day: date, now: int) -> list[DailyPaper]:
        """Daily papers of ``day`` visible at ``now``, newest submission first."""
        return [d for d in self.daily_on(day) if d.submitted <= now]

    def daily(self, arxiv_id: str, now: int) -> DailyPaper | None:
        where = self.locate(arxiv_id)
        if where is None:
            return None
        day, j = where
        after = int(self.plan(day).daily_after[j])
        if not after:
            return None
        for d in self.daily_on(day + timedelta(days=after)):
            if d.paper.id == arxiv_id:
                return d if d.submitted <= now else None
        return None

    # -- search ---------------------------------------------------------------------------------
    def search(
        self, query: str, id_list: list[str], sort_by: str, sort_order: str, today: date, now: int
    ) -> list[Ref]:
        """The full ordered result of an arXiv API query as cheap refs; ``take`` builds a page of it."""
        if sort_by not in ("relevance", "lastUpdatedDate", "submittedDate"):
            raise QueryError(f"sortBy must be one of relevance, lastUpdatedDate, submittedDate; got {sort_by!r}")
        if sort_order not in ("ascending", "descending"):
            raise QueryError(f"sortOrder must be ascending or descending; got {sort_order!r}")
        wanted = parse_id_list(id_list)
        tree = parse_query(query) if query.strip() else None
        # Clients page through one query with many requests: compute its result once per clock time.
        key = (query, tuple(wanted), sort_by, sort_order, now)
        refs = self._queries.get(key)
        if refs is None:
            refs = self._run(tree, wanted, sort_by, sort_order, today, now)
            self._queries.put(key, refs)
        return refs

    def take(self, refs: list[Ref]) -> list[tuple[Paper, int]]:
        """Papers of some refs, each with the version to show (0 = the latest)."""
        return [(self.paper(date.fromordinal(o), j), v) for o, j, v in refs]

    def _run(
        self, tree: tuple | None, wanted: list[tuple[str, int]], sort_by: str, sort_order: str, today: date, now: int
    ) -> list[Ref]:
        hits: list[tuple[date, int, int]] = []
        if wanted:
            seen = set()
            for pid, version in wanted:
                where = self.locate(pid)
                if where is None or (pid, version) in seen:
                    continue
                seen.add((pid, version))
                p = self.paper(*where)
                if p.published > now or version > p.version(now):
                    continue
                if tree is None or _mask(tree, _Day(self, where[0], now, np.array([where[1]])))[0]:
                    hits.append((*where, version))
        elif tree is not None:
            lo, hi = span(tree)
            d = max(self.first, _day_of(lo) if lo is not None else self.first)
            last = min(today, _day_of(hi) if hi is not None else today)
            while d <= last:
                plan = self.plan(d)
                rows = np.arange(int(np.searchsorted(plan.published, now, side="right")))
                if len(rows):
                    keep = _mask(tree, _Day(self, d, now, rows))
                    hits.extend((d, int(j), 0) for j in rows[keep])
                d += timedelta(days=1)
        if sort_by == "relevance" and wanted:
            ordered = hits  # arXiv keeps the id_list order
        else:
            terms = text_terms(tree) if sort_by == "relevance" and tree is not None else []

            def key(h: tuple[date, int, int]) -> tuple:
                plan = self.plan(h[0])
                # (submitted, day, row) orders like the ids do, without formatting them
                order = (int(plan.published[h[1]]), h[0], h[1])
                if sort_by == "submittedDate":
                    return order
                if sort_by == "lastUpdatedDate":
                    rev = int(plan.revised[h[1]])
                    return (rev if 0 < rev <= now else order[0], *order)
                return (_score(self.paper(h[0], h[1]), terms) if terms else 0, *order)

            ordered = sorted(hits, key=key, reverse=sort_order == "descending")
        return [(d.toordinal(), j, v) for d, j, v in ordered]


def _hex(*parts: object) -> str:
    """A stable 24-hex id, the shape of the Hub's Mongo ObjectIds."""
    return f"{_stable_hash(*parts, 'a'):016x}{_stable_hash(*parts, 'b'):016x}"[:24]


def _day_of(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def _score(p: Paper, terms: list[str]) -> int:
    title, summary = norm(p.title), norm(p.summary)
    return sum(2 * (t in title) + (t in summary) for t in terms)


class _Day:
    """The rows of one day under evaluation; builds paper text only if a text term asks for it."""

    def __init__(self, aw: ArxivWorld, day: date, now: int, rows: np.ndarray) -> None:
        self.aw, self.day, self.now, self.rows = aw, day, now, rows
        self.plan = aw.plan(day)
        self._texts: dict[str, list[str]] = {}

    def texts(self, field: str) -> list[str]:
        if field not in self._texts:
            # built uncached: a scan over a year of papers would only churn the paper cache
            papers = [self.aw._paper(self.day, int(j)) for j in self.rows]
            self._texts[field] = [_field_text(p, field) for p in papers]
        return self._texts[field]


def _field_text(p: Paper, field: str) -> str:
    if field == "all":
        chosen = [p.title, p.summary, *(a.name for a in p.authors), p.comment or "", p.journal_ref or ""]
    elif field == "au":
        chosen = [a.name for a in p.authors]
    else:
        chosen = [{"ti": p.title, "abs": p.summary, "co": p.comment, "jr": p.journal_ref}.get(field) or ""]
    # A separator that survives normalisation keeps phrases from matching across authors and fields.
    return norm("\x01".join(chosen)).replace("\x01", " | ")


def _mask(node: tuple, day: _Day) -> np.ndarray:
    kind = node[0]
    if kind == "and":
        return _mask(node[1], day) & _mask(node[2], day)
    if kind == "andnot":
        return _mask(node[1], day) & ~_mask(node[2], day)
    if kind == "or":
        return _mask(node[1], day) | _mask(node[2], day)
    plan, rows = day.plan, day.rows
    if kind == "cat":
        return (plan.cats[rows] & node[1]) != 0
    if kind == "date":
        if node[1] == "submittedDate":
            ts = plan.published[rows]
        else:
            rev = plan.revised[rows]
            ts = np.where((rev > 0) & (rev <= day.now), rev, plan.published[rows])
        return (ts >= node[2]) & (ts <= node[3])
    if kind == "id":
        return np.array([plan.arxiv_id(int(j)) == node[1] for j in rows], dtype=bool)
    phrase = node[2]
    return np.array([phrase in t for t in day.texts(node[1])], dtype=bool)


# -- entry points -------------------------------------------------------------------------------
_WORLDS: LRU[tuple, ArxivWorld] = LRU(4)


_WORLDS_LOCK = threading.Lock()


def arxiv_world(w: World) -> ArxivWorld:
    """The paper generator for ``w``; cheap to call on every request."""
    key = (w.seed, w.n_models, w.start)
    with _WORLDS_LOCK:
        aw = _WORLDS.get(key)
        if aw is None:
            aw = ArxivWorld(w)
            _WORLDS.put(key, aw)
        return aw


def papers_between(w: World, first: date, last: date) -> list[Paper]:
    """Every paper submitted from ``first`` to ``last`` (inclusive) visible now, oldest first."""
    aw = arxiv_world(w)
    out: list[Paper] = []
    d = max(first, aw.first)
    while d <= min(last, w.today):
        out.extend(aw.papers_on(d, w.now_ts))
        d += timedelta(days=1)
    return out


def daily_papers(w: World, first: date, last: date | None = None) -> list[DailyPaper]:
    """Daily papers submitted to the Hub from ``first`` to ``last``, newest first."""
    aw = arxiv_world(w)
    out: list[DailyPaper] = []
    d = min(last or first, w.today)
    while d >= max(first, aw.first):
        out.extend(aw.dailies(d, w.now_ts))
        d -= timedelta(days=1)
    return out
