"""Keyset pagination: ``?limit=N&cursor=C`` in, ``{"items": [...], "next_cursor": C | null}`` out.

A cursor is opaque to clients (URL-safe base64 of a small JSON object holding the last id seen), so pages stay
stable while rows are added, and the server may change what it holds without breaking clients. A cursor that
does not decode is a 422 on the ``cursor`` field, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from hireflow.shared.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT}, default {DEFAULT_LIMIT})")
]
Cursor = Annotated[
    str | None,
    Query(max_length=200, description="The `next_cursor` of the previous page; leave out for the first page"),
]


class Page(BaseModel, Generic[ItemT]):
    """One page of a list; ``next_cursor`` is null on the last page."""

    items: list[ItemT]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null when done")


def encode_cursor(after_id: int) -> str:
    """The opaque cursor of a page that continues after ``after_id``."""
    raw = json.dumps({"after": after_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor continues after (None for the first page); ValidationFailed for a malformed one."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise ValidationFailed(
            "the cursor is not one this API issued; pass a next_cursor back unchanged",
            [{"field": "cursor", "message": "malformed cursor"}],
        )
    return after


def paginate(
    fetch: Callable[[int, int | None], Sequence[RowT]],
    limit: int,
    cursor: str | None,
    public: Callable[[RowT], ItemT],
    key: Callable[[RowT], int | None] = lambda row: getattr(row, "id", None),
) -> Page[ItemT]:
    """A page from ``fetch(limit, after_id)`` (rows in key order); asks one row more to know if more follow."""
    rows = list(fetch(limit + 1, decode_cursor(cursor)))
    more = len(rows) > limit
    rows = rows[:limit]
    last = key(rows[-1]) if rows and more else None
    return Page[ItemT](
        items=[public(row) for row in rows], next_cursor=encode_cursor(last) if last is not None else None
    )


# -- keyset cursors for lists in another order than id ------------------------------------------------------
PositionT = TypeVar("PositionT")
KeyValue = str | int | float | bool | None
"""A sort value a keyset cursor can hold (timestamps as ISO 8601 text)."""

KeysetCursor = Annotated[
    str | None,
    Query(
        max_length=2000,  # it holds sort values: two names of up to 100 characters each, say
        description="The `next_cursor` of the previous page, with the same `sort`; leave out for the first page",
    ),
]


def encode_keyset_cursor(sort: str, values: Sequence[KeyValue], after_id: int) -> str:
    """The opaque cursor of a page in ``sort`` order that continues after the row whose sort values are
    ``values`` and whose id is ``after_id`` (the id breaks ties between rows sharing the sort values)."""
    document = {"sort": sort, "values": list(values), "after": after_id}
    raw = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_keyset_cursor(cursor: str | None, sort: str) -> tuple[list[KeyValue], int] | None:
    """The sort values and id a cursor continues after (None for the first page). ValidationFailed on the
    ``cursor`` field for a malformed cursor, or one issued for another sort order."""
    if cursor is None:
        return None
    try:
        document = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        cursor_sort, values, after = document["sort"], document["values"], document["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise _bad_cursor("malformed cursor") from None
    if cursor_sort != sort:
        raise _bad_cursor(f"the cursor belongs to sort '{cursor_sort}', not '{sort}'")
    if not isinstance(values, list) or any(isinstance(v, dict | list) for v in values):
        raise _bad_cursor("malformed cursor")
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise _bad_cursor("malformed cursor")
    return values, after


def paginate_keyset(
    fetch: Callable[[int, PositionT | None], Sequence[RowT]],
    limit: int,
    cursor: str | None,
    public: Callable[[RowT], ItemT],
    *,
    sort: str,
    position: Callable[[list[KeyValue], int], PositionT],
    key: Callable[[RowT], tuple[Sequence[KeyValue], int]],
) -> Page[ItemT]:
    """A page from ``fetch(limit, after)`` (rows in ``sort`` order), like :func:`paginate` but for keyset
    order on other columns: ``position`` turns a decoded cursor into what ``fetch`` takes (raising ValueError
    when it does not fit, a 422 on ``cursor``), and ``key`` gives a row's sort values and id."""
    decoded = decode_keyset_cursor(cursor, sort)
    after = None
    if decoded is not None:
        try:
            after = position(*decoded)
        except ValueError:
            raise _bad_cursor(f"the cursor does not hold a '{sort}' position") from None
    rows = list(fetch(limit + 1, after))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_keyset_cursor(sort, *key(rows[-1])) if rows and more else None
    return Page[ItemT](items=[public(row) for row in rows], next_cursor=next_cursor)


def _bad_cursor(message: str) -> ValidationFailed:
    return ValidationFailed(
        "the cursor is not one this API issued for this list; pass a next_cursor back unchanged, with the same "
        "sort",
        [{"field": "cursor", "message": message}],
    )
