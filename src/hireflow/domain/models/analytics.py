"""Analytics context: product usage events and per-company dashboard configurations."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from hireflow.domain.models.base import TenantEntity
from hireflow.shared.types import JSONObject


class ProductUsageEvent(TenantEntity):
    """Something a user did in the product (``dashboard.viewed``, ``candidate.exported``)."""

    user_id: int | None = None
    event_name: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9_.]+$")
    occurred_at: AwareDatetime
    properties: JSONObject = Field(default_factory=dict)


class DashboardConfiguration(TenantEntity):
    """A saved dashboard layout and filters, for a company group or one of its users."""

    user_id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    layout: JSONObject = Field(default_factory=dict)
    filters: JSONObject = Field(default_factory=dict)
    is_default: bool = False
