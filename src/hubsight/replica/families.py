"""Model families, dataset topics and space kinds the replica's world is drawn from, so that it reads like the Hub.

A model's family decides what its name looks like, the pipeline tags and libraries it can have, and
its parameter counts; organisations publish the families they are known for, and quantisers publish
GGUF/MLX copies of other people's models. Dataset topics decide their task categories and formats,
and a space's noun decides its SDK and the kind of model it links to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Licenses that belong to one family: no other model carries them.
FAMILY_LICENSES = ("llama3.1", "gemma", "creativeml-openrail-m")
# Relations a derived model has to its base, as the Hub writes them in ``base_model:<relation>:<id>``.
RELATIONS = ("finetune", "adapter", "quantized", "merge")

_UNIT = {"M": 1e6, "B": 1e9, "T": 1e12}


def _sizes(*specs: str | tuple[str, float]) -> tuple[tuple[str, float, float], ...]:
    """``"8B*3"`` → ("8B", 8e9, weight 3); ``("base", 1.1e8)`` names a tier; ``("", 1e9)`` has no label."""
    out = []
    for spec in specs:
        weight = 1.0
        if isinstance(spec, tuple):
            label, params = spec
            if "*" in label:
                label, w = label.split("*")
                weight = float(w)
        else:
            label, _, w = spec.partition("*")
            weight = float(w) if w else 1.0
            m = re.fullmatch(r"([0-9.]+)([MBT])", label)
            assert m, spec
            params = float(m.group(1)) * _UNIT[m.group(2)]
        out.append((label, float(params), weight))
    return tuple(out)


@dataclass(frozen=True)
class Family:
    """One model family: how its repos are named, what they do and how big they are."""

    name: str
    kind: str  # llm, vlm, encoder, embedding, seq2seq, diffusion, video, asr, tts, audio, vision, detection, rl, robotics, other
    weight: float  # share among publishers that are not known for anything
    pipelines: tuple[tuple[str, float], ...]
    libraries: tuple[tuple[str, float], ...]
    sizes: tuple[tuple[str, float, float], ...]
    versions: tuple[str, ...] = ("",)
    glue: str = "-"  # between the name and the version: "Llama-3.1", "Qwen2.5", "FLUX.1"
    variants: tuple[str, ...] = ("",)
    license: str = ""  # the license its originals carry, when the family has its own
    model_type: str = ""  # config.json's model_type, also a tag

    def stem(self, version: str) -> str:
        """The name's head for one version: "Llama-3.1", "Qwen2.5", "Qwen2.5-VL", "bert"."""
        if "{v}" in self.name:
            return self.name.replace("{v}", version)
        return f"{self.name}{self.glue}{version}" if version else self.name


def _f(name: str, kind: str, weight: float, pipes: str, libs: str, sizes, **kw) -> Family:
    def pairs(text: str) -> tuple[tuple[str, float], ...]:
        out = []
        for part in text.split():
            label, _, w = part.partition("*")
            out.append((label, float(w) if w else 1.0))
        return tuple(out)

    kw.setdefault("model_type", re.sub(r"[^a-z0-9]", "", name.replace("{v}", "").lower()))
    return Family(name, kind, weight, pairs(pipes), pairs(libs), sizes, **kw)


