"""Compatibility shims for import paths of older Hireflow releases.

Every module here emits a :class:`DeprecationWarning` when it is imported, naming the path to use instead, and
points the warning at the code that imported it. The shims stay for one major version.
"""

from __future__ import annotations

import os
import sys
import warnings

_LEGACY_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_IMPORTLIB_INIT = os.path.join("importlib", "__init__.py")


def warn_deprecated_module(module: str, instead: str) -> None:
    """Warn that ``module`` is deprecated, pointing at the first frame outside the import machinery."""
    frame = sys._getframe(1)
    while frame.f_back is not None and _is_internal(frame.f_code.co_filename):
        frame = frame.f_back
    warnings.warn_explicit(
        f"{module} is deprecated; {instead}",
        DeprecationWarning,
        filename=frame.f_code.co_filename,
        lineno=frame.f_lineno,
        module=frame.f_globals.get("__name__", "<unknown>"),
        registry=frame.f_globals.setdefault("__warningregistry__", {}),
    )


def _is_internal(filename: str) -> bool:
    """True for frames of the import system (importlib, import_module, reload) and of these shims."""
    return filename.startswith(("<frozen importlib", _LEGACY_DIR)) or filename.endswith(_IMPORTLIB_INIT)


warn_deprecated_module(
    __name__, "import from hireflow.infra.db (tables, session) and hireflow.shared instead"
)
