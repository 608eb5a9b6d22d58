"""Bullhorn's entity shapes: the sandbox records rendered with Bullhorn's field names, and ``fields=`` selection.

Timestamps are epoch milliseconds, as Bullhorn sends them. Nested to-one associations carry ``id`` (and
``name`` for ``clientCorporation``); ``clientCorporation(id,name)`` style selections pick among those.
``address.countryID`` uses the sandbox's ids 1 (US), 2216 (Canada) and 2359 (United Kingdom); a real
Bullhorn instance has its own list.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.records import Candidate, Company, Job, Placement, Record, Submission

Selection = list[tuple[str, tuple[str, ...] | None]]

ENTITIES: dict[str, EntityKind] = {
    "Candidate": EntityKind.CANDIDATE,
    "ClientCorporation": EntityKind.COMPANY,
    "JobOrder": EntityKind.JOB,
    "JobSubmission": EntityKind.SUBMISSION,
    "Placement": EntityKind.PLACEMENT,
}
NAMES: dict[EntityKind, str] = {kind: name for name, kind in ENTITIES.items()}
SEARCHABLE = frozenset({EntityKind.CANDIDATE, EntityKind.COMPANY, EntityKind.JOB})
QUERYABLE = frozenset({EntityKind.SUBMISSION, EntityKind.PLACEMENT, EntityKind.COMPANY})
HARD_DELETED = frozenset({EntityKind.PLACEMENT, EntityKind.COMPANY})
"""Bullhorn deletes these outright; the others get ``isDeleted: true``."""

_COUNTRIES = {"US": (1, "United States"), "CA": (2216, "Canada"), "GB": (2359, "United Kingdom")}
_UNITS = {"year": "Per Year", "hour": "Per Hour"}


def _address(
    address1: str | None, city: str | None, state: str | None, zip_code: str | None, country: str
) -> dict[str, Any]:
    country_id, country_name = _COUNTRIES[country]
    return {
        "address1": address1,
        "address2": None,
        "city": city,
        "state": state,
        "zip": zip_code,
        "countryID": country_id,
        "countryName": country_name,
        "countryCode": country,
    }


def _money(minor: int) -> float:
    return minor / 100


def candidate(record: Candidate) -> dict[str, Any]:
    hourly = record.pay_unit == "hour"
    return {
        "id": record.id,
        "firstName": record.first_name,
        "lastName": record.last_name,
        "name": f"{record.first_name or ''} {record.last_name or ''}".strip(),
        "email": record.email,
        "phone": record.phone,
        "mobile": record.mobile,
        "occupation": record.occupation,
        "skillSet": ", ".join(record.skills),
        "address": _address(record.address1, record.city, record.state, record.zip, record.country),
        "status": record.status,
        "source": record.source,
        "salary": 0.0 if hourly else _money(record.pay_minor),
        "hourlyRate": _money(record.pay_minor) if hourly else 0.0,
        "dayRate": _money(record.pay_minor * 8)
        if hourly and record.employment_preference == "Contract"
        else 0.0,
        "employmentPreference": record.employment_preference,
        "dateAvailable": record.available,
        "dateAdded": record.added,
        "dateLastModified": record.modified,
        "isDeleted": record.deleted,
    }


def company(record: Company) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "address": _address(record.address1, record.city, record.state or None, record.zip, record.country),
        "phone": record.phone,
        "companyURL": f"https://www.{record.domain}",
        "industryList": record.industry,
        "numEmployees": record.employees,
        "status": record.status,
        "dateAdded": record.added,
        "dateLastModified": record.modified,
    }


def job(record: Job) -> dict[str, Any]:
    hourly = record.pay_unit == "hour"
    return {
        "id": record.id,
        "title": record.title,
        "publicDescription": record.description,
        "clientCorporation": {"id": record.company_id, "name": record.company_name},
        "address": _address(record.address1, record.city, record.state or None, record.zip, record.country),
        "salary": _money(record.pay_minor),
        "salaryUnit": _UNITS[record.pay_unit],
        "payRate": _money(record.pay_minor) if hourly else 0.0,
        "employmentType": record.employment_type,
        "skillList": ", ".join(record.skills),
        "status": record.status,
        "isOpen": record.is_open,
        "numOpenings": record.openings,
        "startDate": record.start,
        "dateAdded": record.added,
        "dateLastModified": record.modified,
        "isDeleted": record.deleted,
    }


def submission(record: Submission) -> dict[str, Any]:
    return {
        "id": record.id,
        "candidate": {"id": record.candidate_id},
        "jobOrder": {"id": record.job_id},
        "status": record.status,
        "source": record.source,
        "dateAdded": record.added,
        "dateLastModified": record.modified,
        "isDeleted": record.deleted,
    }


def placement(record: Placement) -> dict[str, Any]:
    return {
        "id": record.id,
        "candidate": {"id": record.candidate_id},
        "jobOrder": {"id": record.job_id},
        "status": record.status,
        "dateBegin": record.start,
        "dateEnd": record.end,
        "salary": _money(record.pay_minor),
        "salaryUnit": _UNITS[record.pay_unit],
        "payRate": _money(record.pay_minor) if record.pay_unit == "hour" else 0.0,
        "employmentType": record.employment_type,
        "dateAdded": record.added,
        "dateLastModified": record.modified,
    }


def render(kind: EntityKind, record: Record) -> dict[str, Any]:
    """``record`` with every Bullhorn field."""
    renderer: Callable[[Any], dict[str, Any]] = _RENDERERS[kind]
    return renderer(record)


_RENDERERS: dict[EntityKind, Callable[[Any], dict[str, Any]]] = {
    EntityKind.CANDIDATE: candidate,
    EntityKind.COMPANY: company,
    EntityKind.JOB: job,
    EntityKind.SUBMISSION: submission,
    EntityKind.PLACEMENT: placement,
}


@cache
def field_names(kind: EntityKind) -> dict[str, tuple[str, ...] | None]:
    """Each field of ``kind`` and, for nested ones, their sub-fields (read off a rendered blank record)."""
    blank: dict[EntityKind, Record] = {
        EntityKind.CANDIDATE: Candidate(
            0, 0, 0, "", "", "", "", "", "", (), "", "", "", "", "US", "", "", 0, "year", "", 0
        ),
        EntityKind.COMPANY: Company(0, 0, 0, "", "", "", "", "", "", "", "US", "", "", 0),
        EntityKind.JOB: Job(
            0, 0, 0, "", "", 0, "", "", "", "", "", "US", 0, "year", "", (), "", True, 1, 0, ""
        ),
        EntityKind.SUBMISSION: Submission(0, 0, 0, 0, 0, "", ""),
        EntityKind.PLACEMENT: Placement(0, 0, 0, 0, 0, "", 0, None, 0, "year", ""),
    }
    sample = render(kind, blank[kind])
    return {name: tuple(value) if isinstance(value, dict) else None for name, value in sample.items()}


ALL_FIELDS: Selection = [("*", None)]
"""The selection of ``fields=*``: the full record, as rendered."""


def parse_fields(kind: EntityKind, text: str | None) -> Selection:
    """``id,firstName,address(city,state)`` as a selection; ``*`` means every field. Raises ValueError."""
    known = field_names(kind)
    if text is None or not text.strip():
        return [("id", None)]
    selection: Selection = []
    for item in _split_top_level(text):
        if item == "*":
            return ALL_FIELDS
        name, _, rest = item.partition("(")
        name = name.strip()
        if name not in known:
            raise ValueError(f"Invalid field '{name}' for entity {NAMES[kind]}")
        sub: tuple[str, ...] | None = None
        if rest:
            sub = tuple(part.strip() for part in rest.rstrip(")").split(",") if part.strip())
            allowed = known[name] or ()
            wrong = [part for part in sub if part not in allowed and part != "*"]
            if wrong:
                raise ValueError(f"Invalid field '{name}.{wrong[0]}' for entity {NAMES[kind]}")
            if "*" in sub:
                sub = None
        selection.append((name, sub))
    return selection


def _split_top_level(text: str) -> list[str]:
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        depth += char == "("
        depth -= char == ")"
        current.append(char)
    items.append("".join(current).strip())
    return [item for item in items if item]


def select(full: dict[str, Any], selection: Selection) -> dict[str, Any]:
    """The fields of ``full`` that ``selection`` asks for, in the order asked."""
    if selection is ALL_FIELDS:
        return full
    out: dict[str, Any] = {}
    for name, sub in selection:
        value = full[name]
        if sub is not None and isinstance(value, dict):
            value = {key: value[key] for key in sub if key in value}
        out[name] = value
    return out