TG, IT = "text-generation", "image-text-to-text"
CHAT = ("", "Instruct", "Instruct", "Chat")
FAMILIES: list[Family] = [
    # -- text generation ---------------------------------------------------------------------------
    _f("Llama", "llm", 10, TG, "transformers", _sizes("1B", "3B*2", "8B*5", "70B*2", "405B*0.3"),
       versions=("2", "3", "3.1", "3.2", "3.3"), variants=("", "Instruct", "Instruct"), license="llama3.1", model_type="llama"),
    _f("Qwen", "llm", 10, TG, "transformers", _sizes("0.5B", "1.5B*2", "3B", "7B*4", "14B*2", "32B*2", "72B"),
       versions=("2", "2.5", "3"), glue="", variants=("", "Instruct", "Instruct", "Coder-Instruct", "Math"), model_type="qwen2"),
    _f("Mistral", "llm", 5, TG, "transformers", _sizes("7B*4", "12B", "24B"),
       variants=("v0.1", "Instruct-v0.2", "Instruct-v0.3", "Instruct-2501"), model_type="mistral"),
    _f("Mixtral", "llm", 1, TG, "transformers", _sizes(("8x7B", 4.67e10), ("8x22B", 1.41e11)),
       variants=("v0.1", "Instruct-v0.1"), model_type="mixtral"),
    _f("gemma", "llm", 4, TG, "transformers", _sizes("270M", "2B*2", "4B", "9B*2", "12B", "27B"),
       versions=("2", "3"), variants=("", "it", "it"), license="gemma", model_type="gemma2"),
    _f("Phi", "llm", 3, TG, "transformers", _sizes(("mini*2", 3.82e9), ("medium", 1.4e10)),
       versions=("3", "3.5", "4"), variants=("instruct", "4k-instruct", "reasoning"), license="mit", model_type="phi3"),
    _f("DeepSeek", "llm", 4, TG, "transformers", _sizes("1.5B", "7B*3", "16B", "67B", "671B*0.5"),
       versions=("R1-Distill-Qwen", "R1-Distill-Llama", "Coder-V2", "V3"), variants=("", "Instruct"), license="mit", model_type="deepseek_v3"),
    _f("falcon", "llm", 1, TG, "transformers", _sizes("1B", "7B*3", "40B", "180B*0.3"),
       versions=("", "3"), variants=("", "instruct"), model_type="falcon"),
    _f("SmolLM", "llm", 3, TG, "transformers", _sizes("135M*2", "360M*2", "1.7B*2", "3B"),
       versions=("", "2", "3"), glue="", variants=("", "Instruct", "Instruct"), model_type="llama"),
    _f("granite", "llm", 1, TG, "transformers", _sizes("2B", "3B", "8B*2"),
       versions=("3.1", "3.3", "4.0"), variants=("base", "instruct", "instruct"), model_type="granite"),
    _f("OLMo", "llm", 1, TG, "transformers", _sizes("1B", "7B*2", "13B", "32B"),
       versions=("2", "2-1124"), variants=("", "Instruct", "SFT"), model_type="olmo2"),
    _f("Yi", "llm", 1, TG, "transformers", _sizes("6B", "9B*2", "34B"),
       versions=("", "1.5"), variants=("", "Chat"), model_type="llama"),
    _f("internlm", "llm", 0.5, TG, "transformers", _sizes("7B*2", "20B"),
       versions=("2", "2_5", "3"), glue="", variants=("", "chat"), model_type="internlm2"),
    _f("glm", "llm", 1, TG, "transformers", _sizes("9B*2", "32B"),
       versions=("4", "4.5"), variants=("", "chat"), model_type="glm4"),
    _f("Kimi", "llm", 0.5, TG, "transformers", _sizes(("", 1.03e12)),
       versions=("K2",), variants=("Instruct", "Base", "Thinking"), license="other", model_type="kimi_k2"),
    _f("Nemotron", "llm", 1, TG, "transformers", _sizes("4B", "8B*2", "49B", "70B"),
       versions=("Llama-3.1", "H"), variants=("", "Instruct"), license="other", model_type="nemotron"),
    _f("TinyLlama", "llm", 1, TG, "transformers", _sizes("1.1B"),
       variants=("Chat-v1.0", "intermediate-step"), model_type="llama"),
    _f("pythia", "llm", 1, TG, "transformers", _sizes("70M", "160M", "410M", "1B", "1.4B", "2.8B", "6.9B", "12B"),
       variants=("", "deduped"), model_type="gpt_neox"),
    _f("bloom", "llm", 0.5, TG, "transformers", _sizes("560M*2", "1B", "3B", "7B"),
       variants=("", "z"), license="openrail", model_type="bloom"),
    _f("opt", "llm", 0.5, TG, "transformers", _sizes("125M*2", "350M", "1.3B*2", "6.7B", "13B", "30B"),
       license="other", model_type="opt"),
    _f("gpt2", "llm", 2, TG, "transformers", _sizes(("", 1.24e8), ("medium", 3.55e8), ("large", 7.74e8), ("xl", 1.56e9)),
       variants=("", "finetuned"), license="mit", model_type="gpt2"),
    _f("gpt-oss", "llm", 1, TG, "transformers", _sizes(("20b*2", 2.09e10), ("120b", 1.17e11)), license="apache-2.0", model_type="gpt_oss"),
    _f("codegen", "llm", 0.5, TG, "transformers", _sizes("350M*2", "2B", "6B", "16B"), variants=("mono", "multi"), model_type="codegen"),
    _f("starcoder", "llm", 1, TG, "transformers", _sizes("1B", "3B*2", "7B*2", "15B*2"), versions=("", "2"), glue="",
       variants=("", "instruct"), license="openrail", model_type="starcoder2"),
    _f("zephyr", "llm", 0.5, TG, "transformers", _sizes("7B*3", ("141B-A35B", 1.41e11)), variants=("beta", "alpha", "orpo"), model_type="mistral"),
    _f("aya", "llm", 0.5, TG, "transformers", _sizes("8B*2", "32B"), versions=("expanse", "23"), license="cc-by-nc-4.0", model_type="cohere"),
    _f("c4ai-command-r", "llm", 0.5, TG, "transformers", _sizes("35B*2", "104B"), versions=("", "plus"), variants=("", "08-2024"),
       license="cc-by-nc-4.0", model_type="cohere"),
    _f("OpenELM", "llm", 0.3, TG, "transformers", _sizes("270M", "450M", "1.1B", "3B"), variants=("", "Instruct"), license="other", model_type="openelm"),
    _f("LFM2", "llm", 0.5, TG, "transformers", _sizes("350M", "700M", "1.2B*2", "2.6B"), license="other", model_type="lfm2"),
    _f("Nanbeige", "llm", 0.3, TG, "transformers", _sizes("3B", "16B"), versions=("4", "4.1"), variants=("Base", "Chat", "Thinking"), model_type="llama"),
    _f("neural-chat", "llm", 0.3, TG, "transformers", _sizes("7B"), variants=("v3", "v3-3"), model_type="mistral"),
    # -- vision-language and any-to-any ----------------------------------------------------------------
    _f("Qwen{v}-VL", "vlm", 2, IT, "transformers", _sizes("3B", "7B*3", "32B", "72B"), versions=("2", "2.5"), glue="",
       variants=("Instruct",), model_type="qwen2_5_vl"),
    _f("llava", "vlm", 1, IT, "transformers", _sizes("7B*2", "13B"), versions=("1.5", "v1.6"), variants=("hf",), model_type="llava"),
    _f("SmolVLM", "vlm", 1, IT, "transformers", _sizes("256M", "500M", "2.2B"), versions=("", "2"), glue="", variants=("Instruct",), model_type="idefics3"),
    _f("paligemma", "vlm", 0.5, IT, "transformers", _sizes("3B"), versions=("", "2"), glue="", variants=("pt-224", "mix-448"), license="gemma", model_type="paligemma"),
    _f("InternVL", "vlm", 0.5, IT, "transformers", _sizes("1B", "2B", "8B*2", "38B", "78B"), versions=("2.5", "3"), glue="", model_type="internvl_chat"),
    _f("UI-TARS", "vlm", 0.3, IT, "transformers", _sizes("2B", "7B*2", "72B"), versions=("", "1.5"), variants=("SFT", "DPO"), model_type="qwen2_vl"),
    _f("Janus", "vlm", 0.3, "any-to-any", "transformers", _sizes("1B", "7B*2"), versions=("Pro",), model_type="multi_modality"),
    _f("Qwen{v}-Omni", "vlm", 0.3, "any-to-any", "transformers", _sizes("3B", "7B*2"), versions=("2.5",), glue="", model_type="qwen2_5_omni"),
    # -- encoders, embeddings, seq2seq -------------------------------------------------------------------
    _f("bert", "encoder", 4, "fill-mask*6 feature-extraction text-classification*2", "transformers",
       _sizes(("base*3", 1.1e8), ("large", 3.4e8)), variants=("uncased", "uncased", "cased", "multilingual-cased"), model_type="bert"),
    _f("roberta", "encoder", 2, "fill-mask*5 feature-extraction text-classification*2", "transformers",
       _sizes(("base*3", 1.25e8), ("large", 3.55e8)), license="mit", model_type="roberta"),
    _f("deberta", "encoder", 1, "fill-mask*3 text-classification*2", "transformers",
       _sizes(("xsmall", 2.2e7), ("small", 4.4e7), ("base*3", 1.84e8), ("large*2", 4.35e8)), versions=("v3",), license="mit", model_type="deberta-v2"),
    _f("distilbert", "encoder", 2, "fill-mask*3 text-classification*3 feature-extraction", "transformers",
       _sizes(("base", 6.6e7)), variants=("uncased", "cased", "multilingual-cased"), model_type="distilbert"),
    _f("electra", "encoder", 0.5, "fill-mask text-classification", "transformers",
       _sizes(("small", 1.4e7), ("base*2", 1.1e8), ("large", 3.35e8)), variants=("discriminator", "generator"), model_type="electra"),
    _f("xlm-roberta", "encoder", 1, "fill-mask*3 feature-extraction token-classification", "transformers",
       _sizes(("base*2", 2.78e8), ("large", 5.6e8)), license="mit", model_type="xlm-roberta"),
    _f("ModernBERT", "encoder", 1, "fill-mask*3 feature-extraction", "transformers",
       _sizes(("base*2", 1.49e8), ("large", 3.95e8)), model_type="modernbert"),
    _f("bge", "embedding", 3, "feature-extraction*2 sentence-similarity*3", "sentence-transformers*3 transformers",
       _sizes(("small", 3.3e7), ("base*2", 1.1e8), ("large*2", 3.35e8), ("m3", 5.68e8)), variants=("en-v1.5", "en-v1.5", "zh-v1.5", ""), license="mit", model_type="bert"),
    _f("e5", "embedding", 2, "feature-extraction*2 sentence-similarity*3", "sentence-transformers*3 transformers",
       _sizes(("small", 3.3e7), ("base*2", 1.1e8), ("large*2", 3.35e8)), versions=("", "multilingual"), variants=("v2", "instruct", ""), license="mit", model_type="bert"),
    _f("gte", "embedding", 1, "feature-extraction sentence-similarity*2", "sentence-transformers*3 transformers",
       _sizes(("small", 3.3e7), ("base*2", 1.1e8), ("large", 3.35e8)), variants=("", "en-v1.5"), model_type="bert"),
    _f("all-MiniLM", "embedding", 2, "sentence-similarity*4 feature-extraction", "sentence-transformers",
       _sizes(("L6-v2*3", 2.27e7), ("L12-v2", 3.34e7)), model_type="bert"),
    _f("all-mpnet", "embedding", 1, "sentence-similarity*4 feature-extraction", "sentence-transformers", _sizes(("base-v2", 1.09e8)), model_type="mpnet"),
    _f("paraphrase-multilingual", "embedding", 0.5, "sentence-similarity", "sentence-transformers",
       _sizes(("MiniLM-L12-v2", 1.18e8), ("mpnet-base-v2", 2.78e8)), model_type="bert"),
    _f("Qwen{v}-Embedding", "embedding", 0.5, "feature-extraction sentence-similarity*2", "sentence-transformers*2 transformers",
       _sizes("0.6B*2", "4B", "8B"), versions=("3",), glue="", model_type="qwen3"),
    _f("{v}t5", "seq2seq", 2, "text2text-generation*4 translation summarization", "transformers",
       _sizes(("small*2", 6.05e7), ("base*2", 2.23e8), ("large", 7.38e8), ("3b", 2.85e9)), versions=("", "flan-"), model_type="t5"),
    _f("bart", "seq2seq", 1, "summarization*3 text2text-generation zero-shot-classification feature-extraction", "transformers",
       _sizes(("base", 1.39e8), ("large*2", 4.06e8)), variants=("", "cnn", "mnli"), model_type="bart"),
    _f("opus-mt", "seq2seq", 1, "translation", "transformers", _sizes(("", 7.4e7)),
       variants=("en-de", "en-fr", "en-es", "zh-en", "de-en", "en-ro", "fr-en"), model_type="marian"),
    _f("nllb-200", "seq2seq", 0.3, "translation", "transformers",
       _sizes(("distilled-600M", 6.15e8), ("1.3B", 1.37e9), ("3.3B", 3.34e9)), license="cc-by-nc-4.0", model_type="m2m_100"),
    # -- images and video --------------------------------------------------------------------------------
    _f("stable-diffusion", "diffusion", 3, "text-to-image*9 image-to-image", "diffusers", _sizes(("", 1.07e9), ("", 8.1e9)),
       versions=("v1-5", "2-1", "3.5"), variants=("", "base", "large"), license="creativeml-openrail-m"),
    _f("sdxl", "diffusion", 2, "text-to-image*9 image-to-image", "diffusers", _sizes(("", 3.5e9)),
       variants=("base-1.0", "turbo", "lightning", "refiner-1.0"), license="openrail"),
    _f("FLUX", "diffusion", 3, "text-to-image*9 image-to-image", "diffusers", _sizes(("", 1.19e10)),
       versions=("1",), glue=".", variants=("dev", "schnell", "Kontext-dev"), license="other", model_type="flux"),
    _f("Wan", "video", 1, "text-to-video image-to-video", "diffusers", _sizes("1.3B", "14B*2"), versions=("2.1", "2.2"), glue="",
       variants=("T2V", "I2V"), model_type="wan"),
    _f("HunyuanVideo", "video", 0.5, "text-to-video*2 image-to-video", "diffusers", _sizes("13B"), variants=("", "I2V"), license="other"),
    _f("CogVideoX", "video", 0.3, "text-to-video", "diffusers", _sizes("2B", "5B*2"), versions=("", "1.5"), glue=""),
    _f("vit", "vision", 2, "image-classification*4 feature-extraction", "transformers timm",
       _sizes(("base*3", 8.6e7), ("large", 3.04e8)), variants=("patch16-224", "patch32-384", "patch16-224-in21k"), model_type="vit"),
    _f("dinov2", "vision", 1, "image-classification feature-extraction*3", "transformers",
       _sizes(("small", 2.2e7), ("base*2", 8.6e7), ("large", 3.04e8), ("giant", 1.1e9)), model_type="dinov2"),
    _f("resnet", "vision", 1, "image-classification", "transformers timm", _sizes(("18", 1.17e7), ("50*3", 2.56e7), ("101", 4.45e7)), model_type="resnet"),
    _f("mobilevit", "vision", 0.3, "image-classification", "transformers", _sizes(("small", 5.6e6), ("x-small", 2.3e6)), model_type="mobilevit"),
    _f("clip", "vision", 2, "zero-shot-image-classification*3 feature-extraction", "transformers*3 open_clip",
       _sizes(("vit-base-patch32*2", 1.51e8), ("vit-large-patch14", 4.28e8)), model_type="clip"),
    _f("blip", "vision", 0.5, "image-to-text*2 visual-question-answering", "transformers",
       _sizes(("", 2.47e8), ("", 3.85e8)), variants=("image-captioning-base", "image-captioning-large", "vqa-base"), license="bsd-3-clause", model_type="blip"),
    _f("sam", "vision", 1, "mask-generation", "transformers", _sizes(("vit-base", 9.4e7), ("vit-large", 3.12e8), ("vit-huge", 6.41e8)), model_type="sam"),
    _f("depth-anything", "vision", 0.5, "depth-estimation", "transformers",
       _sizes(("small", 2.48e7), ("base", 9.75e7), ("large", 3.35e8)), versions=("", "v2"), variants=("hf",), model_type="depth_anything"),
    _f("dpt", "vision", 0.3, "depth-estimation", "transformers", _sizes(("large", 3.42e8), ("hybrid-midas", 1.23e8)), model_type="dpt"),
    _f("yolo", "detection", 1.5, "object-detection*4 image-segmentation", "ultralytics",
       _sizes(("n", 2.6e6), ("s*2", 9.4e6), ("m", 2.0e7), ("l", 2.5e7), ("x", 5.7e7)), versions=("v8", "11"), glue="", license="other", model_type="yolo"),
    _f("detr", "detection", 1, "object-detection*3 image-segmentation", "transformers", _sizes(("resnet-50*2", 4.1e7), ("resnet-101", 6.0e7)), model_type="detr"),
    # -- audio -------------------------------------------------------------------------------------------------
    _f("whisper", "asr", 4, "automatic-speech-recognition", "transformers",
       _sizes(("tiny", 3.9e7), ("base", 7.4e7), ("small*2", 2.42e8), ("medium", 7.69e8), ("large-v3*2", 1.54e9), ("large-v3-turbo*2", 8.09e8)),
       variants=("", "", "en"), model_type="whisper"),
    _f("wav2vec2", "asr", 2, "automatic-speech-recognition*4 audio-classification", "transformers",
       _sizes(("base*2", 9.5e7), ("large", 3.17e8), ("large-xlsr-53", 3.15e8)), variants=("960h", "", "english"), model_type="wav2vec2"),
    _f("parakeet", "asr", 0.5, "automatic-speech-recognition", "nemo", _sizes(("tdt-0.6b-v2*2", 6.0e8), ("ctc-1.1b", 1.1e9)), license="cc-by-4.0"),
    _f("speecht5", "tts", 0.5, "text-to-speech", "transformers", _sizes(("", 1.44e8)), variants=("tts",), glue="_", license="mit", model_type="speecht5"),
    _f("Kokoro", "tts", 1, "text-to-speech", "pytorch", _sizes(("82M", 8.2e7)), variants=("v1.0", "v1.1-zh")),
    _f("parler-tts", "tts", 0.5, "text-to-speech", "transformers", _sizes(("mini", 8.8e8), ("large", 2.3e9)), variants=("v1",), model_type="parler_tts"),
    _f("vits", "tts", 0.5, "text-to-speech", "espnet", _sizes(("", 3.6e7)), variants=("ljspeech", "vctk")),
    _f("ast", "audio", 0.5, "audio-classification", "transformers", _sizes(("", 8.7e7)), variants=("finetuned-audioset-10-10-0.4593",), model_type="audio-spectrogram-transformer"),
    # -- reinforcement learning, robotics, time series ---------------------------------------------------------
    _f("ppo", "rl", 3, "reinforcement-learning", "stable-baselines3", _sizes(("", 0)),
       variants=("LunarLander-v2", "CartPole-v1", "SpaceInvadersNoFrameskip-v4", "BipedalWalker-v3")),
    _f("dqn", "rl", 1, "reinforcement-learning", "stable-baselines3", _sizes(("", 0)), variants=("SpaceInvadersNoFrameskip-v4", "BreakoutNoFrameskip-v4")),
    _f("a2c", "rl", 0.5, "reinforcement-learning", "stable-baselines3", _sizes(("", 0)), variants=("PandaReachDense-v3", "AntBulletEnv-v0")),
    _f("poca", "rl", 1, "reinforcement-learning", "ml-agents", _sizes(("", 0)), variants=("SoccerTwos", "Huggy", "Pyramids", "SnowballTarget")),
    _f("act", "robotics", 0.5, "robotics", "lerobot", _sizes(("", 5.2e7)), variants=("so100-pick-place", "aloha-sim-transfer-cube", "koch-stack")),
    _f("pi0", "robotics", 0.3, "robotics", "lerobot", _sizes(("", 3.5e9)), variants=("", "libero", "fast")),
    _f("smolvla", "robotics", 0.3, "robotics", "lerobot", _sizes(("", 4.5e8)), variants=("base", "so100-pick-place")),
    _f("chronos", "other", 0.5, "time-series-forecasting", "transformers",
       _sizes(("tiny", 8e6), ("mini", 2e7), ("small", 4.6e7), ("base", 2e8), ("large", 7.1e8)), versions=("t5", "bolt"), model_type="t5"),
]
FAMILY_INDEX = {f.name: i for i, f in enumerate(FAMILIES)}

