"""Collections and discussions, through the real client, checked against the generated world."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import numpy as np
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError
from huggingface_hub.utils import get_session

from hubsight.replica import community, vocab
from hubsight.replica.world import World

PAPER_ID = re.compile(r"\d{4}\.\d{5}")


def when(w: World, ts: int) -> datetime:
    return datetime.fromtimestamp(int(ts), UTC)


def expected_items(w: World, cols: community.Collections, row: int) -> list[tuple[str, str]]:
    """(type, id) of a collection's items whose repos still exist, in position order."""
    out = []
    for k in cols.items_of(row):
        code = int(cols.item_type[k])
        if code == 3:
            out.append(("paper", cols.item_paper[k]))
        elif code == 4:  # huggingface_hub names a collection item by its slug
            out.append(("collection", cols.slug(w, cols.by_serial[int(cols.item_ref[k])])))
        else:
            kind = community.KINDS_ORDER[code]
            assert w.repos[kind].alive[cols.item_repo[k]]
            out.append((kind, w.repos[kind].ids[cols.item_repo[k]]))
    return out


def test_collections_of_an_owner(hf_api, replica) -> None:
    w = replica.world
    cols = community.collections(w)
    for name in ("Qwen", "huggingface"):
        g = w.owners.index[name]
        listed = list(hf_api.list_collections(owner=name))
        truth = {cols.slug(w, r) for r in np.flatnonzero(cols.owner == g)}
        assert len(truth) >= 3 and {c.slug for c in listed} == truth
        assert {c.slug for c in hf_api.list_collections(owner=name.upper())} == truth  # owners match case-insensitively
        for c in listed:
            assert c.owner["name"] == name and c.slug.startswith(f"{name}/")
            assert re.fullmatch(rf"{name}/[a-z0-9-]+-[0-9a-f]{{24}}", c.slug)
            assert len(c.items) <= 4 and c.private is False
            assert c.theme in vocab.COLLECTION_THEMES and c.upvotes >= 0
            assert c.last_updated <= when(w, w.now_ts)
    both = list(hf_api.list_collections(owner=["Qwen", "huggingface"]))
    assert len(both) == int(np.isin(cols.owner, [w.owners.index["Qwen"], w.owners.index["huggingface"]]).sum())


def test_get_collection_lists_every_item_in_position_order(hf_api, replica) -> None:
    w = replica.world
    cols = community.collections(w)
    sizes = np.diff(cols.item_offsets)
    rows = [int(np.argmax(sizes)), *np.flatnonzero(cols.owner == w.owners.index["Qwen"]).tolist()]
    seen_types = set()
    for row in rows:
        c = hf_api.get_collection(cols.slug(w, row))
        assert c.slug == cols.slug(w, row) and c.title == cols.titles[row]
        assert c.position == int(cols.position[row]) and c.upvotes == int(cols.upvotes[row])
        got = [(i.item_type, i.item_id) for i in c.items]
        assert got == expected_items(w, cols, row)
        positions = [i.position for i in c.items]
        assert positions == sorted(positions) and len(set(positions)) == len(positions)
        assert len({i.item_object_id for i in c.items}) == len(c.items)
        for item in c.items:
            seen_types.add(item.item_type)
            if item.item_type == "paper":
                assert PAPER_ID.fullmatch(item.item_id)
            elif item.item_type == "collection":
                assert hf_api.get_collection(item.item_id).slug == item.item_id
            else:
                assert w.repos[item.item_type].find(item.item_id) is not None
    assert sizes.max() >= 10 and seen_types >= {"model", "paper"}


def test_paper_items_are_the_replica_daily_papers(hf_api, replica) -> None:
    w = replica.world
    cols = community.collections(w)
    k = next(k for k, p in enumerate(cols.item_paper) if p)
    row = int(np.searchsorted(cols.item_offsets, k, side="right") - 1)
    body = get_session().get(f"{replica.url}/api/collections/{cols.slug(w, row)}").json()
    item = next(i for i in body["items"] if i["type"] == "paper")
    paper = hf_api.paper_info(item["id"])  # the paper page exists on the replica's Hub
    assert paper.title == item["title"] and paper.upvotes == item["upvotes"]
    assert item["publishedAt"] <= body["lastUpdated"]


