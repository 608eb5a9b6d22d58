"""How a record changes when the control API modifies, anonymizes, deletes or creates it.

Every change is a new value with a new ``modified`` stamp; the base record is never touched. A modification
leaves a malformed record's flaw in place (it changes other fields), so the set of invalid records only
shrinks by anonymization, which blanks the flawed personal fields anyway.
"""

from __future__ import annotations

from dataclasses import replace

from hireflow.infra.crm.sandbox.defects import BAD_DATE, UNKNOWN_ENUM
from hireflow.infra.crm.sandbox.draws import Draws
from hireflow.infra.crm.sandbox.records import Candidate, Company, Job, Placement, Record, Submission
from hireflow.infra.crm.sandbox.statuses import (
    ARCHIVED,
    CANDIDATE_STATUSES,
    COMPANY_STATUSES,
    JOB_STATUSES,
    OPEN_JOB_STATUSES,
    PLACEMENT_STATUSES,
    SUBMISSION_STATUSES,
)

_DAY_MS = 86_400_000


def modified(record: Record, stamp: int, draws: Draws) -> Record:
    """``record`` as a recruiter might have edited it: a new status, pay or opening count."""
    keep_status = record.defect == UNKNOWN_ENUM
    if isinstance(record, Candidate):
        return replace(
            record,
            modified=stamp,
            status=record.status if keep_status else _other(record.status, CANDIDATE_STATUSES, draws),
            pay_minor=record.pay_minor + record.pay_minor * draws.between(1, 10) // 100,
            available=stamp + draws.below(60) * _DAY_MS,
        )
    if isinstance(record, Job):
        status = record.status if keep_status else _other(record.status, JOB_STATUSES, draws)
        return replace(
            record,
            modified=stamp,
            status=status,
            is_open=status in OPEN_JOB_STATUSES,
            openings=max(1, record.openings + draws.between(-1, 2)),
        )
    if isinstance(record, Company):
        status = record.status if keep_status else _other(record.status, COMPANY_STATUSES, draws)
        return replace(
            record, modified=stamp, status=status, employees=record.employees + draws.between(1, 50)
        )
    if isinstance(record, Submission):
        status = record.status if keep_status else _other(record.status, SUBMISSION_STATUSES, draws)
        return replace(record, modified=stamp, status=status)
    if isinstance(record, Placement):
        status = record.status if keep_status else _other(record.status, PLACEMENT_STATUSES, draws)
        return replace(record, modified=stamp, status=status)
    raise TypeError(f"unknown record type {type(record).__name__}")


def anonymized(record: Candidate, stamp: int) -> Candidate:
    """A candidate after a GDPR erasure: names, e-mail, phones and address blanked, status ``Archive``."""
    return replace(
        record,
        modified=stamp,
        first_name="",
        last_name="",
        email=None,
        phone=None,
        mobile=None,
        address1=None,
        city=None,
        state=None,
        zip=None,
        status=ARCHIVED,
        defect=None,
    )


def soft_deleted(record: Record, stamp: int) -> Record:
    """``record`` marked deleted (it stays readable, flagged)."""
    return replace(record, modified=stamp, deleted=True)


def created(record: Record, stamp: int) -> Record:
    """A newly generated record, added and modified now (a ``bad-date`` flaw keeps its impossible date)."""
    return replace(record, added=record.added if record.defect == BAD_DATE else stamp, modified=stamp)


def _other(current: str, choices: tuple[str, ...], draws: Draws) -> str:
    """A value from ``choices`` other than ``current`` (so a modification is visible)."""
    distinct = tuple(dict.fromkeys(choice for choice in choices if choice != current))
    return draws.pick(distinct)
