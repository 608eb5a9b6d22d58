"""The SQL match store: match runs and their ranked matches, for one company group."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, insert, select

from hireflow.domain.models.matching import Match, MatchDirection, MatchRun
from hireflow.infra.db import tables as t
from hireflow.shared.errors import NotFound

ROWS_PER_INSERT = 1000


class SqlAlchemyMatchStore:
    """A :class:`~hireflow.domain.ports.matching.MatchStore` for one company group."""

    def __init__(self, engine: Engine, company_group_id: int) -> None:
        self._engine, self._company_group_id = engine, company_group_id

    def save(self, run: MatchRun, matches: Sequence[Match]) -> MatchRun:
        if run.company_group_id != self._company_group_id:
            raise ValueError("the run belongs to another company group")
        values = run.model_dump(mode="json", exclude={"id", "created_at", "updated_at"})
        values["started_at"], values["finished_at"] = run.started_at, run.finished_at
        with self._engine.begin() as connection:
            run_id = connection.execute(
                insert(t.MatchRun).values(values).returning(t.MatchRun.id)
            ).scalar_one()
            rows = [
                {
                    "run_id": run_id,
                    "company_group_id": self._company_group_id,
                    "job_id": match.job_id,
                    "candidate_id": match.candidate_id,
                    "rank": match.rank,
                    "score": match.score,
                    "components": match.components.model_dump(mode="json"),
                    "explanation": match.explanation.model_dump(mode="json"),
                }
                for match in matches
            ]
            for start in range(0, len(rows), ROWS_PER_INSERT):
                connection.execute(insert(t.Match), rows[start : start + ROWS_PER_INSERT])
        return run.model_copy(update={"id": run_id})

    def runs(self, *, limit: int = 20) -> list[MatchRun]:
        r = t.MatchRun
        query = (
            select(r).where(r.company_group_id == self._company_group_id).order_by(r.id.desc()).limit(limit)
        )
        with self._engine.connect() as connection:
            return [MatchRun.model_validate(dict(row)) for row in connection.execute(query).mappings()]

    def matches(self, run_id: int, *, subject_id: int | None = None) -> list[Match]:
        r, m = t.MatchRun, t.Match
        with self._engine.connect() as connection:
            direction = connection.scalar(
                select(r.direction).where(r.id == run_id, r.company_group_id == self._company_group_id)
            )
            if direction is None:
                raise NotFound("match run", run_id)
            query = select(m).where(m.run_id == run_id)
            if subject_id is not None:
                by_job = direction == MatchDirection.CANDIDATES_FOR_JOB.value
                query = query.where((m.job_id if by_job else m.candidate_id) == subject_id)
            subject = m.job_id if direction == MatchDirection.CANDIDATES_FOR_JOB.value else m.candidate_id
            rows = connection.execute(query.order_by(subject, m.rank)).mappings()
            return [Match.model_validate(dict(row)) for row in rows]
