"""Vocabularies the replica's world is generated from.

Values are real Hub vocabulary (pipeline tags, libraries, licenses, SDKs, runtime stages)
so that filters, tags and downstream tools behave as they do against huggingface.co.
"""

from __future__ import annotations

# (pipeline_tag, relative weight) — weights follow the rough share of each task on the Hub.
PIPELINE_TAGS: list[tuple[str, float]] = [
    ("text-generation", 30),
    ("text-classification", 8),
    ("image-text-to-text", 6),
    ("text-to-image", 7),
    ("automatic-speech-recognition", 4),
    ("feature-extraction", 4),
    ("sentence-similarity", 3),
    ("token-classification", 3),
    ("image-classification", 4),
    ("text2text-generation", 3),
    ("reinforcement-learning", 5),
    ("fill-mask", 2),
    ("question-answering", 2),
    ("translation", 2),
    ("summarization", 1),
    ("text-to-speech", 2),
    ("object-detection", 1.5),
    ("image-segmentation", 1),
    ("image-to-image", 1),
    ("text-to-video", 1),
    ("image-to-video", 0.6),
    ("zero-shot-classification", 0.8),
    ("audio-classification", 0.8),
    ("depth-estimation", 0.3),
    ("video-classification", 0.4),
    ("any-to-any", 0.4),
    ("visual-question-answering", 0.4),
    ("tabular-classification", 0.3),
    ("robotics", 0.3),
    ("time-series-forecasting", 0.3),
    ("zero-shot-image-classification", 0.5),
    ("image-to-text", 0.5),
    ("mask-generation", 0.3),
]

# (library, relative weight); which library a model has is decided by its family (families.py).
LIBRARIES: list[tuple[str, float]] = [
    ("transformers", 45),
    ("peft", 10),
    ("diffusers", 6),
    ("gguf", 7),
    ("sentence-transformers", 4),
    ("mlx", 3),
    ("stable-baselines3", 3),
    ("ml-agents", 2),
    ("timm", 2),
    ("onnx", 1.5),
    ("keras", 1),
    ("pytorch", 3),
    ("transformers.js", 1),
    ("setfit", 1),
    ("open_clip", 0.5),
    ("espnet", 0.5),
    ("nemo", 0.5),
    ("lerobot", 0.5),
    ("ultralytics", 1),
]

LICENSES: list[tuple[str, float]] = [
    ("apache-2.0", 40),
    ("mit", 25),
    ("other", 10),
    ("cc-by-4.0", 6),
    ("llama3.1", 4),
    ("openrail", 3),
    ("cc-by-nc-4.0", 5),
    ("gemma", 2),
    ("gpl-3.0", 1),
    ("bsd-3-clause", 1),
    ("creativeml-openrail-m", 3),
]

LANGUAGES: list[tuple[str, float]] = [
    ("en", 60),
    ("zh", 8),
    ("fr", 4),
    ("de", 4),
    ("es", 4),
    ("ja", 4),
    ("ko", 3),
    ("ru", 3),
    ("ar", 2),
    ("hi", 2),
    ("pt", 2),
    ("it", 2),
    ("vi", 1),
    ("tr", 1),
]

SPACE_SDKS: list[tuple[str, float]] = [("gradio", 70), ("streamlit", 12), ("docker", 15), ("static", 3)]

# Runtime stages a Space can be in; weights are about where the clock's daily moves settle
# (world.STAGE_MOVES): most Spaces sleep, a few are broken.
RUNTIME_STAGES: list[tuple[str, float]] = [
    ("RUNNING", 24),
    ("SLEEPING", 60),
    ("PAUSED", 4),
    ("BUILD_ERROR", 1.5),
    ("RUNTIME_ERROR", 2),
    ("BUILDING", 1.5),
    ("RUNNING_BUILDING", 0.3),
    ("APP_STARTING", 0.2),
    ("CONFIG_ERROR", 0.3),
    ("STOPPED", 1),
    ("NO_APP_FILE", 0.8),
]
HARDWARE = ["cpu-basic", "cpu-upgrade", "zero-a10g", "t4-small", "a10g-small", "a100-large"]

