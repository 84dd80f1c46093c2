"""The hub source: a full cursor listing of every model, dataset and space, checked field by field.

Rows stay raw dicts (parsing a million ``ModelInfo`` objects would be the bottleneck). A background
thread follows the ``Link`` cursors one or two pages ahead while the current page is validated and
reduced to columns, so the upstream is never idle. A page whose shape differs from what this module
was written for (a required key missing or renamed, a value of another type) raises ``SchemaChanged``
naming the field, before anything is stored. Only rows that are new or whose metadata digest changed
keep their metadata; the numbers of every row go to the day's blobs.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zlib import adler32, crc32

import numpy as np
import orjson

from hubsight.crawl.errors import SchemaChanged
from hubsight.crawl.retry import Retrier
from hubsight.helpers.registry import DOWNLOAD_KINDS

KINDS = ("model", "dataset", "space")
PATHS = {"model": "models", "dataset": "datasets", "space": "spaces"}
EXPAND = {
    "model": ("likes", "downloads", "downloadsAllTime", "createdAt", "lastModified", "pipeline_tag",
              "library_name", "tags", "trendingScore", "gated", "safetensors", "gguf"),
    "dataset": ("likes", "downloads", "downloadsAllTime", "createdAt", "lastModified", "tags", "trendingScore", "gated"),
    "space": ("likes", "createdAt", "lastModified", "tags", "trendingScore", "sdk", "runtime"),
}
PAGE_SIZE = 1000
PREFETCH = 64
"""Pages (raw bytes, ~0.5 MB each) fetched ahead: enough to keep the upstream busy while the store's
state for the kind is loaded at the start of its listing."""
LEGACY_CREATED_AT = "2022-03-02T23:29:04.000Z"
"""The Hub's createdAt for every repo older than its creation records: stored as unknown (null)."""


@dataclass
class Known:
    """What the store already holds for one kind, indexed by rid: just enough to tell new, changed
    and vanished repos apart (ids and tags are read back only for the rows that need them)."""

    kind: str
    rid_of: dict[str, int] = field(default_factory=dict)
    meta_hash: list[int] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.meta_hash)


@dataclass(slots=True)
class RepoRow:
    """A repo whose metadata must be written (new, changed, or back from the dead)."""

    rid: int
    hub_oid: str
    repo_id: str
    created_at: str | None
    last_modified: str | None
    pipeline_tag: str | None
    library_name: str | None
    sdk: str | None
    runtime_stage: str | None
    gated: str | None
    tags: list[str]
    num_params: int | None
    meta_hash: int
    is_new: bool


@dataclass
class KindListing:
    """One kind's complete listing, reduced to what the writer needs."""

    kind: str
    known: Known
    rids: np.ndarray
    numbers: dict[str, np.ndarray]
    pipeline: np.ndarray
    """Per listed row: index into ``pipeline_names``, or -1 (no pipeline tag)."""
    pipeline_names: list[str]
    changed: list[RepoRow]
    next_rid: int
    pages: int


def _wrong_type(where: str, name: str, expected: str, value: Any, repo: Any) -> SchemaChanged:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return SchemaChanged(
        f"{where}: field {name!r} should be {expected} but is {type(value).__name__} ({shown}) for repo {repo!r}; "
        "the Hub's listing format changed: nothing was stored for this source"
    )


def _num_params(row: dict[str, Any], where: str, repo_id: str) -> int | None:
    """The model's parameter count: the Hub's ``safetensors.total``, else ``gguf.total``; None without either."""
    for name in ("safetensors", "gguf"):
        block = row.get(name)
        if block is None:
            continue
        if type(block) is not dict:
            raise _wrong_type(where, name, "an object", block, repo_id)
        total = block.get("total")
        if total is None:
            continue
        if type(total) is not int:
            raise _wrong_type(where, f"{name}.total", "an integer", total, repo_id)
        return total
    return None


