"""Messaging tables: message templates, screening messages, WhatsApp status updates, email logs and ad
templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hireflow.domain.models.messaging import (
    AdPlatform,
    AdStatus,
    EmailStatus,
    MessageStatus,
    TemplateCategory,
    TemplateStatus,
)
from hireflow.domain.models.screening import Channel, MessageDirection
from hireflow.infra.db.base import (
    EMPTY_JSON_ARRAY,
    EMPTY_JSON_OBJECT,
    Base,
    BigIntId,
    IdMixin,
    JSONType,
    TenantMixin,
    TimestampMixin,
    enum_check,
)


class MessageTemplate(IdMixin, TenantMixin, TimestampMixin, Base):
    """A reusable message body with ``{{variables}}``, per channel and language."""

    __tablename__ = "message_templates"
    __table_args__ = (
        UniqueConstraint("company_group_id", "name", "channel", "language"),
        enum_check("channel", Channel),
        enum_check("category", TemplateCategory),
        enum_check("status", TemplateStatus),
    )

    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    category: Mapped[str] = mapped_column(
        String(20), default=TemplateCategory.UTILITY.value, server_default=TemplateCategory.UTILITY.value
    )
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    variables: Mapped[list[str]] = mapped_column(JSONType, default=list, server_default=EMPTY_JSON_ARRAY)
    provider_template_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(
        String(10), default=TemplateStatus.DRAFT.value, server_default=TemplateStatus.DRAFT.value
    )


class ScreeningMessage(IdMixin, TenantMixin, TimestampMixin, Base):
    """A message to or from a candidate during screening, with its delivery status."""

    __tablename__ = "screening_messages"
    __table_args__ = (
        UniqueConstraint(
            "company_group_id",
            "channel",
            "external_message_id",
            name="uq_screening_messages_external_message",
        ),
        enum_check("direction", MessageDirection),
        enum_check("channel", Channel),
        enum_check("status", MessageStatus),
        Index(None, "candidate_id", "sent_at"),
    )

    candidate_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("candidates.id", ondelete="CASCADE"))
    template_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("message_templates.id", ondelete="SET NULL"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("screening_questions.id", ondelete="SET NULL"), index=True
    )
    direction: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)
    external_message_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(
        String(10), default=MessageStatus.QUEUED.value, server_default=MessageStatus.QUEUED.value
    )
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
    error_code: Mapped[str | None] = mapped_column(String(50))


class WhatsappStatusUpdate(IdMixin, TenantMixin, TimestampMixin, Base):
    """A WhatsApp Cloud API status webhook (sent/delivered/read/failed), kept raw for audit."""

    __tablename__ = "whatsapp_status_updates"
    __table_args__ = (
        enum_check("status", MessageStatus),
        Index(None, "external_message_id", "occurred_at"),
    )

    screening_message_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("screening_messages.id", ondelete="SET NULL"), index=True
    )
    external_message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    occurred_at: Mapped[datetime]
    error_code: Mapped[str | None] = mapped_column(String(50))
    error_title: Mapped[str | None] = mapped_column(String(500))
    raw_payload: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=EMPTY_JSON_OBJECT
    )


class EmailLog(IdMixin, TenantMixin, TimestampMixin, Base):
    """An email sent, or queued in the local outbox when no SMTP server is configured."""

    __tablename__ = "email_logs"
    __table_args__ = (enum_check("status", EmailStatus), Index(None, "company_group_id", "status"))

    candidate_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("message_templates.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(320))
    from_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        String(10), default=EmailStatus.QUEUED.value, server_default=EmailStatus.QUEUED.value
    )
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class AdTemplate(IdMixin, TenantMixin, TimestampMixin, Base):
    """A job-ad template for a role on an ad platform (Meta by default)."""

    __tablename__ = "ad_templates"
    __table_args__ = (
        UniqueConstraint("company_group_id", "platform", "name"),
        enum_check("platform", AdPlatform),
        enum_check("status", AdStatus),
    )

    role_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("roles.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(
        String(10), default=AdPlatform.META.value, server_default=AdPlatform.META.value
    )
    headline: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    call_to_action: Mapped[str | None] = mapped_column(String(50))
    image_storage_key: Mapped[str | None] = mapped_column(String(500))
    targeting: Mapped[dict[str, Any]] = mapped_column(
        JSONType, default=dict, server_default=EMPTY_JSON_OBJECT
    )
    status: Mapped[str] = mapped_column(
        String(10), default=AdStatus.DRAFT.value, server_default=AdStatus.DRAFT.value
    )
