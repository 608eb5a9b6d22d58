"""SQLAlchemy repositories of the screening context."""

from __future__ import annotations

from collections.abc import Sequence

from hireflow.domain.models import screening as m
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import TenantRepository


class SqlAlchemyQuestionSetRepository(TenantRepository[t.QuestionSet, m.QuestionSet]):
    """Question sets of one company group."""

    row_type = t.QuestionSet
    model_type = m.QuestionSet
    entity_name = "question set"

    def for_role(self, role_id: int) -> Sequence[m.QuestionSet]:
        query = self._select().where(t.QuestionSet.role_id == role_id)
        order = (t.QuestionSet.name, t.QuestionSet.language, t.QuestionSet.version, t.QuestionSet.id)
        return self._many(query.order_by(*order))

    def current_for_role(self, role_id: int, language: str = "en") -> m.QuestionSet | None:
        query = self._select().where(
            t.QuestionSet.role_id == role_id,
            t.QuestionSet.language == language,
            t.QuestionSet.is_active.is_(True),
        )
        return self._first(query.order_by(t.QuestionSet.version.desc(), t.QuestionSet.id.desc()))


class SqlAlchemyScreeningQuestionRepository(TenantRepository[t.ScreeningQuestion, m.ScreeningQuestion]):
    """Screening questions of one company group."""

    row_type = t.ScreeningQuestion
    model_type = m.ScreeningQuestion
    entity_name = "screening question"

    def for_set(self, question_set_id: int) -> Sequence[m.ScreeningQuestion]:
        query = self._select().where(t.ScreeningQuestion.question_set_id == question_set_id)
        return self._many(query.order_by(t.ScreeningQuestion.position))

    def find_by_key(self, question_set_id: int, key: str) -> m.ScreeningQuestion | None:
        query = self._select().where(
            t.ScreeningQuestion.question_set_id == question_set_id, t.ScreeningQuestion.key == key
        )
        return self._one(query)


class SqlAlchemyScreeningAnswerRepository(TenantRepository[t.ScreeningAnswer, m.ScreeningAnswer]):
    """Screening answers of one company group."""

    row_type = t.ScreeningAnswer
    model_type = m.ScreeningAnswer
    entity_name = "screening answer"

    def for_candidate(self, candidate_id: int) -> Sequence[m.ScreeningAnswer]:
        query = self._select().where(t.ScreeningAnswer.candidate_id == candidate_id)
        return self._many(query.order_by(t.ScreeningAnswer.answered_at, t.ScreeningAnswer.id))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)

    def find_for(self, candidate_id: int, question_id: int) -> m.ScreeningAnswer | None:
        query = self._select().where(
            t.ScreeningAnswer.candidate_id == candidate_id, t.ScreeningAnswer.question_id == question_id
        )
        return self._one(query)

    def for_question_set(self, question_set_id: int) -> Sequence[m.ScreeningAnswer]:
        query = (
            self._select()
            .join(t.ScreeningQuestion, t.ScreeningQuestion.id == t.ScreeningAnswer.question_id)
            .where(t.ScreeningQuestion.question_set_id == question_set_id)
        )
        order = (t.ScreeningAnswer.candidate_id, t.ScreeningAnswer.answered_at, t.ScreeningAnswer.id)
        return self._many(query.order_by(*order))


class SqlAlchemyResponseTimingRepository(TenantRepository[t.ResponseTiming, m.ResponseTiming]):
    """Response timings of one company group."""

    row_type = t.ResponseTiming
    model_type = m.ResponseTiming
    entity_name = "response timing"

    def for_candidate(self, candidate_id: int) -> Sequence[m.ResponseTiming]:
        query = self._select().where(t.ResponseTiming.candidate_id == candidate_id)
        return self._many(query.order_by(t.ResponseTiming.sent_at, t.ResponseTiming.id))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)

    def find_for(self, candidate_id: int, question_id: int) -> m.ResponseTiming | None:
        query = self._select().where(
            t.ResponseTiming.candidate_id == candidate_id, t.ResponseTiming.question_id == question_id
        )
        return self._one(query)

    def for_question_set(self, question_set_id: int) -> Sequence[m.ResponseTiming]:
        query = (
            self._select()
            .join(t.ScreeningQuestion, t.ScreeningQuestion.id == t.ResponseTiming.question_id)
            .where(t.ScreeningQuestion.question_set_id == question_set_id)
        )
        order = (t.ResponseTiming.candidate_id, t.ResponseTiming.sent_at, t.ResponseTiming.id)
        return self._many(query.order_by(*order))