class PageReducer:
    """Validates pages of one kind and appends their rows to columns."""

    def __init__(self, kind: str, known: Known) -> None:
        self.kind = kind
        self.known = known
        self.next_rid = known.n
        self.new_rid: dict[str, int] = {}
        self.rids: list[int] = []
        self.likes: list[int] = []
        self.downloads: list[int] = []
        self.downloads_all_time: list[int] = []
        self.trending: list[int] = []
        self.pipeline: list[int] = []
        self.pipeline_code: dict[str | None, int] = {None: -1}
        self.changed: list[RepoRow] = []
        self.pages = 0

    def add(self, page: Any) -> int:
        """Reduce one page; returns its row count. Raises SchemaChanged on any surprise."""
        self.pages += 1
        where = f"hub /api/{PATHS[self.kind]} page {self.pages}"
        if not isinstance(page, list):
            raise SchemaChanged(f"{where}: expected a JSON array of repos, got {type(page).__name__}; the Hub's listing format changed")
        kind = self.kind
        has_downloads = kind in DOWNLOAD_KINDS
        known = self.known
        rid_of, hashes, alive = known.rid_of, known.meta_hash, known.alive
        rids, likes_col, dl_col, dl_all_col, trend_col = self.rids, self.likes, self.downloads, self.downloads_all_time, self.trending
        pipe_col, pipe_code = self.pipeline, self.pipeline_code
        for row in page:
            if not isinstance(row, dict):
                raise SchemaChanged(f"{where}: expected repo objects, got {type(row).__name__}; the Hub's listing format changed")
            try:
                oid = row["_id"]
                repo_id = row["id"]
                likes = row["likes"]
                created = row["createdAt"]
                modified = row["lastModified"]
                tags = row["tags"]
                trending = row["trendingScore"]
                if has_downloads:
                    gated = row["gated"]
                    downloads = row["downloads"]
                    downloads_all_time = row["downloadsAllTime"]
                else:  # the Hub counts no downloads for spaces, nor does it gate them
                    downloads = downloads_all_time = -1
                    gated = False
            except KeyError as exc:
                raise SchemaChanged(
                    f"{where}: required field {exc.args[0]!r} is missing (repo {row.get('id')!r}); "
                    "the Hub's listing format changed: nothing was stored for this source"
                ) from None
            if type(oid) is not str or not oid:
                raise _wrong_type(where, "_id", "a non-empty string", oid, repo_id)
            if type(repo_id) is not str or not repo_id:
                raise _wrong_type(where, "id", "a non-empty string", repo_id, repo_id)
            if type(likes) is not int:
                raise _wrong_type(where, "likes", "an integer", likes, repo_id)
            if type(downloads) is not int:
                raise _wrong_type(where, "downloads", "an integer", downloads, repo_id)
            if type(downloads_all_time) is not int:
                raise _wrong_type(where, "downloadsAllTime", "an integer", downloads_all_time, repo_id)
            if type(trending) is not int:
                if type(trending) is not float:
                    raise _wrong_type(where, "trendingScore", "a number", trending, repo_id)
                trending = round(trending)
            if type(created) is not str or len(created) < 19 or created[4] != "-":
                raise _wrong_type(where, "createdAt", "an ISO timestamp string", created, repo_id)
            if modified is not None and (type(modified) is not str or len(modified) < 19 or modified[4] != "-"):
                raise _wrong_type(where, "lastModified", "an ISO timestamp string", modified, repo_id)
            if gated is False:
                gated = None
            elif type(gated) is not str:
                raise _wrong_type(where, "gated", "false or a string", gated, repo_id)
            if type(tags) is not list:
                raise _wrong_type(where, "tags", "a list of strings", tags, repo_id)
            try:
                joined = "\x1e".join(tags)
            except TypeError:
                raise _wrong_type(where, "tags", "a list of strings", tags, repo_id) from None
            pipeline = row.get("pipeline_tag")
            library = row.get("library_name")
            sdk = row.get("sdk")
            stage = None
            if pipeline is not None and type(pipeline) is not str:
                raise _wrong_type(where, "pipeline_tag", "a string", pipeline, repo_id)
            if library is not None and type(library) is not str:
                raise _wrong_type(where, "library_name", "a string", library, repo_id)
            if sdk is not None and type(sdk) is not str:
                raise _wrong_type(where, "sdk", "a string", sdk, repo_id)
            runtime = row.get("runtime")
            if runtime is not None:
                if type(runtime) is not dict:
                    raise _wrong_type(where, "runtime", "an object", runtime, repo_id)
                stage = runtime.get("stage")
                if stage is not None and type(stage) is not str:
                    raise _wrong_type(where, "runtime.stage", "a string", stage, repo_id)
            params = None
            if kind == "model":
                params = _num_params(row, where, repo_id)
            raw = f"{repo_id}\x1f{created}\x1f{modified}\x1f{pipeline}\x1f{library}\x1f{sdk}\x1f{stage}\x1f{gated}\x1f{params}\x1f{joined}".encode()
            digest = crc32(raw) ^ (adler32(raw) << 31)  # 63 bits, stable across processes, fast
            rid = rid_of.get(oid)
            if rid is None:
                rid = self.new_rid.get(oid)
                if rid is None:  # a repo may show up twice if the listing shifts under the cursor
                    rid = self.new_rid[oid] = self.next_rid
                    self.next_rid += 1
                    self.changed.append(
                        RepoRow(rid, oid, repo_id, created, modified, pipeline, library, sdk, stage, gated, tags, params, digest, True)
                    )
            elif hashes[rid] != digest or not alive[rid]:
                self.changed.append(
                    RepoRow(rid, oid, repo_id, created, modified, pipeline, library, sdk, stage, gated, tags, params, digest, False)
                )
            code = pipe_code.get(pipeline)
            if code is None:
                code = pipe_code[pipeline] = len(pipe_code) - 1
            pipe_col.append(code)
            rids.append(rid)
            likes_col.append(likes)
            dl_col.append(downloads)
            dl_all_col.append(downloads_all_time)
            trend_col.append(trending)
        return len(page)

    def result(self) -> KindListing:
        as_array = lambda values: np.array(values, dtype=np.int64)  # noqa: E731
        names = sorted(p for p in self.pipeline_code if p is not None)
        recode = np.zeros(len(self.pipeline_code), dtype=np.int64)  # codes in order of first sight → sorted names
        for name, code in self.pipeline_code.items():
            if name is not None:
                recode[code] = names.index(name)
        codes = as_array(self.pipeline)
        codes = np.where(codes >= 0, recode[np.maximum(codes, 0)], -1)
        return KindListing(
            kind=self.kind,
            known=self.known,
            rids=as_array(self.rids),
            pipeline=codes,
            pipeline_names=names,
            numbers={
                "likes": as_array(self.likes),
                "downloads": as_array(self.downloads),
                "downloads_all_time": as_array(self.downloads_all_time),
                "trending_score": as_array(self.trending),
            },
            changed=self.changed,
            next_rid=self.next_rid,
            pages=self.pages,
        )


