"""One real embedder (the fast ONNX backend, built from the bundled weights) per test process, shared by every
test that embeds: the build takes seconds, the model is the same for all of them. It remembers the vectors of
the texts it has embedded, because many tests embed the same labelled set; a remembered vector is exactly what
the model gave for that text."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from hireflow.domain.ports.matching import Embedder
from hireflow.shared.config import Settings


@cache
def model_cache_dir() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="hireflow-models-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory


class RememberingEmbedder:
    """The real embedder, embedding each distinct text once per test process."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self._vectors: dict[str, bytes] = {}

    @property
    def model(self) -> str:
        return self._inner.model

    @property
    def dimensions(self) -> int:
        return self._inner.dimensions

    def embed(self, texts: Sequence[str]) -> list[bytes]:
        new = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if new:
            self._vectors.update(zip(new, self._inner.embed(new), strict=True))
        return [self._vectors[text] for text in texts]


@cache
def onnx_embedder() -> Embedder:
    from hireflow.infra.ml.embedders.factory import build_embedder

    return RememberingEmbedder(build_embedder(Settings(embedding_cache_dir=model_cache_dir())))
