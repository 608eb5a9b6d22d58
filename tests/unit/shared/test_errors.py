"""The error hierarchy: messages that name the problem and the fix, stable problem types, exit codes."""

from __future__ import annotations

import pytest

from hireflow.shared import errors
from hireflow.shared.errors import (
    Conflict,
    HireflowError,
    InvalidTransition,
    MissingExtraError,
    NotFound,
    ValidationFailed,
)


def test_every_error_is_a_hireflow_error_with_a_distinct_problem_type() -> None:
    classes = [
        obj
        for obj in vars(errors).values()
        if isinstance(obj, type) and issubclass(obj, HireflowError) and obj is not HireflowError
    ]
    assert len(classes) >= 8
    concrete = {cls.type for cls in classes if cls is not MissingExtraError}
    assert len(concrete) == len(classes) - 1
    assert all(100 <= cls.status < 600 for cls in classes)


def test_invalid_transition_names_both_states_and_the_allowed_targets() -> None:
    error = InvalidTransition("lead", "hired", ["contacted", "withdrawn"])
    assert "'lead'" in str(error)
    assert "'hired'" in str(error)
    assert "contacted, withdrawn" in str(error)
    assert error.status == 409
    assert "final state" in str(InvalidTransition("hired", "lead", []))


def test_not_found_carries_entity_and_key() -> None:
    error = NotFound("candidate", 42)
    assert (error.entity, error.key, error.status) == ("candidate", 42, 404)
    assert "candidate 42" in str(error)


def test_validation_failed_lists_every_error() -> None:
    error = ValidationFailed("2 problems", [{"field": "a", "message": "x"}, {"field": "b", "message": "y"}])
    assert [e["field"] for e in error.errors] == ["a", "b"]
    assert error.status == 422


def test_missing_extra_says_what_to_install() -> None:
    error = MissingExtraError("postgres", "a PostgreSQL database")
    assert "pip install 'hireflow[postgres]'" in str(error)


@pytest.mark.parametrize("cls", [Conflict, HireflowError])
def test_context_is_kept(cls: type[HireflowError]) -> None:
    assert cls("boom", table="candidates").context == {"table": "candidates"}
