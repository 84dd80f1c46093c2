"""A generated world reads like the Hub: names, tasks, libraries, sizes and publishers agree.

The expectations are written here from what the Hub looks like, not read from the generator's
tables: a model is recognised by the head of its name, and each family has the tasks, libraries and
parameter range real models of that family have. Rows are the JSON the replica serves.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from hubsight.crawl import crawl
from hubsight.replica import ReplicaServer
from hubsight.replica.render import Renderer
from hubsight.replica.world import World
from tests.api.history_store import api
from tests.crawl.conftest import settings_for

LLM_LIBS = {"transformers", "peft", "gguf", "mlx"}
ENCODER_TASKS = {"fill-mask", "text-classification", "token-classification", "question-answering",
                 "zero-shot-classification", "feature-extraction"}
EMBEDDING_TASKS = {"feature-extraction", "sentence-similarity", "text-classification"}
EMBEDDING_LIBS = {"sentence-transformers", "transformers", "setfit"}
SEQ2SEQ_TASKS = {"text2text-generation", "translation", "summarization", "zero-shot-classification", "feature-extraction"}
# (name head, pipeline tags, libraries, parameter range); the first head that matches decides.
FAMILIES: list[tuple[str, set[str], set[str], tuple[float, float]]] = [
    (r"(stable-diffusion|sdxl|flux)", {"text-to-image", "image-to-image"}, {"diffusers"}, (5e8, 2e10)),
    (r"(wan\d|hunyuanvideo|cogvideox)", {"text-to-video", "image-to-video"}, {"diffusers"}, (1e9, 2e10)),
    (r"whisper", {"automatic-speech-recognition"}, {"transformers"}, (3e7, 2e9)),
    (r"wav2vec2", {"automatic-speech-recognition", "audio-classification"}, {"transformers"}, (5e7, 5e8)),
    (r"parakeet", {"automatic-speech-recognition"}, {"nemo"}, (3e8, 2e9)),
    (r"(speecht5|kokoro|parler-tts|vits)", {"text-to-speech"}, {"transformers", "pytorch", "espnet"}, (1e7, 3e9)),
    (r"ast-", {"audio-classification"}, {"transformers"}, (5e7, 2e8)),
    (r"(bge|e5|gte|all-minilm|all-mpnet|paraphrase-multilingual)", EMBEDDING_TASKS, EMBEDDING_LIBS, (1e7, 1e9)),
    (r"qwen\d*(\.\d)?-embedding", EMBEDDING_TASKS, EMBEDDING_LIBS, (3e8, 1e10)),
    (r"(bert|roberta|deberta|distilbert|electra|xlm-roberta|modernbert)", ENCODER_TASKS, {"transformers"}, (1e7, 1e9)),
    (r"(flan-t5|t5|bart|opus-mt|nllb)", SEQ2SEQ_TASKS, {"transformers"}, (3e7, 1.2e10)),
    (r"(qwen\d*(\.\d)?-vl|llava|smolvlm|paligemma|internvl|ui-tars)", {"image-text-to-text"}, LLM_LIBS, (2e8, 1e11)),
    (r"(qwen\d*(\.\d)?-omni|janus)", {"any-to-any"}, LLM_LIBS, (5e8, 1e10)),
    (r"starcoder", {"text-generation"}, LLM_LIBS, (9e8, 2e10)),
    (r"(llama|qwen|mistral|mixtral|gemma|phi|deepseek|falcon|smollm|granite|olmo|yi|internlm|glm|kimi|nemotron|"
     r"tinyllama|pythia|bloom|opt|gpt2|gpt-oss|codegen|zephyr|aya|c4ai|openelm|lfm2|nanbeige|neural-chat)",
     {"text-generation"}, LLM_LIBS, (5e7, 1.2e12)),
    (r"(vit|dinov2|resnet|mobilevit)", {"image-classification", "feature-extraction"}, {"transformers", "timm"}, (1e6, 2e9)),
    (r"clip", {"zero-shot-image-classification", "feature-extraction", "image-classification"}, {"transformers", "open_clip"}, (1e8, 1e9)),
    (r"blip", {"image-to-text", "visual-question-answering"}, {"transformers"}, (1e8, 1e9)),
    (r"sam-", {"mask-generation"}, {"transformers"}, (5e7, 1e9)),
    (r"(depth-anything|dpt)", {"depth-estimation"}, {"transformers"}, (1e7, 1e9)),
    (r"yolo", {"object-detection", "image-segmentation"}, {"ultralytics"}, (1e6, 1e8)),
    (r"detr", {"object-detection", "image-segmentation"}, {"transformers"}, (1e7, 1e8)),
    (r"(ppo|dqn|a2c|poca)-", {"reinforcement-learning"}, {"stable-baselines3", "ml-agents"}, (0, 0)),
    (r"(act|pi0|smolvla)-?", {"robotics"}, {"lerobot"}, (1e7, 5e9)),
    (r"chronos", {"time-series-forecasting"}, {"transformers"}, (1e6, 1e9)),
]
# Organisations and what they are known for: a name head, or the library of their quantised copies.
PUBLISHERS = {
    "stabilityai": r"(stable-diffusion|sdxl)",
    "black-forest-labs": r"flux",
    "openai": r"(whisper|gpt-oss|clip|gpt2)",
    "meta-llama": r"llama",
    "Qwen": r"qwen",
    "mistralai": r"(mistral|mixtral)",
    "sentence-transformers": r"(all-minilm|all-mpnet|paraphrase-multilingual)",
    "BAAI": r"bge",
    "google": r"(gemma|flan-t5|t5|bert|vit|paligemma|electra)",
    "facebook": r"(opt|bart|dinov2|wav2vec2|sam|detr|nllb)",
    "deepseek-ai": r"(deepseek|janus)",
}
QUANTISERS = {"TheBloke": {"gguf"}, "bartowski": {"gguf"}, "mlx-community": {"mlx"}, "unsloth": {"gguf", "transformers"}}
SIZE = re.compile(r"(?:^|[-_])(\d+(?:\.\d+)?)([mb])(?=$|[-_])", re.IGNORECASE)
SEEDS = (1, 7, 2026)
FIELDS = ["pipeline_tag", "library_name", "tags", "safetensors", "gguf", "author"]


def family_of(name: str) -> tuple[str, set[str], set[str], tuple[float, float]] | None:
    return next((f for f in FAMILIES if re.match(f[0], name.lower())), None)


def params_of(row: dict) -> int:
    return (row.get("safetensors") or row.get("gguf") or {}).get("total", 0)


@pytest.fixture(scope="module", params=[(seed, "small", 0) for seed in SEEDS] + [(0, "tiny", 30)],
                ids=lambda p: f"seed{p[0]}-{p[1]}-day{p[2]}")
def served(request: pytest.FixtureRequest) -> list[dict]:
    """Every live model of a world with the fields a crawler and the dashboard read; the last world
    is the demo's (seed 0, tiny) after its 30 days, births and metadata edits included."""
    seed, scale, days = request.param
    world = World(seed=seed, scale=scale, start=date(2026, 11, 23))
    world.advance(days)
    t = world.repos["model"]
    return Renderer(world).rows("model", [i for i in range(len(t)) if t.alive[i]], FIELDS)


