"""SQLAlchemy implementations of the repository ports, one module per context."""

from hireflow.infra.db.repositories.analytics import (
    SqlAlchemyDashboardConfigurationRepository,
    SqlAlchemyProductUsageRepository,
)
from hireflow.infra.db.repositories.base import SqlAlchemyRepository, TenantRepository
from hireflow.infra.db.repositories.candidates import (
    SqlAlchemyCandidateExternalIdRepository,
    SqlAlchemyCandidateMediaRepository,
    SqlAlchemyCandidateRepository,
)
from hireflow.infra.db.repositories.funnel import SqlAlchemyFunnelLogRepository
from hireflow.infra.db.repositories.funnel_analytics import SqlAlchemyAdminDashboardRepository
from hireflow.infra.db.repositories.identity import SqlAlchemyMembershipRepository, SqlAlchemyUserRepository
from hireflow.infra.db.repositories.jobs import (
    SqlAlchemyApplicationRepository,
    SqlAlchemyClientCompanyRepository,
    SqlAlchemyJobOpeningRepository,
    SqlAlchemyPlacementRepository,
)
from hireflow.infra.db.repositories.messaging import (
    SqlAlchemyAdTemplateRepository,
    SqlAlchemyEmailLogRepository,
    SqlAlchemyMessageTemplateRepository,
    SqlAlchemyScreeningMessageRepository,
    SqlAlchemyWhatsappStatusUpdateRepository,
)
from hireflow.infra.db.repositories.org import (
    SqlAlchemyBusinessUnitRepository,
    SqlAlchemyCompanyGroupRepository,
    SqlAlchemyHiringObjectiveRepository,
    SqlAlchemyLocationRepository,
    SqlAlchemyRoleRepository,
)
from hireflow.infra.db.repositories.screening import (
    SqlAlchemyCandidateReferenceRepository,
    SqlAlchemyEligibilityEvaluationRepository,
    SqlAlchemyOnboardingResponseRepository,
    SqlAlchemyPhoneInterviewQuestionRepository,
    SqlAlchemyPhoneInterviewRepository,
    SqlAlchemyQuestionSetRepository,
    SqlAlchemyReferenceMessageRepository,
    SqlAlchemyResponseTimingRepository,
    SqlAlchemyScreeningAnswerRepository,
    SqlAlchemyScreeningQuestionRepository,
)

__all__ = [
    "SqlAlchemyAdTemplateRepository",
    "SqlAlchemyAdminDashboardRepository",
    "SqlAlchemyApplicationRepository",
    "SqlAlchemyBusinessUnitRepository",
    "SqlAlchemyCandidateExternalIdRepository",
    "SqlAlchemyCandidateMediaRepository",
    "SqlAlchemyCandidateReferenceRepository",
    "SqlAlchemyCandidateRepository",
    "SqlAlchemyClientCompanyRepository",
    "SqlAlchemyCompanyGroupRepository",
    "SqlAlchemyDashboardConfigurationRepository",
    "SqlAlchemyEligibilityEvaluationRepository",
    "SqlAlchemyEmailLogRepository",
    "SqlAlchemyFunnelLogRepository",
    "SqlAlchemyHiringObjectiveRepository",
    "SqlAlchemyJobOpeningRepository",
    "SqlAlchemyLocationRepository",
    "SqlAlchemyMembershipRepository",
    "SqlAlchemyMessageTemplateRepository",
    "SqlAlchemyOnboardingResponseRepository",
    "SqlAlchemyPhoneInterviewQuestionRepository",
    "SqlAlchemyPhoneInterviewRepository",
    "SqlAlchemyPlacementRepository",
    "SqlAlchemyProductUsageRepository",
    "SqlAlchemyQuestionSetRepository",
    "SqlAlchemyReferenceMessageRepository",
    "SqlAlchemyRepository",
    "SqlAlchemyResponseTimingRepository",
    "SqlAlchemyRoleRepository",
    "SqlAlchemyScreeningAnswerRepository",
    "SqlAlchemyScreeningMessageRepository",
    "SqlAlchemyScreeningQuestionRepository",
    "SqlAlchemyUserRepository",
    "SqlAlchemyWhatsappStatusUpdateRepository",
    "TenantRepository",
]
