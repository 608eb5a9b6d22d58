"""Fast, portable bulk loading: PostgreSQL binary ``COPY ... FROM STDIN`` through psycopg 3, and on SQLite
batched ``executemany`` of a multi-row insert.

:func:`bulk_insert` takes plain dicts keyed by column name, the rows ``connection.execute(insert(t), rows)``
takes, and stores the same values: JSON columns are serialised, timestamps go through their column type (so
Hireflow's ``UtcDateTime`` refuses naive datetimes on every database and SQLite gets SQLAlchemy's text format),
and client-side column defaults fill the columns the rows leave out. It skips SQLAlchemy's per-statement
machinery, which costs more than the database itself at this volume. It runs inside the caller's transaction and
never commits.

After loading rows with explicit ids, call :func:`reset_sequences` so that the next ordinary insert on PostgreSQL
gets a fresh id instead of colliding with a loaded one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from sqlalchemy import Column, Connection, Dialect, Integer, Table, text
from sqlalchemy.exc import DBAPIError

from hireflow.infra.db.base import Base
from hireflow.infra.db.bulk_encoding import client_defaults, row_encoder

DEFAULT_BATCH_SIZE = 5_000

TableLike = Table | type[Base]
"""A Core ``Table`` or a mapped ORM class such as ``hireflow.infra.db.tables.Candidate``."""

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_MAX_ROWS_PER_STATEMENT = 500
_SQLITE_DEFAULT_VARIABLES = 999
_SQLITE_LIMIT_VARIABLE_NUMBER = 9  # sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER


def bulk_insert(
    connection: Connection,
    table: TableLike,
    rows: Iterable[Mapping[str, Any]],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> int:
    """Insert ``rows`` into ``table`` as fast as the database allows and return how many were inserted.

    Every row must have the keys of the first row, and every key must name a column of ``table``; values must be
    of the column's Python type (binary COPY does not cast). Columns no row mentions get their client-side
    default (``default=``, computed once per call) or else their server default. ``rows`` may be a generator: it
    is consumed lazily, ``batch_size`` rows per executemany on SQLite, streamed through one COPY on PostgreSQL.
    ``None`` in a JSON column stores JSON ``null``, as a Core insert does; pass ``sqlalchemy.null()`` for SQL NULL.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    target = _as_table(table)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    keys = tuple(first)
    unknown = [key for key in keys if key not in target.c]
    if unknown:
        raise ValueError(f"table {target.name!r} has no column(s) {', '.join(map(repr, unknown))}")
    columns, encode = row_encoder(target, keys, client_defaults(target, keys), connection.dialect)
    stream = chain((first,), iterator)
    if connection.dialect.name == "postgresql":
        return _copy(connection, target, columns, map(encode, stream))
    return _executemany(connection, target, columns, map(encode, stream), batch_size)


@dataclass(frozen=True)
class EncodedRows:
    """Rows of one table already turned into a dialect's driver values: the costly half of a bulk insert,
    which a worker process can do while the database stores the previous batch."""

    table: str
    columns: tuple[str, ...]
    values: list[tuple[Any, ...]]


def encode_rows(table: TableLike, rows: Sequence[Mapping[str, Any]], dialect: Dialect) -> EncodedRows:
    """Encode ``rows`` (as :func:`bulk_insert` takes them) for :func:`insert_encoded` on ``dialect``."""
    target = _as_table(table)
    if not rows:
        return EncodedRows(target.name, (), [])
    keys = tuple(rows[0])
    columns, encode = row_encoder(target, keys, client_defaults(target, keys), dialect)
    return EncodedRows(target.name, tuple(column.name for column in columns), [encode(row) for row in rows])


def insert_encoded(connection: Connection, table: TableLike, encoded: EncodedRows) -> int:
    """Insert rows that :func:`encode_rows` prepared for this connection's dialect; returns how many."""
    target = _as_table(table)
    if not encoded.values:
        return 0
    columns = [target.c[name] for name in encoded.columns]
    if connection.dialect.name == "postgresql":
        return _copy(connection, target, columns, iter(encoded.values))
    return _executemany(connection, target, columns, iter(encoded.values), DEFAULT_BATCH_SIZE)


