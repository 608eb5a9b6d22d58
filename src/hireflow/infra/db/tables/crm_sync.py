"""CRM sync tables: a cursor per company group, source and entity; one row per sync run; dead letters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.crm_sync import CrmEntity, SyncStatus
from hireflow.infra.db.base import (
    EMPTY_JSON_ARRAY,
    EMPTY_JSON_OBJECT,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    UtcDateTime,
    enum_check,
    utc_now,
    utc_now_default,
)


class SyncCursor(Base):
    """How far the sync of one source's entity has come; moved in the transaction of the batch it covers."""

    __tablename__ = "sync_cursors"
    __table_args__ = (enum_check("entity", CrmEntity),)

    company_group_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("company_groups.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(50), primary_key=True)
    entity: Mapped[str] = mapped_column(String(30), primary_key=True)
    modified_at: Mapped[datetime]
    external_id: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utc_now, onupdate=utc_now, server_default=utc_now_default()
    )


class SyncRun(IdMixin, TenantMixin, Base):
    """One sync of one source: what it was asked, what it did, how it ended."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        enum_check("status", SyncStatus),
        Index(None, "company_group_id", "source", "id"),
    )

    source: Mapped[str] = mapped_column(String(50))
    entities: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)
    full: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), server_default=text("'running'"))
    fetched: Mapped[int] = mapped_column(default=0, server_default="0")
    inserted: Mapped[int] = mapped_column(default=0, server_default="0")
    updated: Mapped[int] = mapped_column(default=0, server_default="0")
    unchanged: Mapped[int] = mapped_column(default=0, server_default="0")
    deleted: Mapped[int] = mapped_column(default=0, server_default="0")
    invalid: Mapped[int] = mapped_column(default=0, server_default="0")
    entity_counts: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=EMPTY_JSON_OBJECT
    )
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class DeadLetter(IdMixin, TenantMixin, Base):
    """A CRM record that could not be loaded: its raw payload and every error, until a later run loads it."""

    __tablename__ = "dead_letters"
    __table_args__ = (
        UniqueConstraint("company_group_id", "source", "entity", "external_id"),
        enum_check("entity", CrmEntity),
    )

    source: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    external_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    modified_at: Mapped[datetime | None]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    errors: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONType, default=list, server_default=EMPTY_JSON_ARRAY
    )
    attempts: Mapped[int] = mapped_column(default=1, server_default="1")
    first_seen_at: Mapped[datetime] = mapped_column(default=utc_now, server_default=utc_now_default())
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now, server_default=utc_now_default())
    resolved_at: Mapped[datetime | None]
    last_run_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("sync_runs.id", ondelete="SET NULL"))
