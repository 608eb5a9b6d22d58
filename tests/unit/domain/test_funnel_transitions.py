"""Funnel transitions: validation, no-op repeats, late events, atomic writes, and a property over sequences."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hireflow.domain.models.funnel import FunnelState, is_allowed
from hireflow.domain.services.funnel_transitions import FunnelTransitions, TransitionResult, transition
from hireflow.shared.clock import FixedClock
from hireflow.shared.errors import Conflict, InvalidTransition, NotFound
from tests.builders import T0, candidate, new_tenant
from tests.unit.fakes import FakeUnitOfWorkFactory

S = FunnelState


def _setup() -> tuple[FakeUnitOfWorkFactory, int, int]:
    factory = FakeUnitOfWorkFactory()
    cg = new_tenant(factory, "acme")
    with factory(cg) as uow:
        person = uow.candidates.add(candidate(cg))
        uow.commit()
    assert person.id is not None
    return factory, cg, person.id


def test_a_valid_move_updates_the_candidate_and_logs_it_in_one_commit() -> None:
    factory, cg, pid = _setup()
    service = FunnelTransitions(factory, FixedClock(T0))
    moved = service.move(cg, pid, S.CONTACTED, actor="recruiter", reason="called")
    assert moved.result is TransitionResult.APPLIED
    assert moved.candidate.funnel_state is S.CONTACTED
    assert moved.candidate.state_changed_at == T0
    with factory(cg) as uow:
        (entry,) = uow.funnel_log.for_candidate(pid)
        assert (entry.from_state, entry.to_state, entry.actor, entry.reason) == (
            S.LEAD,
            S.CONTACTED,
            "recruiter",
            "called",
        )
        assert entry.applied
        assert uow.candidates.get(pid).funnel_state is S.CONTACTED


def test_an_invalid_move_names_both_states_and_the_allowed_targets_and_writes_nothing() -> None:
    factory, cg, pid = _setup()
    with pytest.raises(InvalidTransition) as caught:
        FunnelTransitions(factory, FixedClock(T0)).move(cg, pid, S.HIRED)
    message = str(caught.value)
    assert "'lead'" in message
    assert "'hired'" in message
    assert "contacted" in message
    with factory(cg) as uow:
        assert uow.funnel_log.for_candidate(pid) == []
        assert uow.candidates.get(pid).funnel_state is S.LEAD


def test_repeating_the_same_move_is_a_no_op() -> None:
    factory, cg, pid = _setup()
    clock = FixedClock(T0)
    service = FunnelTransitions(factory, clock)
    service.move(cg, pid, S.CONTACTED)
    commits = factory.commits
    clock.advance(timedelta(hours=1))
    again = service.move(cg, pid, S.CONTACTED)
    assert again.result is TransitionResult.UNCHANGED
    assert again.entry is None
    assert factory.commits == commits
    with factory(cg) as uow:
        assert len(uow.funnel_log.for_candidate(pid)) == 1
        assert uow.candidates.get(pid).state_changed_at == T0


def test_a_late_event_is_logged_but_does_not_move_the_candidate_back() -> None:
    factory, cg, pid = _setup()
    service = FunnelTransitions(factory)
    service.move(cg, pid, S.CONTACTED, at=T0 + timedelta(hours=2))
    late = service.move(cg, pid, S.WITHDRAWN, at=T0 + timedelta(hours=1), reason="old webhook")
    assert late.result is TransitionResult.LATE
    assert late.candidate.funnel_state is S.CONTACTED
    with factory(cg) as uow:
        entries = uow.funnel_log.for_candidate(pid)
        assert [(e.to_state, e.applied) for e in entries] == [(S.WITHDRAWN, False), (S.CONTACTED, True)]
        assert uow.candidates.get(pid).funnel_state is S.CONTACTED
        assert uow.funnel_log.last_applied(pid).to_state is S.CONTACTED  # type: ignore[union-attr]


def test_other_tenants_candidates_are_not_found() -> None:
    factory, _cg, pid = _setup()
    other = new_tenant(factory, "globex")
    with pytest.raises(NotFound):
        FunnelTransitions(factory, FixedClock(T0)).move(other, pid, S.CONTACTED)


def test_merged_candidates_cannot_move() -> None:
    factory, cg, pid = _setup()
    with factory(cg) as uow:
        keeper = uow.candidates.add(candidate(cg, phone="+15555550101"))
        merged = uow.candidates.get(pid).model_copy(update={"merged_into_id": keeper.id})
        uow.candidates.update(merged)
        uow.commit()
    with pytest.raises(Conflict, match="was merged into"):
        FunnelTransitions(factory, FixedClock(T0)).move(cg, pid, S.CONTACTED)


def test_the_transition_function_leaves_committing_to_the_caller() -> None:
    factory, cg, pid = _setup()
    with factory(cg) as uow:
        transition(uow, pid, S.CONTACTED, at=T0)
    with factory(cg) as uow:  # not committed: rolled back
        assert uow.candidates.get(pid).funnel_state is S.LEAD
        assert uow.funnel_log.for_candidate(pid) == []


attempts = st.lists(
    st.tuples(st.sampled_from(list(FunnelState)), st.integers(min_value=-90, max_value=600)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attempts)
def test_any_sequence_of_attempts_keeps_state_and_log_consistent(
    steps: list[tuple[FunnelState, int]],
) -> None:
    factory, cg, pid = _setup()
    service = FunnelTransitions(factory)
    at = T0
    refused: list[InvalidTransition] = []
    for target, minutes in steps:
        at = at + timedelta(minutes=minutes)
        try:
            service.move(cg, pid, target, at=at)
        except InvalidTransition as error:
            refused.append(error)
    # Only moves the state machine forbids were refused.
    assert all(not is_allowed(FunnelState(e.from_state), FunnelState(e.to_state)) for e in refused)
    with factory(cg) as uow:
        person = uow.candidates.get(pid)
        log = uow.funnel_log.for_candidate(pid)
    applied = [entry for entry in log if entry.applied]
    # The state is where the applied log entries lead, and each applied move was an allowed one.
    expected_state = applied[-1].to_state if applied else S.LEAD
    assert person.funnel_state is expected_state
    previous = S.LEAD
    for entry in applied:
        assert entry.from_state is previous
        assert is_allowed(previous, entry.to_state)
        previous = entry.to_state
    # Applied moves never go back in time, and the candidate's clock is the last one's.
    times = [entry.occurred_at for entry in applied]
    assert times == sorted(times)
    assert person.state_changed_at == (times[-1] if times else None)
    # Late entries are older than the change that was current when they came.
    for entry in log:
        if not entry.applied:
            assert any(other.occurred_at > entry.occurred_at for other in applied)
