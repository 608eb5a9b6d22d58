"""HubSpot's object shapes: sandbox records as CRM v3 objects whose properties are all strings (or null).

Contacts hold candidates, deals hold job openings, companies hold client companies. Custom properties
(``skills``, ``salary_expectation``, ``job_city``...) are what a staffing portal would define. Multi-select
values are joined by ``;``, as HubSpot does; times are ISO 8601 with milliseconds and ``Z``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.records import Candidate, Company, Job, Record
from hireflow.infra.crm.sandbox.timefmt import iso_date, iso_z

OBJECTS: dict[str, EntityKind] = {
    "contacts": EntityKind.CANDIDATE,
    "deals": EntityKind.JOB,
    "companies": EntityKind.COMPANY,
}
OBJECT_TYPE_IDS = {"0-1": "contacts", "0-3": "deals", "0-2": "companies"}
MODIFIED_PROPERTY: dict[EntityKind, str] = {
    EntityKind.CANDIDATE: "lastmodifieddate",
    EntityKind.JOB: "hs_lastmodifieddate",
    EntityKind.COMPANY: "hs_lastmodifieddate",
}
DEFAULT_PROPERTIES: dict[EntityKind, tuple[str, ...]] = {
    EntityKind.CANDIDATE: (
        "createdate",
        "email",
        "firstname",
        "hs_object_id",
        "lastmodifieddate",
        "lastname",
    ),
    EntityKind.JOB: (
        "amount",
        "closedate",
        "createdate",
        "dealname",
        "dealstage",
        "hs_lastmodifieddate",
        "hs_object_id",
        "pipeline",
    ),
    EntityKind.COMPANY: ("createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"),
}
_COUNTRIES = {"US": "United States", "CA": "Canada", "GB": "United Kingdom"}
_LEAD_STATUS = {
    "New Lead": "NEW", "Active": "OPEN", "Available": "OPEN", "Submitted": "IN_PROGRESS", "Placed": "CONNECTED",
    "Passive": "ATTEMPTED_TO_CONTACT", "Do Not Contact": "UNQUALIFIED", "Archive": "UNQUALIFIED",
}  # fmt: skip
_LIFECYCLE = {
    "New Lead": "lead", "Active": "salesqualifiedlead", "Available": "salesqualifiedlead", "Submitted": "opportunity",
    "Placed": "customer", "Passive": "subscriber", "Do Not Contact": "other", "Archive": "other",
}  # fmt: skip
_DEAL_STAGES = {
    "Accepting Candidates": "appointmentscheduled", "Covered": "qualifiedtobuy", "Offer Out": "contractsent",
    "On Hold": "decisionmakerboughtin", "Placed": "closedwon", "Filled": "closedwon", "Lost": "closedlost",
    "Closed": "closedlost",
}  # fmt: skip
_COMPANY_LIFECYCLE = {
    "Active Account": "customer",
    "Prospect": "lead",
    "Passive Account": "other",
    "DNC": "other",
}
_INDUSTRIES = {
    "Healthcare": "HOSPITAL_HEALTH_CARE", "Technology": "COMPUTER_SOFTWARE",
    "Transportation & Logistics": "TRANSPORTATION_TRUCKING_RAILROAD", "Finance & Accounting": "ACCOUNTING",
    "Skilled Trades": "FACILITIES_SERVICES", "Manufacturing": "INDUSTRIAL_AUTOMATION",
    "Office & Administration": "STAFFING_AND_RECRUITING", "Sales & Customer Service": "RETAIL",
    "Hospitality": "HOSPITALITY", "Construction": "CONSTRUCTION",
}  # fmt: skip
_HOURS_PER_YEAR = 2080
_FEE_SHARE = 0.2  # an agency's fee: a fifth of the first year's pay, per opening


def _money(minor: int) -> str:
    return f"{minor / 100:.2f}"


def contact(record: Candidate, created: str, modified: str) -> dict[str, str | None]:
    return {
        "firstname": record.first_name,
        "lastname": record.last_name,
        "email": record.email,
        "phone": record.phone,
        "mobilephone": record.mobile,
        "jobtitle": record.occupation,
        "address": record.address1,
        "city": record.city,
        "state": record.state,
        "zip": record.zip,
        "country": _COUNTRIES[record.country],
        "hs_lead_status": _LEAD_STATUS.get(record.status, record.status),
        "lifecyclestage": _LIFECYCLE.get(record.status, "lead"),
        "skills": ";".join(record.skills),
        "salary_expectation": _money(record.pay_minor),
        "salary_unit": f"per {record.pay_unit}",
        "employment_preference": record.employment_preference,
        "candidate_source": record.source,
        "date_available": iso_date(record.available),
        "hs_object_id": str(record.id),
        "createdate": created,
        "lastmodifieddate": modified,
    }


def deal(record: Job, created: str, modified: str) -> dict[str, str | None]:
    yearly_minor = record.pay_minor * (_HOURS_PER_YEAR if record.pay_unit == "hour" else 1)
    return {
        "dealname": f"{record.title} - {record.company_name}" if record.title else None,
        "description": record.description,
        "amount": str(round(yearly_minor / 100 * _FEE_SHARE * record.openings)),
        "pipeline": "default",
        "dealstage": _DEAL_STAGES.get(record.status, record.status),
        "closedate": iso_z(record.start),
        "job_title": record.title,
        "job_city": record.city,
        "job_state": record.state or None,
        "employment_type": record.employment_type,
        "skills": ";".join(record.skills),
        "openings": str(record.openings),
        "pay_rate": _money(record.pay_minor),
        "pay_unit": f"per {record.pay_unit}",
        "company_name": record.company_name,
        "hs_object_id": str(record.id),
        "createdate": created,
        "hs_lastmodifieddate": modified,
    }


def company(record: Company, created: str, modified: str) -> dict[str, str | None]:
    return {
        "name": record.name,
        "domain": record.domain,
        "address": record.address1,
        "city": record.city,
        "state": record.state or None,
        "zip": record.zip,
        "country": _COUNTRIES[record.country],
        "phone": record.phone,
        "industry": _INDUSTRIES[record.industry],
        "numberofemployees": str(record.employees),
        "lifecyclestage": _COMPANY_LIFECYCLE.get(record.status, record.status),
        "hs_object_id": str(record.id),
        "createdate": created,
        "hs_lastmodifieddate": modified,
    }


# Each takes the record and its creation and modification times, already formatted (each is used twice).
_RENDERERS: dict[EntityKind, Callable[[Any, str, str], dict[str, str | None]]] = {
    EntityKind.CANDIDATE: contact,
    EntityKind.JOB: deal,
    EntityKind.COMPANY: company,
}


def properties(kind: EntityKind, record: Record) -> dict[str, str | None]:
    """Every property of ``record``."""
    return _RENDERERS[kind](record, iso_z(record.added), iso_z(record.modified))


def to_object(kind: EntityKind, record: Record, wanted: tuple[str, ...] | None) -> dict[str, Any]:
    """``record`` as a CRM v3 object with the ``wanted`` properties (default ones when None; unknown ones omitted)."""
    created, modified = iso_z(record.added), iso_z(record.modified)
    every = _RENDERERS[kind](record, created, modified)
    names = DEFAULT_PROPERTIES[kind] if wanted is None else wanted
    result: dict[str, Any] = {
        "id": str(record.id),
        "properties": {name: every[name] for name in names if name in every},
        "createdAt": created,
        "updatedAt": modified,
        "archived": record.deleted,
    }
    if record.deleted:
        result["archivedAt"] = modified
    return result


def render(kind: EntityKind, record: Record) -> dict[str, Any]:
    """The full object, every property included (for the control API)."""
    return to_object(kind, record, tuple(properties(kind, record)))
