"""A repo's tags in about a quarter of their JSON: deflate with a preset dictionary of the Hub's common tags.

Tags are most of a metadata row (a model's JSON list averages 140-180 bytes) and a handful of
words make up most of them, so each list is deflated against a fixed dictionary of those words.
Measured on 100,000 models of the replica's million-model world: 142 bytes of JSON become 34. The dictionary is part of
the stored format: a payload starts with a version byte naming its dictionary, so a new one can be
added (as version 2) without rewriting what is stored. Tags are joined with the ASCII unit
separator; a list that joining would not give back (an empty tag, or one holding the separator) is
stored as plain JSON under version 0 instead. Only SQLite stores this (``schema.Tags``); PostgreSQL
keeps JSON.
"""

from __future__ import annotations

import json
import zlib
from functools import cache

__all__ = ["pack", "unpack", "unpack_columns"]

SEPARATOR = "\x1f"
VERSION = 1
PLAIN = 0
"""The version byte of a list stored as JSON: one that joining with ``SEPARATOR`` would not give back."""
_COMMON_V1 = (
    # spaces and datasets
    "gradio", "streamlit", "docker", "static", "mcp-server", "agents", "synthetic", "croissant", "Croissant",
    "library:datasets", "library:pandas", "library:polars", "library:mlcroissant", "library:dask", "library:webdataset",
    "format:parquet", "format:json", "format:csv", "format:text", "format:imagefolder", "format:audiofolder",
    "format:arrow", "format:webdataset", "modality:text", "modality:image", "modality:audio", "modality:tabular",
    "modality:video", "modality:timeseries", "modality:3d", "modality:geospatial", "modality:document",
    "size_categories:n<1K", "size_categories:1K<n<10K", "size_categories:10K<n<100K",
    "size_categories:100K<n<1M", "size_categories:1M<n<10M", "size_categories:10M<n<100M",
    "task_categories:", "task_ids:", "language:", "annotations_creators:", "language_creators:",
    "multilinguality:monolingual", "source_datasets:original",
    # model formats, architectures and libraries
    "tensorboard", "onnx", "tf", "jax", "keras", "mlx", "coreml", "openvino", "gguf", "bitsandbytes", "gptq", "awq",
    "exl2", "4-bit", "8-bit", "imatrix", "quantized", "lora", "peft", "unsloth", "trl", "sft", "dpo", "grpo",
    "generated_from_trainer", "custom_code", "model-index", "eval-results", "merge", "mergekit", "diffusers",
    "diffusers:StableDiffusionPipeline", "diffusers:StableDiffusionXLPipeline", "diffusers:FluxPipeline",
    "stable-diffusion", "stable-diffusion-xl", "flux", "sentence-transformers", "timm", "spacy", "fastai", "espnet",
    "speechbrain", "stable-baselines3", "ml-agents", "reinforcement-learning", "open_clip", "transformers.js",
    "llama", "llama-cpp", "mistral", "mixtral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "phi3", "gpt2",
    "gpt_neox", "t5", "bart", "bert", "roberta", "xlm-roberta", "deberta-v2", "distilbert", "electra", "vit",
    "clip", "whisper", "wav2vec2", "swin", "convnext", "detr", "yolo", "segformer", "blip", "llava", "mamba",
    # tasks
    "text-generation", "text2text-generation", "text-classification", "token-classification",
    "question-answering", "summarization", "translation", "fill-mask", "feature-extraction", "sentence-similarity",
    "zero-shot-classification", "conversational", "automatic-speech-recognition", "text-to-speech", "audio-classification",
    "text-to-image", "image-to-image", "image-classification", "image-segmentation", "object-detection",
    "image-to-text", "image-text-to-text", "visual-question-answering", "depth-estimation", "text-to-video",
    "tabular-classification", "time-series-forecasting", "any-to-any", "robotics",
    # licenses
    "license:apache-2.0", "license:mit", "license:other", "license:openrail", "license:openrail++",
    "license:creativeml-openrail-m", "license:cc-by-4.0", "license:cc-by-sa-4.0", "license:cc-by-nc-4.0",
    "license:cc-by-nc-sa-4.0", "license:cc0-1.0", "license:bsd-3-clause", "license:gpl-3.0", "license:afl-3.0",
    "license:llama2", "license:llama3", "license:llama3.1", "license:llama3.2", "license:gemma", "license:unknown",
    # relations
    "arxiv:", "doi:", "dataset:", "base_model:adapter:", "base_model:merge:", "base_model:quantized:",
    "base_model:finetune:", "base_model:",
    # languages
    "multilingual", "ar", "de", "es", "fr", "hi", "it", "ja", "ko", "nl", "pl", "pt", "ru", "tr", "vi", "zh", "en",
    # on (nearly) every repo: last, so that they cost the fewest bits
    "has_space", "deploy:azure", "inference_endpoints", "autotrain_compatible", "text-generation-inference",
    "endpoints_compatible", "safetensors", "pytorch", "transformers", "region:us",
)
_DICTIONARIES = {VERSION: _COMMON_V1}


