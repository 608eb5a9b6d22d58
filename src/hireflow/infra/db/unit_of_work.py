"""The SQLAlchemy unit of work: one session and one transaction, rolled back unless committed.

Like cosmicpython's ``SqlAlchemyUnitOfWork``, but per tenant: ``SqlAlchemyUnitOfWork(company_group_id=7)``
binds every tenant-owned repository to company group 7. Repositories are created on first use, so a unit of
work that only touches candidates builds one repository, not twenty-nine.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy.orm import Session

from hireflow.domain.ports.analytics import DashboardConfigurationRepository, ProductUsageRepository
from hireflow.domain.ports.candidates import (
    CandidateExternalIdRepository,
    CandidateMediaRepository,
    CandidateRepository,
)
from hireflow.domain.ports.funnel import FunnelLogRepository
from hireflow.domain.ports.identity import MembershipRepository, UserRepository
from hireflow.domain.ports.jobs import (
    ApplicationRepository,
    ClientCompanyRepository,
    JobOpeningRepository,
    PlacementRepository,
)
from hireflow.domain.ports.messaging import (
    AdTemplateRepository,
    EmailLogRepository,
    MessageTemplateRepository,
    ScreeningMessageRepository,
    WhatsappStatusUpdateRepository,
)
from hireflow.domain.ports.org import (
    BusinessUnitRepository,
    CompanyGroupRepository,
    HiringObjectiveRepository,
    LocationRepository,
    RoleRepository,
)
from hireflow.domain.ports.screening import (
    CandidateReferenceRepository,
    EligibilityEvaluationRepository,
    OnboardingResponseRepository,
    PhoneInterviewQuestionRepository,
    PhoneInterviewRepository,
    QuestionSetRepository,
    ReferenceMessageRepository,
    ResponseTimingRepository,
    ScreeningAnswerRepository,
    ScreeningQuestionRepository,
)
from hireflow.domain.ports.unit_of_work import TenantNotSelected, UnitOfWorkFactory
from hireflow.infra.db import repositories as r
from hireflow.infra.db.session import SessionLocal

SessionFactory = Callable[[], Session]
_GlobalT = TypeVar("_GlobalT", bound=r.SqlAlchemyRepository[Any, Any])
_TenantT = TypeVar("_TenantT", bound=r.TenantRepository[Any, Any])


class SqlAlchemyUnitOfWork:
    """A :class:`~hireflow.domain.ports.unit_of_work.UnitOfWork` over one SQLAlchemy session."""

    def __init__(
        self, session_factory: SessionFactory = SessionLocal, company_group_id: int | None = None
    ) -> None:
        self._session_factory = session_factory
        self._company_group_id = company_group_id
        self._session: Session | None = None
        self._repositories: dict[str, Any] = {}

    @property
    def company_group_id(self) -> int | None:
        return self._company_group_id

    @property
    def session(self) -> Session:
        """The open session, for adapters that work beside the repositories (never for services)."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open; use it as `with uow: ...`")
        return self._session

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("the unit of work is already open; open another one instead of nesting it")
        self._session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        self._repositories = {}
        if session is None:
            return
        try:
            # After commit() there is nothing left to undo, so this only discards what was not committed.
            session.rollback()
        finally:
            session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    # -- repositories, created on first use ------------------------------------------------------------------
    def _global(self, name: str, kind: type[_GlobalT]) -> _GlobalT:
        if name not in self._repositories:
            self._repositories[name] = kind(self.session)
        repository: _GlobalT = self._repositories[name]
        return repository

    def _tenant(self, name: str, kind: type[_TenantT]) -> _TenantT:
        if self._company_group_id is None:
            raise TenantNotSelected(name)
        if name not in self._repositories:
            self._repositories[name] = kind(self.session, self._company_group_id)
        repository: _TenantT = self._repositories[name]
        return repository

    @property
    def company_groups(self) -> CompanyGroupRepository:
        return self._global("company_groups", r.SqlAlchemyCompanyGroupRepository)

    @property
    def users(self) -> UserRepository:
        return self._global("users", r.SqlAlchemyUserRepository)

    @property
    def memberships(self) -> MembershipRepository:
        return self._tenant("memberships", r.SqlAlchemyMembershipRepository)

    @property
    def business_units(self) -> BusinessUnitRepository:
        return self._tenant("business_units", r.SqlAlchemyBusinessUnitRepository)

    @property
    def locations(self) -> LocationRepository:
        return self._tenant("locations", r.SqlAlchemyLocationRepository)

    @property
    def roles(self) -> RoleRepository:
        return self._tenant("roles", r.SqlAlchemyRoleRepository)

    @property
    def hiring_objectives(self) -> HiringObjectiveRepository:
        return self._tenant("hiring_objectives", r.SqlAlchemyHiringObjectiveRepository)

    @property
    def candidates(self) -> CandidateRepository:
        return self._tenant("candidates", r.SqlAlchemyCandidateRepository)

    @property
    def candidate_external_ids(self) -> CandidateExternalIdRepository:
        return self._tenant("candidate_external_ids", r.SqlAlchemyCandidateExternalIdRepository)

    @property
    def candidate_media(self) -> CandidateMediaRepository:
        return self._tenant("candidate_media", r.SqlAlchemyCandidateMediaRepository)

    @property
    def funnel_log(self) -> FunnelLogRepository:
        return self._tenant("funnel_log", r.SqlAlchemyFunnelLogRepository)

    @property
    def question_sets(self) -> QuestionSetRepository:
        return self._tenant("question_sets", r.SqlAlchemyQuestionSetRepository)

    @property
    def screening_questions(self) -> ScreeningQuestionRepository:
        return self._tenant("screening_questions", r.SqlAlchemyScreeningQuestionRepository)

    @property
    def screening_answers(self) -> ScreeningAnswerRepository:
        return self._tenant("screening_answers", r.SqlAlchemyScreeningAnswerRepository)

    @property
    def response_timings(self) -> ResponseTimingRepository:
        return self._tenant("response_timings", r.SqlAlchemyResponseTimingRepository)

    @property
    def eligibility_evaluations(self) -> EligibilityEvaluationRepository:
        return self._tenant("eligibility_evaluations", r.SqlAlchemyEligibilityEvaluationRepository)

    @property
    def phone_interviews(self) -> PhoneInterviewRepository:
        return self._tenant("phone_interviews", r.SqlAlchemyPhoneInterviewRepository)

    @property
    def phone_interview_questions(self) -> PhoneInterviewQuestionRepository:
        return self._tenant("phone_interview_questions", r.SqlAlchemyPhoneInterviewQuestionRepository)

    @property
    def candidate_references(self) -> CandidateReferenceRepository:
        return self._tenant("candidate_references", r.SqlAlchemyCandidateReferenceRepository)

    @property
    def reference_messages(self) -> ReferenceMessageRepository:
        return self._tenant("reference_messages", r.SqlAlchemyReferenceMessageRepository)

    @property
    def onboarding_responses(self) -> OnboardingResponseRepository:
        return self._tenant("onboarding_responses", r.SqlAlchemyOnboardingResponseRepository)

    @property
    def message_templates(self) -> MessageTemplateRepository:
        return self._tenant("message_templates", r.SqlAlchemyMessageTemplateRepository)

    @property
    def screening_messages(self) -> ScreeningMessageRepository:
        return self._tenant("screening_messages", r.SqlAlchemyScreeningMessageRepository)

    @property
    def whatsapp_status_updates(self) -> WhatsappStatusUpdateRepository:
        return self._tenant("whatsapp_status_updates", r.SqlAlchemyWhatsappStatusUpdateRepository)

    @property
    def email_logs(self) -> EmailLogRepository:
        return self._tenant("email_logs", r.SqlAlchemyEmailLogRepository)

    @property
    def client_companies(self) -> ClientCompanyRepository:
        return self._tenant("client_companies", r.SqlAlchemyClientCompanyRepository)

    @property
    def job_openings(self) -> JobOpeningRepository:
        return self._tenant("job_openings", r.SqlAlchemyJobOpeningRepository)

    @property
    def applications(self) -> ApplicationRepository:
        return self._tenant("applications", r.SqlAlchemyApplicationRepository)

    @property
    def placements(self) -> PlacementRepository:
        return self._tenant("placements", r.SqlAlchemyPlacementRepository)

    @property
    def ad_templates(self) -> AdTemplateRepository:
        return self._tenant("ad_templates", r.SqlAlchemyAdTemplateRepository)

    @property
    def product_usage(self) -> ProductUsageRepository:
        return self._tenant("product_usage", r.SqlAlchemyProductUsageRepository)

    @property
    def dashboard_configurations(self) -> DashboardConfigurationRepository:
        return self._tenant("dashboard_configurations", r.SqlAlchemyDashboardConfigurationRepository)


def sqlalchemy_uow_factory(session_factory: SessionFactory = SessionLocal) -> UnitOfWorkFactory:
    """A unit-of-work factory over ``session_factory``: what the composition root hands to services."""

    def open_unit_of_work(company_group_id: int | None = None) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, company_group_id)

    return open_unit_of_work
