"""How :func:`hireflow.infra.db.bulk.bulk_insert` turns row dicts into the tuples the drivers take.

Each column gets a converter chosen once per load from its SQLAlchemy type, so a row costs a few function calls
rather than SQLAlchemy's per-statement processing. The values stored are the ones a Core insert would store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Dialect, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import Null
from sqlalchemy.types import TypeDecorator, TypeEngine

from hireflow.infra.db.base import UtcDateTime

Converter = Callable[[Any], Any]
RowEncoder = Callable[[Mapping[str, Any]], tuple[Any, ...]]

# SQLAlchemy's default SQLite storage formats; a column with a custom one goes through SQLAlchemy's processor.
_SQLITE_DATETIME = "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
_SQLITE_DATE = "%(year)04d-%(month)02d-%(day)02d"
_MEMO_LIMIT = 100_000
_EMPTY_JSON: dict[type, str] = {dict: "{}", list: "[]"}


def client_defaults(table: Table, keys: Sequence[str]) -> dict[str, Any]:
    """Values for the columns the rows leave out that have a Python-side default (scalar or callable).

    Callables are called once, without an execution context; SQL-expression and sequence defaults are left to
    the database, like server defaults.
    """
    present = set(keys)
    values: dict[str, Any] = {}
    for column in table.columns:
        default: Any = column.default
        if column.name in present or default is None:
            continue
        if default.is_scalar:
            values[column.name] = default.arg
        elif default.is_callable:
            # SQLAlchemy wraps zero-argument callables to take an execution context, which they ignore.
            values[column.name] = default.arg(None)
    return values


def row_encoder(
    table: Table, keys: Sequence[str], defaults: Mapping[str, Any], dialect: Dialect
) -> tuple[list[Column[Any]], RowEncoder]:
    """The columns to insert (``keys``, then those ``defaults`` fill) and a function turning one row dict into
    the tuple of driver values in that order."""
    columns = [table.c[name] for name in (*keys, *defaults)]
    getter = itemgetter(*keys)
    single = len(keys) == 1
    memo: dict[datetime, str] = {}
    converters = [_converter(column, dialect, memo) for column in columns]
    active = [
        (index, convert) for index, convert in enumerate(converters[: len(keys)]) if convert is not None
    ]
    # The defaults are the same for every row: convert them once.
    filled = [
        value if convert is None else convert(value)
        for value, convert in zip(defaults.values(), converters[len(keys) :], strict=True)
    ]

    def encode(row: Mapping[str, Any]) -> tuple[Any, ...]:
        try:
            picked = getter(row)
        except KeyError as exc:
            raise ValueError(
                f"a row for {table.name!r} lacks column {exc.args[0]!r}; every row needs the first row's keys"
            ) from None
        values = [picked] if single else list(picked)
        for index, convert in active:
            values[index] = convert(values[index])
        if filled:
            values.extend(filled)
        return tuple(values)  # what the drivers (and SQLAlchemy's executemany) take

    return columns, encode


def _converter(column: Column[Any], dialect: Dialect, memo: dict[datetime, str]) -> Converter | None:
    """How to turn one Python value into what the driver expects for ``column``; None when it takes it as is."""
    column_type = column.type
    if isinstance(column_type, JSON):
        return _json_converter(column_type, dialect)
    if isinstance(column_type, UtcDateTime):
        return _utc_converter(column_type, dialect, memo)
    if isinstance(column_type, TypeDecorator):
        return _decorated_converter(column_type, dialect)
    return _plain_converter(column_type, dialect)


def _decorated_converter(column_type: TypeDecorator[Any], dialect: Dialect) -> Converter:
    process = column_type.process_bind_param
    inner = _plain_converter(column_type.impl_instance, dialect)

    def decorated(value: Any) -> Any:
        if value is None:
            return None
        value = process(value, dialect)
        return value if inner is None or value is None else inner(value)

    return decorated


def _utc_converter(column_type: UtcDateTime, dialect: Dialect, memo: dict[datetime, str]) -> Converter:
    # Nearly every value is already aware UTC: skip the type's astimezone()/replace() calls, which cost more
    # than the database's insert of the whole row. Other values take the type's own (validating) path.
    general = _decorated_converter(column_type, dialect)
    if dialect.name == "sqlite":

        def sqlite_utc(value: Any) -> Any:
            if type(value) is not datetime or value.tzinfo is not UTC:
                return general(value)
            # Formatting is the costly part and rows often repeat a timestamp (created_at = occurred_at).
            found = memo.get(value)
            if found is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                found = memo[value] = value.isoformat(" ", "microseconds")[:-6]  # drop the "+00:00"
            return found

        return sqlite_utc

    def utc(value: Any) -> Any:
        return value if type(value) is datetime and value.tzinfo is UTC else general(value)

    return utc


def _plain_converter(column_type: TypeEngine[Any], dialect: Dialect) -> Converter | None:
    impl = column_type.dialect_impl(dialect)
    if isinstance(impl, Boolean):
        return None  # both drivers take Python bools; SQLAlchemy's processor only re-checks them
    processor = impl.bind_processor(dialect)
    if dialect.name == "sqlite" and processor is not None:
        storage_format = getattr(impl, "_storage_format", None)
        if isinstance(impl, DateTime) and storage_format == _SQLITE_DATETIME:
            return _fast_sqlite_datetime(processor)
        if isinstance(impl, Date) and storage_format == _SQLITE_DATE:
            return _fast_sqlite_date(processor)
    return processor


def _fast_sqlite_datetime(fallback: Converter) -> Converter:
    def convert(value: Any) -> Any:
        # isoformat() writes exactly SQLAlchemy's format, faster; anything unusual takes SQLAlchemy's path.
        if type(value) is datetime:
            return value.replace(tzinfo=None).isoformat(" ", "microseconds")
        return fallback(value)

    return convert


def _fast_sqlite_date(fallback: Converter) -> Converter:
    def convert(value: Any) -> Any:
        return value.isoformat() if type(value) is date else fallback(value)

    return convert


def _json_converter(column_type: JSON, dialect: Dialect) -> Converter:
    serializer: Callable[[Any], str] | None = getattr(dialect, "_json_serializer", None)
    none_as_null = column_type.none_as_null
    encode = serializer or json.JSONEncoder().encode  # what json.dumps(value) does, minus its argument checks
    if dialect.name == "postgresql":
        # COPY's binary form of the value, ready made: jsonb is a version byte and the JSON text, json the text
        # alone. bulk.py declares such columns bytea to psycopg, whose C dumper then passes the bytes through
        # untouched (the server reads them with the column's own type), instead of calling a Python dumper
        # for every value of every row.
        prefix = b"\x01" if isinstance(column_type.dialect_impl(dialect), postgresql.JSONB) else b""
        empty = {kind: prefix + text.encode() for kind, text in _EMPTY_JSON.items()}

        def postgresql_json(value: Any) -> Any:
            if isinstance(value, Null) or (value is None and none_as_null):
                return None  # SQL NULL
            if type(value) in empty and not value:
                return empty[type(value)]
            return prefix + encode(None if value is JSON.NULL else value).encode()

        return postgresql_json

    def text_json(value: Any) -> Any:
        # The semantics of SQLAlchemy's JSON bind processor, with empty containers (most of them) for free.
        if value is None:
            return None if none_as_null else "null"
        if type(value) in _EMPTY_JSON and not value:
            return _EMPTY_JSON[type(value)]
        if isinstance(value, Null):
            return None
        return encode(None if value is JSON.NULL else value)

    return text_json
