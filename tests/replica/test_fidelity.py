"""The replica held against the real Hub, endpoint by endpoint.

Each test names its reference. Where huggingface.co's own answers were recorded (the shared
``hub-real`` folder, read in place; ``$HUBSIGHT_HUB_REAL`` points elsewhere) the replica's bodies for
the same request are compared key by key, type by type and format by format (see ``fidelity.py``).
Where no real body exists, the spec is what the installed huggingface_hub parses, read from its source.

A test reports every divergence of its endpoint at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from huggingface_hub import HfApi
from huggingface_hub.hf_api import DatasetInfo, ModelInfo, Organization, SpaceInfo, User

from hubsight.hub import normalise
from hubsight.replica import community, vocab
from hubsight.replica.community.people import SOCIAL_KEYS
from tests.replica.fidelity import ENV, Parsed, Shape, compare, hub_real_dir, load, parsed_by, read_by

GATED = frozenset({False, "auto", "manual"})
SAMPLE = 150  # replica repos per broad sample


@pytest.fixture(scope="session")
def hub_real() -> Path:
    path = hub_real_dir()
    if not (path / "README.md").is_file():
        pytest.fail(
            f"the real Hub bodies are not at {path} (looked for {path / 'README.md'}): the fidelity tests need "
            f"the shared hub-real folder; set {ENV} to where it is"
        )
    return path


def real_files(hub_real: Path, folder: str, pattern: str) -> list[Any]:
    files = sorted((hub_real / folder).glob(pattern))
    assert files, f"no real body matches {folder}/{pattern} in {hub_real}"
    return [load(f) for f in files]


_HTTP = httpx.Client(timeout=30)  # one client: a fresh one per request costs ~80 ms


@pytest.fixture(scope="module", autouse=True)
def _close_http() -> Any:
    yield
    _HTTP.close()


def get(replica, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    r = _HTTP.get(f"{replica.url}{path}", params=params, headers=headers or {})
    assert r.status_code == 200, f"GET {path} {params} answered {r.status_code}: {r.text[:300]}"
    return r.json()


def title(endpoint: str, mine: list, real: list, source: str) -> str:
    return f"GET {endpoint}: {len(mine)} replica bodies vs {len(real)} real ones ({source})"


def broad(world, kind: str, n: int = SAMPLE, seed: int = 0) -> list[int]:
    alive = np.flatnonzero(world.repos[kind].alive)
    pick = np.random.default_rng(seed).choice(alive, size=min(n, len(alive)), replace=False)
    return sorted(int(i) for i in pick)


def matched_models(world, real: list[dict]) -> list[int]:
    """For each real model, the replica's most-liked unused model of the same library and pipeline
    (else the same library, else the same pipeline): the real bodies are of famous models of a known
    kind, so the replica is sampled like for like."""
    t = world.repos["model"]
    libs, pipes = vocab.names(vocab.LIBRARIES), vocab.names(vocab.PIPELINE_TAGS)
    order = np.argsort(-t.likes, kind="stable")
    order = order[t.alive[order]]
    used: set[int] = set()
    out = []
    for body in real:
        lib = t.library[order] == libs.index(body["library_name"]) if body.get("library_name") in libs else None
        pipe = t.pipeline[order] == pipes.index(body["pipeline_tag"]) if body.get("pipeline_tag") in pipes else None
        for cond in (lib & pipe if lib is not None and pipe is not None else None, lib, pipe, np.ones(len(order), bool)):
            if cond is None:
                continue
            pick = next((int(i) for i in order[cond] if int(i) not in used), None)
            if pick is not None:
                used.add(pick)
                out.append(pick)
                break
    return out


def model_details(replica, idx: list[int], **params: Any) -> list[dict]:
    ids = replica.world.repos["model"].ids
    return [get(replica, f"/api/models/{ids[i]}", **params) for i in idx]


# -- models -------------------------------------------------------------------------------------
MODEL_SHAPE = Shape(
    maps=frozenset({"safetensors.parameters", "config.tokenizer_config", "cardData.extra_gated_fields"}),
    open=frozenset({"cardData.inference", "widgetData[]", "cardData.widget[]", "config.tokenizer_config.*"}),
    enums={"gated": GATED, "inference": frozenset({"warm", "cold"}), "private": frozenset({False}), "disabled": frozenset({False})},
    tags=frozenset({"tags"}),
    optional={"cardData.datasets": "which datasets a model names is world content (a fifth of the replica's models name one)"},
)


def test_model_details_match_real_bodies(replica, hub_real: Path) -> None:
    """``GET /api/models/{id}`` as huggingface_hub's model_info sends it (no expand): 28 real bodies."""
    real = [b for b in real_files(hub_real, "models", "models_*.json") if "modelId" in b]
    idx = matched_models(replica.world, real)
    mine = model_details(replica, idx)
    compare(title("/api/models/{id}", mine, real, "hub-real/models, like-for-like sample"), real, mine, MODEL_SHAPE).check()


