"""Build the int8 ONNX model of a sentence-transformers model once, and keep it in a cache directory.

The recipe: export the transformer with torch's TorchScript exporter from the model loaded with eager attention
(whose graph onnxruntime's optimizer recognises), fuse it (Attention, LayerNormalization, Gelu), then quantize
the weights of its MatMuls and Attentions to int8 per channel (activations are quantized as the model runs).
Against the PyTorch reference the vectors keep a cosine of about 0.99 (``benchmarks/embeddings.py``).

Building needs torch, transformers and onnx; running the result needs only onnxruntime, tokenizers and numpy.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hireflow.infra.ml.embedders.model_files import (
    POOLING_DIRECTORY,
    pooling_config_path,
    require_mean_pooling_only,
    use_local_files_only,
    weights_fingerprint,
    without_progress_bars,
)
from hireflow.shared.errors import ConfigurationError
from hireflow.shared.extras import require
from hireflow.shared.logging import get_logger

BUILD_VERSION = 2
"""Bump when the recipe changes, so caches built by the old recipe are rebuilt (1: SkipLayerNormalization and
BiasGelu fused)."""
MODEL_FILE = "model.onnx"
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"
QUANTIZED_OPS = ("MatMul", "Attention")
"""Which ops get int8 weights. The word embeddings stay float: quantizing them saves memory, not time, and costs
agreement with the reference."""
FUSIONS_OFF = ("enable_skip_layer_norm", "enable_bias_gelu")
"""Fusions of onnxruntime's transformer optimizer left out, because their kernels run slower on the CPU than the
ops they replace (onnxruntime 1.32, one thread, measured): SkipLayerNormalization about 9x slower than Add and
LayerNormalization, a quarter of the model's time; BiasGelu about 5% slower than the quantized MatMul's bias and
Gelu. Attention, LayerNormalization and Gelu are still fused."""
_COPIED = ("tokenizer.json", "config.json", "sentence_bert_config.json")
_FEATURE = "Building the ONNX embedding model"
_log = get_logger(__name__)


def onnx_model_directory(model_dir: Path, cache_dir: Path) -> Path:
    """Where :func:`build_onnx_model` keeps the model built from ``model_dir`` (it may not exist yet): keyed by
    the weights' fingerprint, the recipe's version and onnxruntime's version."""
    onnxruntime = require("ml", "onnxruntime", "Embeddings")
    key = f"{model_dir.name}-{weights_fingerprint(model_dir)}-v{BUILD_VERSION}-ort{onnxruntime.__version__}"
    return cache_dir / key


def build_onnx_model(model_dir: Path, cache_dir: Path) -> Path:
    """The directory of the ONNX model built from ``model_dir`` (``model.onnx`` beside the tokenizer and the
    configs), building it the first time; later calls, from any process, find it in ``cache_dir``."""
    target = onnx_model_directory(model_dir, cache_dir)
    if is_built(target):
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with _exclusive(cache_dir / f".{target.name}.lock"):
            if not is_built(target):  # another process may have built it while this one waited
                _build_atomically(model_dir, target)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot build the ONNX embedding model in {cache_dir} ({exc.strerror or exc}); set "
            "HIREFLOW_EMBEDDING_CACHE_DIR to a writable directory"
        ) from exc
    return target


