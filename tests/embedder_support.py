"""One real embedder (the fast ONNX backend, built from the bundled weights) per test process, shared by every
test that embeds: the build takes seconds, the model is the same for all of them."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from hireflow.domain.ports.matching import Embedder
from hireflow.shared.config import Settings


@cache
def model_cache_dir() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="hireflow-models-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory


@cache
def onnx_embedder() -> Embedder:
    from hireflow.infra.ml.embedders.factory import build_embedder

    return build_embedder(Settings(embedding_cache_dir=model_cache_dir()))
