"""Wiring of the CRM sync for every entry point (the CLI, the API's background task, the Airflow DAG): the
connector a source name stands for, the company group a sync is for, and one function that runs a sync.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from hireflow.domain.models.crm_sync import CrmEntity, SyncRun
from hireflow.domain.ports.crm_sync import CrmSource, SyncStore
from hireflow.domain.services.crm_sync import CrmSync, ProgressCallback
from hireflow.shared.clock import SystemClock
from hireflow.shared.config import Settings
from hireflow.shared.errors import NotFound, ValidationFailed

SOURCES: dict[str, str] = {"bullhorn": "Bullhorn", "hubspot": "HubSpot", "salesforce": "Salesforce"}
"""The CRMs Hireflow syncs from, by the name commands and the API use."""


def crm_source(name: str, settings: Settings) -> CrmSource:
    """The connector for ``name`` configured from ``settings``; ValidationFailed for an unknown CRM,
    ConfigurationError for missing credentials."""
    if name == "bullhorn":
        from hireflow.infra.crm.bullhorn.source import BullhornSource

        return BullhornSource.from_settings(settings)
    if name == "hubspot":
        from hireflow.infra.crm.hubspot.source import HubSpotSource

        return HubSpotSource.from_settings(settings)
    if name == "salesforce":
        from hireflow.infra.crm.salesforce.source import SalesforceSource

        return SalesforceSource.from_settings(settings)
    raise ValidationFailed(
        f"unknown CRM {name!r}; Hireflow syncs from {', '.join(SOURCES)}",
        [{"field": "source", "message": "unknown CRM", "input": name}],
    )


def parse_entities(text: str | None) -> list[CrmEntity] | None:
    """``candidates,jobs`` as entities (None: all); ValidationFailed naming the known ones."""
    if text is None or not text.strip():
        return None
    names = [part.strip() for part in text.split(",") if part.strip()]
    known = {entity.value: entity for entity in CrmEntity}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValidationFailed(
            f"unknown entities {', '.join(unknown)}; choose among {', '.join(known)}",
            [{"field": "entities", "message": "unknown entity", "input": unknown}],
        )
    return [known[name] for name in names]


def resolve_company_group(session_factory: Callable[[], Session], given: str | None) -> int:
    """The company group ``given`` names (an id or a slug), or the only one there is when it is None."""
    from sqlalchemy import select

    from hireflow.infra.db import tables as t

    with session_factory() as session:
        groups = session.execute(
            select(t.CompanyGroup.id, t.CompanyGroup.slug).order_by(t.CompanyGroup.id)
        ).all()
    if given is None:
        if len(groups) == 1:
            return int(groups[0].id)
        listed = ", ".join(f"{row.id} ({row.slug})" for row in groups) or "none"
        raise ValidationFailed(
            f"there are {len(groups)} company groups ({listed}): choose one with --company-group",
            [{"field": "company_group", "message": "required when there is not exactly one company group"}],
        )
    for row in groups:
        if given in (str(row.id), row.slug):
            return int(row.id)
    raise NotFound("company group", given)


def sync_store(session_factory: Callable[[], Session]) -> SyncStore:
    """Cursors, runs and dead letters in the database ``session_factory`` opens."""
    from hireflow.infra.db.repositories.crm_sync import SqlAlchemySyncStore

    return SqlAlchemySyncStore(session_factory)


def sync_service(session_factory: Callable[[], Session]) -> CrmSync:
    return CrmSync(sync_store(session_factory), SystemClock())


def reading_source(name: str, settings: Settings) -> CrmSource:
    """The connector a sync reads through: in a child process (``HIREFLOW_CRM_READER_PROCESS``, the default),
    so fetching and checking records runs beside the loading, else in the sync's own thread."""
    if settings.crm_reader_process:
        from hireflow.apps.crm_reader import ProcessReader

        return ProcessReader(name, settings)
    return crm_source(name, settings)


def run_sync(
    source_name: str,
    company_group_id: int,
    *,
    settings: Settings,
    session_factory: Callable[[], Session],
    entities: Sequence[CrmEntity] | None = None,
    full: bool = False,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SyncRun:
    """Sync one CRM into one company group, as every entry point does; the finished run."""
    source = reading_source(source_name, settings)
    run: SyncRun | None = None
    try:
        run = sync_service(session_factory).run(
            company_group_id, source, entities=entities, full=full, progress=progress, should_stop=should_stop
        )
        return run
    finally:
        source.close()
        _after_sync(settings, company_group_id, run)


def retry_dead_letters(
    source_name: str,
    company_group_id: int,
    *,
    settings: Settings,
    session_factory: Callable[[], Session],
    entities: Sequence[CrmEntity] | None = None,
) -> SyncRun:
    """Parse and load ``source_name``'s open dead letters again (no CRM request is made)."""
    source = crm_source(source_name, settings)
    run: SyncRun | None = None
    try:
        run = sync_service(session_factory).retry_dead_letters(company_group_id, source, entities=entities)
        return run
    finally:
        source.close()
        _after_sync(settings, company_group_id, run)


def _after_sync(settings: Settings, company_group_id: int, run: SyncRun | None) -> None:
    """Invalidate the company group's cached funnel analytics when the sync may have added, changed or
    deleted candidates: always after a run that failed or was cancelled (its committed pages may have), else
    when its candidate counts say so. Through Redis this reaches every process; without Redis it reaches the
    API only when the sync ran inside the API's process (a background job there), and the API's answers
    otherwise expire after ``HIREFLOW_ANALYTICS_CACHE_SECONDS``."""
    if run is not None:
        counts = run.entity_counts.get(CrmEntity.CANDIDATES.value)
        if counts is None or counts.inserted + counts.updated + counts.deleted == 0:
            return
    from hireflow.infra.cache import funnel_analytics_cache, redis_client

    funnel_analytics_cache(settings, redis_client(settings)).invalidate(company_group_id)


def run_summary(run: SyncRun) -> dict[str, Any]:
    """A run as JSON-able data: what the API's job result and the Airflow task return."""
    return {
        "run_id": run.id,
        "source": run.source,
        "status": run.status.value,
        "full": run.full,
        "duration_seconds": run.duration_seconds,
        "counts": run.counts.model_dump(),
        "entities": {name: counts.model_dump() for name, counts in run.entity_counts.items()},
        "error": run.error,
    }