def test_model_details_of_any_model_have_no_foreign_keys(replica, hub_real: Path) -> None:
    """The same real bodies against a broad sample (GGUF, PEFT, MLX ...): no key, type or format the real ones lack."""
    real = [b for b in real_files(hub_real, "models", "models_*.json") if "modelId" in b]
    mine = model_details(replica, broad(replica.world, "model"))
    shape = Shape(**{**MODEL_SHAPE.__dict__, "majority": False})
    compare(title("/api/models/{id}", mine, real, "hub-real/models, broad sample"), real, mine, shape).check()


def test_model_details_expanded_to_inference_providers_match_real_bodies(replica, hub_real: Path) -> None:
    """``GET /api/models/{id}?expand=inferenceProviderMapping``: 8 real bodies, a dict keyed by provider."""
    real = real_files(hub_real, "models", "models_*_expand_inferenceProviderMapping.json")
    t = replica.world.repos["model"]
    warm = [i for i in np.argsort(-t.likes, kind="stable").tolist() if t.alive[i] and replica.state.render.warm(i)][:8]
    assert warm, "the replica serves no model on inference providers"
    shape = Shape(maps=frozenset({"inferenceProviderMapping"}), enums={"inferenceProviderMapping.*.status": frozenset({"live", "staging", "error"})})
    mine = model_details(replica, warm, expand="inferenceProviderMapping")
    compare(title("/api/models/{id}?expand=inferenceProviderMapping", mine, real, "hub-real/models, served models"), real, mine, shape).check()
    cold = model_details(replica, broad(replica.world, "model", 60), expand="inferenceProviderMapping")
    shape.majority = False
    compare(title("/api/models/{id}?expand=inferenceProviderMapping", cold, real, "hub-real/models, broad sample"), real, cold, shape).check()


# -- spaces -------------------------------------------------------------------------------------
def test_space_revision_expanded_to_xet_matches_the_real_body(replica, hub_real: Path) -> None:
    """``GET /api/spaces/{id}/revision/main?expand=xetEnabled``: one real body."""
    real = real_files(hub_real, "models", "spaces_*_revision_main_expand_xetEnabled.json")
    ids = replica.world.repos["space"].ids
    mine = [get(replica, f"/api/spaces/{ids[i]}/revision/main", expand="xetEnabled") for i in broad(replica.world, "space", 20)]
    compare(title("/api/spaces/{id}/revision/main?expand=xetEnabled", mine, real, "hub-real/models"), real, mine, Shape()).check()


def test_space_runtime_matches_real_bodies(replica, hub_real: Path) -> None:
    """``GET /api/spaces/{id}/runtime``, huggingface_hub's get_space_runtime: two real bodies (a building
    gradio Space and a static one)."""
    real = real_files(hub_real, "models", "spaces_*_runtime.json")
    ids = replica.world.repos["space"].ids
    mine = [get(replica, f"/api/spaces/{ids[i]}/runtime") for i in broad(replica.world, "space", 60)]
    shape = Shape(
        enums={"stage": frozenset(s for s, _ in vocab.RUNTIME_STAGES)},
        types={"hardware.current": (frozenset({"string"}), "a running Space's hardware, a string in the real search results")},
    )
    compare(title("/api/spaces/{id}/runtime", mine, real, "hub-real/models"), real, mine, shape).check()


