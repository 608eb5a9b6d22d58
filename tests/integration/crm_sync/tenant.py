"""One company group in a database and the sync into it, with what Hireflow holds of each CRM record: the world
of every connector's tests against its sandbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.crm_sync import CrmEntity, SyncRun
from hireflow.domain.models.org import CompanyGroup
from hireflow.domain.ports.crm_sync import CrmSource
from hireflow.domain.services.crm_sync import CrmSync
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.crm_sync import SqlAlchemySyncStore
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from hireflow.shared.clock import SystemClock

_OWNED = {
    CrmEntity.CLIENT_COMPANIES: t.ClientCompany,
    CrmEntity.JOBS: t.Job,
    CrmEntity.APPLICATIONS: t.Application,
    CrmEntity.PLACEMENTS: t.Placement,
}


class SyncedTenant:
    """A new company group ("staffing") in ``engine``'s database, and a sync into it."""

    def __init__(self, engine: Engine) -> None:
        self.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        with sqlalchemy_uow_factory(self.sessions)() as uow:
            group = uow.company_groups.add(CompanyGroup(name="Staffing", slug="staffing"))
            uow.commit()
        assert group.id is not None
        self.tenant = group.id
        self.store = SqlAlchemySyncStore(self.sessions)
        self.sync = CrmSync(self.store, SystemClock())

    def run(self, source: CrmSource, **options: Any) -> SyncRun:
        """Sync ``source`` (closed afterwards) into the company group."""
        try:
            return self.sync.run(self.tenant, source, **options)
        finally:
            source.close()

    def held(self, entity: CrmEntity, source: str) -> dict[str, tuple[str | None, datetime | None]]:
        """CRM id -> (content hash, deleted at) of every record of ``entity`` Hireflow holds from ``source``."""
        if entity is CrmEntity.CANDIDATES:
            links = t.CandidateExternalId
            query = (
                select(links.external_id, links.content_hash, t.Candidate.deleted_at)
                .join(t.Candidate, t.Candidate.id == links.candidate_id)
                .where(t.Candidate.company_group_id == self.tenant, links.source == source)
            )
        else:
            table = _OWNED[entity]
            query = select(table.external_id, table.content_hash, table.deleted_at).where(
                table.company_group_id == self.tenant, table.source == source
            )
        with self.sessions() as session:
            return {
                str(external_id): (digest, deleted) for external_id, digest, deleted in session.execute(query)
            }

    def ids(self, entity: CrmEntity, source: str) -> tuple[set[str], set[str]]:
        """CRM ids of the live and of the soft-deleted records of ``entity`` from ``source``."""
        held = self.held(entity, source)
        return (
            {external_id for external_id, (_, deleted) in held.items() if deleted is None},
            {external_id for external_id, (_, deleted) in held.items() if deleted is not None},
        )

    def dead(self, entity: CrmEntity) -> set[str]:
        """CRM ids of the open dead letters of ``entity``."""
        return {letter.external_id for letter in self.store.dead_letters(self.tenant, entity=entity)}
