"""Repository ports of the screening context: question sets, questions, answers, timing, eligibility
evaluations, phone interviews, references and onboarding responses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hireflow.domain.models.screening import (
    CandidateReference,
    EligibilityEvaluation,
    OnboardingResponse,
    PhoneInterview,
    PhoneInterviewQuestion,
    QuestionSet,
    ReferenceMessage,
    ResponseTiming,
    ScreeningAnswer,
    ScreeningQuestion,
)
from hireflow.domain.ports.repository import Repository


class QuestionSetRepository(Repository[QuestionSet], Protocol):
    """Question sets of one company group."""

    def for_role(self, role_id: int) -> Sequence[QuestionSet]:
        """A role's question sets, by name, language and version."""
        ...

    def current_for_role(self, role_id: int, language: str = "en") -> QuestionSet | None:
        """The highest active version of the role's question set in ``language``, or None."""
        ...


class ScreeningQuestionRepository(Repository[ScreeningQuestion], Protocol):
    """Screening questions of one company group."""

    def for_set(self, question_set_id: int) -> Sequence[ScreeningQuestion]:
        """The questions of a set, by position."""
        ...

    def find_by_key(self, question_set_id: int, key: str) -> ScreeningQuestion | None:
        """The question of a set with this key (keys are unique in a set), or None."""
        ...


class ScreeningAnswerRepository(Repository[ScreeningAnswer], Protocol):
    """Screening answers of one company group; one per candidate and question (the latest wins)."""

    def for_candidate(self, candidate_id: int) -> Sequence[ScreeningAnswer]:
        """A candidate's answers, by ``answered_at`` then id."""
        ...

    def find_for(self, candidate_id: int, question_id: int) -> ScreeningAnswer | None:
        """The candidate's answer to a question, or None."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...

    def for_question_set(self, question_set_id: int) -> Sequence[ScreeningAnswer]:
        """Every answer to the questions of a set, by candidate, ``answered_at`` then id (for analytics)."""
        ...


class ResponseTimingRepository(Repository[ResponseTiming], Protocol):
    """Response timings of one company group; one per candidate and question."""

    def for_candidate(self, candidate_id: int) -> Sequence[ResponseTiming]:
        """A candidate's response timings, by ``sent_at`` then id."""
        ...

    def find_for(self, candidate_id: int, question_id: int) -> ResponseTiming | None:
        """The timing of a question sent to the candidate, or None."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...

    def for_question_set(self, question_set_id: int) -> Sequence[ResponseTiming]:
        """Every timing of the questions of a set, by candidate, ``sent_at`` then id (for analytics)."""
        ...


class EligibilityEvaluationRepository(Repository[EligibilityEvaluation], Protocol):
    """The eligibility evaluation log of one company group."""

    def for_candidate(self, candidate_id: int) -> Sequence[EligibilityEvaluation]:
        """A candidate's evaluations, by ``evaluated_at`` then id."""
        ...

    def latest_for(self, candidate_id: int, role_id: int) -> EligibilityEvaluation | None:
        """The candidate's most recent evaluation against a role, or None."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...


class PhoneInterviewRepository(Repository[PhoneInterview], Protocol):
    """Phone interviews of one company group."""

    def for_candidate(self, candidate_id: int) -> Sequence[PhoneInterview]:
        """A candidate's phone interviews, by id."""
        ...

    def find_by_provider_call(self, provider: str, provider_call_id: str) -> PhoneInterview | None:
        """The interview a voice provider's webhook refers to, or None."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...


class PhoneInterviewQuestionRepository(Repository[PhoneInterviewQuestion], Protocol):
    """Questions asked in phone interviews of one company group."""

    def for_interview(self, phone_interview_id: int) -> Sequence[PhoneInterviewQuestion]:
        """The questions of an interview, by position."""
        ...


class CandidateReferenceRepository(Repository[CandidateReference], Protocol):
    """Referees named by one company group's candidates."""

    def for_candidate(self, candidate_id: int) -> Sequence[CandidateReference]:
        """A candidate's referees, by id."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...


class ReferenceMessageRepository(Repository[ReferenceMessage], Protocol):
    """Messages exchanged with referees of one company group."""

    def for_reference(self, reference_id: int) -> Sequence[ReferenceMessage]:
        """The messages with a referee, by ``sent_at`` then id."""
        ...


class OnboardingResponseRepository(Repository[OnboardingResponse], Protocol):
    """Onboarding responses of one company group; one per candidate and step."""

    def for_candidate(self, candidate_id: int) -> Sequence[OnboardingResponse]:
        """A candidate's onboarding responses, by ``submitted_at`` then id."""
        ...

    def find_for(self, candidate_id: int, step_key: str) -> OnboardingResponse | None:
        """The candidate's response to an onboarding step, or None."""
        ...

    def reassign_candidate(self, from_id: int, to_id: int) -> int:
        """Point candidate ``from_id``'s rows at ``to_id`` (a merge); how many moved. NotFound, Conflict."""
        ...