def test_space_variables_match_the_real_body(replica, hub_real: Path) -> None:
    """``GET /api/spaces/{id}/variables``: one real body (a Space without variables)."""
    real = real_files(hub_real, "models", "spaces_*_variables.json")
    ids = replica.world.repos["space"].ids
    mine = [get(replica, f"/api/spaces/{ids[i]}/variables") for i in broad(replica.world, "space", 10)]
    compare(title("/api/spaces/{id}/variables", mine, real, "hub-real/models"), real, mine, Shape(maps=frozenset({""}))).check()


SEARCH_SHAPE = Shape(
    by={"authorData": "type", "originSpace.author": "type"},
    optional={
        "originSpace": "3 of the 4 real results are duplicates of one FLUX Space; being a copy is a property of the Space",
        "originSpace.author[type=user]": "who owns the copied Space is world content (most of the replica's Spaces are orgs')",
    },
    enums={"runtime.stage": frozenset({"RUNNING", "RUNNING_BUILDING", "APP_STARTING", "SLEEPING", "PAUSED"})},
    types={
        f"runtime.hardware.{k}": (frozenset({"null"}), "a static Space has no hardware (hub-real/models, the static Space's runtime)")
        for k in ("current", "requested")
    },
)


def test_space_semantic_search_matches_real_results(replica, hub_real: Path) -> None:
    """``GET /api/spaces/semantic-search?q=...``, huggingface_hub's search_spaces: 4 real results."""
    real = load(hub_real / "other" / "spaces_semantic_search.json")
    mine = [row for q in ("image generation", "chat", "speech") for row in get(replica, "/api/spaces/semantic-search", q=q)]
    compare(title("/api/spaces/semantic-search", mine, real, "hub-real/other"), real, mine, SEARCH_SHAPE).check()


# -- discussions --------------------------------------------------------------------------------
def popular(world, kind: str, n: int, *, org: bool | None = None) -> list[int]:
    t = world.repos[kind]
    order = [i for i in np.argsort(-t.likes, kind="stable").tolist() if t.alive[i]]
    if org is not None:
        order = [i for i in order if world.owners.is_org(int(t.author[i])) == org]
    return order[:n]


def test_discussion_lists_match_the_real_body(replica, hub_real: Path) -> None:
    """``GET /api/models/{id}/discussions``, huggingface_hub's get_repo_discussions: the real list of gpt2."""
    real = [load(hub_real / "other" / "discussions_gpt2.json")]
    ids = replica.world.repos["model"].ids
    mine = [get(replica, f"/api/models/{ids[i]}/discussions") for i in popular(replica.world, "model", 12)]
    shape = Shape(enums={"discussions[].status": frozenset({"open", "closed", "merged", "draft"})})
    compare(title("/api/models/{id}/discussions", mine, real, "hub-real/other"), real, mine, shape).check()


DETAIL_SHAPE = Shape(
    by={"events[]": "type"},
    # huggingface_hub's deserialize_event knows title changes; get_discussion_details reads changes.mergeCommitId
    groups={"events[]": frozenset({"title-change"})},
    asked=frozenset({"changes.mergeCommitId", "events[type=commit].data.parents"}),
    enums={"status": frozenset({"open", "closed", "merged", "draft"})},
)


def discussion_bodies(replica, kind: str, repos: list[int], pr: bool | None, n: int) -> list[dict]:
    w = replica.world
    t = w.repos[kind]
    out = []
    with replica.state.lock:
        d = community.discussions(w, kind)
        wanted = [(i, k - int(d.offsets[i]) + 1) for i in repos for k in d.of(i) if pr is None or bool(d.is_pr[k]) == pr]
    for i, num in wanted[:n]:
        out.append(get(replica, f"/api/{kind}s/{t.ids[i]}/discussions/{num}"))
    return out


