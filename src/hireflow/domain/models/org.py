"""Organisation context: company groups (tenants), business units, locations, roles and hiring objectives."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from hireflow.domain.models.base import DomainModel, Entity, TenantEntity

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class EmploymentType(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    TEMPORARY = "temporary"
    CONTRACT = "contract"
    SEASONAL = "seasonal"
    INTERNSHIP = "internship"


class PayPeriod(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class EducationLevel(StrEnum):
    """Ordered from least to most; :func:`education_rank` compares them."""

    NONE = "none"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    VOCATIONAL = "vocational"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


def education_rank(level: EducationLevel) -> int:
    """Position of ``level`` in the ordering above (0 = none)."""
    return list(EducationLevel).index(level)


class Shift(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    NIGHT = "night"
    WEEKEND = "weekend"
    ROTATING = "rotating"


class ObjectiveStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class CompanyGroup(Entity):
    """A tenant: a company or group of companies that hires through Hireflow."""

    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
    default_phone_region: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    timezone: str = Field(default="UTC", max_length=64)
    is_active: bool = True


class BusinessUnit(TenantEntity):
    """A division of a company group that owns roles and locations (a brand, a region, a department)."""

    name: str = Field(min_length=1, max_length=200)
    code: str | None = Field(default=None, max_length=50)
    description: str | None = None
    is_active: bool = True


class Location(TenantEntity):
    """A place people work at, with coordinates for commute-distance rules."""

    business_unit_id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    address_line: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country_code: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    timezone: str | None = Field(default=None, max_length=64)
    is_active: bool = True

    @model_validator(mode="after")
    def _both_coordinates_or_none(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class AgeRange(DomainModel):
    min_years: int | None = Field(default=None, ge=14, le=100)
    max_years: int | None = Field(default=None, ge=14, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_years is not None and self.max_years is not None and self.min_years > self.max_years:
            raise ValueError("min_years must not exceed max_years")
        return self


class EligibilityCriteria(DomainModel):
    """A role's structured eligibility rules; every field is optional and an absent field is not checked."""

    age: AgeRange | None = None
    max_commute_km: float | None = Field(default=None, gt=0, le=1000)
    required_documents: list[str] = Field(
        default_factory=list, description="media kinds the candidate must have uploaded (id_document, ...)"
    )
    min_education: EducationLevel | None = None
    required_shifts: list[Shift] = Field(default_factory=list)
    min_experience_months: int | None = Field(default=None, ge=0, le=600)
    required_languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes")
    work_authorization_required: bool = False

    def is_empty(self) -> bool:
        return self == EligibilityCriteria()


class Role(TenantEntity):
    """A job a company group hires for, with its pay band and eligibility criteria."""

    business_unit_id: int | None = None
    title: str = Field(min_length=1, max_length=200)
    description: str | None = None
    employment_type: EmploymentType = EmploymentType.FULL_TIME
    pay_min_minor: int | None = Field(default=None, ge=0, description="minor units (cents)")
    pay_max_minor: int | None = Field(default=None, ge=0)
    pay_currency: CurrencyCode = "USD"
    pay_period: PayPeriod = PayPeriod.HOUR
    eligibility_criteria: EligibilityCriteria = Field(default_factory=EligibilityCriteria)
    is_active: bool = True

    @model_validator(mode="after")
    def _pay_band_ordered(self) -> Self:
        if (
            self.pay_min_minor is not None
            and self.pay_max_minor is not None
            and self.pay_min_minor > self.pay_max_minor
        ):
            raise ValueError("pay_min_minor must not exceed pay_max_minor")
        return self


class HiringObjective(TenantEntity):
    """A target: hire ``objective_amount`` people for a role (optionally at a location) by a deadline."""

    role_id: int
    location_id: int | None = None
    business_unit_id: int | None = None
    objective_amount: int = Field(gt=0)
    start_date: date
    deadline: date | None = None
    status: ObjectiveStatus = ObjectiveStatus.OPEN
    notes: str | None = None

    @model_validator(mode="after")
    def _deadline_after_start(self) -> Self:
        if self.deadline is not None and self.deadline < self.start_date:
            raise ValueError("deadline must not be before start_date")
        return self