def test_collection_items_carry_repo_fields_and_notes(replica) -> None:
    w = replica.world
    cols = community.collections(w)
    row = int(np.argmax(np.diff(cols.item_offsets)))
    body = get_session().get(f"{replica.url}/api/collections/{cols.slug(w, row)}").json()
    assert "position" in body and body["owner"]["name"] == w.owners.names[int(cols.owner[row])]
    for item in body["items"]:
        assert {"_id", "id", "type", "position"} <= set(item)
        if item["type"] in ("model", "dataset", "space"):
            i = w.repos[item["type"]].find(item["id"])
            assert item["likes"] == int(w.repos[item["type"]].likes[i]) and item["author"] == item["id"].split("/")[0]
            assert item["lastModified"].endswith(".000Z")
    notes = [n for n in cols.item_note if n]
    assert 0 < len(notes) < len(cols.item_note)


def test_list_collections_by_item_and_paging(hf_api, replica) -> None:
    w = replica.world
    cols = community.collections(w)
    k = int(np.flatnonzero(cols.item_type == 0)[0])
    model = w.repos["model"].ids[cols.item_repo[k]]
    hits = {c.slug for c in hf_api.list_collections(item=f"models/{model}")}
    truth = {cols.slug(w, r) for r in range(len(cols)) if ("model", model) in expected_items(w, cols, r)}
    assert hits == truth and hits
    paper = next(p for p in cols.item_paper if p)
    assert all(
        ("paper", paper) in [(i.item_type, i.item_id) for i in hf_api.get_collection(c.slug).items]
        for c in hf_api.list_collections(item=f"papers/{paper}")
    )
    nested = cols.slug(w, cols.by_serial[int(cols.item_ref[np.flatnonzero(cols.item_type == 4)[0]])])
    hits = {c.slug for c in hf_api.list_collections(item=f"collections/{nested}")}
    assert hits and hits == {cols.slug(w, r) for r in range(len(cols)) if ("collection", nested) in expected_items(w, cols, r)}
    assert list(hf_api.list_collections(item="models/nobody/nothing")) == []
    rows, pages, r = [], 0, get_session().get(f"{replica.url}/api/collections", params={"limit": 25})
    while True:
        r.raise_for_status()
        rows += r.json()
        pages += 1
        if "next" not in r.links:
            break
        r = get_session().get(r.links["next"]["url"])
    assert len(rows) == len(cols) and pages == -(-len(cols) // 25)
    assert len({x["slug"] for x in rows}) == len(rows)
    assert not any("position" in x for x in rows)  # the client adds its own


def test_list_collections_sorts_and_limit(hf_api, replica) -> None:
    w = replica.world
    cols = community.collections(w)
    by_upvotes = list(hf_api.list_collections(sort="upvotes", limit=30))
    assert len(by_upvotes) == 30
    assert [c.upvotes for c in by_upvotes] == sorted(cols.upvotes.tolist(), reverse=True)[:30]
    recent = list(hf_api.list_collections(sort="lastModified", limit=30))
    assert [c.last_updated for c in recent] == [when(w, t) for t in sorted(cols.last_updated.tolist(), reverse=True)[:30]]
    trending = [cols.by_serial[int(c.slug[-15:], 16)] for c in hf_api.list_collections(sort="trending", limit=10)]
    assert [int(cols.trending[r]) for r in trending] == sorted(cols.trending.tolist(), reverse=True)[:10]
    bad = get_session().get(f"{replica.url}/api/collections", params={"sort": "random"})
    assert bad.status_code == 400


def test_missing_collection_is_404(hf_api) -> None:
    for slug in ("Qwen/nothing-here-000000000000000000000000", "Qwen/no-id-at-all"):
        with pytest.raises(HfHubHTTPError) as err:
            hf_api.get_collection(slug)
        assert err.value.response.status_code == 404


def test_collections_stay_put_when_the_clock_moves(fresh_replica) -> None:
    w = fresh_replica.world
    api = HfApi(endpoint=fresh_replica.url, token=False)

    def snapshot() -> dict[str, dict[str, tuple[str, str, int]]]:
        return {
            c.slug: {i.item_object_id: (i.item_type, i.item_id, i.position) for i in api.get_collection(c.slug).items}
            for c in api.list_collections(owner="Qwen")
        }

    before = snapshot()
    w.advance(3)
    after = snapshot()
    assert set(before) <= set(after)
    for slug, items in before.items():
        for oid, (kind, item_id, position) in items.items():
            if kind == "paper":
                assert after[slug][oid] == (kind, item_id, position)
                continue
            i = w.repos[kind].find(item_id)  # a renamed repo is still found by its old id
            if i is None:
                assert oid not in after[slug]  # deleted since: gone from the collection
            else:
                assert after[slug][oid] == (kind, w.repos[kind].ids[i], position)
    # a repo deleted from the Hub drops out of every collection that held it
    cols = community.collections(w)
    k = int(np.flatnonzero(cols.item_type == 0)[0])
    victim = int(cols.item_repo[k])
    holder = cols.slug(w, int(np.searchsorted(cols.item_offsets, k, side="right") - 1))
    w.repos["model"].alive[victim] = False
    w.version += 1  # what advance() does after every change; the replica caches per version
    assert w.repos["model"].ids[victim] not in [i.item_id for i in api.get_collection(holder).items]


# -- discussions -------------------------------------------------------------------------------
def busiest(w: World, kind: str = "model") -> tuple[str, community.Discussions, int]:
    d = community.discussions(w, kind)
    counts = np.diff(d.offsets) * w.repos[kind].alive
    i = int(np.argmax(counts))
    return w.repos[kind].ids[i], d, i


def test_discussions_page_through_every_thread(hf_api, replica) -> None:
    w = replica.world
    rid, d, i = busiest(w)
    t = w.repos["model"]
    threads = list(hf_api.get_repo_discussions(rid))
    n = len(d.of(i))
    assert n > 50  # more than one page of 50
    assert [x.num for x in threads] == list(range(n, 0, -1))  # newest first, nothing lost or repeated
    for x in threads:
        k = int(d.offsets[i]) + x.num - 1
        assert x.author == w.owners.names[int(d.author[k])] and not w.owners.is_org(int(d.author[k]))
        assert when(w, t.created[i]) <= x.created_at <= when(w, w.now_ts)
        assert x.status == d.status(k) and x.is_pull_request == bool(d.is_pr[k])
        assert x.repo_id == rid and x.repo_type == "model"
    created = [x.created_at for x in threads]
    assert created == sorted(created, reverse=True)
    assert {x.status for x in threads} >= {"open", "closed"}


def test_discussion_filters(hf_api, replica) -> None:
    w = replica.world
    rid, d, i = busiest(w)
    ks = range(int(d.offsets[i]), int(d.offsets[i + 1]))
    prs = list(hf_api.get_repo_discussions(rid, discussion_type="pull_request"))
    assert prs and all(x.is_pull_request for x in prs) and len(prs) == int(d.is_pr[list(ks)].sum())
    talk = list(hf_api.get_repo_discussions(rid, discussion_type="discussion"))
    assert len(talk) + len(prs) == len(ks) and not any(x.is_pull_request for x in talk)
    still_open = list(hf_api.get_repo_discussions(rid, discussion_status="open"))
    assert all(x.status == "open" for x in still_open) and len(still_open) == sum(d.closed_at[k] < 0 for k in ks)
    done = list(hf_api.get_repo_discussions(rid, discussion_status="closed"))
    assert {x.status for x in done} <= {"closed", "merged"} and len(done) + len(still_open) == len(ks)
    author = w.owners.names[int(d.author[ks[0]])]
    mine = list(hf_api.get_repo_discussions(rid, author=author))
    assert mine and all(x.author == author for x in mine)
    assert len(mine) == sum(w.owners.names[int(d.author[k])] == author for k in ks)
    body = get_session().get(f"{replica.url}/api/models/{rid}/discussions", params={"p": 1}).json()
    assert (body["start"], body["count"]) == (50, len(ks)) and len(body["discussions"]) == len(ks) - 50


def test_discussion_and_pull_request_details(hf_api, replica) -> None:
    w = replica.world
    rid, d, i = busiest(w)
    now = when(w, w.now_ts)
    ks = range(int(d.offsets[i]), int(d.offsets[i + 1]))
    talk = next(k for k in ks if not d.is_pr[k] and d.closed_at[k] >= 0)
    merged = next(k for k in ks if d.merged[k])
    for k in (talk, merged):
        num = k - int(d.offsets[i]) + 1
        x = hf_api.get_discussion_details(rid, num)
        assert (x.num, x.status, x.is_pull_request) == (num, d.status(k), bool(d.is_pr[k]))
        first = x.events[0]
        assert first.type == "comment" and first.author == x.author and first.content
        assert first.rendered.startswith("<p>")
        times = [e.created_at for e in x.events]
        assert times == sorted(times) and times[-1] <= now and times[0] == x.created_at
        assert [e.new_status for e in x.events if e.type == "status-change"] == [x.status]
        assert all(e.author in w.owners.index for e in x.events)
    pr = hf_api.get_discussion_details(rid, merged - int(d.offsets[i]) + 1)
    assert pr.target_branch == "refs/heads/main" and pr.conflicting_files == []
    assert re.fullmatch(r"[0-9a-f]{40}", pr.merge_commit_oid or "")
    commits = [e for e in pr.events if e.type == "commit"]
    assert commits and re.fullmatch(r"[0-9a-f]{40}", commits[0].oid) and commits[0].summary == pr.title
    assert pr.diff and pr.diff.startswith("diff --git")
    plain = hf_api.get_discussion_details(rid, talk - int(d.offsets[i]) + 1)
    assert plain.target_branch is None and plain.diff is None


def test_discussions_on_datasets_and_spaces(hf_api, replica) -> None:
    w = replica.world
    for kind in ("dataset", "space"):
        rid, d, i = busiest(w, kind)
        threads = list(hf_api.get_repo_discussions(rid, repo_type=kind))
        assert len(threads) == len(d.of(i)) > 0
        detail = hf_api.get_discussion_details(rid, threads[-1].num, repo_type=kind)
        assert detail.repo_type == kind and detail.events


def test_discussion_errors(hf_api, replica) -> None:
    rid, d, i = busiest(replica.world)
    with pytest.raises(RepositoryNotFoundError):
        list(hf_api.get_repo_discussions("nobody-by-this-name/nothing"))
    with pytest.raises(HfHubHTTPError) as err:
        hf_api.get_discussion_details(rid, len(d.of(i)) + 1)
    assert err.value.response.status_code == 404 and not isinstance(err.value, RepositoryNotFoundError)
    assert get_session().get(f"{replica.url}/api/models/{rid}/discussions", params={"type": "x"}).status_code == 400
    quiet = next(i for i, c in enumerate(np.diff(d.offsets)) if c == 0 and replica.world.repos["model"].alive[i])
    assert list(hf_api.get_repo_discussions(replica.world.repos["model"].ids[quiet])) == []


def test_discussions_accumulate_as_the_clock_moves(fresh_replica) -> None:
    w = fresh_replica.world
    api = HfApi(endpoint=fresh_replica.url, token=False)
    rid, _, _ = busiest(w)
    before = {x.num: (x.title, x.created_at, x.author) for x in api.get_repo_discussions(rid)}
    total_before = len(community.discussions(w, "model").repo)
    w.advance(3)
    after = {x.num: (x.title, x.created_at, x.author) for x in api.get_repo_discussions(rid)}
    assert len(after) >= len(before) and all(after[n] == v for n, v in before.items())
    d = community.discussions(w, "model")
    assert len(d.repo) > total_before and d.created.max() <= w.now_ts