TASK_CATEGORIES: list[tuple[str, float]] = [
    ("text-generation", 20),
    ("question-answering", 8),
    ("text-classification", 10),
    ("translation", 4),
    ("summarization", 3),
    ("image-classification", 5),
    ("automatic-speech-recognition", 4),
    ("image-text-to-text", 4),
    ("text-to-image", 3),
    ("token-classification", 3),
    ("robotics", 3),
    ("tabular-classification", 2),
    ("visual-question-answering", 2),
    ("feature-extraction", 2),
]
SIZE_CATEGORIES = ["n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B"]
DATASET_FORMATS = ["parquet", "json", "csv", "imagefolder", "audiofolder", "text"]

# Well-known owners come first so examples from the runtime prompt find their subjects.
KNOWN_ORGS = [
    "huggingface", "Qwen", "meta-llama", "google", "microsoft", "mistralai", "stabilityai",
    "openai", "deepseek-ai", "nvidia", "unsloth", "bigscience", "allenai", "lmarena-ai",
    "black-forest-labs", "HuggingFaceTB", "HuggingFaceH4", "ibm-granite", "tiiuae", "CohereLabs",
    "sentence-transformers", "facebook", "EleutherAI", "bartowski", "mlx-community", "lerobot",
    "open-r1", "moonshotai", "zai-org", "Nanbeige", "apple", "amazon", "intel", "salesforce",
    "BAAI", "THUDM", "internlm", "01-ai", "LiquidAI", "ByteDance", "TheBloke",
]
KNOWN_USERS = [
    "julien-c", "osanseviero", "merve", "clem", "thomwolf", "lysandre", "akhaliq", "victor",
    "abidlabs", "ysharma", "sayakpaul", "reach-vb", "lhoestq", "Wauplin", "nielsr", "mishig",
    "severo", "pcuenq", "ariG23498", "burtenshaw",
]

FIRST_NAMES = [
    "alex", "sam", "maria", "li", "wei", "yuki", "omar", "fatima", "ivan", "olga", "chen", "ana",
    "lucas", "emma", "noah", "mia", "arjun", "priya", "kenji", "sofia", "diego", "lena", "jonas",
    "amir", "sara", "tomas", "nina", "hugo", "zoe", "ravi", "mei", "yusuf", "elena", "paulo",
    "ines", "kofi", "aisha", "bruno", "clara", "dmitri", "eva", "felix", "greta", "hana", "igor",
    "julia", "karim", "laura", "marco", "nora",
]
LAST_NAMES = [
    "ng", "smith", "garcia", "kim", "wang", "tanaka", "ali", "petrov", "silva", "mueller", "rossi",
    "dubois", "kowalski", "nguyen", "patel", "sato", "lopez", "jensen", "novak", "costa", "okafor",
    "haddad", "berg", "moreau", "ivanova", "zhang", "liu", "singh", "cohen", "park",
]
ORG_PREFIXES = [
    "nova", "vector", "open", "deep", "tensor", "quantum", "lumen", "atlas", "cortex", "nimbus",
    "axon", "helix", "orbit", "prism", "sigma", "delta", "neural", "latent", "spark", "echo",
]
ORG_SUFFIXES = ["labs", "ai", "research", "ml", "collective", "institute", "tech", "works", "hub", "nlp"]

SPACE_ADJS = [
    "fast", "tiny", "smart", "live", "open", "magic", "simple", "neural", "instant", "visual",
    "auto", "super", "mini", "easy", "cool",
]
WORDS = [
    "scaling", "efficient", "robust", "adaptive", "sparse", "multimodal", "agentic", "diffusion",
    "transformers", "attention", "reasoning", "alignment", "retrieval", "benchmark", "compression",
    "distillation", "planning", "language", "vision", "speech", "video", "graph", "reinforcement",
    "learning", "models", "latent", "tokens", "memory", "long-context", "mixture", "experts",
    "preference", "optimization", "evaluation", "synthetic", "data", "world", "policy", "embodied",
    "contrastive", "self-supervised", "generalization", "inference", "quantization", "safety",
]
ARXIV_CATEGORIES = ["cs.AI", "cs.LG", "cs.CL", "cs.CV", "stat.ML", "cs.RO", "cs.IR", "eess.AS", "cs.NE"]
COLLECTION_THEMES = ["pink", "blue", "green", "purple", "orange", "indigo", "yellow"]


def names(pairs: list[tuple[str, float]]) -> list[str]:
    return [name for name, _ in pairs]


def weights(pairs: list[tuple[str, float]]):
    import numpy as np

    w = np.array([weight for _, weight in pairs], dtype=float)
    return w / w.sum()
