"""The funnel's state machine is complete, coherent, and documented as it is."""

from __future__ import annotations

import itertools
from pathlib import Path

from hireflow.domain.models.funnel import (
    ALLOWED_TRANSITIONS,
    EXIT_STATES,
    HIRED_STATES,
    MAIN_PATH,
    FunnelState,
    allowed_targets,
    is_allowed,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "funnel.md"


def test_every_state_has_an_entry_and_no_self_loops() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(FunnelState)
    for state, targets in ALLOWED_TRANSITIONS.items():
        assert state not in targets


def test_the_main_path_is_walkable_and_every_state_is_reachable_from_lead() -> None:
    for here, there in itertools.pairwise(MAIN_PATH):
        assert is_allowed(here, there), (here, there)
    reached = {FunnelState.LEAD}
    frontier = [FunnelState.LEAD]
    while frontier:
        for target in allowed_targets(frontier.pop()):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(FunnelState)


def test_final_states_and_exits() -> None:
    finals = {state for state, targets in ALLOWED_TRANSITIONS.items() if not targets}
    assert finals == {FunnelState.ONBOARDED, FunnelState.REJECTED}
    assert EXIT_STATES.isdisjoint(MAIN_PATH)
    assert set(MAIN_PATH) >= HIRED_STATES
    for state in MAIN_PATH[:-1]:
        assert allowed_targets(state) & (EXIT_STATES | {FunnelState.ONBOARDED}), state


def test_docs_show_exactly_the_allowed_transitions() -> None:
    text = DOCS.read_text()
    documented = set()
    for line in text.splitlines():
        parts = line.strip().split(" --> ")
        if len(parts) == 2 and "[*]" not in parts:
            documented.add((FunnelState(parts[0]), FunnelState(parts[1])))
    expected = {(state, target) for state, targets in ALLOWED_TRANSITIONS.items() for target in targets}
    assert documented == expected
    for state in FunnelState:
        assert f"| `{state.value}` |" in text