# What a derived model is called after its base, per relation (and per pipeline for finetunes).
FINETUNE_PIPELINES = {
    "encoder": (("text-classification", 5), ("token-classification", 2), ("question-answering", 2), ("zero-shot-classification", 0.5)),
    "embedding": (("sentence-similarity", 3), ("feature-extraction", 1), ("text-classification", 1)),
    "vision": (("image-classification", 1),),
}
FINETUNE_SUFFIXES = {
    "text-classification": ("finetuned-sst2", "imdb", "emotion", "sentiment", "finetuned-mrpc", "toxicity"),
    "token-classification": ("ner", "finetuned-conll03", "pos"),
    "question-answering": ("squad", "finetuned-squad2"),
    "zero-shot-classification": ("mnli", "nli"),
    "sentence-similarity": ("finetuned-msmarco", "legal", "medical", "matryoshka"),
    "feature-extraction": ("onnx", "matryoshka"),
    "image-classification": ("finetuned-food101", "finetuned-eurosat", "finetuned-cifar10", "fer2013"),
    "automatic-speech-recognition": ("fr", "hi", "de", "ar", "common-voice", "finetuned-ja"),
    "text-to-image": ("dreambooth", "finetuned-pokemon", "anime"),
    "_": ("sft", "dpo", "finetuned", "grpo", "orpo", "math", "code", "chat-ft", "medical", "lora-merged"),
}
ADAPTER_SUFFIXES = ("lora", "qlora", "lora-adapter", "sft-lora")
IMAGE_LORA_SUFFIXES = ("anime-lora", "pixel-art-lora", "watercolor-lora", "realism-lora", "lora")
MERGE_SUFFIXES = ("merge", "slerp", "ties", "della", "dare-ties")
QUANT_SUFFIXES = {"gguf": ("GGUF", "GGUF", "i1-GGUF"), "mlx": ("4bit", "8bit", "MLX-4bit"), "transformers": ("AWQ", "GPTQ-Int4", "bnb-4bit")}

