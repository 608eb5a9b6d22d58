"""A merge must move every row that points at a candidate: the merge's table list is checked against the schema,
so a new candidate-owned table cannot be forgotten (its rows would be lost with the merged candidate)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hireflow.domain.services.candidate_merge import CANDIDATE_TABLES
from hireflow.infra.db import tables  # noqa: F401 - registers every table
from hireflow.infra.db.base import metadata
from hireflow.infra.db.unit_of_work import SqlAlchemyUnitOfWork

# Tables that point at candidates but are not moved by a merge, and why.
NOT_MOVED = {
    "candidates": "merged_into_id is re-pointed by the merge itself",
    "matches": "a match run records what was ranked then; the merged record stays, and so does its history",
}


def test_every_table_with_a_candidate_reference_is_merged() -> None:
    pointing = {
        table.name
        for table in metadata.tables.values()
        for key in table.foreign_keys
        if key.column.table.name == "candidates"
    }
    with SqlAlchemyUnitOfWork(session_factory=Session, company_group_id=1) as uow:  # unbound: no I/O
        merged = {getattr(uow, name).row_type.__tablename__ for name in CANDIDATE_TABLES}
    assert pointing - set(NOT_MOVED) == merged