def test_every_model_family_agrees_with_its_task_library_and_size(served: list[dict]) -> None:
    wrong = []
    for row in served:
        name = row["id"].split("/", 1)[1]
        fam = family_of(name)
        if fam is None:
            wrong.append((row["id"], "no known family"))
            continue
        _, tasks, libs, (lo, hi) = fam
        if row.get("pipeline_tag") not in tasks:
            wrong.append((row["id"], row.get("pipeline_tag")))
        if row.get("library_name") not in libs:
            wrong.append((row["id"], row.get("library_name")))
        params = params_of(row)
        if params and not lo <= params <= hi:
            wrong.append((row["id"], f"{params:.3g} parameters"))
        if row.get("pipeline_tag") == "sentence-similarity" and row.get("library_name") != "sentence-transformers":
            wrong.append((row["id"], "sentence similarity without sentence-transformers"))
    assert not wrong, wrong[:20]


def test_size_labels_match_the_parameter_count(served: list[dict]) -> None:
    checked, wrong = 0, []
    for row in served:
        m = SIZE.search(row["id"].split("/", 1)[1])
        params = params_of(row)
        if not m or not params:
            continue
        label = float(m.group(1)) * (1e9 if m.group(2).lower() == "b" else 1e6)
        checked += 1
        if not label / 1.5 <= params <= label * 1.5:
            wrong.append((row["id"], f"{params:.3g}"))
    assert checked > len(served) // 4 and not wrong, wrong[:20]


def test_known_organisations_publish_what_they_are_known_for(served: list[dict]) -> None:
    by_author: dict[str, list[dict]] = {}
    for row in served:
        by_author.setdefault(row["author"], []).append(row)
    for org, head in PUBLISHERS.items():
        rows = by_author.get(org, [])
        assert rows, f"{org} publishes nothing"
        off = [r["id"] for r in rows if not re.match(head, r["id"].split("/", 1)[1].lower())]
        assert not off, (org, off[:5])
    for org, libs in QUANTISERS.items():
        rows = by_author.get(org, [])
        assert rows, f"{org} publishes nothing"
        for r in rows:
            assert r.get("library_name") in libs, (r["id"], r.get("library_name"))
            quantized = [t for t in r["tags"] if t.startswith("base_model:quantized:")]
            assert quantized, (r["id"], r["tags"])
            base = quantized[0].removeprefix("base_model:quantized:").split("/", 1)[1]
            named_after = (base, re.sub(r"-v\d+$", "", base))  # or after its name before a rename
            assert r["id"].split("/", 1)[1].startswith(named_after), "a quantised copy is named after its base"