def test_pull_request_details_match_the_real_body(replica, hub_real: Path) -> None:
    """``GET /api/models/{id}/discussions/{num}``: the real body is a closed PR on an org's model (gpt2 #1)."""
    real = [load(hub_real / "other" / "discussion_gpt2_1.json")]
    mine = discussion_bodies(replica, "model", popular(replica.world, "model", 30, org=True), True, 40)
    compare(title("/api/models/{id}/discussions/{num}", mine, real, "hub-real/other, PRs on org repos"), real, mine, DETAIL_SHAPE).check()


def test_any_discussion_details_have_no_foreign_keys(replica, hub_real: Path) -> None:
    """Discussions and PRs on repos of every kind and owner, against the same real body: nothing it lacks."""
    real = [load(hub_real / "other" / "discussion_gpt2_1.json")]
    mine = [
        body
        for kind in ("model", "dataset", "space")
        for body in discussion_bodies(replica, kind, popular(replica.world, kind, 30), None, 40)
    ]
    shape = Shape(**{**DETAIL_SHAPE.__dict__, "majority": False})
    compare(title("/api/{type}s/{id}/discussions/{num}", mine, real, "hub-real/other, broad sample"), real, mine, shape).check()


# -- collections, whoami, papers ----------------------------------------------------------------
def test_collection_details_match_the_real_body(replica, hub_real: Path) -> None:
    """``GET /api/collections/{slug}``: one real collection holding a dataset, a collection, a Space,
    a paper and a model; every item type is compared on its own."""
    real = [load(hub_real / "other" / "collection_detail.json")]
    w = replica.world
    with replica.state.lock:
        cols = community.collections(w)
        rows = np.argsort(-(cols.item_offsets[1:] - cols.item_offsets[:-1]), kind="stable")[:40]
        slugs = [cols.slug(w, int(r)) for r in rows]
    mine = [get(replica, f"/api/collections/{slug}") for slug in slugs]
    string, null = frozenset({"string"}), frozenset({"null"})
    on_hardware = (string, "a Space on hardware (the real item is a static Space: null hardware)")
    no_description = (null, "huggingface_hub's Collection reads description as optional")
    shape = Shape(
        by={"items[]": "type"},
        asked=frozenset({
            # an item's note is optional (huggingface_hub's CollectionItem reads note.text)
            *(f"items[type={t}].note" for t in community.ITEM_TYPES),
            # the real collection's only model is an empty test repo: no pipeline, no weights
            "items[type=model].pipeline_tag", "items[type=model].numParameters",
            # users carry isPro; every owner in the real collection is an org
            "owner.isPro", "items[type=model].authorData.isPro", "items[type=space].authorData.isPro", "items[type=collection].owner.isPro",
        }),
        enums={"items[type=model].gated": GATED, "items[type=dataset].gated": GATED},
        types={
            "items[type=model].gated": (string, "a gated model: 'auto' or 'manual'"),
            "items[type=dataset].gated": (string, "a gated dataset: 'auto' or 'manual'"),
            "items[type=space].runtime.hardware.current": on_hardware,
            "items[type=space].runtime.hardware.requested": on_hardware,
            "description": no_description,
            "items[type=collection].description": no_description,
        },
        tags=frozenset({"items[type=space].tags"}),
        prefixes={"items[type=space].tags": (frozenset({"license"}), "a Space with a license (the real one has none)")},
    )
    compare(title("/api/collections/{slug}", mine, real, "hub-real/other"), real, mine, shape).check()


def test_whoami_matches_the_real_body(replica, hub_real: Path) -> None:
    """``GET /api/whoami-v2``: one real body (a user token)."""
    real = [load(hub_real / "other" / "whoami_v2.json")]
    users = [n for n in replica.world.owners.names[:40]]
    mine = [get(replica, "/api/whoami-v2", headers={"authorization": f"Bearer hf_replica_{u}"}) for u in users]
    shape = Shape(enums={"billingMode": frozenset({"postpaid", "prepaid"}), "type": frozenset({"user"})})
    compare(title("/api/whoami-v2", mine, real, "hub-real/other"), real, mine, shape).check()