WINDOW = -12
"""Raw deflate (no header) with a 4 KiB window: enough for the dictionary and any tag list."""


@cache
def _dictionary(version: int) -> bytes:
    words = _DICTIONARIES.get(version)
    if words is None:
        raise ValueError(f"tags stored with dictionary version {version}, which this hubsight does not know; upgrade hubsight")
    return SEPARATOR.join(words).encode()


@cache
def _primed() -> zlib._Compress:
    """A compressor with the current dictionary loaded: each list is packed by a copy of it, which
    costs a third less than loading the dictionary again."""
    return zlib.compressobj(6, zlib.DEFLATED, WINDOW, 4, zlib.Z_DEFAULT_STRATEGY, _dictionary(VERSION))


def pack(tags: list[str] | tuple[str, ...]) -> bytes:
    """The stored form of a tag list: a version byte, then the joined tags deflated against its dictionary."""
    joined = SEPARATOR.join(tags)
    if (not joined and tags) or joined.count(SEPARATOR) != max(len(tags) - 1, 0):
        return bytes((PLAIN,)) + json.dumps(list(tags), ensure_ascii=False).encode()
    squeeze = _primed().copy()
    return bytes((VERSION,)) + squeeze.compress(joined.encode()) + squeeze.flush()


def _open(payload: bytes) -> tuple[str | None, str | None]:
    """(the joined tags, None), or (None, the JSON text) for a list stored plain."""
    if not payload:
        raise ValueError("a stored tag list is empty: the store is damaged")
    try:
        if payload[0] == PLAIN:
            return None, payload[1:].decode()
        expand = zlib.decompressobj(WINDOW, _dictionary(payload[0]))
        return (expand.decompress(payload[1:]) + expand.flush()).decode(), None
    except (zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(f"a stored tag list cannot be read ({exc}): the store is damaged") from None


def unpack(payload: bytes) -> list[str]:
    """The tag list a payload holds; a damaged one is a ValueError that says so."""
    joined, plain = _open(payload)
    if plain is not None:
        try:
            return json.loads(plain)
        except json.JSONDecodeError as exc:
            raise ValueError(f"a stored tag list cannot be read ({exc}): the store is damaged") from None
    return joined.split(SEPARATOR) if joined else []


def unpack_columns(payloads: list[bytes | None]) -> tuple[list[str | None], list[str | None]]:
    """Many payloads as two columns for a columnar reader that splits them itself: the joined tags
    (``SEPARATOR`` between them), and the JSON text of the few lists stored plain (null elsewhere)."""
    joined: list[str | None] = []
    plain: list[str | None] = []
    for payload in payloads:
        j, p = (None, None) if payload is None else _open(payload)
        joined.append(j)
        plain.append(p)
    return joined, plain