# Licenses of one family: the Llama community license, Gemma's terms, Stable Diffusion's RAIL-M.
FAMILY_LICENSES = {"license:llama3.1": r"llama", "license:gemma": r"(gemma|paligemma)", "license:creativeml-openrail-m": r"stable-diffusion"}


def test_a_family_license_goes_with_its_family(served: list[dict]) -> None:
    for row in served:
        for tag, head in FAMILY_LICENSES.items():
            if tag in row["tags"]:
                assert re.match(head, row["id"].split("/", 1)[1].lower()), (row["id"], tag)


def test_no_model_repeats_a_tag(served: list[dict]) -> None:
    assert not [r["id"] for r in served if len(r["tags"]) != len(set(r["tags"]))]


# Dataset names: the topic word decides the task categories it may carry.
DATASET_TASKS = {
    "speech": {"automatic-speech-recognition"}, "code": {"text-generation"}, "chat": {"text-generation"},
    "instruct": {"text-generation"}, "qa": {"question-answering"}, "ner": {"token-classification"},
    "robotics": {"robotics"}, "tabular": {"tabular-classification"}, "translation": {"translation"},
    "summaries": {"summarization"}, "reviews": {"text-classification"},
    "vision": {"image-classification", "image-text-to-text", "visual-question-answering"},
    "captions": {"text-to-image", "image-text-to-text"}, "embeddings": {"feature-extraction"},
}
# Space names: the noun decides the SDK.
SPACE_SDKS = {"blog": {"static"}, "docs": {"static"}, "api": {"docker"}, "dashboard": {"streamlit", "docker"},
              "image-generator": {"gradio"}, "transcriber": {"gradio", "streamlit"}}
SPACE_LINKS = {"transcriber": "automatic-speech-recognition", "image-generator": "text-to-image", "chatbot": "text-generation"}


@pytest.mark.parametrize("seed", SEEDS)
def test_datasets_and_spaces_read_like_what_they_are(seed: int) -> None:
    world = World(seed=seed, scale="small", start=date(2026, 11, 23))
    render = Renderer(world)
    datasets = render.rows("dataset", list(range(len(world.repos["dataset"]))), ["tags"])
    checked = 0
    for row in datasets[1:]:  # the first is the LMArena leaderboard
        topic = row["id"].split("/", 1)[1].split("-", 1)[0]
        tasks = {t.split(":", 1)[1] for t in row["tags"] if t.startswith("task_categories:")}
        if topic in DATASET_TASKS:
            checked += 1
            assert tasks <= DATASET_TASKS[topic] and tasks, (row["id"], tasks)
        if topic == "speech":
            assert "format:audiofolder" in row["tags"] or "format:parquet" in row["tags"]
    assert checked > 100
    spaces = render.rows("space", list(range(len(world.repos["space"]))), ["sdk", "models", "runtime"])
    linked = {noun: 0 for noun in SPACE_LINKS}
    models = {r["id"]: r for r in render.rows("model", list(range(len(world.repos["model"]))), ["pipeline_tag"])}
    for row in spaces:
        noun = row["id"].split("/", 1)[1].split("-", 1)[1]
        noun = re.sub(r"-\d+$", "", noun)
        if noun in SPACE_SDKS:
            assert row["sdk"] in SPACE_SDKS[noun], (row["id"], row["sdk"])
        if row["sdk"] == "static":
            assert row["runtime"]["stage"] == "RUNNING", "a static Space is always up"
        if noun in SPACE_LINKS and row["models"]:
            assert models[row["models"][0]]["pipeline_tag"] == SPACE_LINKS[noun], (row["id"], row["models"])
            linked[noun] += 1
    assert all(linked.values()), linked


async def test_trending_models_of_a_crawled_tiny_world_are_coherent(tmp_path) -> None:
    """What the demo's trending page lists: every row's name agrees with its pipeline tag and library."""
    db = f"sqlite:///{tmp_path / 'history.db'}"
    start = date(2026, 11, 23)
    with ReplicaServer(scale="tiny", seed=3, start=start) as replica:
        settings = settings_for(replica, db)
        for day in range(3):
            if day:
                replica.world.advance(1)
            assert crawl(settings=settings, only=["hub"]).ok
        world = replica.world
        t = world.repos["model"]
        libraries = dict(zip(t.ids, Renderer(world).rows("model", list(range(len(t))), ["library_name"]), strict=True))
    async with api(db) as http:
        response = await http.get("/models/trending", params={"days": 2, "limit": 100})
    assert response.status_code == 200, response.text
    rows = response.json()
    assert len(rows) > 10 and rows[0]["snapshot_date_to"] == str(start + timedelta(days=2))
    for row in rows:
        fam = family_of(row["model_id"].split("/", 1)[1])
        assert fam is not None, row["model_id"]
        assert row["pipeline_tag"] in fam[1], (row["model_id"], row["pipeline_tag"])
        library = libraries[row["model_id"]].get("library_name")
        assert library in fam[2], (row["model_id"], library)
