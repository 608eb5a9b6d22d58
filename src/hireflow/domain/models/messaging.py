"""Messaging context: message templates, screening messages, WhatsApp status updates, email logs and job-ad
templates."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field

from hireflow.domain.models.base import TenantEntity
from hireflow.domain.models.screening import Channel, MessageDirection
from hireflow.shared.types import JSONObject


class TemplateCategory(StrEnum):
    UTILITY = "utility"
    MARKETING = "marketing"
    AUTHENTICATION = "authentication"


class TemplateStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    RECEIVED = "received"


class EmailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"


class AdPlatform(StrEnum):
    META = "meta"
    GOOGLE = "google"
    INDEED = "indeed"
    LINKEDIN = "linkedin"
    OTHER = "other"


class AdStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    ARCHIVED = "archived"


class MessageTemplate(TenantEntity):
    """A reusable message with ``{{variables}}``, registered with the channel provider when needed."""

    name: str = Field(min_length=1, max_length=200, pattern=r"^[a-z0-9_]+$")
    channel: Channel
    language: str = Field(default="en", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    category: TemplateCategory = TemplateCategory.UTILITY
    subject: str | None = Field(default=None, max_length=500)
    body: str = Field(min_length=1)
    variables: list[str] = Field(default_factory=list)
    provider_template_id: str | None = Field(default=None, max_length=200)
    status: TemplateStatus = TemplateStatus.DRAFT


class ScreeningMessage(TenantEntity):
    """A message sent to or received from a candidate during screening."""

    candidate_id: int
    template_id: int | None = None
    question_id: int | None = None
    direction: MessageDirection
    channel: Channel
    body: str
    external_message_id: str | None = Field(default=None, max_length=200)
    status: MessageStatus = MessageStatus.QUEUED
    sent_at: AwareDatetime | None = None
    delivered_at: AwareDatetime | None = None
    read_at: AwareDatetime | None = None
    error_code: str | None = Field(default=None, max_length=50)


class WhatsappStatusUpdate(TenantEntity):
    """A delivery status webhook from the WhatsApp Cloud API, kept raw for audit."""

    screening_message_id: int | None = None
    external_message_id: str = Field(min_length=1, max_length=200)
    status: MessageStatus
    occurred_at: AwareDatetime
    error_code: str | None = Field(default=None, max_length=50)
    error_title: str | None = Field(default=None, max_length=500)
    raw_payload: JSONObject = Field(default_factory=dict)


class EmailLog(TenantEntity):
    """An email Hireflow sent (or queued in its local outbox)."""

    candidate_id: int | None = None
    template_id: int | None = None
    to_address: str = Field(min_length=3, max_length=320)
    from_address: str = Field(min_length=3, max_length=320)
    subject: str = Field(max_length=500)
    body_text: str
    status: EmailStatus = EmailStatus.QUEUED
    provider_message_id: str | None = Field(default=None, max_length=200)
    sent_at: AwareDatetime | None = None
    error: str | None = None


class AdTemplate(TenantEntity):
    """A job advertisement template for a role on an ad platform (Meta by default)."""

    role_id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    platform: AdPlatform = AdPlatform.META
    headline: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1)
    call_to_action: str | None = Field(default=None, max_length=50)
    image_storage_key: str | None = Field(default=None, max_length=500)
    targeting: JSONObject = Field(default_factory=dict)
    status: AdStatus = AdStatus.DRAFT