def test_daily_papers_match_the_real_body(replica, hub_real: Path) -> None:
    """``GET /api/daily_papers``, huggingface_hub's list_daily_papers: one real item (its envelope partly
    reconstructed, its ``paper`` verbatim; see hub-real/other/SOURCES.json)."""
    real = load(hub_real / "other" / "daily_papers.json")
    mine = get(replica, "/api/daily_papers", limit=50)
    shape = Shape(
        asked=frozenset({
            # the real item has no media, no claimed author and no organisation; huggingface_hub parses them
            "mediaUrls", "paper.mediaUrls", "paper.authors[].user", "paper.authors[].status", "paper.authors[].statusLastChangedAt",
            "paper.organization", "organization", "paper.projectPage", "paper.githubRepo", "paper.githubStars",
            # the envelope is reconstructed; huggingface_hub's PaperInfo reads these on the item itself
            "submittedOnDailyAt", "ai_summary", "ai_keywords", "projectPage", "githubRepo", "githubStars",
        }),
    )
    compare(title("/api/daily_papers", mine, real, "hub-real/other"), real, mine, shape).check()


def test_paper_pages_match_the_real_paper_object(replica, hub_real: Path) -> None:
    """``GET /api/papers/{id}``, huggingface_hub's paper_info (hf_paper_details): the real daily item's ``paper``
    object, which is verbatim and is the paper page's body (see hub-real/other/SOURCES.json)."""
    real = [item["paper"] for item in load(hub_real / "other" / "daily_papers.json")]
    ids = [item["paper"]["id"] for item in get(replica, "/api/daily_papers", limit=50)]
    mine = [get(replica, f"/api/papers/{paper_id}") for paper_id in ids]
    shape = Shape(
        asked=frozenset({
            # the real paper has no media, no claimed author, no organisation and no links; paper_info parses them
            "mediaUrls", "authors[].user", "authors[].status", "authors[].statusLastChangedAt", "organization",
            "projectPage", "githubRepo", "githubStars",
            # a paper page counts its comments (paper_info reads numComments); the nested object leaves it to the item
            "numComments",
        }),
    )
    compare(title("/api/papers/{id}", mine, real, "hub-real/other"), real, mine, shape).check()


# -- endpoints with no real body: huggingface_hub's parsers are the spec ------------------------
USER = parsed_by(User)
ORG = parsed_by(Organization)


def test_likers_are_what_huggingface_hub_parses(replica) -> None:
    """``GET /api/{type}s/{id}/likers``: no real body; list_repo_likers reads user, fullname, avatarUrl into User."""
    spec = read_by(HfApi.list_repo_likers, "liker", "list_repo_likers")
    spec = Parsed(spec.source + " / User", spec.required, {**USER.keys, **spec.keys})
    ids = replica.world.repos["model"].ids
    mine = [row for i in popular(replica.world, "model", 5) for row in get(replica, f"/api/models/{ids[i]}/likers")]
    spec.check("GET /api/models/{id}/likers", mine).check()


def test_user_likes_are_what_huggingface_hub_parses(replica) -> None:
    """``GET /api/users/{user}/likes``: no real body; list_liked_repos reads like["repo"]["name"|"type"]."""
    spec = read_by(HfApi.list_liked_repos, "like", "list_liked_repos").with_extra(
        createdAt="the shape list_liked_repos documents in its source comment"
    )
    users = replica.world.owners.names[:10]
    mine = [row for u in users for row in get(replica, f"/api/users/{u}/likes")]
    report = spec.check("GET /api/users/{user}/likes", mine, formats={"createdAt": "timestamp"})
    repo = Parsed("huggingface_hub list_liked_repos", {"name", "type"}, {"name": {"string"}, "type": {"string"}})
    report.lines += [f"repo.{line}" for line in repo.check("", [r["repo"] for r in mine if isinstance(r.get("repo"), dict)]).lines]
    report.check()