class PageStream:
    """Raw pages of a Link-paginated listing, fetched up to ``PREFETCH`` pages ahead in a thread.

    Started before the consumer is ready (``start``), so the upstream works while the store is read.
    """

    def __init__(self, url: str, params: list[tuple[str, str]], headers: dict[str, str], retrier: Retrier, what: str) -> None:
        self.url, self.params, self.headers, self.retrier, self.what = url, params, headers, retrier, what
        self.box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=PREFETCH)
        self.stop = threading.Event()
        self.worker = threading.Thread(target=self._fetch, name=f"hubsight-crawl {what}", daemon=True)

    def start(self) -> PageStream:
        self.worker.start()
        return self

    def _get(self, target: str, query: list[tuple[str, str]] | None) -> Any:
        from huggingface_hub.utils import get_session, hf_raise_for_status

        response = get_session().get(target, params=query, headers=self.headers)
        hf_raise_for_status(response)
        return response

    def _put(self, item: tuple[str, Any]) -> bool:
        while not self.stop.is_set():
            try:
                self.box.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _fetch(self) -> None:
        target: str | None = self.url
        query: list[tuple[str, str]] | None = self.params
        n = 0
        try:
            while target is not None and not self.stop.is_set():
                n += 1
                response = self.retrier(f"{self.what} page {n}", functools.partial(self._get, target, query))
                target = response.links.get("next", {}).get("url")
                query = None  # the next link repeats every parameter
                if not self._put(("page", response.content)):
                    return
            self._put(("end", None))
        except BaseException as exc:
            self._put(("error", exc))

    def __iter__(self) -> Iterator[Any]:
        """Decoded pages, in order; raises what the fetching raised."""
        try:
            n = 0
            while True:
                tag, item = self.box.get()
                if tag == "end":
                    return
                if tag == "error":
                    raise item
                n += 1
                try:
                    yield orjson.loads(item)
                except orjson.JSONDecodeError:
                    raise SchemaChanged(f"{self.what} page {n}: the answer is not JSON; the Hub's listing format changed") from None
        finally:
            self.close()

    def close(self) -> None:
        self.stop.set()
        self.worker.join(timeout=5)


def list_kind(
    kind: str,
    endpoint: str,
    headers: dict[str, str],
    known: Callable[[], Known],
    retrier: Retrier,
    on_rows: Callable[[int], None] | None = None,
) -> KindListing:
    """Every repo of ``kind``, following the cursor to the end (a listing that stops early raises).

    ``known`` loads the store's state for the kind; it runs while the first pages are being fetched.
    """
    params = [("expand", name) for name in EXPAND[kind]] + [("limit", str(PAGE_SIZE))]
    stream = PageStream(f"{endpoint}/api/{PATHS[kind]}", params, headers, retrier, f"hub /api/{PATHS[kind]}").start()
    try:
        reducer = PageReducer(kind, known())
    except BaseException:
        stream.close()
        raise
    for page in stream:
        n = reducer.add(page)
        if on_rows is not None:
            on_rows(n)
    return reducer.result()