# Organisations and what they publish: families of originals, or "quantize:<library>" for accounts
# that publish quantised copies of other people's models.
PUBLISHERS: dict[str, tuple[str, ...]] = {
    "huggingface": ("distilbert", "gpt2", "SmolLM"),
    "Qwen": ("Qwen", "Qwen", "Qwen", "Qwen{v}-VL", "Qwen{v}-Embedding", "Qwen{v}-Omni"),
    "meta-llama": ("Llama",),
    "google": ("gemma", "gemma", "{v}t5", "bert", "vit", "paligemma", "electra"),
    "microsoft": ("Phi", "Phi", "deberta", "resnet", "speecht5"),
    "mistralai": ("Mistral", "Mistral", "Mixtral"),
    "stabilityai": ("stable-diffusion", "sdxl"),
    "openai": ("whisper", "whisper", "gpt-oss", "clip", "gpt2"),
    "deepseek-ai": ("DeepSeek", "DeepSeek", "Janus"),
    "nvidia": ("Nemotron", "Nemotron", "parakeet"),
    "unsloth": ("quantize:gguf", "quantize:gguf", "quantize:transformers"),
    "bigscience": ("bloom",),
    "allenai": ("OLMo",),
    "black-forest-labs": ("FLUX",),
    "HuggingFaceTB": ("SmolLM", "SmolLM", "SmolVLM"),
    "HuggingFaceH4": ("zephyr",),
    "ibm-granite": ("granite",),
    "tiiuae": ("falcon",),
    "CohereLabs": ("aya", "c4ai-command-r"),
    "sentence-transformers": ("all-MiniLM", "all-mpnet", "paraphrase-multilingual"),
    "facebook": ("opt", "bart", "dinov2", "wav2vec2", "sam", "detr", "nllb-200"),
    "EleutherAI": ("pythia",),
    "bartowski": ("quantize:gguf",),
    "TheBloke": ("quantize:gguf",),
    "mlx-community": ("quantize:mlx",),
    "lerobot": ("act", "pi0", "smolvla"),
    "open-r1": ("Qwen",),
    "moonshotai": ("Kimi",),
    "zai-org": ("glm",),
    "Nanbeige": ("Nanbeige",),
    "apple": ("OpenELM", "mobilevit"),
    "amazon": ("chronos",),
    "intel": ("neural-chat", "dpt"),
    "salesforce": ("blip", "codegen"),
    "BAAI": ("bge",),
    "THUDM": ("glm", "CogVideoX"),
    "internlm": ("internlm", "InternVL"),
    "01-ai": ("Yi",),
    "LiquidAI": ("LFM2",),
    "ByteDance": ("sdxl", "UI-TARS"),
}