MEMBER_EXTRA = {"role": "the member's role in the org: hubsight's hf_org_members reads it (forwarded by User)"}


@pytest.mark.parametrize(
    "path",
    ["/api/users/{user}/followers", "/api/users/{user}/following", "/api/organizations/{org}/followers", "/api/organizations/{org}/members"],
)
def test_follower_and_member_lists_are_what_huggingface_hub_parses(replica, path: str) -> None:
    """No real body: huggingface_hub builds a User from each row."""
    o = replica.world.owners
    names = [o.names[i] for i in (range(10) if "{user}" in path else range(o.n_users, o.n_users + 10))]
    mine = [row for n in names for row in get(replica, path.format(user=n, org=n))]
    spec = USER.with_extra(**MEMBER_EXTRA) if path.endswith("members") else USER
    spec.check(f"GET {path}", mine).check()


def test_overviews_are_what_huggingface_hub_parses(replica) -> None:
    """``GET /api/users/{user}/overview`` (User, its orgs as Organization) and
    ``GET /api/organizations/{org}/overview`` (Organization): no real body."""
    o = replica.world.owners
    extra = {
        "_id": "every real Hub object carries its _id",
        "createdAt": "hubsight's hf_user_summary reads the account's creation date",
        **{k: "hubsight's hf_user_summary reads the social handles" for k in SOCIAL_KEYS},
    }
    users = [get(replica, f"/api/users/{o.names[i]}/overview") for i in range(12)]
    report = USER.with_extra(**extra).check("GET /api/users/{user}/overview", users, formats={"createdAt": "timestamp"})
    orgs = [org for u in users for org in u.get("orgs", [])]
    org_extra = {"_id": extra["_id"], "isEnterprise": "the Hub marks enterprise orgs; hubsight reads it"}
    report.lines += [f"orgs[].{line}" for line in ORG.with_extra(**org_extra).check("", orgs).lines]
    report.check()
    orgs = [get(replica, f"/api/organizations/{o.names[i]}/overview") for i in range(o.n_users, o.n_users + 12)]
    ORG.with_extra(_id=extra["_id"], type="the Hub types every owner", isEnterprise=org_extra["isEnterprise"]).check(
        "GET /api/organizations/{org}/overview", orgs
    ).check()


INFO = {"model": parsed_by(ModelInfo), "dataset": parsed_by(DatasetInfo), "space": parsed_by(SpaceInfo)}


def trending_reads(kind: str) -> set[str]:
    """The repoData keys normalise.trending_row reads for a card of ``kind`` (watched, not read from its source)."""
    read: set[str] = set()

    class Watched(dict):
        def get(self, key: Any, default: Any = None) -> Any:
            read.add(key)
            return super().get(key, default)

    normalise.trending_row({"repoType": kind, "repoData": Watched(id="owner/name")}, 1, "https://hub.test")
    return read


def card_spec(hub_real: Path, kind: str) -> Parsed:
    """A repo card (trending, activity): what huggingface_hub's ModelInfo/DatasetInfo/SpaceInfo reads,
    plus the keys real repo cards carry (the items of the real collection, the real search results)."""
    collection = load(hub_real / "other" / "collection_detail.json")
    cards = [it for it in collection["items"] if it.get("type") == kind]
    if kind == "space":
        cards += load(hub_real / "other" / "spaces_semantic_search.json")
    seen = {k for c in cards for k in c} - {"position", "type", "note", "semanticRelevancyScore"}
    spec = INFO[kind].with_extra(**{k: "a real repo card carries it (hub-real/other)" for k in seen - set(INFO[kind].keys)})
    read = trending_reads(kind)
    return spec.with_extra(**{k: "hubsight's trending_row reads it" for k in read - set(spec.keys) - set(spec.extra)})


