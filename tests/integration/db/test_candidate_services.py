"""The candidate-record services on SQLite and PostgreSQL: the ElevenLabs webhook, reference checks, duplicate
detection, merging without losing a row, usage counts and dashboards; refused input writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.models.identity import Membership, MembershipRole, User
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.models.screening import (
    Channel,
    InterviewOutcome,
    MessageDirection,
    PhoneInterviewStatus,
    QuestionSet,
    ReferenceStatus,
    ScreeningQuestion,
)
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory
from hireflow.domain.services.analytics_records import Dashboards, ProductUsage
from hireflow.domain.services.candidate_merge import CANDIDATE_TABLES
from hireflow.domain.services.duplicates import Duplicates
from hireflow.domain.services.phone_interview_webhook import PhoneInterviewWebhooks
from hireflow.domain.services.phone_interviews import PhoneInterviews
from hireflow.domain.services.references import References
from hireflow.infra.db.base import metadata
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.builders import T0, candidate, new_tenant, phone_question_set, post_call_payload, role
from tests.candidate_rows import CHILD_TABLES, check_reassign_is_all_or_nothing, populate, reachable


@pytest.fixture
def factory(engine: Engine) -> UnitOfWorkFactory:
    return sqlalchemy_uow_factory(sessionmaker(bind=engine, expire_on_commit=False, autoflush=False))


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, to prove a refused use case wrote nothing."""
    with Session(engine) as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in metadata.sorted_tables
        }