def is_built(directory: Path) -> bool:
    return (directory / MODEL_FILE).is_file()


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """One builder at a time per model: the build takes seconds of every core, and a second is wasted work."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock; the atomic rename still keeps the cache whole
        yield
        return
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_atomically(model_dir: Path, target: Path) -> None:
    """Build in a sibling directory and rename it into place, so a reader never sees half a model."""
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    started = time.perf_counter()
    _log.info("embeddings.onnx_build.start", model_dir=str(model_dir), target=str(target))
    try:
        _build_into(model_dir, work)
        work.chmod(0o755)  # mkdtemp makes it private; the cache is as readable as any directory made here
        if target.exists():  # a leftover without a model (is_built said no): replace it
            shutil.rmtree(target)
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _log.info(
        "embeddings.onnx_build.done", target=str(target), seconds=round(time.perf_counter() - started, 1)
    )


def _build_into(model_dir: Path, work: Path) -> None:
    require_mean_pooling_only(model_dir)
    if not (model_dir / "tokenizer.json").is_file():
        raise ConfigurationError(
            f"the onnx embedding backend needs a fast tokenizer (tokenizer.json) in {model_dir}; save the model "
            "with a current sentence-transformers, or set HIREFLOW_EMBEDDING_BACKEND=sentence-transformers"
        )
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    exported, fused = work / "exported.onnx", work / "fused.onnx"
    _export(model_dir, exported)
    _fuse(exported, fused, config)
    _quantize(fused, work / MODEL_FILE)
    exported.unlink()
    fused.unlink()
    for name in _COPIED:
        if (model_dir / name).is_file():
            shutil.copyfile(model_dir / name, work / name)
    if pooling_config_path(model_dir).is_file():
        (work / POOLING_DIRECTORY).mkdir()
        shutil.copyfile(pooling_config_path(model_dir), work / POOLING_DIRECTORY / "config.json")


def _export(model_dir: Path, path: Path) -> None:
    require("ml", "onnx", _FEATURE)
    use_local_files_only()
    torch = require("ml", "torch", _FEATURE)
    transformers = require("ml", "transformers", _FEATURE)
    # Eager attention traces to plain MatMul/Softmax, which the optimizer fuses into one Attention op; the
    # default (SDPA) traces to a graph it does not recognise.
    with without_progress_bars():
        model = transformers.AutoModel.from_pretrained(
            str(model_dir), attn_implementation="eager", local_files_only=True
        )
    model.eval()
    ids = torch.full((2, 16), 100, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 10:] = 0  # padding in the example, so the mask's path is traced and not folded away
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, OUTPUT)}
    with torch.no_grad(), warnings.catch_warnings():
        _ignore_export_warnings(torch)
        torch.onnx.export(
            _last_hidden_state(torch, model),
            (ids, mask, torch.zeros_like(ids)),
            str(path),
            dynamo=False,
            opset_version=OPSET,
            input_names=list(INPUTS),
            output_names=[OUTPUT],
            dynamic_axes=axes,
        )


def _ignore_export_warnings(torch: Any) -> None:
    """The legacy exporter is deprecated (and chosen on purpose, above), and tracing warns about Python branches
    that are constant for every input shape of this model; the agreement tests check the result instead."""
    warnings.filterwarnings(
        "ignore", "You are using the legacy TorchScript-based ONNX export", DeprecationWarning
    )
    warnings.filterwarnings("ignore", "The feature will be removed", DeprecationWarning)
    warnings.filterwarnings("ignore", "Exporting aten::index operator", UserWarning)
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)


def _last_hidden_state(torch: Any, model: Any) -> Any:
    """``model`` as a module that takes the three inputs by position and returns only the token vectors."""

    class LastHiddenState(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            output = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return output.last_hidden_state

    return LastHiddenState()


def _fuse(source: Path, target: Path, config: dict[str, Any]) -> None:
    optimizer = require("ml", "onnxruntime.transformers.optimizer", _FEATURE)
    fusion_options = require("ml", "onnxruntime.transformers.fusion_options", _FEATURE)
    options = fusion_options.FusionOptions("bert")
    for name in FUSIONS_OFF:
        setattr(options, name, False)
    model = optimizer.optimize_model(
        str(source),
        model_type="bert",
        num_heads=int(config["num_attention_heads"]),
        hidden_size=int(config["hidden_size"]),
        optimization_options=options,
    )
    model.save_model_to_file(str(target))


def _quantize(source: Path, target: Path) -> None:
    onnx = require("ml", "onnx", _FEATURE)
    quantization = require("ml", "onnxruntime.quantization", _FEATURE)
    with _without_log_line("Please consider to run pre-processing before quantization"):
        quantization.quantize_dynamic(
            str(source),
            str(target),
            weight_type=quantization.QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=list(QUANTIZED_OPS),
            # The fused graph's ops lack type annotations the quantizer reads; they are all float32.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


@contextmanager
def _without_log_line(prefix: str) -> Iterator[None]:
    """The quantizer logs advice on the root logger that does not apply to a transformer; drop that line only."""
    root = logging.getLogger()

    def keep(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(prefix)

    root.addFilter(keep)
    try:
        yield
    finally:
        root.removeFilter(keep)
