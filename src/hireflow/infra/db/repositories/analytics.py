"""SQLAlchemy repositories of the analytics context."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func

from hireflow.domain.models import analytics as m
from hireflow.infra.db import tables as t
from hireflow.infra.db.repositories.base import TenantRepository


class SqlAlchemyProductUsageRepository(TenantRepository[t.ProductUsage, m.ProductUsageEvent]):
    """Product usage events of one company group."""

    row_type = t.ProductUsage
    model_type = m.ProductUsageEvent
    entity_name = "product usage event"

    def between(
        self, start: datetime, end: datetime, *, event_name: str | None = None
    ) -> Sequence[m.ProductUsageEvent]:
        query = self._select().where(t.ProductUsage.occurred_at >= start, t.ProductUsage.occurred_at < end)
        if event_name is not None:
            query = query.where(t.ProductUsage.event_name == event_name)
        return self._many(query.order_by(t.ProductUsage.occurred_at, t.ProductUsage.id))

    def count_by_event(self, start: datetime, end: datetime) -> Mapping[str, int]:
        query = (
            self._select()
            .with_only_columns(t.ProductUsage.event_name, func.count())
            .where(t.ProductUsage.occurred_at >= start, t.ProductUsage.occurred_at < end)
            .group_by(t.ProductUsage.event_name)
        )
        return {str(name): int(count) for name, count in self.session.execute(query)}


class SqlAlchemyDashboardConfigurationRepository(
    TenantRepository[t.DashboardConfiguration, m.DashboardConfiguration]
):
    """Saved dashboards of one company group."""

    row_type = t.DashboardConfiguration
    model_type = m.DashboardConfiguration
    entity_name = "dashboard configuration"

    def for_user(self, user_id: int | None) -> Sequence[m.DashboardConfiguration]:
        query = self._select().where(_owned_by(user_id))
        return self._many(query.order_by(t.DashboardConfiguration.name, t.DashboardConfiguration.id))

    def find_default(self, user_id: int | None) -> m.DashboardConfiguration | None:
        query = self._select().where(_owned_by(user_id), t.DashboardConfiguration.is_default.is_(True))
        return self._first(query.order_by(t.DashboardConfiguration.id))


def _owned_by(user_id: int | None) -> ColumnElement[bool]:
    """A user's own dashboards, or with None the company group's shared ones."""
    column = t.DashboardConfiguration.user_id
    return column.is_(None) if user_id is None else column == user_id
