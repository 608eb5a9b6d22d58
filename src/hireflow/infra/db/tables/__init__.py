"""Every ORM table, importable from one place so the metadata is complete wherever it is used."""

from hireflow.infra.db.tables.analytics import DashboardConfiguration, ProductUsage
from hireflow.infra.db.tables.candidates import Candidate, CandidateExternalId, CandidateMedia
from hireflow.infra.db.tables.funnel import CandidateFunnelLog, FunnelStateCount
from hireflow.infra.db.tables.identity import (
    AuditEntry,
    Membership,
    RefreshToken,
    RefreshTokenFamily,
    RevokedAccessToken,
    User,
)
from hireflow.infra.db.tables.messaging import (
    AdTemplate,
    EmailLog,
    MessageTemplate,
    ScreeningMessage,
    WhatsappStatusUpdate,
)
from hireflow.infra.db.tables.org import BusinessUnit, CompanyGroup, HiringObjective, Location, Role
from hireflow.infra.db.tables.screening import (
    CandidateReference,
    EligibilityEvaluationLog,
    OnboardingResponse,
    PhoneInterview,
    PhoneInterviewQuestion,
    QuestionSet,
    ReferenceMessage,
    ResponseTiming,
    ScreeningAnswer,
    ScreeningQuestion,
)
from hireflow.infra.db.tables.workforce import SimulationChunk, SimulationRun

__all__ = [
    "AdTemplate",
    "AuditEntry",
    "BusinessUnit",
    "Candidate",
    "CandidateExternalId",
    "CandidateFunnelLog",
    "CandidateMedia",
    "CandidateReference",
    "CompanyGroup",
    "DashboardConfiguration",
    "EligibilityEvaluationLog",
    "EmailLog",
    "FunnelStateCount",
    "HiringObjective",
    "Location",
    "Membership",
    "MessageTemplate",
    "OnboardingResponse",
    "PhoneInterview",
    "PhoneInterviewQuestion",
    "ProductUsage",
    "QuestionSet",
    "ReferenceMessage",
    "RefreshToken",
    "RefreshTokenFamily",
    "ResponseTiming",
    "RevokedAccessToken",
    "Role",
    "ScreeningAnswer",
    "ScreeningMessage",
    "ScreeningQuestion",
    "SimulationChunk",
    "SimulationRun",
    "User",
    "WhatsappStatusUpdate",
]
