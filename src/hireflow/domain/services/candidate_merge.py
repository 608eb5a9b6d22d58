"""Merging duplicate candidates into the one kept, inside the caller's unit of work, losing nothing.

Every row of a duplicate moves to the kept candidate (:data:`CANDIDATE_TABLES`; interview questions and
reference messages follow their interview and reference). Where both have a row that may exist once per
candidate (an answer to the same question, a timing of it, a response to the same onboarding step) the newer
one is kept and the other is written, as it was, into the merge's record. Empty fields of the kept candidate
are filled from the duplicates; duplicates point at the kept candidate (``merged_into_id``) and are
soft-deleted. The merge is recorded in the kept candidate's funnel log as an entry that moves nothing
(``applied`` false, same state before and after) whose ``details`` hold the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.funnel import FunnelLogEntry
from hireflow.domain.ports.unit_of_work import UnitOfWork
from hireflow.domain.services._support import build, revise
from hireflow.domain.services.funnel_transitions import live_candidate
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.types import JSONObject

CANDIDATE_TABLES = (
    "candidate_external_ids",
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
)
"""The unit-of-work repositories whose rows belong to a candidate through ``candidate_id``."""

# Rows a candidate has at most one of per key: (the key, what makes one newer than the other).
_ONE_PER_KEY: dict[str, tuple[Callable[[Any], object], Callable[[Any], Any]]] = {
    "screening_answers": (lambda row: row.question_id, lambda row: row.answered_at),
    "response_timings": (lambda row: row.question_id, lambda row: row.sent_at),
    "onboarding_responses": (lambda row: row.step_key, lambda row: row.submitted_at),
}

# Fields of the kept candidate that a merge fills when they are empty (coordinates go as a pair).
_FILLABLE = (
    "last_name",
    "email",
    "birth_date",
    "city",
    "business_unit_id",
    "location_id",
    "role_id",
    "source_detail",
    "education_level",
    "experience_months",
    "languages",
    "shifts_available",
    "has_work_authorization",
    "salary_expectation_minor",
)
_NOT_STORED_TWICE = {"company_group_id", "created_at", "updated_at"}


@dataclass(frozen=True)
class MergeReport:
    """What a merge did: rows moved per table, rows superseded by newer ones (as they were), fields filled
    (from which duplicate), candidates re-pointed from a duplicate to the kept one, and the log entry."""

    kept_id: int
    merged_ids: tuple[int, ...]
    moved: Mapping[str, int]
    superseded: tuple[JSONObject, ...]
    filled: Mapping[str, int]
    repointed: tuple[int, ...]
    log_entry_id: int | None

    def as_details(self) -> JSONObject:
        """The report as JSON, for the funnel log."""
        return {
            "merged_ids": list(self.merged_ids),
            "moved": dict(self.moved),
            "superseded": list(self.superseded),
            "filled": dict(self.filled),
            "repointed": list(self.repointed),
        }


def merge_candidates(
    uow: UnitOfWork, keep_id: int, duplicate_ids: Sequence[int], *, actor: str, at: datetime
) -> MergeReport:
    """Merge ``duplicate_ids`` into ``keep_id`` inside an open unit of work (the caller commits). Raises
    ValidationFailed for a bad id list, NotFound for an unknown id, Conflict for a deleted or merged one."""
    merged_ids = _checked_ids(keep_id, duplicate_ids)
    keep = _live(uow, keep_id)
    duplicates = [_live(uow, candidate_id) for candidate_id in merged_ids]
    moved: Counter[str] = Counter(dict.fromkeys(CANDIDATE_TABLES, 0))
    superseded: list[JSONObject] = []
    for duplicate_id in merged_ids:
        # One duplicate at a time: its clashes are settled against what the kept candidate has by then.
        superseded += _settle_clashes(uow, keep_id, duplicate_id)
        for table in CANDIDATE_TABLES:
            moved[table] += getattr(uow, table).reassign_candidate(duplicate_id, keep_id)
    repointed = _repoint(uow, duplicates, keep_id)
    keep, filled = _filled(keep, duplicates)
    uow.candidates.update(keep)
    for duplicate in duplicates:
        uow.candidates.update(revise(duplicate, "candidate", merged_into_id=keep_id, deleted_at=at))
    report = MergeReport(keep_id, merged_ids, dict(moved), tuple(superseded), filled, repointed, None)
    entry = uow.funnel_log.add(_log_entry(keep, duplicates, report, actor=actor, at=at))
    return MergeReport(keep_id, merged_ids, dict(moved), tuple(superseded), filled, repointed, entry.id)


def _checked_ids(keep_id: int, duplicate_ids: Sequence[int]) -> tuple[int, ...]:
    problem = None
    if not duplicate_ids:
        problem = "name at least one duplicate to merge"
    elif len(set(duplicate_ids)) != len(duplicate_ids):
        problem = "a duplicate is named twice"
    elif keep_id in duplicate_ids:
        problem = f"candidate {keep_id} cannot be merged into itself"
    if problem:
        raise ValidationFailed(problem, [{"field": "duplicate_ids", "message": problem}])
    return tuple(duplicate_ids)


def _live(uow: UnitOfWork, candidate_id: int) -> Candidate:
    # The same rule as every other use case: deleted is NotFound, merged a Conflict naming the kept candidate.
    return live_candidate(uow, candidate_id)


def _settle_clashes(uow: UnitOfWork, keep_id: int, duplicate_id: int) -> list[JSONObject]:
    """Where both candidates have a row for the same key, delete the older (the kept one's on a tie) and
    return it as it was, so the merge's record keeps its value."""
    superseded: list[JSONObject] = []
    for table, (key, newness) in _ONE_PER_KEY.items():
        repository = getattr(uow, table)
        kept = {key(row): row for row in repository.for_candidate(keep_id)}
        for row in repository.for_candidate(duplicate_id):
            other = kept.get(key(row))
            if other is None:
                continue
            older = other if newness(row) > newness(other) else row
            superseded.append({"table": table, **older.model_dump(mode="json", exclude=_NOT_STORED_TWICE)})
            repository.delete(older.id)
    return superseded


def _repoint(uow: UnitOfWork, duplicates: Sequence[Candidate], keep_id: int) -> tuple[int, ...]:
    """Candidates merged into a duplicate earlier now point at the kept candidate, so no chain forms."""
    repointed = []
    for duplicate in duplicates:
        assert duplicate.id is not None
        for earlier in uow.candidates.merged_into(duplicate.id):
            uow.candidates.update(revise(earlier, "candidate", merged_into_id=keep_id))
            assert earlier.id is not None
            repointed.append(earlier.id)
    return tuple(repointed)


def _filled(keep: Candidate, duplicates: Sequence[Candidate]) -> tuple[Candidate, dict[str, int]]:
    """The kept candidate with its empty fields taken from the first duplicate that has them."""
    changes: dict[str, Any] = {}
    sources: dict[str, int] = {}
    for duplicate in duplicates:
        assert duplicate.id is not None
        for field in _FILLABLE:
            if (
                field not in changes
                and _empty(getattr(keep, field))
                and not _empty(getattr(duplicate, field))
            ):
                changes[field] = getattr(duplicate, field)
                sources[field] = duplicate.id
        has_point = duplicate.latitude is not None and duplicate.longitude is not None
        if (keep.latitude is None or keep.longitude is None) and "latitude" not in changes and has_point:
            changes |= {"latitude": duplicate.latitude, "longitude": duplicate.longitude}
            sources |= {"latitude": duplicate.id, "longitude": duplicate.id}
    return (revise(keep, "candidate", **changes) if changes else keep), sources


def _empty(value: object) -> bool:
    return value is None or value in ("", [])


def _log_entry(
    keep: Candidate, duplicates: Sequence[Candidate], report: MergeReport, *, actor: str, at: datetime
) -> FunnelLogEntry:
    # applied=False and the same state on both sides: funnel analytics count only applied moves.
    people = [
        {"id": d.id, "full_name": d.full_name, "phone_e164": d.phone_e164, "email": d.email}
        for d in duplicates
    ]
    return build(
        FunnelLogEntry,
        "funnel log entry",
        company_group_id=keep.company_group_id,
        candidate_id=keep.id,
        from_state=keep.funnel_state,
        to_state=keep.funnel_state,
        occurred_at=at,
        actor=actor,
        reason=f"merged candidates {', '.join(str(i) for i in report.merged_ids)} into this one",
        applied=False,
        details={"merge": report.as_details() | {"duplicates": people}},
    )
