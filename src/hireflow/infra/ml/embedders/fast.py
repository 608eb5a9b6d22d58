"""The fast embedder: the int8 ONNX model (:mod:`.onnx_build`) on onnxruntime, tokenized by ``tokenizers``.

Each text runs through the model alone, and ``threads`` texts run at once (one onnxruntime thread each). Why not
batches: the int8 model quantizes each input tensor with one scale taken from its whole range, so in a batch a
text's vector would depend on the other texts and on their padding (a cosine of 0.985 between one text embedded
alone and in a batch, measured). Alone, a text always gets the same vector, and no compute goes to padding. Texts
start longest first, so no thread is left with a long text at the end.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hireflow.infra.ml.embedders import model_files
from hireflow.infra.ml.embedders.onnx_build import INPUTS, MODEL_FILE, build_onnx_model
from hireflow.infra.ml.embedders.vectors import normalised, to_bytes
from hireflow.shared.extras import require

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

_FEATURE = "Embeddings"
SLOW_FUSIONS = ("SkipLayerNormFusion",)
"""onnxruntime fusions left out: its SkipLayerNormalization kernel is about 9x slower on the CPU than the Add and
LayerNormalization it replaces (onnxruntime 1.32, measured), which cost a quarter of the model's time."""


@dataclass(frozen=True)
class _Runtime:
    session: Any
    tokenizer: Any
    lowercase: bool


class OnnxEmbedder:
    """Sentence embeddings from the int8 ONNX model built from a sentence-transformers model's weights.

    Gives the vectors of :class:`~hireflow.infra.ml.embedders.reference.SentenceTransformerEmbedder` to a cosine
    of about 0.99, at least twice as fast. The first ``embed`` builds the model into ``cache_dir`` (seconds, once:
    it needs torch) or finds it there, and opens the onnxruntime session. A text's vector depends on that text
    alone, not on the texts embedded with it; there is no batch size.
    """

    def __init__(
        self, model_dir: Path, *, cache_dir: Path, name: str | None = None, threads: int = 0
    ) -> None:
        """``threads``: texts embedded at once, one onnxruntime thread each (0: one per CPU)."""
        self._model_dir = model_dir
        self._cache_dir = cache_dir
        self._name = name or model_dir.name
        self._dimensions = model_files.dimensions(model_dir)
        self._threads = threads or _cpus()
        self._runtime: _Runtime | None = None
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
        import numpy as np

        runtime = self._load()
        inputs = [text.lower() for text in texts] if runtime.lowercase else list(texts)
        token_ids = [encoding.ids for encoding in runtime.tokenizer.encode_batch(inputs)]
        longest_first = sorted(range(len(token_ids)), key=lambda index: -len(token_ids[index]))
        ordered = [token_ids[index] for index in longest_first]
        embed_one = partial(_token_mean, runtime.session)
        vectors = np.empty((len(texts), self._dimensions), dtype=np.float32)
        if self._threads > 1 and len(ordered) > 1:
            # A pool per call, not per embedder: threads left running would make every later fork of the
            # process unsafe (the seeder forks workers), and two threads cost microseconds to start.
            with ThreadPoolExecutor(self._threads, thread_name_prefix="hireflow-embed") as pool:
                means = list(pool.map(embed_one, ordered))
        else:
            means = [embed_one(ids) for ids in ordered]
        for index, mean in zip(longest_first, means, strict=True):
            vectors[index] = mean
        return to_bytes(normalised(vectors))

    def _load(self) -> _Runtime:
        with self._lock:  # one build and one session, however many threads embed at once
            if self._runtime is None:
                self._runtime = self._open()
            return self._runtime

    def _open(self) -> _Runtime:
        onnxruntime = require("ml", "onnxruntime", _FEATURE)
        directory = build_onnx_model(self._model_dir, self._cache_dir)
        return _Runtime(
            session=open_session(onnxruntime, directory / MODEL_FILE, threads=1),
            tokenizer=tokenizer_for(directory),
            lowercase=model_files.lowercases(directory),
        )


def _token_mean(session: Any, token_ids: list[int]) -> npt.NDArray[np.float32]:
    """The mean of one text's token vectors (no padding, so every token counts)."""
    import numpy as np

    ids = np.array([token_ids], dtype=np.int64)
    feeds = dict(zip(INPUTS, (ids, np.ones_like(ids), np.zeros_like(ids)), strict=True))
    (hidden,) = session.run(None, feeds)
    mean: npt.NDArray[np.float32] = hidden[0].mean(axis=0)
    return mean


def open_session(onnxruntime: Any, path: Path, threads: int) -> Any:
    """An onnxruntime CPU session with every graph optimisation on but the slow ones, on ``threads`` threads
    (onnxruntime releases the GIL while it runs, so several Python threads may share one session)."""
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"], disabled_optimizers=list(SLOW_FUSIONS)
    )


def tokenizer_for(directory: Path) -> Any:
    """The model's fast tokenizer, truncating as sentence-transformers does and padding nothing."""
    tokenizers = require("ml", "tokenizers", _FEATURE)
    tokenizer = tokenizers.Tokenizer.from_file(str(directory / "tokenizer.json"))
    # tokenizer.json carries its own truncation and padding (all-MiniLM-L6-v2's: fixed 128); sentence-transformers
    # overrides both, truncating at max_seq_length, and so do we (each text runs alone: nothing to pad).
    tokenizer.enable_truncation(max_length=model_files.max_seq_length(directory))
    tokenizer.no_padding()
    return tokenizer


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (a container's share)
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1
