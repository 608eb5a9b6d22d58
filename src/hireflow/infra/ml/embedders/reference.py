"""The reference embedder: sentence-transformers on PyTorch, on the CPU."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hireflow.infra.ml.embedders import model_files
from hireflow.infra.ml.embedders.vectors import to_bytes
from hireflow.shared.extras import require


class SentenceTransformerEmbedder:
    """Sentence embeddings computed by sentence-transformers itself: the vectors the fast backend is held to.

    The model is loaded from ``model_dir`` (never downloaded) on the first ``embed``.
    """

    def __init__(
        self, model_dir: Path, *, name: str | None = None, batch_size: int = 64, threads: int = 0
    ) -> None:
        """``threads``: torch's CPU threads, set for the whole process when the model loads; 0 leaves torch's
        default, one per physical core."""
        self._model_dir = model_dir
        self._name = name or model_dir.name
        self._dimensions = model_files.dimensions(model_dir)
        self._batch_size = batch_size
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self._name

    @property
    def dimensions(self) -> int:
        return self._dimensions

    def embed(self, texts: Sequence[str]) -> list[bytes]:
        """One L2-normalised float32 vector per text, in order."""
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return to_bytes(vectors)

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                model_files.use_local_files_only()
                sentence_transformers = require("ml", "sentence_transformers", "Embeddings")
                if self._threads:
                    require("ml", "torch", "Embeddings").set_num_threads(self._threads)
                with model_files.without_progress_bars():
                    self._model = sentence_transformers.SentenceTransformer(
                        str(self._model_dir), device="cpu", local_files_only=True
                    )
            return self._model