def test_trending_is_what_huggingface_hub_parses(replica, hub_real: Path) -> None:
    """``GET /api/trending``: no real body and no huggingface_hub method; each ``repoData`` is held
    against the repo dataclass of its type plus the real repo cards, the envelope against what
    hubsight's hf_trending reads."""
    body = get(replica, "/api/trending", type="all", limit=20)
    envelope = Parsed("hubsight hf_trending", {"recentlyTrending"}, {"recentlyTrending": {"array"}})
    report = envelope.check("GET /api/trending", [body])
    rows = body.get("recentlyTrending") or []
    entry = Parsed("hubsight normalise.trending_row", {"repoType", "repoData"}, {"repoType": {"string"}, "repoData": {"object"}})
    report.lines += [f"recentlyTrending[].{line}" for line in entry.check("", rows).lines]
    for kind in ("model", "dataset", "space"):
        cards = [r["repoData"] for r in rows if r.get("repoType") == kind]
        if cards:
            lines = card_spec(hub_real, kind).check("", cards, formats={"lastModified": "timestamp", "createdAt": "timestamp"}).lines
            report.lines += [f"recentlyTrending[repoType={kind}].repoData.{line}" for line in lines]
    report.check()


def test_recent_activity_is_what_hubsight_and_huggingface_hub_parse(replica, hub_real: Path) -> None:
    """``GET /api/recent-activity``: no real body and no huggingface_hub method; the events are held
    against what hubsight's hf_recent_activity reads, their ``repoData`` like a trending card."""
    o = replica.world.owners
    bodies = [get(replica, "/api/recent-activity", entity=o.names[i], feedType="user", limit=50) for i in range(6)]
    bodies += [get(replica, "/api/recent-activity", entity=o.names[i], feedType="org", limit=50) for i in range(o.n_users, o.n_users + 4)]
    envelope = Parsed("hubsight hf_recent_activity", {"recentActivity", "cursor"}, {"recentActivity": {"array"}, "cursor": {"string", "null"}})
    report = envelope.check("GET /api/recent-activity", bodies)
    events = [e for b in bodies for e in b.get("recentActivity") or []]
    assert events, "the replica's feeds are empty"
    event = Parsed(
        "hubsight hf_recent_activity",
        {"type", "time", "repoId", "repoType"},
        {"type": {"string"}, "time": {"string"}, "repoId": {"string"}, "repoType": {"string"}, "repoData": {"object"}},
        {"user": "who acted (the Hub's feed names them)", "userAvatarUrl": "shown beside the event",
         "discussionData": "a discussion event's number, title and status"},
    )
    report.lines += [f"recentActivity[].{line}" for line in event.check("", events, formats={"time": "timestamp"}).lines]
    for kind in ("model", "dataset", "space"):
        cards = [e["repoData"] for e in events if e.get("repoType") == kind and isinstance(e.get("repoData"), dict)]
        if cards:
            lines = card_spec(hub_real, kind).check("", cards, formats={"lastModified": "timestamp"}).lines
            report.lines += [f"recentActivity[repoType={kind}].repoData.{line}" for line in lines]
    report.check()


@pytest.mark.parametrize("kind", ["dataset", "space"])
def test_dataset_and_space_details_are_what_huggingface_hub_parses(replica, kind: str) -> None:
    """``GET /api/datasets/{id}`` and ``GET /api/spaces/{id}``: no real body; DatasetInfo / SpaceInfo."""
    ids = replica.world.repos[kind].ids
    mine = [get(replica, f"/api/{kind}s/{ids[i]}") for i in broad(replica.world, kind, 40)]
    spec = INFO[kind].with_extra(_id="every real repo body carries its _id")
    report = spec.check(f"GET /api/{kind}s/{{id}}", mine, formats={"lastModified": "timestamp", "createdAt": "timestamp", "sha": "sha"})
    gated = [b["gated"] for b in mine if "gated" in b and not any(b["gated"] == g and type(b["gated"]) is type(g) for g in GATED)]
    if gated:
        report.add("gated", f"{gated[0]!r} is not one of false, 'auto', 'manual'")
    report.check()


