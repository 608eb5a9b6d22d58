"""Optional extras: import a module that an extra provides, or fail with one line saying what to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from hireflow.shared.errors import MissingExtraError

EXTRAS: dict[str, tuple[str, ...]] = {
    "server": ("fastapi", "uvicorn", "multipart", "jwt", "pwdlib", "limits"),
    "postgres": ("psycopg", "pgvector"),
    "redis": ("redis",),
    "s3": ("boto3",),
    "ml": ("sentence_transformers", "numpy", "onnxruntime", "tokenizers"),
    "ai": ("openai",),
    "reporting": ("matplotlib", "pandas"),
    "jobs": ("dramatiq",),
    "simulation": ("numpy", "mesa"),
}
"""Which importable modules each extra of ``pip install 'hireflow[extra]'`` brings."""


def require(extra: str, module: str, feature: str | None = None) -> ModuleType:
    """Import ``module`` from ``extra``, or raise MissingExtraError naming the pip command that fixes it."""
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra '{extra}'; known: {', '.join(sorted(EXTRAS))}")
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(extra, feature or f"'{module}'") from None


def is_installed(extra: str) -> bool:
    """True when every module of ``extra`` can be imported."""
    for module in EXTRAS[extra]:
        try:
            importlib.import_module(module)
        except ImportError:
            return False
    return True
