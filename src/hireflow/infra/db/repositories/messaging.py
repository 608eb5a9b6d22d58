"""SQLAlchemy repositories of the messaging context."""

from __future__ import annotations

from collections.abc import Sequence

from hireflow.domain.models import messaging as m
from hireflow.domain.models.screening import Channel
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import MAX_PAGE, TenantRepository


class SqlAlchemyMessageTemplateRepository(TenantRepository[t.MessageTemplate, m.MessageTemplate]):
    """Message templates of one company group."""

    row_type = t.MessageTemplate
    model_type = m.MessageTemplate
    entity_name = "message template"

    def find_by_name(self, name: str, channel: Channel, language: str = "en") -> m.MessageTemplate | None:
        query = self._select().where(
            t.MessageTemplate.name == name,
            t.MessageTemplate.channel == channel.value,
            t.MessageTemplate.language == language,
        )
        return self._one(query)


class SqlAlchemyScreeningMessageRepository(TenantRepository[t.ScreeningMessage, m.ScreeningMessage]):
    """Screening messages of one company group."""

    row_type = t.ScreeningMessage
    model_type = m.ScreeningMessage
    entity_name = "screening message"

    def for_candidate(self, candidate_id: int) -> Sequence[m.ScreeningMessage]:
        query = self._select().where(t.ScreeningMessage.candidate_id == candidate_id)
        return self._many(query.order_by(t.ScreeningMessage.id))

    def find_by_external_id(self, channel: Channel, external_message_id: str) -> m.ScreeningMessage | None:
        query = self._select().where(
            t.ScreeningMessage.channel == channel.value,
            t.ScreeningMessage.external_message_id == external_message_id,
        )
        return self._one(query)

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)


class SqlAlchemyWhatsappStatusUpdateRepository(
    TenantRepository[t.WhatsappStatusUpdate, m.WhatsappStatusUpdate]
):
    """WhatsApp status webhooks of one company group."""

    row_type = t.WhatsappStatusUpdate
    model_type = m.WhatsappStatusUpdate
    entity_name = "whatsapp status update"

    def for_external_message(self, external_message_id: str) -> Sequence[m.WhatsappStatusUpdate]:
        query = self._select().where(t.WhatsappStatusUpdate.external_message_id == external_message_id)
        return self._many(query.order_by(t.WhatsappStatusUpdate.occurred_at, t.WhatsappStatusUpdate.id))


class SqlAlchemyEmailLogRepository(TenantRepository[t.EmailLog, m.EmailLog]):
    """Emails of one company group."""

    row_type = t.EmailLog
    model_type = m.EmailLog
    entity_name = "email log"

    def with_status(self, status: m.EmailStatus, *, limit: int = 100) -> Sequence[m.EmailLog]:
        query = self._select().where(t.EmailLog.status == status.value)
        return self._many(query.order_by(t.EmailLog.id).limit(min(max(limit, 1), MAX_PAGE)))

    def for_candidate(self, candidate_id: int) -> Sequence[m.EmailLog]:
        query = self._select().where(t.EmailLog.candidate_id == candidate_id)
        return self._many(query.order_by(t.EmailLog.id))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)


class SqlAlchemyAdTemplateRepository(TenantRepository[t.AdTemplate, m.AdTemplate]):
    """Job-ad templates of one company group."""

    row_type = t.AdTemplate
    model_type = m.AdTemplate
    entity_name = "ad template"

    def for_role(self, role_id: int) -> Sequence[m.AdTemplate]:
        query = self._select().where(t.AdTemplate.role_id == role_id)
        return self._many(query.order_by(t.AdTemplate.platform, t.AdTemplate.name))