# -- what the majority rule cannot see: keys real bodies have only when the model calls for them --
def test_no_model_has_a_duplicate_tag(hub_real: Path) -> None:
    """No real body repeats a tag; neither may any model of a small world (the issue counted 1,474 of 20,048)."""
    from hubsight.replica import World
    from tests.conftest import REPLICA_DATE, REPLICA_SEED

    for body in real_files(hub_real, "models", "models_*.json"):
        assert len(body.get("tags", [])) == len(set(body.get("tags", [])))
    w = World(seed=REPLICA_SEED, scale="small", start=REPLICA_DATE)
    for kind in ("model", "dataset", "space"):
        idx = np.flatnonzero(w.repos[kind].alive).tolist()
        dup = [(w.repos[kind].ids[i], tags) for i, tags in zip(idx, w.tag_rows(kind, idx), strict=True) if len(tags) != len(set(tags))]
        assert not dup, f"{len(dup)} of {len(idx)} {kind}s repeat a tag, e.g. {dup[0][0]}: {', '.join(dup[0][1])}"


def test_model_details_carry_what_the_model_calls_for(replica) -> None:
    """mask_token, cardData.base_model, extra_gated_* and model-index are in few real bodies: each must
    appear exactly when the model has one, and agree with the rest of the body."""
    w = replica.world
    t = w.repos["model"]
    sample = broad(w, "model", 300, seed=1)
    bodies = dict(zip(sample, model_details(replica, sample), strict=True))
    seen: dict[str, int] = {"mask_token": 0, "base_model": 0, "gated": 0, "model-index": 0, "warm": 0}
    for i, b in bodies.items():
        card = b.get("cardData") or {}
        tok = (b.get("config") or {}).get("tokenizer_config") or {}
        if "mask_token" in b:
            seen["mask_token"] += 1
            assert tok.get("mask_token") == b["mask_token"], b["id"]
            if b.get("pipeline_tag") == "fill-mask":
                assert all(b["mask_token"] in x["text"] for x in b["widgetData"]), b["id"]
        elif b.get("pipeline_tag") == "fill-mask" and b.get("library_name") == "transformers":
            pytest.fail(f"{b['id']} is a fill-mask transformers model without mask_token")
        if int(t.base[i]) >= 0:
            seen["base_model"] += 1
            assert card.get("base_model") == t.ids[int(t.base[i])] and f"base_model:{card['base_model']}" in b["tags"], b["id"]
        else:
            assert "base_model" not in card, b["id"]
        if b["gated"]:
            seen["gated"] += 1
            assert card.get("extra_gated_prompt"), b["id"]
            assert ("extra_gated_fields" in card) == (b["gated"] == "manual"), b["id"]
        else:
            assert not any(k.startswith("extra_gated") for k in card), b["id"]
        if b["model-index"] is not None:
            seen["model-index"] += 1
            assert card.get("model-index") == b["model-index"], b["id"]
        if b["inference"] == "warm":
            seen["warm"] += 1
    assert all(seen.values()), f"the sample shows none of some optional fields: {seen}"
    warm = [i for i, b in bodies.items() if b["inference"] == "warm"]
    cold = [i for i, b in bodies.items() if b["inference"] == "cold"]
    assert all(model_details(replica, warm[:5], expand="inferenceProviderMapping")[k]["inferenceProviderMapping"] for k in range(min(5, len(warm))))
    assert not any(b["inferenceProviderMapping"] for b in model_details(replica, cold[:5], expand="inferenceProviderMapping"))
    listed = get(replica, "/api/models", inference="warm", limit=1000, expand="inference")
    assert listed and {row["inference"] for row in listed} == {"warm"}
    asked = model_details(replica, warm[:2], expand=["trendingScore", "likes"])
    assert all(set(b) == {"_id", "id", "trendingScore", "likes"} for b in asked), "expand gives what it asks for, no modelId"
