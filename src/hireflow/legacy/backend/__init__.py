"""Deprecated: the old ``backend`` package. Use :mod:`hireflow.infra` and :mod:`hireflow.shared` instead."""

from __future__ import annotations

from hireflow.legacy import warn_deprecated_module

warn_deprecated_module(__name__, "import from hireflow.infra and hireflow.shared instead")
