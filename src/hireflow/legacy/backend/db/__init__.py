"""Deprecated: the old ``backend.db`` package. Use :mod:`hireflow.infra.db` instead."""

from __future__ import annotations

from hireflow.legacy import warn_deprecated_module

warn_deprecated_module(__name__, "import from hireflow.infra.db instead")
