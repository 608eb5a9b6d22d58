"""Base classes shared by every domain model."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, WithJsonSchema
from pydantic.networks import validate_email


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


# The common address, checked without email-validator's per-address work (Unicode normalisation, IDNA): a
# dot-atom of ASCII ``atext`` before the @ (RFC 5322, what email-validator accepts unquoted) and letters, digits,
# dots and hyphens after it. Only the domain then needs email-validator, once per domain.
_ASCII_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
_ASCII_DOMAIN = re.compile(r"[A-Za-z0-9.-]+\Z")
_LOCAL_PART_MAX, _ADDRESS_MAX = 64, 254


@lru_cache(maxsize=65_536)
def _checked_email(value: str) -> str:
    local, _, domain = value.rpartition("@")
    if (
        len(local) <= _LOCAL_PART_MAX
        and len(value) <= _ADDRESS_MAX
        and _ASCII_LOCAL_PART.match(local)
        and _ASCII_DOMAIN.match(domain)
        # email-validator lower-cases RFC 2142's role names (``Postmaster``); they are letters only.
        and (local.islower() or not local.isalpha())
    ):
        try:
            return f"{local}@{_checked_domain(domain)}"
        except ValueError:
            pass  # the full check below gives the reason
    return validate_email(value)[1]


@lru_cache(maxsize=4_096)
def _checked_domain(domain: str) -> str:
    """``domain`` as email-validator normalises it (lower case), or its error: what it finds of a domain does not
    depend on the part before the @, but for the address's length, which the caller checks."""
    return validate_email(f"x@{domain}")[1].partition("@")[2]


def _email(value: str) -> str:
    """Pydantic's own e-mail check (``EmailStr``), remembered per address: records are read far more often than
    written, and the check (IDNA, special-use domains) costs more than the rest of a candidate's validation."""
    return _checked_email(value)


def checked_email(value: str) -> str:
    """``value`` validated and normalised as :data:`Email` does (ValueError when it is not an address), sharing
    its memory: an address checked here is not checked again when a model takes it."""
    return _checked_email(value)


Email = Annotated[str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})]
"""An e-mail address, validated and normalised exactly as ``pydantic.EmailStr`` does."""


def lower_email(value: str | None) -> str | None:
    """Store email addresses lower-cased, so lookups compare them exactly (and use their index)."""
    return None if value is None else value.lower()