def test_the_post_call_webhook_is_stored_once(engine: Engine, factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        person = uow.candidates.add(
            candidate(cg, funnel_state=FunnelState.ELIGIBLE, state_changed_at=T0 - timedelta(days=1))
        )
        uow.commit()
    assert person.id is not None
    question_set, questions = phone_question_set(factory, cg, job.id)
    booked = PhoneInterviews(factory, FixedClock(T0 - timedelta(hours=1))).schedule(
        cg, person.id, question_set_id=question_set.id, provider_call_id="conv_db"
    )
    webhooks = PhoneInterviewWebhooks(factory, FixedClock(T0 + timedelta(hours=1)))
    values = {
        "work_authorization": "yes",
        "shifts": ["Night"],
        "experience_months": "18",
        "start_date": "2024-05-13",
    }
    payload = post_call_payload("conv_db", values)
    before = row_counts(engine)
    with pytest.raises(NotFound):
        webhooks.handle_post_call(cg, post_call_payload("conv_other", values))
    with pytest.raises(ValidationFailed):
        webhooks.handle_post_call(cg, {"type": "post_call_transcription", "data": {}})
    assert row_counts(engine) == before
    result = webhooks.handle_post_call(cg, payload)
    assert result.interview.id == booked.interview.id
    assert result.interview.status is PhoneInterviewStatus.COMPLETED
    assert (
        result.interview.outcome is InterviewOutcome.PASS
    )  # every required question answered; about_you is optional
    after = row_counts(engine)
    again = webhooks.handle_post_call(cg, payload)
    assert not again.changed
    assert row_counts(engine) == after
    with factory(cg) as uow:
        stored = uow.phone_interviews.get(booked.interview.id)
        asked = uow.phone_interview_questions.for_interview(booked.interview.id)
        answers = {a.question_id: a.value for a in uow.screening_answers.for_candidate(person.id)}
        assert uow.candidates.get(person.id).funnel_state is FunnelState.INTERVIEWED
    assert stored == result.interview
    assert stored.started_at == T0
    assert len(asked) == 5
    by_key = {q.key: q.id for q in questions}
    assert answers == {
        by_key["work_authorization"]: True,
        by_key["shifts"]: ["Night"],
        by_key["experience_months"]: 18,
        by_key["start_date"]: "2024-05-13",
    }


def test_the_reference_workflow(engine: Engine, factory: UnitOfWorkFactory) -> None:
    with factory() as uow:
        group = uow.company_groups.add(CompanyGroup(name="Globex", slug="globex", default_phone_region="GB"))
        user = uow.users.add(User(email="rita@globex.example"))
        uow.commit()
    cg = group.id
    assert cg is not None
    with factory(cg) as uow:
        uow.memberships.add(Membership(company_group_id=cg, user_id=user.id, role=MembershipRole.RECRUITER))
        person = uow.candidates.add(candidate(cg, phone="+447700900123"))
        uow.commit()
    assert person.id is not None
    clock = FixedClock(T0)
    references = References(factory, clock)
    ref = references.request(
        cg, person.id, name="Mary Smith", phone="07911 123456", email="Mary@Example.co.uk"
    )
    assert ref.id is not None
    assert (ref.phone_e164, ref.email) == ("+447911123456", "mary@example.co.uk")
    before = row_counts(engine)
    with pytest.raises(ValidationFailed):
        references.request(cg, person.id, name="Nobody")
    with pytest.raises(Conflict):
        references.verify(cg, ref.id, verified_by_user_id=user.id)
    assert row_counts(engine) == before
    references.record_message(
        cg, ref.id, direction=MessageDirection.OUTBOUND, channel=Channel.SMS, body="Hi Mary"
    )
    clock.advance(timedelta(hours=3))
    reply = references.record_message(
        cg,
        ref.id,
        direction=MessageDirection.INBOUND,
        channel=Channel.SMS,
        body="Happy to help",
        external_message_id="sms-1",
    )
    assert reply.reference.status is ReferenceStatus.RESPONDED
    assert references.record_message(
        cg,
        ref.id,
        direction=MessageDirection.INBOUND,
        channel=Channel.SMS,
        body="Happy to help",
        external_message_id="sms-1",
    ).duplicate
    with pytest.raises(Conflict):  # the reply already made it a response
        references.record_response(cg, ref.id, rating=5)
    verified = references.verify(cg, ref.id, verified_by_user_id=user.id)
    assert verified.status is ReferenceStatus.VERIFIED
    assert verified.responded_at == T0 + timedelta(hours=3)
    assert [m.body for m in references.messages(cg, ref.id)] == ["Hi Mary", "Happy to help"]


def test_a_merge_loses_nothing_and_detection_finds_the_pair(
    engine: Engine, factory: UnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        qset = uow.question_sets.add(QuestionSet(company_group_id=cg, name="Intake"))
        q_ids = [
            uow.screening_questions.add(
                ScreeningQuestion(
                    company_group_id=cg,
                    question_set_id=qset.id,
                    position=n,
                    key=f"q{n}",
                    kind="free_text",
                    prompt="?",
                )
            ).id
            for n in range(2)
        ]
        keep = uow.candidates.add(candidate(cg, city="Madrid", email=None))
        dup = uow.candidates.add(
            candidate(cg, phone="+15555550101", first_name="Ána", city="madrid", experience_months=3)
        )
        uow.candidates.add(
            candidate(cg, phone="+15555550102", first_name="Bob", last_name="Stone", email=None)
        )
        assert keep.id is not None
        assert dup.id is not None
        keep_rows = populate(
            uow, keep.id, role_id=job.id, question_ids=q_ids[:1], tag="keep", at=T0 + timedelta(days=2)
        )
        dup_rows = populate(uow, dup.id, role_id=job.id, question_ids=q_ids, tag="dup", at=T0)
        uow.commit()
    service = Duplicates(factory, FixedClock(T0 + timedelta(days=3)))
    (group,) = service.find(cg)
    assert group.candidate_ids == (keep.id, dup.id)
    assert "same city" in group.reasons
    before = row_counts(engine)
    with pytest.raises(NotFound):
        service.merge(cg, keep.id, [dup.id, 987_654])
    assert row_counts(engine) == before
    report = service.merge(cg, keep.id, [dup.id], actor="recruiter")
    # The kept candidate's rows are newer this time: the duplicate's clashing ones are superseded.
    assert {(s["table"], s["id"]) for s in report.superseded} == {
        ("screening_answers", dup_rows["screening_answers"][0]),
        ("response_timings", dup_rows["response_timings"][0]),
        ("onboarding_responses", dup_rows["onboarding_responses"][0]),
    }
    superseded = {(s["table"], s["id"]) for s in report.superseded}
    with factory(cg) as uow:
        rows = reachable(uow, keep.id)
        kept = uow.candidates.get(keep.id)
        merged = uow.candidates.get(dup.id)
        entry = uow.funnel_log.get(report.log_entry_id)
    for table in (*CANDIDATE_TABLES, *CHILD_TABLES):
        expected = set(keep_rows[table]) | set(dup_rows[table])
        assert expected - rows[table] == {i for t, i in superseded if t == table}, table
    assert {s["value"] for s in entry.details["merge"]["superseded"] if "value" in s} == {
        "dup answer",
        "dup M",
    }
    assert (kept.email, kept.experience_months) == ("ana.lopez@example.com", 3)
    assert merged.merged_into_id == keep.id
    assert merged.deleted_at == T0 + timedelta(days=3)
    assert service.find(cg) == []
    with pytest.raises(Conflict):
        service.merge(cg, keep.id, [dup.id])


def test_reassigning_rows_is_all_or_nothing(factory: UnitOfWorkFactory) -> None:
    check_reassign_is_all_or_nothing(factory)


def test_usage_counts_and_dashboards(engine: Engine, factory: UnitOfWorkFactory) -> None:
    cg = new_tenant(factory, "acme")
    usage = ProductUsage(factory, FixedClock(T0))
    for hours, name in (
        (0, "dashboard.viewed"),
        (1, "dashboard.viewed"),
        (2, "candidate.exported"),
        (30, "x.y"),
    ):
        usage.record(cg, name, occurred_at=T0 + timedelta(hours=hours), properties={"n": hours})
    assert usage.counts(cg, T0, T0 + timedelta(days=1)) == {"candidate.exported": 1, "dashboard.viewed": 2}
    dashboards = Dashboards(factory)
    first = dashboards.save(cg, "Funnel", is_default=True)
    second = dashboards.save(cg, "Objectives", is_default=True)
    assert dashboards.default_for(cg) == second
    assert dashboards.save(cg, "Funnel", layout={"w": 1}).id == first.id  # an update, not a second row
    before = row_counts(engine)
    with pytest.raises(ValidationFailed):
        usage.record(cg, "Not An Event")
    with pytest.raises(NotFound):
        dashboards.save(cg, "Mine", user_id=987_654)
    assert row_counts(engine) == before
    assert [(d.name, d.is_default) for d in dashboards.list_for(cg)] == [
        ("Funnel", False),
        ("Objectives", True),
    ]