class SqlAlchemyEligibilityEvaluationRepository(
    TenantRepository[t.EligibilityEvaluationLog, m.EligibilityEvaluation]
):
    """The eligibility evaluation log of one company group."""

    row_type = t.EligibilityEvaluationLog
    model_type = m.EligibilityEvaluation
    entity_name = "eligibility evaluation"

    def for_candidate(self, candidate_id: int) -> Sequence[m.EligibilityEvaluation]:
        query = self._select().where(t.EligibilityEvaluationLog.candidate_id == candidate_id)
        return self._many(
            query.order_by(t.EligibilityEvaluationLog.evaluated_at, t.EligibilityEvaluationLog.id)
        )

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)

    def latest_for(self, candidate_id: int, role_id: int) -> m.EligibilityEvaluation | None:
        query = self._select().where(
            t.EligibilityEvaluationLog.candidate_id == candidate_id,
            t.EligibilityEvaluationLog.role_id == role_id,
        )
        order = (t.EligibilityEvaluationLog.evaluated_at.desc(), t.EligibilityEvaluationLog.id.desc())
        return self._first(query.order_by(*order))


class SqlAlchemyPhoneInterviewRepository(TenantRepository[t.PhoneInterview, m.PhoneInterview]):
    """Phone interviews of one company group."""

    row_type = t.PhoneInterview
    model_type = m.PhoneInterview
    entity_name = "phone interview"

    def for_candidate(self, candidate_id: int) -> Sequence[m.PhoneInterview]:
        query = self._select().where(t.PhoneInterview.candidate_id == candidate_id)
        return self._many(query.order_by(t.PhoneInterview.id))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)

    def find_by_provider_call(self, provider: str, provider_call_id: str) -> m.PhoneInterview | None:
        query = self._select().where(
            t.PhoneInterview.provider == provider, t.PhoneInterview.provider_call_id == provider_call_id
        )
        return self._one(query)


class SqlAlchemyPhoneInterviewQuestionRepository(
    TenantRepository[t.PhoneInterviewQuestion, m.PhoneInterviewQuestion]
):
    """Questions asked in one company group's phone interviews."""

    row_type = t.PhoneInterviewQuestion
    model_type = m.PhoneInterviewQuestion
    entity_name = "phone interview question"

    def for_interview(self, phone_interview_id: int) -> Sequence[m.PhoneInterviewQuestion]:
        query = self._select().where(t.PhoneInterviewQuestion.phone_interview_id == phone_interview_id)
        return self._many(query.order_by(t.PhoneInterviewQuestion.position))


class SqlAlchemyCandidateReferenceRepository(TenantRepository[t.CandidateReference, m.CandidateReference]):
    """Referees of one company group's candidates."""

    row_type = t.CandidateReference
    model_type = m.CandidateReference
    entity_name = "candidate reference"

    def for_candidate(self, candidate_id: int) -> Sequence[m.CandidateReference]:
        query = self._select().where(t.CandidateReference.candidate_id == candidate_id)
        return self._many(query.order_by(t.CandidateReference.id))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)


class SqlAlchemyReferenceMessageRepository(TenantRepository[t.ReferenceMessage, m.ReferenceMessage]):
    """Messages with one company group's referees."""

    row_type = t.ReferenceMessage
    model_type = m.ReferenceMessage
    entity_name = "reference message"

    def for_reference(self, reference_id: int) -> Sequence[m.ReferenceMessage]:
        query = self._select().where(t.ReferenceMessage.reference_id == reference_id)
        return self._many(query.order_by(t.ReferenceMessage.sent_at, t.ReferenceMessage.id))


class SqlAlchemyOnboardingResponseRepository(TenantRepository[t.OnboardingResponse, m.OnboardingResponse]):
    """Onboarding responses of one company group."""

    row_type = t.OnboardingResponse
    model_type = m.OnboardingResponse
    entity_name = "onboarding response"

    def for_candidate(self, candidate_id: int) -> Sequence[m.OnboardingResponse]:
        query = self._select().where(t.OnboardingResponse.candidate_id == candidate_id)
        return self._many(query.order_by(t.OnboardingResponse.submitted_at, t.OnboardingResponse.id))

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        return self._reassign("candidate_id", from_id, to_id)

    def find_for(self, candidate_id: int, step_key: str) -> m.OnboardingResponse | None:
        query = self._select().where(
            t.OnboardingResponse.candidate_id == candidate_id, t.OnboardingResponse.step_key == step_key
        )
        return self._one(query)
