"""Sentence-embedding backends of the :class:`~hireflow.domain.ports.matching.Embedder` port.

- :class:`SentenceTransformerEmbedder`: sentence-transformers on PyTorch, the reference.
- :class:`OnnxEmbedder`: an int8 ONNX model built once from the same weights (:func:`build_onnx_model`), on
  onnxruntime: about twice as fast, within a cosine of 0.99 of the reference.

:func:`build_embedder` picks one from the settings. Importing this package imports neither torch, onnxruntime
nor numpy: they are imported when a model is first loaded or built.
"""

from __future__ import annotations

from hireflow.infra.ml.embedders.factory import build_embedder
from hireflow.infra.ml.embedders.fast import OnnxEmbedder
from hireflow.infra.ml.embedders.model_files import (
    ModelFiles,
    model_name,
    resolve_model,
    weights_fingerprint,
)
from hireflow.infra.ml.embedders.onnx_build import build_onnx_model
from hireflow.infra.ml.embedders.reference import SentenceTransformerEmbedder

__all__ = [
    "ModelFiles",
    "OnnxEmbedder",
    "SentenceTransformerEmbedder",
    "build_embedder",
    "build_onnx_model",
    "model_name",
    "resolve_model",
    "weights_fingerprint",
]
