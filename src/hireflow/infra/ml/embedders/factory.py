"""The configured embedder (``HIREFLOW_EMBEDDING_BACKEND``, ``HIREFLOW_EMBEDDING_MODEL``, ...)."""

from __future__ import annotations

from hireflow.domain.ports.matching import Embedder
from hireflow.infra.ml.embedders.fast import OnnxEmbedder
from hireflow.infra.ml.embedders.model_files import require_mean_pooling_only, resolve_model
from hireflow.infra.ml.embedders.reference import SentenceTransformerEmbedder
from hireflow.shared.config import Settings, get_settings
from hireflow.shared.extras import require

RUNTIME_MODULES = {
    "onnx": ("onnxruntime", "tokenizers", "numpy"),
    "sentence-transformers": ("sentence_transformers", "numpy"),
}
"""What each backend needs to embed (building the ONNX model also needs torch and onnx)."""


def build_embedder(settings: Settings | None = None) -> Embedder:
    """The embedder the settings choose. Both backends name the model alike (``all-MiniLM-L6-v2``, or the model
    directory's name), so switching backend keeps the stored embeddings.

    Fails at once, before any embedding, with MissingExtraError (one line naming ``pip install 'hireflow[ml]'``)
    when the backend's packages are missing, and with ConfigurationError when the model is not found.
    """
    settings = settings or get_settings()
    backend = settings.embedding_backend
    for module in RUNTIME_MODULES[backend]:
        require("ml", module, "Embeddings")
    files = resolve_model(settings.embedding_model)
    if backend == "sentence-transformers":
        return SentenceTransformerEmbedder(
            files.directory,
            name=files.name,
            batch_size=settings.embedding_batch_size,
            threads=settings.embedding_threads,
        )
    require_mean_pooling_only(files.directory)
    return OnnxEmbedder(
        files.directory,
        cache_dir=settings.embedding_cache_dir,
        name=files.name,
        threads=settings.embedding_threads,  # no batch size: each text runs alone (fast.py says why)
    )
