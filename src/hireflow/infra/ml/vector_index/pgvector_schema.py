"""The tables of the pgvector index, made at run time, the extension they need, and how vectors are sent.

They are a derived index, rebuilt from ``embeddings`` whenever in doubt, so they are not in the migrations:
a database without pgvector must still migrate, and dropping them loses nothing. They reference no other
table (a downgrade can drop ``company_groups`` under them); a refresh deletes the rows of a set that no longer
exists. (Tools that compare the models with the database, such as alembic autogenerate, should ignore them.)

- ``embedding_vectors_<dimensions>``: one table per vector size, since a ``vector(n)`` column has one size and an
  HNSW index (cosine, m 16, ef_construction 128) covers one column. Every company group and entity shares it.
- ``vector_index_state``: per company group and entity, the set generation and revision the rows reflect.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from hireflow.shared.errors import ConfigurationError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

HNSW_M = 16
HNSW_EF_CONSTRUCTION = 128
"""Twice pgvector's default: at a million 384-dimension vectors the graph built with 64 reached recall@10 0.948
only at ef_search 200 (p50 4.6 ms); with 128 it reaches 0.969 at ef_search 100 (p50 3.8 ms), for a build that
takes twice as long (12 minutes instead of 6 on two busy cores). See benchmarks/matching.py."""
MAX_DIMENSIONS = 2_000
"""pgvector's HNSW indexes ``vector`` columns of up to 2,000 dimensions."""
STATE_TABLE = "vector_index_state"
_SCHEMA_LOCK = (
    0x68666C6F77_7665  # pg_advisory_xact_lock key: two processes creating the tables at once collide
)
_FIX = (
    "or set HIREFLOW_VECTOR_INDEX=usearch (or auto) to keep the index in a usearch file beside the database"
)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = struct.pack("!h", -1)
_STATE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (company_group_id bigint NOT NULL, entity varchar(20) NOT NULL, "
    "generation varchar(32) NOT NULL, revision bigint NOT NULL, dimensions integer NOT NULL, "
    "model varchar(200) NOT NULL, PRIMARY KEY (company_group_id, entity))"
)


def vectors_table(dimensions: int) -> str:
    """The table of ``dimensions``-long vectors."""
    return f"embedding_vectors_{int(dimensions)}"


def hnsw_index(dimensions: int) -> str:
    return f"{vectors_table(dimensions)}_hnsw"


def pgvector_version(connection: Connection) -> str | None:
    """The version of pgvector installed in the database, else the one the server could install; None when
    the server has no pgvector (or the database is not PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return None
    row = connection.execute(
        text("SELECT installed_version, default_version FROM pg_available_extensions WHERE name = 'vector'")
    ).one_or_none()
    return None if row is None else str(row.installed_version or row.default_version)


def ensure_schema(connection: Connection, dimensions: int | None = None) -> None:
    """Install the extension if needed and create the state table, and the vectors table and its HNSW index
    for ``dimensions`` if given, in the caller's transaction; a clear ConfigurationError when this database
    cannot have them."""
    if connection.dialect.name != "postgresql":
        raise ConfigurationError(
            f"the pgvector index needs PostgreSQL, but the database is {connection.dialect.name}; {_FIX}"
        )
    if dimensions is not None and not 0 < dimensions <= MAX_DIMENSIONS:
        raise ConfigurationError(
            f"pgvector's HNSW index takes vectors of up to {MAX_DIMENSIONS} dimensions, not {dimensions}; {_FIX}"
        )
    database = connection.engine.url.database
    if pgvector_version(connection) is None:
        raise ConfigurationError(
            f"the PostgreSQL server of database '{database}' has no pgvector extension ('vector' is not in "
            f"pg_available_extensions): install pgvector on the server (e.g. the postgresql-<version>-pgvector "
            f"package), {_FIX}"
        )
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
    try:
        with connection.begin_nested():
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
    except DBAPIError as exc:
        raise ConfigurationError(
            f"pgvector is available but not installed in database '{database}', and this user may not install "
            f"it ({str(exc.orig).splitlines()[0]}): run CREATE EXTENSION vector as a superuser, {_FIX}"
        ) from None
    connection.execute(text(_STATE_DDL))
    if dimensions is not None:
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {vectors_table(dimensions)} (company_group_id bigint NOT NULL, "
                f"entity varchar(20) NOT NULL, record_id bigint NOT NULL, embedding vector({int(dimensions)}) "
                "NOT NULL, PRIMARY KEY (company_group_id, entity, record_id))"
            )
        )
        create_hnsw_index(connection, dimensions)


def create_hnsw_index(connection: Connection, dimensions: int) -> None:
    """Create the HNSW index of the vectors table if missing (after a bulk load, which is faster without it)."""
    connection.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {hnsw_index(dimensions)} ON {vectors_table(dimensions)} "
            f"USING hnsw (embedding vector_cosine_ops) WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
        )
    )


def drop_hnsw_index(connection: Connection, dimensions: int) -> None:
    connection.execute(text(f"DROP INDEX IF EXISTS {hnsw_index(dimensions)}"))


def copy_chunk(ids: NDArray[np.uint64], vectors: NDArray[np.float32]) -> bytes:
    """``COPY ... (record_id, embedding) FROM STDIN (FORMAT BINARY)`` data for these rows, built by numpy in one
    pass (pgvector's binary form of a vector: int16 dimensions, int16 0, big-endian float4 values)."""
    import numpy as np

    count, dimensions = vectors.shape
    rows = np.empty(
        count,
        dtype=np.dtype(
            [
                ("fields", ">i2"),
                ("id_length", ">i4"),
                ("id", ">i8"),
                ("vector_length", ">i4"),
                ("dimensions", ">i2"),
                ("unused", ">i2"),
                ("values", ">f4", (dimensions,)),
            ]
        ),
    )
    rows["fields"] = 2
    rows["id_length"] = 8
    rows["id"] = ids
    rows["vector_length"] = 4 + 4 * dimensions
    rows["dimensions"] = dimensions
    rows["unused"] = 0
    rows["values"] = vectors
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


def copy_rows(raw: Any, table: str, ids: NDArray[np.uint64], vectors: NDArray[np.float32]) -> None:
    """COPY these rows into ``table`` (record_id, embedding) through the psycopg connection ``raw``."""
    statement = f"COPY {table} (record_id, embedding) FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(copy_chunk(ids, vectors))


def vector_literal(vector: NDArray[np.float32]) -> str:
    """pgvector's text form of ``vector``: repr() of each float32 widened to a double reads back exactly."""
    return "[" + ",".join(map(repr, vector.tolist())) + "]"
