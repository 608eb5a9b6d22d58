"""Salesforce's object shapes: Contact (candidates), Account (client companies), Opportunity (job openings).

Datetimes are ``2024-05-01T12:00:00.000+0000``, dates ``2024-05-01``, multi-select picklists joined by ``;``.
Custom fields end in ``__c``. SOQL field names are case-insensitive: :func:`canonical_field` maps them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from hireflow.infra.crm.sandbox.config import EntityKind
from hireflow.infra.crm.sandbox.records import Candidate, Company, Job, Record
from hireflow.infra.crm.sandbox.salesforce_ids import record_id
from hireflow.infra.crm.sandbox.timefmt import iso_date, salesforce_datetime

OBJECTS: dict[str, EntityKind] = {
    "Contact": EntityKind.CANDIDATE,
    "Account": EntityKind.COMPANY,
    "Opportunity": EntityKind.JOB,
}
NAMES: dict[EntityKind, str] = {kind: name for name, kind in OBJECTS.items()}
_COUNTRIES = {"US": "United States", "CA": "Canada", "GB": "United Kingdom"}
_INDUSTRIES = {
    "Healthcare": "Healthcare", "Technology": "Technology", "Transportation & Logistics": "Transportation",
    "Finance & Accounting": "Finance", "Skilled Trades": "Engineering", "Manufacturing": "Manufacturing",
    "Office & Administration": "Consulting", "Sales & Customer Service": "Retail", "Hospitality": "Hospitality",
    "Construction": "Construction",
}  # fmt: skip
_ACCOUNT_TYPES = {
    "Active Account": "Customer - Direct",
    "Prospect": "Prospect",
    "Passive Account": "Other",
    "DNC": "Other",
}
_STAGES = {
    "Accepting Candidates": "Prospecting", "Covered": "Qualification", "Offer Out": "Proposal/Price Quote",
    "On Hold": "Needs Analysis", "Placed": "Closed Won", "Filled": "Closed Won", "Lost": "Closed Lost",
    "Closed": "Closed Lost",
}  # fmt: skip
_HOURS_PER_YEAR = 2080
_FEE_SHARE = 0.2


def _stamps(record: Record) -> dict[str, Any]:
    modified = salesforce_datetime(record.modified)
    return {
        "CreatedDate": salesforce_datetime(record.added),
        "LastModifiedDate": modified,
        "SystemModstamp": modified,
    }


def contact(record: Candidate) -> dict[str, Any]:
    return {
        "Id": record_id(EntityKind.CANDIDATE, record.id),
        "IsDeleted": record.deleted,
        "FirstName": record.first_name,
        "LastName": record.last_name,
        "Name": f"{record.first_name or ''} {record.last_name or ''}".strip(),
        "Email": record.email,
        "Phone": record.phone,
        "MobilePhone": record.mobile,
        "Title": record.occupation,
        "MailingStreet": record.address1,
        "MailingCity": record.city,
        "MailingState": record.state,
        "MailingPostalCode": record.zip,
        "MailingCountry": _COUNTRIES[record.country],
        "Skills__c": ";".join(record.skills),
        "Salary_Expectation__c": record.pay_minor / 100,
        "Salary_Unit__c": f"Per {record.pay_unit.title()}",
        "Employment_Preference__c": record.employment_preference,
        "Candidate_Status__c": record.status,
        "LeadSource": record.source,
        "Available_From__c": iso_date(record.available),
        "AccountId": None,
        **_stamps(record),
    }


def account(record: Company) -> dict[str, Any]:
    return {
        "Id": record_id(EntityKind.COMPANY, record.id),
        "IsDeleted": record.deleted,
        "Name": record.name,
        "Website": f"https://www.{record.domain}",
        "BillingStreet": record.address1,
        "BillingCity": record.city,
        "BillingState": record.state or None,
        "BillingPostalCode": record.zip,
        "BillingCountry": _COUNTRIES[record.country],
        "Phone": record.phone,
        "Industry": _INDUSTRIES[record.industry],
        "Type": _ACCOUNT_TYPES.get(record.status, record.status),
        "NumberOfEmployees": record.employees,
        **_stamps(record),
    }


def opportunity(record: Job) -> dict[str, Any]:
    stage = _STAGES.get(record.status, record.status)
    yearly_minor = record.pay_minor * (_HOURS_PER_YEAR if record.pay_unit == "hour" else 1)
    return {
        "Id": record_id(EntityKind.JOB, record.id),
        "IsDeleted": record.deleted,
        "Name": record.title,
        "Description": record.description,
        "Amount": round(yearly_minor / 100 * _FEE_SHARE * record.openings, 2),
        "StageName": stage,
        "CloseDate": iso_date(record.start),
        "AccountId": record_id(EntityKind.COMPANY, record.company_id),
        "Job_City__c": record.city,
        "Job_State__c": record.state or None,
        "Employment_Type__c": record.employment_type,
        "Skills__c": ";".join(record.skills),
        "Openings__c": record.openings,
        "Pay_Rate__c": record.pay_minor / 100,
        "Pay_Unit__c": f"Per {record.pay_unit.title()}",
        "IsClosed": stage.startswith("Closed"),
        "IsWon": stage == "Closed Won",
        **_stamps(record),
    }


_RENDERERS: dict[EntityKind, Callable[[Any], dict[str, Any]]] = {
    EntityKind.CANDIDATE: contact,
    EntityKind.COMPANY: account,
    EntityKind.JOB: opportunity,
}


def fields(kind: EntityKind, record: Record) -> dict[str, Any]:
    """Every field of ``record``, without ``attributes``."""
    return _RENDERERS[kind](record)


def render(kind: EntityKind, record: Record, version: str = "v60.0") -> dict[str, Any]:
    """The full record as a query returns it, ``attributes`` first."""
    every = fields(kind, record)
    return {"attributes": attributes(kind, every["Id"], version), **every}


def attributes(kind: EntityKind, sf_id: str, version: str) -> dict[str, str]:
    """A record's ``attributes``: its type and its URL."""
    name = NAMES[kind]
    return {"type": name, "url": f"/services/data/{version}/sobjects/{name}/{sf_id}"}


@cache
def canonical_fields(kind: EntityKind) -> dict[str, str]:
    """Lower-cased field name -> its proper spelling, for ``kind``."""
    blank: dict[EntityKind, Record] = {
        EntityKind.CANDIDATE: Candidate(
            1, 0, 0, "", "", "", "", "", "", (), "", "", "", "", "US", "", "", 0, "year", "", 0
        ),
        EntityKind.COMPANY: Company(1, 0, 0, "", "Technology", "", "", "", "", "", "US", "", "", 0),
        EntityKind.JOB: Job(
            1, 0, 0, "", "", 1, "", "", "", "", "", "US", 0, "year", "", (), "", True, 1, 0, ""
        ),
    }
    return {name.lower(): name for name in fields(kind, blank[kind])}


def canonical_field(kind: EntityKind, name: str) -> str | None:
    """The proper spelling of field ``name`` of ``kind``, or None when there is no such field."""
    return canonical_fields(kind).get(name.lower())
