"""Shared type aliases."""

from __future__ import annotations

from typing import Any, TypeAlias

JSONValue: TypeAlias = Any
"""Any value that round-trips through JSON (the precise recursive type is more noise than help)."""

JSONObject: TypeAlias = dict[str, Any]
EntityId: TypeAlias = int
CompanyGroupId: TypeAlias = int
