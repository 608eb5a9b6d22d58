"""Every ORM table, importable from one place so the metadata is complete wherever it is used."""

from hireflow.infra.db.tables.analytics import DashboardConfiguration, ProductUsage
from hireflow.infra.db.tables.candidates import Candidate, CandidateExternalId, CandidateMedia
from hireflow.infra.db.tables.crm_sync import DeadLetter, SyncCursor, SyncRun
from hireflow.infra.db.tables.funnel import CandidateFunnelLog, FunnelStateCount
from hireflow.infra.db.tables.identity import (
    AuditEntry,
    Membership,
    RefreshToken,
    RefreshTokenFamily,
    RevokedAccessToken,
    User,
)
from hireflow.infra.db.tables.jobs import Application, ClientCompany, Job, Placement
from hireflow.infra.db.tables.matching import Embedding, EmbeddingSet, Match, MatchRun
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
    "Application",
    "AuditEntry",
    "BusinessUnit",
    "Candidate",
    "CandidateExternalId",
    "CandidateFunnelLog",
    "CandidateMedia",
    "CandidateReference",
    "ClientCompany",
    "CompanyGroup",
    "DashboardConfiguration",
    "DeadLetter",
    "EligibilityEvaluationLog",
    "EmailLog",
    "Embedding",
    "EmbeddingSet",
    "FunnelStateCount",
    "HiringObjective",
    "Job",
    "Location",
    "Match",
    "MatchRun",
    "Membership",
    "MessageTemplate",
    "OnboardingResponse",
    "PhoneInterview",
    "PhoneInterviewQuestion",
    "Placement",
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
    "SyncCursor",
    "SyncRun",
    "User",
    "WhatsappStatusUpdate",
]
