"""Deprecated: the old ``screening_models`` module, kept so that older code keeps running.

The ORM models under their old plural names, as aliases of the tables in :mod:`hireflow.infra.db.tables`, with
``Base``, the ``DBShim`` session holder and ``build_db_url_from_settings``. New code imports the tables from
``hireflow.infra.db.tables`` and sessions from ``hireflow.infra.db.session``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, scoped_session, sessionmaker

from hireflow.infra.db.base import Base
from hireflow.infra.db.engine import engine_from_settings, normalize_database_url
from hireflow.infra.db.tables import (
    AdTemplate,
    BusinessUnit,
    Candidate,
    CandidateFunnelLog,
    CandidateMedia,
    CandidateReference,
    CompanyGroup,
    DashboardConfiguration,
    EligibilityEvaluationLog,
    EmailLog,
    HiringObjective,
    Location,
    MessageTemplate,
    OnboardingResponse,
    PhoneInterview,
    PhoneInterviewQuestion,
    ProductUsage,
    QuestionSet,
    ReferenceMessage,
    ResponseTiming,
    Role,
    ScreeningAnswer,
    ScreeningMessage,
    ScreeningQuestion,
    User,
    WhatsappStatusUpdate,
)
from hireflow.legacy import warn_deprecated_module

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from hireflow.shared.config import Settings

warn_deprecated_module(
    __name__,
    "import the tables from hireflow.infra.db.tables and sessions from hireflow.infra.db.session",
)

Users = User
CompanyGroups = CompanyGroup
BusinessUnits = BusinessUnit
Roles = Role
Locations = Location
HiringObjectives = HiringObjective
Candidates = Candidate
CandidateReferences = CandidateReference
ReferenceMessages = ReferenceMessage
QuestionSets = QuestionSet
ScreeningQuestions = ScreeningQuestion
ScreeningAnswers = ScreeningAnswer
PhoneInterviews = PhoneInterview
PhoneInterviewQuestions = PhoneInterviewQuestion
MessageTemplates = MessageTemplate
ScreeningMessages = ScreeningMessage
WhatsappStatusUpdates = WhatsappStatusUpdate
EmailLogs = EmailLog
OnboardingResponses = OnboardingResponse
DashboardConfigurations = DashboardConfiguration
# CandidateFunnelLog, ProductUsage, CandidateMedia, ResponseTiming, EligibilityEvaluationLog and AdTemplate
# kept their names: they are imported above under the same name.


class DBShim:
    """The old ``db`` object: an engine and a thread-local scoped session bound to it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLAlchemy's session defaults (autoflush, expire on commit), which the old code was written against.
        self.session: scoped_session[Session] = scoped_session(sessionmaker(bind=engine))

    @classmethod
    def from_settings(cls, settings: Settings) -> DBShim:
        """A shim on the engine that ``settings`` describe."""
        return cls(engine_from_settings(settings))

    def remove_session(self) -> None:
        """Close and forget the current thread's session, as the old request teardown did."""
        self.session.remove()

    def dispose(self) -> None:
        """Remove the session and close every pooled connection."""
        self.session.remove()
        self.engine.dispose()


def build_db_url_from_settings(settings: Settings) -> str:
    """The SQLAlchemy URL for ``settings.database_url``, driver chosen and password included."""
    return normalize_database_url(settings.database_url).render_as_string(hide_password=False)


__all__ = [
    "AdTemplate",
    "Base",
    "BusinessUnits",
    "CandidateFunnelLog",
    "CandidateMedia",
    "CandidateReferences",
    "Candidates",
    "CompanyGroups",
    "DBShim",
    "DashboardConfigurations",
    "EligibilityEvaluationLog",
    "EmailLogs",
    "HiringObjectives",
    "Locations",
    "MessageTemplates",
    "OnboardingResponses",
    "PhoneInterviewQuestions",
    "PhoneInterviews",
    "ProductUsage",
    "QuestionSets",
    "ReferenceMessages",
    "ResponseTiming",
    "Roles",
    "ScreeningAnswers",
    "ScreeningMessages",
    "ScreeningQuestions",
    "Users",
    "WhatsappStatusUpdates",
    "build_db_url_from_settings",
]
