"""Repository ports of the analytics context: product usage events and dashboard configurations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from hireflow.domain.models.analytics import DashboardConfiguration, ProductUsageEvent
from hireflow.domain.ports.repository import Repository


class ProductUsageRepository(Repository[ProductUsageEvent], Protocol):
    """Product usage events of one company group."""

    def between(
        self, start: datetime, end: datetime, *, event_name: str | None = None
    ) -> Sequence[ProductUsageEvent]:
        """Events with ``start <= occurred_at < end`` (optionally of one name), by ``occurred_at`` then id."""
        ...

    def count_by_event(self, start: datetime, end: datetime) -> Mapping[str, int]:
        """How many events of each name have ``start <= occurred_at < end``; names with none are left out."""
        ...


class DashboardConfigurationRepository(Repository[DashboardConfiguration], Protocol):
    """Saved dashboards of one company group."""

    def for_user(self, user_id: int | None) -> Sequence[DashboardConfiguration]:
        """A user's own dashboards, or with None the company group's shared ones, by name."""
        ...

    def find_default(self, user_id: int | None) -> DashboardConfiguration | None:
        """The user's (or with None the shared) dashboard marked ``is_default``, or None."""
        ...
