"""Malformed records: a small deterministic share of records carries one flaw a validator must catch.

Whether record ``id`` of an entity is malformed, and how, depends only on ``(seed, entity, id, rate)``, so tests
can ask :func:`defect_of` (or ``GET /_sandbox/invalid/{entity}``) which records to expect in the dead letters.

Defects: ``bad-email`` (not an address), ``bad-phone`` (not a number; the mobile is dropped too),
``missing-last-name``, ``missing-title``, ``missing-name``, ``bad-date`` (added in 1800 or 2999),
``unknown-enum`` (a status outside the pick-list) and ``dangling-reference`` (an application or placement
pointing at a candidate that does not exist).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.draws import Draws, hash_ints, mix64
from hireflow.infra.crm.sandbox.records import Candidate, Company, Job, Placement, Record, Submission
from hireflow.infra.crm.sandbox.statuses import UNKNOWN_VALUES

BAD_EMAIL = "bad-email"
BAD_PHONE = "bad-phone"
MISSING_LAST_NAME = "missing-last-name"
MISSING_TITLE = "missing-title"
MISSING_NAME = "missing-name"
BAD_DATE = "bad-date"
UNKNOWN_ENUM = "unknown-enum"
DANGLING_REFERENCE = "dangling-reference"

DEFECTS: dict[EntityKind, tuple[str, ...]] = {
    EntityKind.CANDIDATE: (BAD_EMAIL, BAD_PHONE, MISSING_LAST_NAME, BAD_DATE, UNKNOWN_ENUM),
    EntityKind.JOB: (MISSING_TITLE, BAD_DATE, UNKNOWN_ENUM),
    EntityKind.COMPANY: (MISSING_NAME, BAD_PHONE, BAD_DATE, UNKNOWN_ENUM),
    EntityKind.SUBMISSION: (DANGLING_REFERENCE, BAD_DATE, UNKNOWN_ENUM),
    EntityKind.PLACEMENT: (DANGLING_REFERENCE, BAD_DATE, UNKNOWN_ENUM),
}
_SALT = 0xDEFEC7
_KIND_SALTS = {kind: index + 1 for index, kind in enumerate(EntityKind)}
_YEAR_1800_MS = -5_364_662_400_000  # 1800-01-01T00:00:00Z
_YEAR_2999_MS = 32_503_593_600_000  # 2999-12-31T00:00:00Z
_DANGLING_BASE = 1_000_000_000
_BAD_PHONES = ("N/A", "12345", "(415) 555-01", "0000000000", "call after 5pm", "+1 (555) 000-0000", "tbd")


def defect_of(seed: int, kind: EntityKind, record_id: int, rate: float) -> str | None:
    """The flaw of record ``record_id``, or None when it is valid. About ``rate`` of the records have one."""
    if rate <= 0:
        return None
    h = mix64(_key(seed, kind) ^ record_id)
    if h >= rate * 2.0**64:
        return None
    choices = DEFECTS[kind]
    return choices[(h >> 3) % len(choices)]


@cache
def _key(seed: int, kind: EntityKind) -> int:
    return hash_ints(seed, _SALT, _KIND_SALTS[kind])


def malformed_ids(
    seed: int, kind: EntityKind, first_id: int, last_id: int, rate: float
) -> Iterator[tuple[int, str]]:
    """Every ``(id, defect)`` among ids ``first_id..last_id`` (a scan: about half a second per million ids)."""
    for record_id in range(first_id, last_id + 1):
        defect = defect_of(seed, kind, record_id, rate)
        if defect is not None:
            yield record_id, defect


def apply_defect(record: Record, defect: str, draws: Draws) -> None:
    """Break ``record`` (freshly generated, not yet shared) in the way ``defect`` says."""
    record.defect = defect
    if defect == BAD_DATE:
        record.added = _YEAR_1800_MS if draws.chance(500) else _YEAR_2999_MS
    elif defect == UNKNOWN_ENUM:
        _unknown_enum(record, draws)
    elif isinstance(record, Candidate):
        _break_candidate(record, defect, draws)
    elif isinstance(record, Company):
        if defect == MISSING_NAME:
            record.name = None if draws.chance(500) else ""
        else:
            record.phone = draws.pick(_BAD_PHONES)
    elif isinstance(record, Job):
        record.title = None if draws.chance(500) else " "
    elif isinstance(record, Submission | Placement):
        record.candidate_id = _DANGLING_BASE + record.id


def _unknown_enum(record: Record, draws: Draws) -> None:
    value = draws.pick(UNKNOWN_VALUES)
    if isinstance(record, Job) and draws.chance(500):
        record.employment_type = value
    else:
        record.status = value


def _break_candidate(record: Candidate, defect: str, draws: Draws) -> None:
    if defect == BAD_EMAIL:
        record.email = _bad_email(record.email or "someone@gmail.com", draws)
    elif defect == BAD_PHONE:
        record.phone = draws.pick(_BAD_PHONES)
        record.mobile = None
    elif defect == MISSING_LAST_NAME:
        record.last_name = None if draws.chance(500) else ""


def _bad_email(email: str, draws: Draws) -> str:
    local, _, domain = email.partition("@")
    variant = draws.below(5)
    if variant == 0:
        return f"{local}@@{domain}"
    if variant == 1:
        return f"{local} {domain}"
    if variant == 2:
        return f"{local}@{domain.split('.')[0]}"
    if variant == 3:
        return f"{local}@"
    return f"{local[:1]}..{local[1:]}@{domain}"
