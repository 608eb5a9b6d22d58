"""Product usage events and saved dashboards: the records the analytics context keeps about how people use
Hireflow. Event names are ``object.action`` (``dashboard.viewed``); a company group or a user has at most one
default dashboard.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from hireflow.domain.models.analytics import DashboardConfiguration, ProductUsageEvent
from hireflow.domain.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from hireflow.domain.services._support import build, revise
from hireflow.shared.clock import Clock, SystemClock, ensure_utc
from hireflow.shared.errors import NotFound, ValidationFailed
from hireflow.shared.types import JSONObject

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
"""``object.action``, lower case, dot-separated: ``dashboard.viewed``, ``candidate.exported``."""


class ProductUsage:
    """Records product usage events and counts them; ``known_events`` (optional) is the allowed catalogue."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock | None = None,
        known_events: Collection[str] | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock or SystemClock()
        self._known = frozenset(known_events) if known_events is not None else None

    def record(
        self,
        company_group_id: int,
        event_name: str,
        *,
        user_id: int | None = None,
        properties: JSONObject | None = None,
        occurred_at: datetime | None = None,
    ) -> ProductUsageEvent:
        """Store one event; ValidationFailed for a malformed or unknown name."""
        self._check_name(event_name)
        at = ensure_utc(occurred_at) if occurred_at else ensure_utc(self._clock.now())
        event = build(
            ProductUsageEvent,
            "product usage event",
            company_group_id=company_group_id,
            user_id=user_id,
            event_name=event_name,
            occurred_at=at,
            properties=properties or {},
        )
        with self._uow_factory(company_group_id) as uow:
            stored = uow.product_usage.add(event)
            uow.commit()
        return stored

    def counts(self, company_group_id: int, start: datetime, end: datetime) -> Mapping[str, int]:
        """How many events of each name happened in ``[start, end)``, by name."""
        if start.tzinfo is None or end.tzinfo is None or start >= end:
            raise ValidationFailed(
                "give a timezone-aware range with start before end",
                [{"field": "start", "message": "must be aware and before end"}],
            )
        with self._uow_factory(company_group_id) as uow:
            counted = uow.product_usage.count_by_event(start, end)
        return dict(sorted(counted.items()))

    def _check_name(self, event_name: str) -> None:
        problem = None
        if not EVENT_NAME.match(event_name) or len(event_name) > 100:
            problem = "must be object.action in lower case (dashboard.viewed), at most 100 characters"
        elif self._known is not None and event_name not in self._known:
            problem = f"is not a known event; known: {', '.join(sorted(self._known))}"
        if problem:
            raise ValidationFailed(
                f"event name {event_name!r} {problem}",
                [{"field": "event_name", "message": problem, "input": event_name}],
            )


class Dashboards:
    """Saved dashboards of a company group (``user_id`` None) or of one of its users."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def save(
        self,
        company_group_id: int,
        name: str,
        *,
        user_id: int | None = None,
        layout: JSONObject | None = None,
        filters: JSONObject | None = None,
        is_default: bool | None = None,
    ) -> DashboardConfiguration:
        """Create the dashboard ``name`` of the scope, or update it (None keeps a field as it is). Making it the
        default takes the flag from the scope's previous default."""
        with self._uow_factory(company_group_id) as uow:
            _check_user(uow, user_id)
            existing = _named(uow, user_id, name.strip())
            changes: dict[str, Any] = {"layout": layout, "filters": filters, "is_default": is_default}
            changes = {key: value for key, value in changes.items() if value is not None}
            if existing is None:
                wanted = build(
                    DashboardConfiguration,
                    "dashboard",
                    company_group_id=company_group_id,
                    user_id=user_id,
                    name=name,
                    **changes,
                )
            else:
                wanted = revise(existing, "dashboard", **changes)
            if wanted.is_default:
                _clear_default(uow, user_id, keep=wanted.id)
            repository = uow.dashboard_configurations
            stored = repository.add(wanted) if existing is None else repository.update(wanted)
            uow.commit()
        return stored

    def set_default(self, company_group_id: int, dashboard_id: int) -> DashboardConfiguration:
        """Make a dashboard its scope's default."""
        with self._uow_factory(company_group_id) as uow:
            dashboard = uow.dashboard_configurations.get(dashboard_id)
            _clear_default(uow, dashboard.user_id, keep=dashboard.id)
            stored = uow.dashboard_configurations.update(revise(dashboard, "dashboard", is_default=True))
            uow.commit()
        return stored

    def default_for(self, company_group_id: int, user_id: int | None = None) -> DashboardConfiguration | None:
        """The user's default dashboard, else the company group's, else None."""
        with self._uow_factory(company_group_id) as uow:
            found = uow.dashboard_configurations.find_default(user_id) if user_id is not None else None
            return found or uow.dashboard_configurations.find_default(None)

    def list_for(self, company_group_id: int, user_id: int | None = None) -> Sequence[DashboardConfiguration]:
        """The user's own dashboards then the company group's shared ones (only those with None), by name."""
        with self._uow_factory(company_group_id) as uow:
            own = list(uow.dashboard_configurations.for_user(user_id)) if user_id is not None else []
            return own + list(uow.dashboard_configurations.for_user(None))


def _check_user(uow: UnitOfWork, user_id: int | None) -> None:
    # Another tenant's user is as unknown here as a missing one.
    if user_id is not None and uow.memberships.find_for(user_id) is None:
        raise NotFound("user", user_id)


def _named(uow: UnitOfWork, user_id: int | None, name: str) -> DashboardConfiguration | None:
    return next((d for d in uow.dashboard_configurations.for_user(user_id) if d.name == name), None)


def _clear_default(uow: UnitOfWork, user_id: int | None, *, keep: int | None) -> None:
    """Take the default flag off the scope's other dashboards: one default per company group or user."""
    for dashboard in uow.dashboard_configurations.for_user(user_id):
        if dashboard.is_default and dashboard.id != keep:
            uow.dashboard_configurations.update(revise(dashboard, "dashboard", is_default=False))
