"""JSON bodies as bytes, with no per-record framework overhead (orjson is not a dependency; json's C encoder is)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return _ENCODER.encode(payload).encode()


def json_response(payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response whose body is encoded once, here."""
    return Response(
        dump_json(payload), status_code=status, headers=dict(headers or {}), media_type="application/json"
    )
