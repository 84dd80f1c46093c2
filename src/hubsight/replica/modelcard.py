"""What a model's detail page carries beyond its columns: config, tokenizer, widgets, card, evaluations.

Everything is derived from the model's row (family, pipeline, library, gating, base, training data)
and a hash of its index, so it is stable while the clock moves and costs nothing on listings: the
detail route renders one model at a time. Shapes follow real huggingface.co bodies (the replica's
fidelity tests hold them against recorded ones).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from hubsight.replica import vocab
from hubsight.replica.world import World

_SAMPLES = "https://huggingface.co/datasets/mishig/sample_images/resolve/main"
_CHAT_WIDGET = [
    {"text": "Hi, what can you help me with?"},
    {"text": "What is 84 * 3 / 2?"},
    {"text": "Tell me an interesting fact about the universe!"},
    {"text": "Explain quantum computing in simple terms."},
]
# The Hub's default widget inputs per pipeline tag ("{mask}" becomes the model's mask token).
DEFAULT_WIDGETS: dict[str, list[dict[str, Any]]] = {
    "text-generation": [
        {"text": "My name is Julien and I like to"},
        {"text": "I like traveling by train because"},
        {"text": "Paris is an amazing place to visit,"},
        {"text": "Once upon a time,"},
    ],
    "fill-mask": [{"text": "Paris is the {mask} of France."}, {"text": "The goal of life is {mask}."}],
    "text-classification": [{"text": "I like you. I love you"}],
    "token-classification": [
        {"text": "My name is Wolfgang and I live in Berlin"},
        {"text": "My name is Sarah and I live in London"},
        {"text": "My name is Clara and I live in Berkeley, California."},
    ],
    "zero-shot-classification": [
        {
            "text": "I have a problem with my iphone that needs to be resolved asap!",
            "candidate_labels": "urgent, not urgent, phone, tablet, computer",
            "multi_class": True,
        }
    ],
    "sentence-similarity": [
        {"source_sentence": "That is a happy person", "sentences": ["That is a happy dog", "That is a very happy person", "Today is a sunny day"]}
    ],
    "summarization": [
        {"text": "The tower is 324 metres (1,063 ft) tall, about the same height as an 81-storey building, and the tallest structure in Paris."}
    ],
    "text2text-generation": [
        {"text": "Translate to German:  My name is Arthur", "example_title": "Translation"},
        {"text": "Please answer the following question. What is the boiling point of Nitrogen?", "example_title": "Scientific knowledge"},
    ],
    "translation": [{"text": "My name is Wolfgang and I live in Berlin"}, {"text": "My name is Sarah and I live in London"}],
    "text-to-image": [
        {"text": "A high tech solarpunk utopia in the Amazon rainforest", "example_title": "Amazon rainforest"},
        {"text": "A pikachu fine dining with a view to the Eiffel Tower", "example_title": "Pikachu in Paris"},
        {"text": "A mecha robot in a favela in expressionist style", "example_title": "Expressionist robot"},
    ],
    "image-classification": [
        {"src": f"{_SAMPLES}/tiger.jpg", "example_title": "Tiger"},
        {"src": f"{_SAMPLES}/teapot.jpg", "example_title": "Teapot"},
        {"src": f"{_SAMPLES}/palace.jpg", "example_title": "Palace"},
    ],
    "object-detection": [
        {"src": f"{_SAMPLES}/savanna.jpg", "example_title": "Savanna"},
        {"src": f"{_SAMPLES}/football-match.jpg", "example_title": "Football Match"},
        {"src": f"{_SAMPLES}/airport.jpg", "example_title": "Airport"},
    ],
    "image-segmentation": [
        {"src": f"{_SAMPLES}/football-match.jpg", "example_title": "Football Match"},
        {"src": f"{_SAMPLES}/dog-cat.jpg", "example_title": "Dog & Cat"},
    ],
    "zero-shot-image-classification": [
        {"src": f"{_SAMPLES}/cat-dog-music.png", "candidate_labels": "playing music, playing sports", "example_title": "Cat & Dog"}
    ],
    "visual-question-answering": [
        {"text": "What's the animal doing?", "src": f"{_SAMPLES}/tiger.jpg"},
        {"text": "What is on top of the building?", "src": f"{_SAMPLES}/palace.jpg"},
    ],
}
_CTC = {"wav2vec2", "hubert", "wavlm"}
_VISION = {"image-classification", "object-detection", "image-segmentation", "depth-estimation", "mask-generation"}
_MULTIMODAL = {"image-text-to-text", "image-to-text", "visual-question-answering", "automatic-speech-recognition",
               "zero-shot-image-classification", "any-to-any", "text-to-speech", "audio-classification"}
_ANGLE_MASK = {"roberta", "xlm-roberta", "bart", "camembert", "mbart", "longformer"}
_BRACKET_MASK = {"bert", "distilbert", "electra", "deberta-v2", "modernbert", "mpnet", "albert"}
_DIFFUSERS = {"stable-diffusion": "StableDiffusionPipeline", "sdxl": "StableDiffusionXLPipeline", "flux": "FluxPipeline",
              "wan": "WanPipeline", "hunyuanvideo": "HunyuanVideoPipeline", "cogvideox": "CogVideoXPipeline"}
_METRICS = {
    "text-classification": ("accuracy", "Accuracy", 0.91), "token-classification": ("f1", "F1", 0.93),
    "question-answering": ("exact_match", "Exact Match", 0.81), "automatic-speech-recognition": ("wer", "Test WER", 12.4),
    "image-classification": ("accuracy", "Accuracy", 0.88), "summarization": ("rouge1", "ROUGE-1", 42.1),
    "translation": ("bleu", "BLEU", 31.7), "zero-shot-classification": ("accuracy", "Accuracy", 0.9),
    "audio-classification": ("accuracy", "Accuracy", 0.97), "fill-mask": ("accuracy", "Accuracy", 0.72),
}
_SECOND = {"accuracy": [("f1", "F1")], "wer": [("cer", "Test CER")], "rouge1": [("rouge2", "ROUGE-2")], "f1": [("precision", "Precision")]}
_GATE_FIELDS: dict[str, Any] = {
    "First Name": "text", "Last Name": "text", "Date of birth": "date_picker", "Country": "country", "Affiliation": "text",
    "Job title": {"type": "select", "options": ["Student", "Research Graduate", "AI researcher", "AI developer/engineer", "Other"]},
    "geo": "ip_location",
    "By clicking Submit below I accept the terms of the license": "checkbox",
}


@cache
def _heads() -> dict[str, tuple[str, str]]:
    """(architecture suffix, AutoModel class) per pipeline tag, from ``data/model_heads.json``."""
    data = json.loads(files("hubsight.replica").joinpath("data", "model_heads.json").read_text(encoding="utf-8"))
    return {tag: (suffix, auto) for tag, (suffix, auto) in data.items()}


def draw(w: World, i: int, purpose: str) -> float:
    """A stable uniform in [0, 1) per model and purpose."""
    digest = hashlib.blake2b(f"{w.seed}|{purpose}|{i}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def name_of(w: World, i: int) -> str:
    return w.repos["model"].ids[i].split("/", 1)[1]


def pipeline(w: World, i: int) -> str | None:
    p = int(w.repos["model"].pipeline[i])
    return vocab.PIPELINE_TAGS[p][0] if p >= 0 else None


def library(w: World, i: int) -> str | None:
    lib = int(w.repos["model"].library[i])
    return vocab.LIBRARIES[lib][0] if lib >= 0 else None


def family(w: World, i: int) -> Any | None:
    """The model's family (``replica.families``) when the world draws models from families."""
    t = w.repos["model"]
    if "family" not in t.cols:
        return None
    from hubsight.replica import families

    f = int(t.family[i])
    return families.FAMILIES[f] if 0 <= f < len(families.FAMILIES) else None


