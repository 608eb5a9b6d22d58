"""One row of every table that belongs to a candidate, for merge tests on the fakes and on both databases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from hireflow.domain.models.base import Entity
from hireflow.domain.models.candidates import CandidateExternalId, CandidateMedia, MediaKind
from hireflow.domain.models.funnel import FunnelLogEntry, FunnelState
from hireflow.domain.models.jobs import Application, JobOpening, Placement
from hireflow.domain.models.messaging import EmailLog, ScreeningMessage
from hireflow.domain.models.screening import (
    CandidateReference,
    Channel,
    EligibilityEvaluation,
    MessageDirection,
    OnboardingResponse,
    PhoneInterview,
    PhoneInterviewQuestion,
    QuestionSet,
    ReferenceMessage,
    ResponseTiming,
    ScreeningAnswer,
    ScreeningQuestion,
)
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.shared.errors import Conflict, NotFound
from tests.builders import T0, candidate, new_tenant

CHILD_TABLES = ("phone_interview_questions", "reference_messages")
"""Tables that belong to a candidate through a parent (an interview, a reference)."""


def populate(
    uow: UnitOfWork, candidate_id: int, *, role_id: int, question_ids: Sequence[int], tag: str, at: datetime
) -> dict[str, list[int]]:
    """Store a row in every candidate-owned table (and the children of interviews and references); answers,
    timings and onboarding responses use the same keys for every ``tag``, so two candidates clash on them."""
    cg = uow.company_group_id
    assert cg is not None
    ids: dict[str, list[int]] = {}

    def put(table: str, entity: Entity) -> int:
        stored = getattr(uow, table).add(entity)
        ids.setdefault(table, []).append(stored.id)
        return int(stored.id)

    owned = {"company_group_id": cg, "candidate_id": candidate_id}
    put("candidate_external_ids", CandidateExternalId(**owned, source="bullhorn", external_id=f"BH-{tag}"))
    put(
        "candidate_media",
        CandidateMedia(
            **owned,
            kind=MediaKind.RESUME,
            storage_key=f"{tag}/cv.pdf",
            content_type="application/pdf",
            size_bytes=9,
        ),
    )
    put(
        "funnel_log",
        FunnelLogEntry(**owned, from_state=FunnelState.LEAD, to_state=FunnelState.CONTACTED, occurred_at=at),
    )
    for question_id in question_ids:
        put(
            "screening_answers",
            ScreeningAnswer(
                **owned, question_id=question_id, value=f"{tag} answer", raw_text=tag, answered_at=at
            ),
        )
        put(
            "response_timings",
            ResponseTiming(
                **owned,
                question_id=question_id,
                sent_at=at - timedelta(minutes=1),
                answered_at=at,
                response_ms=60_000,
            ),
        )
    put(
        "eligibility_evaluations",
        EligibilityEvaluation(**owned, role_id=role_id, evaluated_at=at, is_eligible=True),
    )
    interview = put(
        "phone_interviews", PhoneInterview(**owned, role_id=role_id, provider_call_id=f"conv_{tag}")
    )
    put(
        "phone_interview_questions",
        PhoneInterviewQuestion(
            company_group_id=cg, phone_interview_id=interview, position=0, question_text="Ready?"
        ),
    )
    reference = put(
        "candidate_references", CandidateReference(**owned, name=f"Referee {tag}", email=f"{tag}@ref.example")
    )
    put(
        "reference_messages",
        ReferenceMessage(
            company_group_id=cg,
            reference_id=reference,
            direction=MessageDirection.OUTBOUND,
            channel=Channel.EMAIL,
            body=f"Reference for {tag}?",
            sent_at=at,
        ),
    )
    put(
        "onboarding_responses",
        OnboardingResponse(**owned, step_key="uniform_size", value=f"{tag} M", submitted_at=at),
    )
    put(
        "screening_messages",
        ScreeningMessage(
            **owned,
            direction=MessageDirection.INBOUND,
            channel=Channel.WHATSAPP,
            body=f"hello from {tag}",
            external_message_id=f"wamid.{tag}",
        ),
    )
    put(
        "email_logs",
        EmailLog(
            **owned,
            to_address=f"{tag}@example.com",
            from_address="jobs@acme.example",
            subject="Hi",
            body_text="Hello",
        ),
    )
    job = uow.job_openings.add(JobOpening(company_group_id=cg, title=f"Forklift operator ({tag})"))
    assert job.id is not None
    application = put("applications", Application(**owned, job_id=job.id, applied_at=at))
    put("placements", Placement(**owned, job_id=job.id, application_id=application, start_date=at.date()))
    return ids


def reachable(uow: UnitOfWork, candidate_id: int) -> dict[str, set[int]]:
    """The ids of every row reachable from a candidate, by table."""
    rows: dict[str, set[int]] = {
        "candidate_external_ids": {r.id for r in uow.candidates.external_ids(candidate_id)},
    }
    for table in (
        "candidate_media",
        "funnel_log",
        "screening_answers",
        "response_timings",
        "eligibility_evaluations",
        "phone_interviews",
        "candidate_references",
        "onboarding_responses",
        "screening_messages",
        "email_logs",
        "applications",
        "placements",
    ):
        rows[table] = {row.id for row in getattr(uow, table).for_candidate(candidate_id)}
    rows["phone_interview_questions"] = {
        q.id for i in rows["phone_interviews"] for q in uow.phone_interview_questions.for_interview(i)
    }
    rows["reference_messages"] = {
        m.id for r in rows["candidate_references"] for m in uow.reference_messages.for_reference(r)
    }
    return rows


def check_reassign_is_all_or_nothing(factory: UnitOfWorkFactory) -> None:
    """``reassign_candidate`` moves every row or, on a unique-key clash, none; the target must be visible."""
    cg, other = new_tenant(factory, "acme"), new_tenant(factory, "globex")
    with factory(cg) as uow:
        qset = uow.question_sets.add(QuestionSet(company_group_id=cg, name="Intake"))
        q1, q2 = (
            uow.screening_questions.add(
                ScreeningQuestion(
                    company_group_id=cg,
                    question_set_id=qset.id,
                    position=n,
                    key=f"q{n}",
                    kind="free_text",
                    prompt="?",
                )
            )
            for n in (1, 2)
        )
        a = uow.candidates.add(candidate(cg))
        b = uow.candidates.add(candidate(cg, phone="+15555550101"))
        for person, questions in ((a, (q1, q2)), (b, (q2,))):
            for question in questions:
                uow.screening_answers.add(
                    ScreeningAnswer(
                        company_group_id=cg,
                        candidate_id=person.id,
                        question_id=question.id,
                        value="x",
                        answered_at=T0,
                    )
                )
        uow.funnel_log.add(
            FunnelLogEntry(company_group_id=cg, candidate_id=a.id, to_state="lead", occurred_at=T0)
        )
        uow.commit()
    with factory(other) as uow:
        theirs = uow.candidates.add(candidate(other))
        uow.commit()
    with factory(cg) as uow:
        with pytest.raises(Conflict):
            uow.screening_answers.reassign_candidate(a.id, b.id)  # both answered q2
        assert len(uow.screening_answers.for_candidate(a.id)) == 2  # nothing moved
        with pytest.raises(NotFound):
            uow.funnel_log.reassign_candidate(a.id, theirs.id)
        with pytest.raises(NotFound):
            uow.funnel_log.reassign_candidate(a.id, 987_654)
        assert uow.funnel_log.reassign_candidate(a.id, b.id) == 1
        assert uow.funnel_log.reassign_candidate(a.id, b.id) == 0
        assert uow.email_logs.reassign_candidate(a.id, b.id) == 0
        uow.commit()
    with factory(cg) as uow:
        assert [entry.candidate_id for entry in uow.funnel_log.list()] == [b.id]
        assert uow.candidates.merged_into(b.id) == []
