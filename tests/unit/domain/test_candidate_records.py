"""Onboarding responses (and the hired -> onboarding -> onboarded moves) and candidate media links."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireflow.domain.models.candidates import MediaKind
from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.services.candidate_records import CandidateRecords
from hireflow.domain.services.funnel_transitions import TransitionResult
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.builders import T0, candidate, new_tenant
from tests.unit.fakes import FakeUnitOfWorkFactory

STEPS = ("bank_details", "uniform_size", "start_date")
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.fixture
def records(factory: FakeUnitOfWorkFactory, clock: FixedClock) -> CandidateRecords:
    return CandidateRecords(factory, clock)


def add_candidate(factory: FakeUnitOfWorkFactory, cg: int, state: FunnelState, phone: str) -> int:
    with factory(cg) as uow:
        person = uow.candidates.add(
            candidate(cg, phone=phone, funnel_state=state, state_changed_at=T0 - timedelta(days=1))
        )
        uow.commit()
    assert person.id is not None
    return person.id


def state_of(factory: FakeUnitOfWorkFactory, cg: int, candidate_id: int) -> FunnelState:
    with factory(cg) as uow:
        return uow.candidates.get(candidate_id).funnel_state


def test_onboarding_starts_with_the_first_response_and_ends_when_complete(
    records: CandidateRecords, factory: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    cg = new_tenant(factory, "acme")
    hired = add_candidate(factory, cg, FunnelState.HIRED, "+15555550100")
    first = records.submit_onboarding(cg, hired, "bank_details", {"iban": "ES91 2100"}, required_steps=STEPS)
    assert [effect.result for effect in first.funnel] == [TransitionResult.APPLIED]
    assert first.missing_steps == ("uniform_size", "start_date")
    assert not first.complete
    assert state_of(factory, cg, hired) is FunnelState.ONBOARDING
    clock.advance(timedelta(hours=1))
    records.submit_onboarding(cg, hired, "uniform_size", "S", required_steps=STEPS)
    fixed = records.submit_onboarding(cg, hired, "uniform_size", "M", required_steps=STEPS)  # corrected
    assert [r.value for r in fixed.responses if r.step_key == "uniform_size"] == ["M"]
    done = records.submit_onboarding(cg, hired, "start_date", "2024-06-03", required_steps=STEPS)
    assert done.complete
    assert done.completed_steps == STEPS
    assert done.funnel[-1].to_state is FunnelState.ONBOARDED
    assert done.funnel[-1].moved
    assert state_of(factory, cg, hired) is FunnelState.ONBOARDED
    assert len(records.onboarding_responses(cg, hired)) == 3
    progress = records.onboarding_progress(cg, hired, [*STEPS, "locker"])
    assert progress.missing_steps == ("locker",)


def test_one_response_completing_everything_moves_through_both_states(
    records: CandidateRecords, factory: FakeUnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    hired = add_candidate(factory, cg, FunnelState.HIRED, "+15555550100")
    result = records.submit_onboarding(cg, hired, "start_date", "2024-06-03", required_steps=["start_date"])
    assert [(e.to_state, e.moved) for e in result.funnel] == [
        (FunnelState.ONBOARDING, True),
        (FunnelState.ONBOARDED, True),
    ]
    with factory(cg) as uow:
        log = uow.funnel_log.for_candidate(hired)
    assert [(e.from_state, e.to_state) for e in log] == [
        (FunnelState.HIRED, FunnelState.ONBOARDING),
        (FunnelState.ONBOARDING, FunnelState.ONBOARDED),
    ]


def test_a_candidate_not_yet_hired_is_recorded_but_not_moved(
    records: CandidateRecords, factory: FakeUnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    offered = add_candidate(factory, cg, FunnelState.OFFERED, "+15555550100")
    result = records.submit_onboarding(cg, offered, "start_date", "2024-06-03", required_steps=["start_date"])
    assert result.complete
    assert all(not effect.moved for effect in result.funnel)
    assert result.funnel[0].skipped == "the candidate is 'offered'; not moved to 'onboarding'"
    assert state_of(factory, cg, offered) is FunnelState.OFFERED
    assert len(result.responses) == 1


def test_bad_onboarding_input_is_refused_and_writes_nothing(
    records: CandidateRecords, factory: FakeUnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    hired = add_candidate(factory, cg, FunnelState.HIRED, "+15555550100")
    before = factory.db.stored_rows()
    with pytest.raises(ValidationFailed, match="step_key"):
        records.submit_onboarding(cg, hired, "Bank Details", "x")
    with pytest.raises(ValidationFailed, match="required_steps"):
        records.submit_onboarding(cg, hired, "bank_details", "x", required_steps=["ok", "Not OK"])
    with pytest.raises(NotFound):
        records.submit_onboarding(cg, 999, "bank_details", "x")
    assert factory.db.stored_rows() == before
    assert state_of(factory, cg, hired) is FunnelState.HIRED


def test_media_is_attached_listed_by_kind_and_detached(
    records: CandidateRecords, factory: FakeUnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    person = add_candidate(factory, cg, FunnelState.LEAD, "+15555550100")
    resume = records.attach_media(
        cg,
        person,
        kind=MediaKind.RESUME,
        storage_key=f"cg/{cg}/cv.pdf",
        content_type="application/pdf",
        size_bytes=1200,
        sha256=SHA.upper(),
        original_filename="CV.pdf",
    )
    assert resume.sha256 == SHA
    photo = records.attach_media(
        cg,
        person,
        kind=MediaKind.PHOTO,
        storage_key=f"cg/{cg}/me.jpg",
        content_type="image/jpeg",
        size_bytes=50,
    )
    again = records.attach_media(
        cg,
        person,
        kind=MediaKind.PHOTO,
        storage_key=f"cg/{cg}/me.jpg",
        content_type="image/jpeg",
        size_bytes=50,
    )
    assert again == photo  # linking the same file twice keeps one link
    assert records.media(cg, person) == [resume, photo]
    assert records.media(cg, person, MediaKind.PHOTO) == [photo]
    assert photo.id is not None
    assert records.detach_media(cg, photo.id) == photo
    assert records.media(cg, person) == [resume]


def test_bad_media_is_refused_and_writes_nothing(
    records: CandidateRecords, factory: FakeUnitOfWorkFactory
) -> None:
    cg = new_tenant(factory, "acme")
    person = add_candidate(factory, cg, FunnelState.LEAD, "+15555550100")
    other = add_candidate(factory, cg, FunnelState.LEAD, "+15555550101")
    records.attach_media(
        cg, person, kind=MediaKind.RESUME, storage_key="cv.pdf", content_type="application/pdf", size_bytes=1
    )
    before = factory.db.stored_rows()
    with pytest.raises(Conflict, match="linked to candidate"):
        records.attach_media(
            cg,
            other,
            kind=MediaKind.RESUME,
            storage_key="cv.pdf",
            content_type="application/pdf",
            size_bytes=1,
        )
    with pytest.raises(ValidationFailed) as caught:
        records.attach_media(
            cg,
            person,
            kind="selfie",
            storage_key="",
            content_type="x",
            size_bytes=-1,
            sha256="nope",  # type: ignore[arg-type]
        )
    assert {e["field"] for e in caught.value.errors} == {"kind", "storage_key", "size_bytes", "sha256"}
    with pytest.raises(NotFound):
        records.attach_media(
            cg, 999, kind=MediaKind.RESUME, storage_key="x.pdf", content_type="application/pdf", size_bytes=1
        )
    with pytest.raises(NotFound):
        records.detach_media(cg, 999)
    assert factory.db.stored_rows() == before