def model_type(w: World, i: int) -> str:
    """config.json's model_type: the family's, else the name's first word."""
    fam = family(w, i)
    if fam is not None and getattr(fam, "model_type", ""):
        return fam.model_type
    head = re.split(r"[-_.]", name_of(w, i).lower(), maxsplit=1)[0]
    return re.sub(r"[^a-z0-9]", "", head) or "model"


def is_chat(w: World, i: int) -> bool:
    name = name_of(w, i).lower()
    return pipeline(w, i) in ("text-generation", "image-text-to-text") and any(
        k in name for k in ("instruct", "chat", "-it", "zephyr", "thinking", "sft", "dpo")
    )


def mask_token(w: World, i: int) -> str | None:
    """The tokenizer's mask token, for the encoders that have one."""
    if library(w, i) not in ("transformers", "sentence-transformers"):
        return None
    mt = model_type(w, i)
    if mt in _ANGLE_MASK:
        return "<mask>"
    if mt in _BRACKET_MASK:
        return "[MASK]"
    return None


def tokenizer_config(w: World, i: int) -> dict[str, Any] | None:
    """The special tokens of the model's tokenizer, as ``config.tokenizer_config``; None without one."""
    pipe = pipeline(w, i)
    mt = model_type(w, i)
    mask = mask_token(w, i)
    if mask == "[MASK]":
        return {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
    if mask == "<mask>":
        return {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "cls_token": "<s>",
                "pad_token": "<pad>", "mask_token": "<mask>"}
    if mt in ("t5", "marian", "m2m_100") or pipe in ("text2text-generation", "translation", "summarization"):
        return {"eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"}
    if mt == "gpt2":
        return {}
    if pipe in ("text-generation", "image-text-to-text", "any-to-any", "feature-extraction", "sentence-similarity"):
        if mt == "llama" and "llama-3" in name_of(w, i).lower():
            out: dict[str, Any] = {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}
        else:
            out = {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "</s>"}
        if is_chat(w, i):
            out["chat_template"] = (
                "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}"
                "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}"
            )
        return out
    return None


def _camel(mt: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_]", mt) if p)


def config(w: World, i: int) -> dict[str, Any] | None:
    """``config``: architectures, model_type and tokenizer for transformers-style repos, the pipeline
    class for diffusers; None for libraries whose repos have no config on the Hub's page."""
    lib = library(w, i)
    pipe = pipeline(w, i)
    if lib == "diffusers":
        fam = family(w, i)
        key = (fam.name if fam is not None else name_of(w, i)).lower()
        cls = next((v for k, v in _DIFFUSERS.items() if key.startswith(k)), "DiffusionPipeline")
        if cls == "StableDiffusionPipeline" and "3" in name_of(w, i).split("-", 2)[-1][:3]:
            cls = "StableDiffusion3Pipeline"
        return {"diffusers": {"_class_name": cls}}
    if lib not in ("transformers", "sentence-transformers"):
        return None
    mt = model_type(w, i)
    if pipe == "automatic-speech-recognition" and mt in _CTC:
        suffix = "ForCTC"
    elif lib == "sentence-transformers" or pipe in (None, "feature-extraction", "sentence-similarity"):
        suffix = "Model"
    else:
        suffix = _heads().get(pipe, ("Model", "AutoModel"))[0]
    if mt == "gpt2" and suffix == "ForCausalLM":
        suffix = "LMHeadModel"
    out: dict[str, Any] = {"architectures": [f"{_camel(mt)}{suffix}"], "model_type": mt}
    tok = tokenizer_config(w, i)
    if tok is not None:
        out["tokenizer_config"] = tok
    return out


def transformers_info(w: World, i: int) -> dict[str, Any] | None:
    lib = library(w, i)
    if lib not in ("transformers", "sentence-transformers"):
        return None
    pipe = pipeline(w, i)
    if lib == "sentence-transformers" or pipe in (None, "feature-extraction", "sentence-similarity"):
        auto = "AutoModel"
    elif pipe == "automatic-speech-recognition" and model_type(w, i) in _CTC:
        auto = "AutoModelForCTC"
    else:
        auto = _heads().get(pipe, ("Model", "AutoModel"))[1]
    processor = "AutoImageProcessor" if pipe in _VISION else "AutoProcessor" if pipe in _MULTIMODAL else "AutoTokenizer"
    out: dict[str, Any] = {"auto_model": auto}
    if pipe is not None:
        out["pipeline_tag"] = pipe
    out["processor"] = processor
    return out


def card_widget(w: World, i: int) -> list[dict[str, Any]] | None:
    """Widget examples written in the model card (some chat and image models), else None."""
    pipe = pipeline(w, i)
    if is_chat(w, i) and draw(w, i, "card-widget") < 0.4:
        return [
            {"example_title": "Hello", "messages": [{"role": "user", "content": "Hey my name is Julien! How are you?"}]},
            {"example_title": "Winter holidays", "messages": [
                {"role": "system", "content": "You are a helpful and honest assistant. Please, respond concisely and truthfully."},
                {"role": "user", "content": "Can you recommend a good destination for Winter holidays?"},
            ]},
        ]
    if pipe == "text-to-image" and draw(w, i, "card-widget") < 0.5:
        return [dict(x) for x in DEFAULT_WIDGETS["text-to-image"][:2]]
    return None


def widget_data(w: World, i: int) -> list[dict[str, Any]] | None:
    """``widgetData``: the card's own widget, else the pipeline's default inputs; None without a widget."""
    own = card_widget(w, i)
    if own is not None:
        return own
    pipe = pipeline(w, i)
    if pipe == "text-generation" and is_chat(w, i):
        return [dict(x) for x in _CHAT_WIDGET]
    default = DEFAULT_WIDGETS.get(pipe or "")
    if default is None:
        return None
    mask = mask_token(w, i) or "[MASK]"
    return [{k: (v.replace("{mask}", mask) if isinstance(v, str) else v) for k, v in x.items()} for x in default]


def model_index(w: World, i: int) -> list[dict[str, Any]] | None:
    """``model-index``: evaluation results for some fine-tuned task models, else None (most models)."""
    t = w.repos["model"]
    pipe = pipeline(w, i)
    trained = int(t.trained[i]) if "trained" in t.cols else -1
    if pipe not in _METRICS or draw(w, i, "model-index") > (0.6 if trained >= 0 else 0.15):
        return None
    metric, label, base = _METRICS[pipe]
    if trained >= 0:
        data = w.repos["dataset"].ids[trained]
    else:
        data = {"automatic-speech-recognition": "mozilla-foundation/common_voice_17_0", "image-classification": "imagenet-1k",
                "translation": "wmt16", "summarization": "cnn_dailymail"}.get(pipe, "glue")
    metrics = []
    for k, (m, label_k) in enumerate([(metric, label), *_SECOND.get(metric, [])]):
        value = round(base * (0.85 + 0.2 * draw(w, i, f"metric-{k}")), 4)
        verified = k == 0 or draw(w, i, f"verified-{k}") < 0.5
        entry: dict[str, Any] = {"type": m, "value": value, "name": label_k, "verified": verified}
        if verified:
            token = hashlib.sha256(f"{w.seed}:{i}:{k}:eval".encode()).hexdigest()
            entry["verifyToken"] = f"eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.{token[:48]}.{token[48:]}"
        metrics.append(entry)
    task_name = pipe.replace("-", " ").title()
    return [{
        "name": name_of(w, i),
        "results": [{
            "task": {"type": pipe, "name": task_name},
            "dataset": {"name": data.split("/")[-1].replace("_", " ").replace("-", " ").title(), "type": data,
                        "split": "test" if pipe == "automatic-speech-recognition" else "validation"},
            "metrics": metrics,
        }],
    }]


def gate_card(w: World, i: int, gated: str | bool) -> dict[str, Any]:
    """The ``extra_gated_*`` card fields of a gated model: manual gates ask for a form."""
    if not gated:
        return {}
    license_ = vocab.LICENSES[int(w.repos["model"].license[i])][0]
    owner = w.repos["model"].ids[i].split("/", 1)[0]
    out: dict[str, Any] = {
        "extra_gated_prompt": f"### {license_.upper()} LICENSE AGREEMENT\nBy accessing {w.repos['model'].ids[i]} you agree to the license terms of {owner}.",
        "extra_gated_button_content": "Submit",
    }
    if gated == "manual":
        out["extra_gated_fields"] = dict(_GATE_FIELDS)
        out["extra_gated_description"] = f"The information you provide will be collected, stored, processed and shared in accordance with the {owner} Privacy Policy."
    else:
        out["extra_gated_heading"] = "Please read the LICENSE to access this model"
    return out


def card_tags(w: World, i: int) -> list[str]:
    """The tags a card's author writes: the family and its generation, a few method words."""
    tags: list[str] = []
    fam = family(w, i)
    if fam is not None:
        tags.append(fam.name.replace("{v}", "").strip("-").lower())
    name = name_of(w, i).lower()
    for word, tag in (("gguf", "gguf"), ("lora", "lora"), ("instruct", "instruct"), ("merge", "mergekit"), ("awq", "awq"), ("gptq", "gptq")):
        if word in name and tag not in tags:
            tags.append(tag)
    if library(w, i) == "peft":
        tags.append("generated_from_trainer")
    return tags
