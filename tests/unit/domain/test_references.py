"""Reference checks: the requested -> contacted -> responded -> verified workflow, messages, phones, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireflow.domain.models.identity import Membership, MembershipRole, User
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.models.screening import Channel, MessageDirection, ReferenceStatus
from hireflow.domain.services.references import REFERENCE_MOVES, References
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.builders import T0, candidate
from tests.unit.fakes import FakeUnitOfWorkFactory


@pytest.fixture
def world(factory: FakeUnitOfWorkFactory) -> dict[str, int]:
    """A Spanish company group with a recruiter, an outsider user and a candidate."""
    with factory() as uow:
        group = uow.company_groups.add(CompanyGroup(name="Acme", slug="acme", default_phone_region="ES"))
        recruiter = uow.users.add(User(email="rita@acme.example"))
        outsider = uow.users.add(User(email="otto@elsewhere.example"))
        uow.commit()
    assert group.id is not None
    with factory(group.id) as uow:
        uow.memberships.add(
            Membership(company_group_id=group.id, user_id=recruiter.id, role=MembershipRole.RECRUITER)
        )
        person = uow.candidates.add(candidate(group.id, phone="+34612345678"))
        uow.commit()
    return {"cg": group.id, "candidate": person.id, "recruiter": recruiter.id, "outsider": outsider.id}


@pytest.fixture
def references(factory: FakeUnitOfWorkFactory, clock: FixedClock) -> References:
    return References(factory, clock)


def test_the_full_workflow_stamps_each_step(
    references: References, clock: FixedClock, world: dict[str, int]
) -> None:
    cg = world["cg"]
    ref = references.request(
        cg, world["candidate"], name="Jorge Ruiz", phone="698 76 54 32", relationship="former supervisor"
    )
    assert ref.id is not None
    assert ref.status is ReferenceStatus.REQUESTED
    assert ref.phone_e164 == "+34698765432"  # read in the company group's region
    assert ref.requested_at == T0
    clock.advance(timedelta(hours=1))
    assert references.mark_contacted(cg, ref.id).status is ReferenceStatus.CONTACTED
    clock.advance(timedelta(days=1))
    responded = references.record_response(cg, ref.id, rating=4, notes="Reliable")
    assert responded.status is ReferenceStatus.RESPONDED
    assert responded.responded_at == T0 + timedelta(days=1, hours=1)
    assert responded.rating == 4
    clock.advance(timedelta(hours=2))
    verified = references.verify(cg, ref.id, verified_by_user_id=world["recruiter"], notes="Called back")
    assert verified.status is ReferenceStatus.VERIFIED
    assert verified.verified_at == T0 + timedelta(days=1, hours=3)
    assert verified.verified_by_user_id == world["recruiter"]
    assert verified.notes == "Reliable\nCalled back"  # notes accumulate
    with pytest.raises(Conflict, match="'verified' and cannot become 'declined'"):
        references.decline(cg, ref.id)


def test_only_the_moves_of_the_table_are_allowed(references: References, world: dict[str, int]) -> None:
    cg = world["cg"]
    ref = references.request(cg, world["candidate"], name="Eva", email="Eva@Example.com")
    assert ref.email == "eva@example.com"
    assert ref.id is not None
    with pytest.raises(Conflict, match="allowed: contacted, declined, responded, unreachable"):
        references.verify(cg, ref.id, verified_by_user_id=world["recruiter"])
    assert references.mark_unreachable(cg, ref.id).status is ReferenceStatus.UNREACHABLE
    assert references.mark_contacted(cg, ref.id).status is ReferenceStatus.CONTACTED  # retried
    assert references.decline(cg, ref.id, notes="No comment").status is ReferenceStatus.DECLINED
    assert REFERENCE_MOVES[ReferenceStatus.DECLINED] == frozenset()


def test_verifying_needs_a_member_of_the_company_group(
    references: References, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]
    ref = references.request(cg, world["candidate"], name="Eva", email="eva@example.com")
    assert ref.id is not None
    references.record_response(cg, ref.id)
    before = factory.db.stored_rows()
    with pytest.raises(PermissionDenied):
        references.verify(cg, ref.id, verified_by_user_id=world["outsider"])
    with pytest.raises(NotFound):
        references.verify(cg, ref.id, verified_by_user_id=999)
    with pytest.raises(ValidationFailed, match="verified_by_user_id"):
        references.verify(cg, ref.id, verified_by_user_id=None)  # type: ignore[arg-type]
    assert factory.db.stored_rows() == before


def test_messages_move_the_reference_and_redeliveries_are_kept_once(
    references: References, clock: FixedClock, world: dict[str, int]
) -> None:
    cg = world["cg"]
    ref = references.request(cg, world["candidate"], name="Jorge", phone="+34698765432")
    assert ref.id is not None
    sent = references.record_message(
        cg,
        ref.id,
        direction=MessageDirection.OUTBOUND,
        channel=Channel.WHATSAPP,
        body="Hola Jorge",
        external_message_id="wamid.1",
    )
    assert sent.reference.status is ReferenceStatus.CONTACTED
    clock.advance(timedelta(hours=5))
    reply = references.record_message(
        cg,
        ref.id,
        direction=MessageDirection.INBOUND,
        channel=Channel.WHATSAPP,
        body="Claro, muy buen trabajador",
        external_message_id="wamid.2",
    )
    assert reply.reference.status is ReferenceStatus.RESPONDED
    assert reply.reference.responded_at == T0 + timedelta(hours=5)
    again = references.record_message(
        cg,
        ref.id,
        direction=MessageDirection.INBOUND,
        channel=Channel.WHATSAPP,
        body="Claro, muy buen trabajador",
        external_message_id="wamid.2",
    )
    assert again.duplicate
    assert again.message == reply.message
    later = references.record_message(
        cg, ref.id, direction=MessageDirection.INBOUND, channel=Channel.SMS, body="Gracias"
    )
    assert later.reference.status is ReferenceStatus.RESPONDED  # recorded; the status stays
    assert [m.body for m in references.messages(cg, ref.id)] == [
        "Hola Jorge",
        "Claro, muy buen trabajador",
        "Gracias",
    ]
    assert references.for_candidate(cg, world["candidate"]) == [later.reference]


def test_bad_input_is_refused_and_writes_nothing(
    references: References, factory: FakeUnitOfWorkFactory, world: dict[str, int]
) -> None:
    cg = world["cg"]
    ref = references.request(cg, world["candidate"], name="Eva", email="eva@example.com")
    assert ref.id is not None
    before = factory.db.stored_rows()
    with pytest.raises(ValidationFailed, match="phone number or an email"):
        references.request(cg, world["candidate"], name="Nobody")
    with pytest.raises(ValidationFailed, match=r"not a (valid )?phone number"):
        references.request(cg, world["candidate"], name="Bad phone", phone="12")
    with pytest.raises(ValidationFailed, match="email"):
        references.request(cg, world["candidate"], name="Bad email", email="not-an-email")
    with pytest.raises(ValidationFailed, match="name"):
        references.request(cg, world["candidate"], name="", email="eva@example.com")
    with pytest.raises(NotFound):
        references.request(cg, 999, name="Eva", email="eva@example.com")
    for rating in (0, 6, True, 4.5):
        with pytest.raises(ValidationFailed, match="rating"):
            references.record_response(cg, ref.id, rating=rating)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        references.mark_contacted(cg, 999)
    with pytest.raises(ValidationFailed, match="direction"):
        references.record_message(cg, ref.id, direction="sideways", channel=Channel.SMS, body="x")  # type: ignore[arg-type]
    assert factory.db.stored_rows() == before
