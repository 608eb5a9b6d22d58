"""Funnel analytics of the caller's company group: ``/api/v1/funnel``.

Every report takes the same filters (business unit, location, role, entry-time window) and goes through the
funnel analytics cache, per company group and filters: an answer may be up to ``HIREFLOW_ANALYTICS_CACHE_SECONDS``
old, unless a write that moves candidates invalidated it first. ``computed_at`` says when the numbers were
computed, and the ``X-Cache`` header whether this answer came from the cache (``hit``) or was computed (``miss``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Response
from pydantic import AwareDatetime, BaseModel, Field, TypeAdapter

from hireflow.apps.api.deps import Caller, CanReadAnalytics, Services
from hireflow.apps.api.routers import new_router
from hireflow.domain.models.funnel import FunnelFilters, FunnelState
from hireflow.domain.services.funnel import (
    FunnelService,
    SourceBreakdown,
    StageConversion,
    StageDropOff,
    StageTiming,
    WeeklyCohort,
)
from hireflow.infra.db.repositories.funnel_analytics import SqlAlchemyAdminDashboardRepository
from hireflow.infra.db.session import SessionLocal
from hireflow.shared.errors import ValidationFailed

router = new_router(prefix="/api/v1/funnel", tags=["funnel"])

ReportT = TypeVar("ReportT", bound="FunnelReport")

MAX_ID = 2**63 - 1
"""The largest id a database stores (a larger one would fail in the driver rather than find nothing)."""
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
"""Entry-time filters must fall in [EARLIEST, LATEST): beyond them a time cannot be shifted to UTC or by a day."""

_CACHE_HEADER: dict[int | str, dict[str, Any]] = {
    200: {
        "headers": {
            "X-Cache": {
                "description": "`hit` when the answer came from the analytics cache, `miss` when computed now",
                "schema": {"type": "string", "enum": ["hit", "miss"]},
            }
        }
    }
}


def funnel_filters(
    business_unit_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this business unit")
    ] = None,
    location_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this location")] = None,
    role_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this role")] = None,
    entered_from: Annotated[
        AwareDatetime | None,
        Query(description="Only candidates who entered at or after this time (ISO 8601 with Z or an offset)"),
    ] = None,
    entered_to: Annotated[
        AwareDatetime | None, Query(description="Only candidates who entered before this time (exclusive)")
    ] = None,
) -> FunnelFilters:
    """The report filters; times are kept in UTC, so equal instants share one cache entry."""
    errors = [
        {"field": name, "message": f"outside {EARLIEST.year}-{LATEST.year - 1}"}
        for name, value in (("entered_from", entered_from), ("entered_to", entered_to))
        if value is not None and not EARLIEST <= value < LATEST
    ]
    if not errors and entered_from is not None and entered_to is not None and entered_to < entered_from:
        errors.append({"field": "entered_to", "message": "before entered_from"})
    if errors:
        raise ValidationFailed(
            "the entry-time window is invalid: " + ", ".join(e["field"] for e in errors), errors
        )
    return FunnelFilters(
        business_unit_id=business_unit_id,
        location_id=location_id,
        role_id=role_id,
        entered_from=entered_from.astimezone(UTC) if entered_from else None,
        entered_to=entered_to.astimezone(UTC) if entered_to else None,
    )


Filters = Annotated[FunnelFilters, Depends(funnel_filters)]


class FunnelReport(BaseModel):
    """What every funnel report carries."""

    computed_at: AwareDatetime = Field(
        description="When these numbers were computed (a cached answer keeps it)"
    )


class StateCount(BaseModel):
    """Candidates in one funnel state."""

    state: FunnelState
    count: int


class BucketsReport(FunnelReport):
    """Candidates in each funnel state now, every state in funnel order (zeros included)."""

    total: int
    items: list[StateCount]


class ConversionReport(FunnelReport):
    """Stage-to-stage conversion along the main path, lead to onboarded."""

    items: list[StageConversion]


class TimeInStageReport(FunnelReport):
    """Hours spent in each state by the candidates who left it, every state in funnel order."""

    items: list[StageTiming]


class DropOffReport(FunnelReport):
    """Candidates who left the funnel from each main-path stage, and into which exit state."""

    items: list[StageDropOff]


class CohortsReport(FunnelReport):
    """Candidates by the ISO week (starting Monday, UTC) they entered, and how far they got; oldest first."""

    items: list[WeeklyCohort]


class SourcesReport(FunnelReport):
    """Where the candidates of each source stand, most candidates first."""

    items: list[SourceBreakdown]


_BUCKETS = TypeAdapter(BucketsReport)
_CONVERSION = TypeAdapter(ConversionReport)
_TIME_IN_STAGE = TypeAdapter(TimeInStageReport)
_DROP_OFF = TypeAdapter(DropOffReport)
_COHORTS = TypeAdapter(CohortsReport)
_SOURCES = TypeAdapter(SourcesReport)


def _report(
    services: Services,
    caller: Caller,
    response: Response,
    *,
    name: str,
    filters: FunnelFilters,
    adapter: TypeAdapter[ReportT],
    compute: Callable[[FunnelService], ReportT],
) -> ReportT:
    """The cached ``name`` report of these filters, or ``compute`` run on a database session of its own."""
    computed = False

    def run() -> ReportT:
        nonlocal computed
        computed = True
        with SessionLocal() as session:
            return compute(FunnelService(SqlAlchemyAdminDashboardRepository(session)))

    answer = services.funnel_cache.get_or_compute(
        caller.company_group_id, name, filters.model_dump(mode="json"), run, adapter
    )
    response.headers["X-Cache"] = "miss" if computed else "hit"
    return answer


@router.get("/buckets", response_model=BucketsReport, responses=_CACHE_HEADER)
def funnel_buckets(
    caller: CanReadAnalytics, services: Services, filters: Filters, response: Response
) -> BucketsReport:
    """Count candidates in each funnel state now."""

    def compute(funnel: FunnelService) -> BucketsReport:
        counts = funnel.buckets(caller.company_group_id, **filters.model_dump())
        return BucketsReport(
            computed_at=services.clock.now(),
            total=sum(counts.values()),
            items=[StateCount(state=state, count=n) for state, n in counts.items()],
        )

    return _report(
        services, caller, response, name="buckets", filters=filters, adapter=_BUCKETS, compute=compute
    )


@router.get("/conversion", response_model=ConversionReport, responses=_CACHE_HEADER)
def funnel_conversion(
    caller: CanReadAnalytics, services: Services, filters: Filters, response: Response
) -> ConversionReport:
    """Stage-to-stage conversion rates along the main path."""

    def compute(funnel: FunnelService) -> ConversionReport:
        items = funnel.conversion(caller.company_group_id, filters)
        return ConversionReport(computed_at=services.clock.now(), items=items)

    return _report(
        services, caller, response, name="conversion", filters=filters, adapter=_CONVERSION, compute=compute
    )


@router.get("/time-in-stage", response_model=TimeInStageReport, responses=_CACHE_HEADER)
def funnel_time_in_stage(
    caller: CanReadAnalytics, services: Services, filters: Filters, response: Response
) -> TimeInStageReport:
    """Median and 90th-percentile hours spent in each stage."""

    def compute(funnel: FunnelService) -> TimeInStageReport:
        items = funnel.time_in_stage(caller.company_group_id, filters)
        return TimeInStageReport(computed_at=services.clock.now(), items=items)

    return _report(
        services,
        caller,
        response,
        name="time_in_stage",
        filters=filters,
        adapter=_TIME_IN_STAGE,
        compute=compute,
    )


@router.get("/drop-off", response_model=DropOffReport, responses=_CACHE_HEADER)
def funnel_drop_off(
    caller: CanReadAnalytics, services: Services, filters: Filters, response: Response
) -> DropOffReport:
    """How many candidates left the funnel from each stage, by exit state."""

    def compute(funnel: FunnelService) -> DropOffReport:
        items = funnel.drop_off(caller.company_group_id, filters)
        return DropOffReport(computed_at=services.clock.now(), items=items)

    return _report(
        services, caller, response, name="drop_off", filters=filters, adapter=_DROP_OFF, compute=compute
    )


@router.get("/cohorts", response_model=CohortsReport, responses=_CACHE_HEADER)
def funnel_cohorts(
    caller: CanReadAnalytics, services: Services, filters: Filters, response: Response
) -> CohortsReport:
    """Weekly entry cohorts and how far each got."""

    def compute(funnel: FunnelService) -> CohortsReport:
        items = funnel.weekly_cohorts(caller.company_group_id, filters)
        return CohortsReport(computed_at=services.clock.now(), items=items)

    return _report(
        services, caller, response, name="weekly_cohorts", filters=filters, adapter=_COHORTS, compute=compute
    )


@router.get("/sources", response_model=SourcesReport, responses=_CACHE_HEADER)
def funnel_sources(
    caller: CanReadAnalytics, services: Services, filters: Filters, response: Response
) -> SourcesReport:
    """Totals, hires and exits per candidate source."""

    def compute(funnel: FunnelService) -> SourcesReport:
        items = funnel.by_source(caller.company_group_id, filters)
        return SourcesReport(computed_at=services.clock.now(), items=items)

    return _report(
        services, caller, response, name="sources", filters=filters, adapter=_SOURCES, compute=compute
    )
