"""Base classes shared by every domain model."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict


class DomainModel(BaseModel):
    """A domain value or entity. Built from ORM rows with ``Model.model_validate(row)``."""

    model_config = ConfigDict(from_attributes=True, validate_assignment=True, str_strip_whitespace=True)


class Entity(DomainModel):
    """A stored thing with an identity. ``id`` is None until a repository has stored it."""

    id: int | None = None
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class TenantEntity(Entity):
    """An entity owned by one company group (tenant)."""

    company_group_id: int


def aware(value: datetime | None) -> datetime | None:
    """Pass through a timestamp, refusing naive datetimes that would silently mean 'local time'."""
    if value is not None and value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware (UTC)")
    return value


def lower_email(value: str | None) -> str | None:
    """Store email addresses lower-cased, so lookups compare them exactly (and use their index)."""
    return None if value is None else value.lower()
