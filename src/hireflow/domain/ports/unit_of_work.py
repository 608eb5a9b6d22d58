"""The unit-of-work port: one transaction, and the repositories that work inside it.

Use it as a ``with`` block; leaving the block without :meth:`UnitOfWork.commit` rolls everything back::

    with uow_factory(company_group_id) as uow:
        candidate = uow.candidates.get_by_phone("+15555550100")
        uow.funnel_log.add(entry)
        uow.commit()

Tenant-owned repositories are bound to the company group the unit of work was opened for. A unit of work
opened without one still offers ``company_groups`` and ``users`` and raises :class:`TenantNotSelected` for
the others.
"""

from __future__ import annotations

from types import TracebackType
from typing import ClassVar, Protocol, Self

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
from hireflow.shared.errors import HireflowError


class TenantNotSelected(HireflowError):
    """A tenant-owned repository was used in a unit of work opened without a company group."""

    type: ClassVar[str] = "https://hireflow.dev/problems/tenant-not-selected"
    title: ClassVar[str] = "No company group selected"
    status: ClassVar[int] = 500

    def __init__(self, repository: str) -> None:
        super().__init__(
            f"'{repository}' holds rows of one company group, but this unit of work was opened without one; "
            "open it with uow_factory(company_group_id)",
            repository=repository,
        )
        self.repository = repository


class UnitOfWork(Protocol):
    """One transaction over every repository; rolls back unless :meth:`commit` is called inside ``with``."""

    @property
    def company_group_id(self) -> int | None:
        """The tenant the tenant-owned repositories are bound to, or None."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make every change since the block (or the last commit) began permanent."""
        ...

    def rollback(self) -> None:
        """Discard every change since the block (or the last commit) began."""
        ...

    # -- global repositories ------------------------------------------------------------------------------
    @property
    def company_groups(self) -> CompanyGroupRepository: ...
    @property
    def users(self) -> UserRepository: ...

    # -- tenant-owned repositories: TenantNotSelected without a company group ------------------------------
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def business_units(self) -> BusinessUnitRepository: ...
    @property
    def locations(self) -> LocationRepository: ...
    @property
    def roles(self) -> RoleRepository: ...
    @property
    def hiring_objectives(self) -> HiringObjectiveRepository: ...
    @property
    def candidates(self) -> CandidateRepository: ...
    @property
    def candidate_external_ids(self) -> CandidateExternalIdRepository: ...
    @property
    def candidate_media(self) -> CandidateMediaRepository: ...
    @property
    def funnel_log(self) -> FunnelLogRepository: ...
    @property
    def question_sets(self) -> QuestionSetRepository: ...
    @property
    def screening_questions(self) -> ScreeningQuestionRepository: ...
    @property
    def screening_answers(self) -> ScreeningAnswerRepository: ...
    @property
    def response_timings(self) -> ResponseTimingRepository: ...
    @property
    def eligibility_evaluations(self) -> EligibilityEvaluationRepository: ...
    @property
    def phone_interviews(self) -> PhoneInterviewRepository: ...
    @property
    def phone_interview_questions(self) -> PhoneInterviewQuestionRepository: ...
    @property
    def candidate_references(self) -> CandidateReferenceRepository: ...
    @property
    def reference_messages(self) -> ReferenceMessageRepository: ...
    @property
    def onboarding_responses(self) -> OnboardingResponseRepository: ...
    @property
    def message_templates(self) -> MessageTemplateRepository: ...
    @property
    def screening_messages(self) -> ScreeningMessageRepository: ...
    @property
    def whatsapp_status_updates(self) -> WhatsappStatusUpdateRepository: ...
    @property
    def email_logs(self) -> EmailLogRepository: ...
    @property
    def client_companies(self) -> ClientCompanyRepository: ...
    @property
    def job_openings(self) -> JobOpeningRepository: ...
    @property
    def applications(self) -> ApplicationRepository: ...
    @property
    def placements(self) -> PlacementRepository: ...
    @property
    def ad_templates(self) -> AdTemplateRepository: ...
    @property
    def product_usage(self) -> ProductUsageRepository: ...
    @property
    def dashboard_configurations(self) -> DashboardConfigurationRepository: ...


class UnitOfWorkFactory(Protocol):
    """Opens a unit of work for a company group (or, with None, for the global repositories only).

    Services receive one of these, never a session: ``with uow_factory(company_group_id) as uow: ...``.
    """

    def __call__(self, company_group_id: int | None = None) -> UnitOfWork: ...