def reset_sequences(connection: Connection, tables: Iterable[TableLike]) -> None:
    """Move each table's id sequence past its largest id (PostgreSQL); SQLite needs nothing, so it is a no-op."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        target = _as_table(table)
        primary = list(target.primary_key.columns)
        if len(primary) != 1 or not isinstance(primary[0].type, Integer) or primary[0].autoincrement is False:
            continue
        quoted_table = preparer.format_table(target)
        quoted_column = preparer.quote(primary[0].name)
        # setval(seq, max + 1, false) rather than setval(seq, max): it also works on an empty table, where the
        # smallest value a sequence accepts is 1. A table without a sequence yields setval(NULL, ...) = NULL.
        maximum = f"SELECT MAX({quoted_column}) FROM {quoted_table}"  # noqa: S608 - quoted identifiers
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), COALESCE(({maximum}), 0) + 1, false)"
            ),
            {"table": quoted_table, "column": primary[0].name},
        )


def _as_table(table: TableLike) -> Table:
    if isinstance(table, Table):
        return table
    found = getattr(table, "__table__", None)
    if not isinstance(found, Table):
        raise TypeError(f"{table!r} is neither a Table nor a mapped ORM class")
    return found


def _executemany(
    connection: Connection,
    table: Table,
    columns: Sequence[Column[Any]],
    rows: Iterator[tuple[Any, ...]],
    batch_size: int,
) -> int:
    dialect = connection.dialect
    placeholder = _PLACEHOLDERS.get(dialect.paramstyle)
    if placeholder is None:
        raise RuntimeError(
            f"bulk_insert needs ? or %s parameters; {dialect.name} uses {dialect.paramstyle!r}"
        )
    preparer = dialect.identifier_preparer
    # The statement a Core insert compiles to, with the columns in the encoder's order, and many rows per
    # statement: SQLite then binds and steps once per hundreds of rows instead of once per row.
    # exec_driver_sql keeps SQLAlchemy's transaction bookkeeping.
    width = len(columns)
    per_statement = max(1, min(_MAX_ROWS_PER_STATEMENT, _variable_limit(connection) // width))
    column_list = ", ".join(preparer.quote(column.name) for column in columns)
    head = f"INSERT INTO {preparer.format_table(table)} ({column_list}) VALUES "  # noqa: S608 - quoted names
    one = f"({', '.join([placeholder] * width)})"
    many = head + ", ".join([one] * per_statement)
    total = 0
    while batch := list(islice(rows, batch_size)):
        full = len(batch) - len(batch) % per_statement
        if full:
            flat = [
                tuple(chain.from_iterable(batch[i : i + per_statement]))
                for i in range(0, full, per_statement)
            ]
            connection.exec_driver_sql(many, flat)
        if full < len(batch):
            connection.exec_driver_sql(head + one, batch[full:])
        total += len(batch)
    return total


def _variable_limit(connection: Connection) -> int:
    """How many parameters one statement may have (SQLite: 32766 since 3.32, 999 before)."""
    driver: Any = connection.connection.driver_connection
    getlimit = getattr(driver, "getlimit", None)  # Python 3.11+ sqlite3
    if getlimit is None:
        return _SQLITE_DEFAULT_VARIABLES
    return int(getlimit(_SQLITE_LIMIT_VARIABLE_NUMBER))


_JSON_OIDS = frozenset({114, 3802})  # json, jsonb
_BYTEA_OID = 17


def _copy(
    connection: Connection, table: Table, columns: Sequence[Column[Any]], rows: Iterator[tuple[Any, ...]]
) -> int:
    preparer = connection.dialect.identifier_preparer
    quoted_table = preparer.format_table(table)
    column_list = ", ".join(preparer.quote(column.name) for column in columns)
    # The COPY runs on the driver connection, beneath SQLAlchemy; this statement also starts SQLAlchemy's
    # transaction when there is none yet, so the caller's commit() commits the COPY.
    query = text(
        "SELECT attname, atttypid::int FROM pg_attribute "
        "WHERE attrelid = CAST(:table AS regclass) AND attnum > 0 AND NOT attisdropped"
    )
    found: dict[str, int] = dict(connection.execute(query, {"table": quoted_table}).all())
    from psycopg import adapters  # the driver of the 'postgres' extra, here for sure
    from psycopg.adapt import PyFormat
    from psycopg.copy import QueuedLibpqWriter

    driver = connection.connection.driver_connection
    if driver is None:  # pragma: no cover - a checked-out connection always has one
        raise RuntimeError("the connection has no driver connection")
    statement = f"COPY {quoted_table} ({column_list}) FROM STDIN (FORMAT BINARY)"
    dbapi_error = connection.dialect.loaded_dbapi.Error
    # Binary COPY with declared types: no per-value type lookup in psycopg, no text parsing in the server. JSON
    # values arrive already in their binary COPY form (see bulk_encoding), which psycopg's C bytea dumper
    # passes through; the server reads each value with the column's own type whatever psycopg was told.
    types = [_BYTEA_OID if found[column.name] in _JSON_OIDS else found[column.name] for column in columns]
    total = 0
    try:
        # The queued writer sends to the server from a thread of its own, so encoding the next rows here
        # overlaps the server's storing of the previous ones instead of waiting for the socket.
        with driver.cursor() as cursor, cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
            # psycopg's dumper for the bytea oid is a Python subclass (for DB-API Binary objects); the plain
            # bytes dumper it wraps is C.
            cursor.adapters.register_dumper(bytes, adapters.get_dumper(bytes, PyFormat.BINARY))
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
                total += 1
    except dbapi_error as exc:
        # Raise what a Core insert would (IntegrityError for a duplicate key...), not psycopg's own class.
        raise DBAPIError.instance(statement, None, exc, dbapi_error, dialect=connection.dialect) from exc
    return total