# Dataset topics: (topic, task categories with weights, formats with weights).
DATASET_TOPICS: list[tuple[str, tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]] = [
    ("math", (("text-generation", 3), ("question-answering", 2)), (("parquet", 3), ("json", 1))),
    ("code", (("text-generation", 1),), (("parquet", 3), ("json", 1))),
    ("chat", (("text-generation", 1),), (("parquet", 2), ("json", 1))),
    ("medical", (("question-answering", 2), ("text-classification", 1)), (("parquet", 2), ("csv", 1))),
    ("legal", (("text-classification", 1), ("question-answering", 1)), (("parquet", 2), ("json", 1))),
    ("finance", (("text-classification", 2), ("tabular-classification", 1)), (("csv", 2), ("parquet", 1))),
    ("news", (("summarization", 2), ("text-classification", 1)), (("parquet", 2), ("json", 1))),
    ("wiki", (("text-generation", 1), ("question-answering", 1)), (("parquet", 3), ("text", 1))),
    ("reasoning", (("text-generation", 2), ("question-answering", 1)), (("parquet", 2), ("json", 1))),
    ("instruct", (("text-generation", 1),), (("parquet", 2), ("json", 2))),
    ("preference", (("text-generation", 1),), (("parquet", 1),)),
    ("speech", (("automatic-speech-recognition", 1),), (("audiofolder", 1), ("parquet", 1))),
    ("vision", (("image-classification", 2), ("image-text-to-text", 1), ("visual-question-answering", 1)), (("imagefolder", 1), ("parquet", 1))),
    ("captions", (("text-to-image", 2), ("image-text-to-text", 1)), (("parquet", 1), ("imagefolder", 1))),
    ("multilingual", (("translation", 2), ("text-generation", 1)), (("parquet", 2), ("json", 1))),
    ("translation", (("translation", 1),), (("parquet", 1), ("csv", 1))),
    ("science", (("question-answering", 1),), (("parquet", 1), ("json", 1))),
    ("dialogue", (("text-generation", 1),), (("json", 1), ("parquet", 1))),
    ("qa", (("question-answering", 1),), (("parquet", 1), ("json", 1))),
    ("summaries", (("summarization", 1),), (("parquet", 1), ("json", 1))),
    ("reviews", (("text-classification", 1),), (("csv", 1), ("parquet", 1))),
    ("tweets", (("text-classification", 2), ("token-classification", 1)), (("csv", 1), ("json", 1))),
    ("ner", (("token-classification", 1),), (("parquet", 1), ("json", 1))),
    ("embeddings", (("feature-extraction", 1),), (("parquet", 1),)),
    ("robotics", (("robotics", 1),), (("parquet", 1),)),
    ("web", (("text-generation", 1),), (("parquet", 2), ("text", 1))),
    ("synthetic", (("text-generation", 2), ("question-answering", 1)), (("parquet", 1), ("json", 1))),
    ("tabular", (("tabular-classification", 1),), (("csv", 1),)),
    ("benchmark", (("question-answering", 2), ("text-generation", 1)), (("parquet", 1), ("json", 1))),
    ("eval", (("question-answering", 1), ("text-generation", 1)), (("parquet", 1), ("json", 1))),
]
# Dataset publishers known for one kind of data (topics by name).
DATASET_PUBLISHERS: dict[str, tuple[str, ...]] = {
    "lerobot": ("robotics",),
    "HuggingFaceH4": ("preference", "instruct", "chat"),
    "HuggingFaceTB": ("synthetic", "web", "instruct"),
    "open-r1": ("reasoning", "math"),
    "allenai": ("science", "instruct", "preference", "web"),
    "openai": ("math", "eval", "benchmark"),
    "sentence-transformers": ("embeddings",),
}
# Space nouns: (noun, SDKs with weights, pipeline tag of the model it links to, or "").
SPACE_KINDS: list[tuple[str, tuple[tuple[str, float], ...], str]] = [
    ("chatbot", (("gradio", 8), ("streamlit", 2), ("docker", 1)), TG),
    ("chat", (("gradio", 8), ("docker", 1)), TG),
    ("demo", (("gradio", 6), ("streamlit", 2), ("static", 1)), ""),
    ("playground", (("gradio", 4), ("docker", 1)), TG),
    ("arena", (("gradio", 4), ("docker", 1)), TG),
    ("leaderboard", (("gradio", 5), ("docker", 2)), ""),
    ("image-generator", (("gradio", 1),), "text-to-image"),
    ("image-editor", (("gradio", 1),), "image-to-image"),
    ("video-generator", (("gradio", 1),), "text-to-video"),
    ("translator", (("gradio", 3), ("streamlit", 1)), "translation"),
    ("transcriber", (("gradio", 3), ("streamlit", 1)), "automatic-speech-recognition"),
    ("voice", (("gradio", 1),), "text-to-speech"),
    ("tagger", (("gradio", 2), ("streamlit", 1)), "token-classification"),
    ("sentiment", (("streamlit", 2), ("gradio", 2)), "text-classification"),
    ("search", (("gradio", 2), ("streamlit", 2), ("docker", 1)), "sentence-similarity"),
    ("summarizer", (("gradio", 2), ("streamlit", 1)), "summarization"),
    ("detector", (("gradio", 2), ("streamlit", 1)), "object-detection"),
    ("captioner", (("gradio", 1),), "image-to-text"),
    ("dashboard", (("streamlit", 3), ("docker", 1)), ""),
    ("explorer", (("streamlit", 2), ("gradio", 1), ("static", 1)), ""),
    ("viewer", (("static", 2), ("gradio", 1)), ""),
    ("api", (("docker", 1),), TG),
    ("bot", (("docker", 2), ("gradio", 1)), TG),
    ("studio", (("docker", 2), ("gradio", 2)), "text-to-image"),
    ("assistant", (("gradio", 3), ("docker", 1)), TG),
    ("blog", (("static", 1),), ""),
    ("docs", (("static", 1),), ""),
    ("webgpu", (("static", 1),), TG),
]
DATASET_NOUNS = ("corpus", "pairs", "set", "bench", "mix", "collection", "dump", "traces", "prompts", "samples")

# What tells apart two models that would otherwise have the same name, as the Hub's do: a few
# tags, then release months (2407 is July 2024).
REVISIONS = (
    "v2", "0528", "hf", "preview", "v0.2", "exp", "v3", "beta", "v1.1", "rc1", "v0.3", "final", "alpha",
    "v2.1", "v4", "next", "v5", *(f"{y}{m:02d}" for y in (23, 24, 25, 26) for m in range(1, 13)),
)
