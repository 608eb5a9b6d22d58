"""Every use case that writes about a candidate refuses a deleted one (NotFound) and a merged one (Conflict
naming the kept candidate), and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hireflow.domain.models.funnel import FunnelState
from hireflow.domain.services.candidate_records import CandidateRecords
from hireflow.domain.services.duplicates import Duplicates
from hireflow.domain.services.eligibility import Eligibility
from hireflow.domain.services.funnel_transitions import FunnelTransitions
from hireflow.domain.services.phone_interviews import PhoneInterviews
from hireflow.domain.services.references import References
from hireflow.domain.services.screening_progress import CandidateScreening
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, HireflowError, NotFound
from tests.builders import candidate, new_tenant, phone_question_set, role
from tests.unit.fakes import FakeUnitOfWorkFactory

UseCase = Callable[[FakeUnitOfWorkFactory, FixedClock, int, int, int], Any]

USE_CASES: dict[str, UseCase] = {
    "funnel move": lambda f, c, cg, who, q: FunnelTransitions(f, c).move(cg, who, FunnelState.CONTACTED),
    "eligibility": lambda f, c, cg, who, q: Eligibility(f, c).evaluate(cg, who),
    "question sent": lambda f, c, cg, who, q: CandidateScreening(f, c).record_question_sent(cg, who, q),
    "answer": lambda f, c, cg, who, q: CandidateScreening(f, c).record_answer(cg, who, q, "yes"),
    "phone interview": lambda f, c, cg, who, q: PhoneInterviews(f, c).schedule(cg, who),
    "reference": lambda f, c, cg, who, q: References(f, c).request(
        cg, who, name="Jorge", phone="+34698765432"
    ),
    "onboarding": lambda f, c, cg, who, q: CandidateRecords(f, c).submit_onboarding(cg, who, "uniform", "M"),
}


@pytest.mark.parametrize("how", ["deleted", "merged"])
@pytest.mark.parametrize("use_case", list(USE_CASES.values()), ids=list(USE_CASES))
def test_deleted_and_merged_candidates_are_refused(
    factory: FakeUnitOfWorkFactory, clock: FixedClock, how: str, use_case: UseCase
) -> None:
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        job = uow.roles.add(role(cg))
        kept = uow.candidates.add(candidate(cg, phone="+15555550101", role_id=job.id))
        gone = uow.candidates.add(candidate(cg, role_id=job.id))
        change = {"deleted_at": clock.now()} if how == "deleted" else {"merged_into_id": kept.id}
        uow.candidates.update(gone.model_copy(update=change))
        uow.commit()
    _, questions = phone_question_set(factory, cg, job.id)
    assert gone.id is not None
    before = factory.db.stored_rows()
    expected: type[HireflowError] = NotFound if how == "deleted" else Conflict
    with pytest.raises(expected) as caught:
        use_case(factory, clock, cg, gone.id, questions[0].id or 0)
    if how == "merged":
        assert f"merged into candidate {kept.id}" in str(caught.value)
    assert factory.db.stored_rows() == before


def test_a_candidate_merged_by_the_merge_use_case_names_the_kept_one(factory, clock) -> None:  # type: ignore[no-untyped-def]
    """A merge stamps both merged_into_id and deleted_at; the caller hears about the merge, not a 404."""
    from hireflow.domain.models.funnel import FunnelState
    from hireflow.domain.services.funnel_transitions import FunnelTransitions
    from tests.builders import candidate, new_tenant

    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        kept = uow.candidates.add(candidate(cg, "+15555550160"))
        duplicate = uow.candidates.add(candidate(cg, "+15555550161", email="other@example.com"))
        uow.commit()
    assert kept.id is not None
    assert duplicate.id is not None
    Duplicates(factory, clock).merge(cg, kept.id, [duplicate.id])

    with pytest.raises(Conflict, match=f"merged into candidate {kept.id}"):
        FunnelTransitions(factory, clock).move(cg, duplicate.id, FunnelState.CONTACTED, actor="test")
