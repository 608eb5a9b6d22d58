"""The declarative base, the one MetaData with its constraint naming convention, and portable column types."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# BIGINT identities on PostgreSQL; SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")
# JSONB on PostgreSQL (indexable, compact), JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL stores ``timestamptz``; SQLite stores text without an offset, so values are normalised to UTC
    on the way in and marked UTC on the way out. Naive datetimes are refused: they are bugs waiting to happen.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Hireflow stores timezone-aware UTC timestamps only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class utc_now_default(FunctionElement[datetime]):  # noqa: N801 - reads as SQL, like func.now()
    """The database's current UTC time, as a server default, stored exactly as Python-side values are.

    On SQLite ``CURRENT_TIMESTAMP`` gives ``2026-01-01 10:00:00`` while SQLAlchemy writes
    ``2026-01-01 10:00:00.000000``; timestamps are compared as text there, so the two must look alike.
    """

    type = DateTime(timezone=True)
    inherit_cache = True


@compiles(utc_now_default)
def _utc_now_default(_element: utc_now_default, _compiler: Any, **_kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utc_now_default, "sqlite")
def _utc_now_default_sqlite(_element: utc_now_default, _compiler: Any, **_kw: Any) -> str:
    return "(strftime('%Y-%m-%d %H:%M:%f000', 'now'))"


class Base(DeclarativeBase):
    """Base of every ORM table."""

    metadata = metadata
    type_annotation_map: dict[Any, Any] = {datetime: UtcDateTime(), dict[str, Any]: JSONType}


class IdMixin:
    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)


class TimestampMixin:
    """``created_at``/``updated_at``, set by the application and defaulted by the database for bulk loads."""

    created_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utc_now, server_default=utc_now_default(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utc_now, onupdate=utc_now, server_default=utc_now_default(), nullable=False
    )


class TenantMixin:
    """Marks a row as owned by one company group. Repositories filter every query on it."""

    company_group_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("company_groups.id", ondelete="CASCADE"), nullable=False, index=True
    )


def enum_check(
    column: str, enum: type[StrEnum], name: str | None = None, nullable: bool = False
) -> CheckConstraint:
    """A CHECK constraint that keeps ``column`` within the values of a domain enum.

    Written as ``col = 'a' OR col = 'b' ...`` rather than ``col IN (...)``: SQLite builds a temporary index for
    an IN list on every row it checks, which made bulk loads four times slower; the OR chain costs almost nothing.
    """
    condition = " OR ".join(f"{column} = '{member.value}'" for member in enum)
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=name or f"{column}_valid")


# Server-side defaults for JSON columns, so raw SQL and bulk loads may leave them out.
EMPTY_JSON_OBJECT = text("'{}'")
EMPTY_JSON_ARRAY = text("'[]'")
