"""The one place where errors become RFC 9457 problem documents (``application/problem+json``).

Every problem carries ``type``, ``title``, ``status``, ``detail``, ``instance`` (the request path) and the
``request_id`` that the request's log lines carry too. Deliberate errors (:class:`HireflowError`) keep their
message; request validation lists every offending field; an unexpected exception becomes a generic 500 whose
body says nothing about the exception: it is logged, with its traceback, under the request id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from hireflow.shared.errors import HireflowError, InvalidTransition, ValidationFailed
from hireflow.shared.logging import get_logger

PROBLEM_MEDIA_TYPE = "application/problem+json"
VALIDATION_TYPE = ValidationFailed.type
INTERNAL_ERROR_TYPE = "https://hireflow.dev/problems/internal-error"
INTERNAL_ERROR_DETAIL = "an unexpected error occurred; quote the request id when reporting it"

_log = get_logger("hireflow.api.errors")


class ProblemResponse(JSONResponse):
    """A JSON response with the problem+json media type."""

    media_type = PROBLEM_MEDIA_TYPE


def problem(
    *,
    status: int,
    type_: str,
    title: str,
    detail: str,
    instance: str,
    request_id: str | None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> ProblemResponse:
    """A problem+json response with the standard members, the request id and any extension members."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "request_id": request_id,
        **extensions,
    }
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))


def request_id_of(request: Request) -> str | None:
    """The id the request-id middleware gave this request (None outside the middleware)."""
    return getattr(request.state, "request_id", None)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers below on ``app``; unexpected exceptions go through the request-id middleware."""
    app.add_exception_handler(HireflowError, _hireflow_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _request_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)


async def _out_of_range(request: Request, exc: Exception) -> ProblemResponse:
    """A number the database cannot hold (an id beyond 64 bits, say): the caller's input, so a 422.

    Routes bound their ids, but a value can still reach the driver through a field nobody thought to bound;
    SQLite's driver raises OverflowError and PostgreSQL's a DataError, and neither is a server fault.
    """
    _log.info("value out of range for the database", error=type(exc).__name__)
    return problem(
        status=422,
        type_=VALIDATION_TYPE,
        title=ValidationFailed.title,
        detail="a value is out of the range the database can store (numbers must fit in 64 bits)",
        instance=request.url.path,
        request_id=request_id_of(request),
        errors=[],
    )


async def _hireflow_error(request: Request, exc: HireflowError) -> ProblemResponse:
    extensions: dict[str, Any] = {}
    if isinstance(exc, ValidationFailed):
        extensions["errors"] = exc.errors
    if isinstance(exc, InvalidTransition):
        extensions.update(from_state=exc.from_state, to_state=exc.to_state, allowed=exc.allowed)
    if exc.status >= 500:
        _log.warning("request failed", error=type(exc).__name__, detail=exc.detail)
    return problem(
        status=exc.status,
        type_=exc.type,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        request_id=request_id_of(request),
        headers=exc.headers,
        **extensions,
    )


async def _request_validation_error(request: Request, exc: RequestValidationError) -> ProblemResponse:
    errors = field_errors(exc.errors())
    fields = ", ".join(error["loc"] for error in errors)
    return problem(
        status=422,
        type_=VALIDATION_TYPE,
        title=ValidationFailed.title,
        detail=f"the request is invalid in {len(errors)} place(s): {fields}",
        instance=request.url.path,
        request_id=request_id_of(request),
        errors=errors,
    )


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Every offending field as ``{loc, msg, type}``; ``loc`` is dotted (``body.items.0.name``).

    The offending input is deliberately left out: it may be a password or a token.
    """
    return [
        {
            "loc": ".".join(str(part) for part in error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


async def _http_error(request: Request, exc: StarletteHTTPException) -> ProblemResponse:
    title = _phrase(exc.status_code)
    return problem(
        status=exc.status_code,
        type_="about:blank",
        title=title,
        detail=str(exc.detail),
        instance=request.url.path,
        request_id=request_id_of(request),
        headers=exc.headers,
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def internal_error(path: str, request_id: str) -> ProblemResponse:
    """The 500 problem for an unexpected exception: generic on purpose, the details are in the log."""
    return problem(
        status=500,
        type_=INTERNAL_ERROR_TYPE,
        title="Internal server error",
        detail=INTERNAL_ERROR_DETAIL,
        instance=path,
        request_id=request_id,
    )
