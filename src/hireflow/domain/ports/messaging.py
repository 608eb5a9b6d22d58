"""Repository ports of the messaging context: templates, screening messages, WhatsApp status updates,
email logs and ad templates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hireflow.domain.models.messaging import (
    AdTemplate,
    EmailLog,
    EmailStatus,
    MessageTemplate,
    ScreeningMessage,
    WhatsappStatusUpdate,
)
from hireflow.domain.models.screening import Channel
from hireflow.domain.ports.repository import Repository


class MessageTemplateRepository(Repository[MessageTemplate], Protocol):
    """Message templates of one company group."""

    def find_by_name(self, name: str, channel: Channel, language: str = "en") -> MessageTemplate | None:
        """The template with this name for a channel and language (unique together), or None."""
        ...


class ScreeningMessageRepository(Repository[ScreeningMessage], Protocol):
    """Screening messages of one company group."""

    def for_candidate(self, candidate_id: int) -> Sequence[ScreeningMessage]:
        """The conversation with a candidate, by id (the order the messages were recorded in)."""
        ...

    def find_by_external_id(self, channel: Channel, external_message_id: str) -> ScreeningMessage | None:
        """The message a provider knows by ``external_message_id`` (for status webhooks), or None."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...


class WhatsappStatusUpdateRepository(Repository[WhatsappStatusUpdate], Protocol):
    """WhatsApp status webhooks received for one company group."""

    def for_external_message(self, external_message_id: str) -> Sequence[WhatsappStatusUpdate]:
        """The status updates of a WhatsApp message, by ``occurred_at`` then id."""
        ...


class EmailLogRepository(Repository[EmailLog], Protocol):
    """Emails of one company group, sent or waiting in the outbox."""

    def with_status(self, status: EmailStatus, *, limit: int = 100) -> Sequence[EmailLog]:
        """Up to ``limit`` emails in ``status``, oldest first (``queued`` ones are the outbox)."""
        ...

    def for_candidate(self, candidate_id: int) -> Sequence[EmailLog]:
        """The emails sent to a candidate, by id."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...


class AdTemplateRepository(Repository[AdTemplate], Protocol):
    """Job-ad templates of one company group."""

    def for_role(self, role_id: int) -> Sequence[AdTemplate]:
        """A role's ad templates, by platform then name."""
        ...
