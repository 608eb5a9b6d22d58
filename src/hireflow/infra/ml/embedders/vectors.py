"""Sentence vectors as they cross the Embedder port: unit length, little-endian float32 bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# torch.nn.functional.normalize's eps, so a zero vector stays zero exactly as in sentence-transformers.
_NORM_EPSILON = 1e-12


def normalised(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Each row scaled to unit length."""
    import numpy as np

    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    scaled: npt.NDArray[np.float32] = (vectors / np.maximum(norms, _NORM_EPSILON)).astype(np.float32)
    return scaled


def to_bytes(vectors: npt.NDArray[np.floating]) -> list[bytes]:
    """One little-endian float32 blob per row."""
    packed = vectors.astype("<f4", copy=False)
    return [row.tobytes() for row in packed]
