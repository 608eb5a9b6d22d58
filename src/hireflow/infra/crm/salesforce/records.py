"""Salesforce's objects in Hireflow's terms: Account (client companies), Opportunity (job openings) and Contact
(candidates).

Datetimes are ``2024-05-01T12:00:00.000+0000`` (or ``Z``), dates ``2024-05-01``, multi-select pick-lists are
joined by ``;`` and custom fields end in ``__c``. Pick-lists Hireflow interprets (an opportunity's stage, an
account's type, a contact's status, employment types, pay units) are checked against the values known here — the
Salesforce defaults, and the recruiting values of a staffing org — and an unknown value is a problem (an org
that adds its own: extend the maps). Descriptive pick-lists Hireflow only keeps as text (``Industry``,
``LeadSource``) are not checked. A ``CreatedDate`` before 1900 or far ahead is a problem, as are a bad e-mail
and a phone number that does not parse.

:func:`keyset_soql` writes the query that reads an object from a cursor on, in ``(SystemModstamp, Id)`` order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hireflow.domain.models.crm_sync import (
    CandidateImport,
    ClientCompanyImport,
    CrmEntity,
    ImportRecord,
    JobImport,
    SourceRecord,
    SyncCursor,
)
from hireflow.domain.models.jobs import JobEmploymentType, JobStatus
from hireflow.domain.models.org import PayPeriod
from hireflow.infra.crm.fields import FieldReader, country_code, skills

OBJECT_NAMES: Mapping[CrmEntity, str] = {
    CrmEntity.CLIENT_COMPANIES: "Account",
    CrmEntity.JOBS: "Opportunity",
    CrmEntity.CANDIDATES: "Contact",
}

FIELDS: Mapping[CrmEntity, tuple[str, ...]] = {
    CrmEntity.CLIENT_COMPANIES: (
        "Id", "IsDeleted", "Name", "Website", "Phone", "Industry", "Type", "BillingCity", "BillingState",
        "BillingPostalCode", "BillingCountry", "CreatedDate", "SystemModstamp",
    ),
    CrmEntity.JOBS: (
        "Id", "IsDeleted", "Name", "Description", "StageName", "AccountId", "Job_City__c", "Job_State__c",
        "Employment_Type__c", "Skills__c", "Openings__c", "Pay_Rate__c", "Pay_Unit__c", "CreatedDate",
        "SystemModstamp",
    ),
    CrmEntity.CANDIDATES: (
        "Id", "IsDeleted", "FirstName", "LastName", "Email", "Phone", "MobilePhone", "Title", "MailingCity",
        "MailingState", "MailingPostalCode", "MailingCountry", "Skills__c", "Salary_Expectation__c",
        "Salary_Unit__c", "Candidate_Status__c", "LeadSource", "Available_From__c", "CreatedDate",
        "SystemModstamp",
    ),
}  # fmt: skip
"""What Hireflow selects of each object (``SELECT ... FROM``)."""

STAGES: Mapping[str, JobStatus] = {
    "Prospecting": JobStatus.OPEN,
    "Qualification": JobStatus.OPEN,
    "Needs Analysis": JobStatus.OPEN,
    "Value Proposition": JobStatus.OPEN,
    "Id. Decision Makers": JobStatus.OPEN,
    "Perception Analysis": JobStatus.OPEN,
    "Proposal/Price Quote": JobStatus.OPEN,
    "Negotiation/Review": JobStatus.OPEN,
    "Closed Won": JobStatus.FILLED,
    "Closed Lost": JobStatus.CANCELLED,
}
"""Salesforce's default opportunity stages: every open stage is an open job; won is filled, lost cancelled."""

ACCOUNT_TYPES = frozenset(
    {
        "Prospect",
        "Customer - Direct",
        "Customer - Channel",
        "Channel Partner / Reseller",
        "Installation Partner",
        "Technology Partner",
        "Other",
    }
)
"""Salesforce's default ``Account.Type`` pick-list (Hireflow's client company ``status``)."""

CANDIDATE_STATUSES = frozenset(
    {
        "Active",
        "New Lead",
        "Available",
        "Submitted",
        "Placed",
        "Passive",
        "Do Not Contact",
        "Archive",
        "Inactive",
    }
)
"""The ``Contact.Candidate_Status__c`` pick-list of a staffing org."""
ARCHIVED = "Archive"

EMPLOYMENT_TYPES: Mapping[str, JobEmploymentType] = {
    "Direct Hire": JobEmploymentType.PERMANENT,
    "Permanent": JobEmploymentType.PERMANENT,
    "Contract": JobEmploymentType.CONTRACT,
    "Contract to Hire": JobEmploymentType.CONTRACT_TO_HIRE,
    "Contract To Hire": JobEmploymentType.CONTRACT_TO_HIRE,
    "Temp": JobEmploymentType.TEMPORARY,
    "Temporary": JobEmploymentType.TEMPORARY,
    "Part-Time": JobEmploymentType.PART_TIME,
}
PAY_UNITS: Mapping[str, PayPeriod] = {
    "Per Hour": PayPeriod.HOUR,
    "Per Day": PayPeriod.DAY,
    "Per Week": PayPeriod.WEEK,
    "Per Month": PayPeriod.MONTH,
    "Per Year": PayPeriod.YEAR,
}
PERIODS_PER_YEAR: Mapping[PayPeriod, int] = {
    PayPeriod.HOUR: 2080,
    PayPeriod.DAY: 260,
    PayPeriod.WEEK: 52,
    PayPeriod.MONTH: 12,
    PayPeriod.YEAR: 1,
}
"""A candidate's expected pay as a yearly amount, whatever unit it was given in."""

COUNTRY_NAMES: Mapping[str, str] = {
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US",
    "canada": "CA", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "ireland": "IE", "mexico": "MX",
    "australia": "AU", "new zealand": "NZ", "india": "IN", "germany": "DE", "france": "FR", "spain": "ES",
    "netherlands": "NL", "philippines": "PH", "south africa": "ZA",
}  # fmt: skip
"""Country names as address fields hold them without Salesforce's State and Country pick-lists."""


def parse_datetime(value: object) -> datetime | None:
    """A Salesforce datetime (``2024-01-01T00:00:00.000+0000``, ``...Z``, ``...+00:00``) in UTC; None if not."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None


def keyset_soql(entity: CrmEntity, after: SyncCursor | None) -> str:
    """The SOQL reading ``entity``'s records after ``after`` in ``(SystemModstamp, Id)`` order."""
    query = f"SELECT {', '.join(FIELDS[entity])} FROM {OBJECT_NAMES[entity]}"  # noqa: S608 - our own names
    if after is not None:
        stamp, record_id = soql_datetime(after.modified_at), soql_string(after.external_id)
        query += f" WHERE SystemModstamp > {stamp} OR (SystemModstamp = {stamp} AND Id > {record_id})"
    return query + " ORDER BY SystemModstamp, Id"


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal in UTC: ``2024-01-01T00:00:00Z``, with milliseconds when there are some
    (``2024-01-01T00:00:00.250Z``), so a cursor between two records of one second stays exact."""
    utc = moment.astimezone(UTC)
    millis = f".{utc.microsecond // 1000:03d}" if utc.microsecond else ""
    return f"{utc:%Y-%m-%dT%H:%M:%S}{millis}Z"


def soql_string(text: str) -> str:
    """A quoted SOQL string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def is_anonymised(payload: Mapping[str, Any]) -> bool:
    """A GDPR erasure blanks a contact's name and contact details and archives the record."""
    return payload.get("Candidate_Status__c") == ARCHIVED and not (
        payload.get("FirstName") or payload.get("LastName")
    )


def parse(entity: CrmEntity, record: SourceRecord, *, phone_region: str = "US") -> ImportRecord:
    """``record`` of ``entity`` in Hireflow's terms; ValidationFailed listing every problem."""
    parser = _PARSERS.get(entity)
    if parser is None:
        raise ValueError(f"Salesforce holds no {entity.value}")
    return parser(FieldReader(record, phone_region=phone_region), record.payload)


def _company(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    reader.iso(payload.get("CreatedDate"), "created_date")  # a plausibility check: Hireflow keeps no copy
    country = _country(payload.get("BillingCountry"))
    status = reader.text(payload.get("Type"), "status", max_length=50)
    if status is not None and status not in ACCOUNT_TYPES:
        reader.problem(
            "status", f"unknown Type {status!r}; known values: {', '.join(sorted(ACCOUNT_TYPES))}", status
        )
    return reader.build(
        ClientCompanyImport,
        {
            "name": reader.required(payload.get("Name"), "name", max_length=200),
            "website": reader.text(payload.get("Website"), "website", max_length=300),
            "phone": _optional_phone(reader, payload.get("Phone"), country),
            "industry": reader.text(payload.get("Industry"), "industry", max_length=100),
            "city": reader.text(payload.get("BillingCity"), "city", max_length=100),
            "region": reader.text(payload.get("BillingState"), "region", max_length=100),
            "country": country,
            "status": status,
        },
    )


def _job(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    # Amount is the opportunity's value to the agency (its fee), not what the job pays: Pay_Rate__c is.
    pay = reader.money(payload.get("Pay_Rate__c"), "salary_min_minor")
    account = reader.text(payload.get("AccountId"), "client_company_ref", max_length=200)
    return reader.build(
        JobImport,
        {
            "title": reader.required(payload.get("Name"), "title", max_length=200),
            "description": reader.text(payload.get("Description"), "description"),
            "client_company_ref": account,
            "city": reader.text(payload.get("Job_City__c"), "city", max_length=100),
            "region": reader.text(payload.get("Job_State__c"), "region", max_length=100),
            "salary_min_minor": pay,
            "salary_max_minor": pay,
            "salary_unit": reader.choice(
                payload.get("Pay_Unit__c"), "salary_unit", PAY_UNITS, required=False
            ),
            "employment_type": reader.choice(
                payload.get("Employment_Type__c"), "employment_type", EMPLOYMENT_TYPES, required=False
            ),
            "skills": skills(payload.get("Skills__c")),
            "status": reader.choice(payload.get("StageName"), "status", STAGES),
            "openings": reader.whole(payload.get("Openings__c"), "openings", default=1),
            "opened_at": reader.iso(payload.get("CreatedDate"), "opened_at"),
        },
    )


def _candidate(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    reader.iso(payload.get("CreatedDate"), "created_date")  # a plausibility check: Hireflow keeps no copy
    country = _country(payload.get("MailingCountry"))
    status = reader.text(payload.get("Candidate_Status__c"), "status", max_length=100)
    if status is not None and status not in CANDIDATE_STATUSES:
        reader.problem(
            "status",
            f"unknown Candidate_Status__c {status!r}; known values: {', '.join(sorted(CANDIDATE_STATUSES))}",
            status,
        )
    source = reader.text(payload.get("LeadSource"), "source_detail", max_length=180)
    return reader.build(
        CandidateImport,
        {
            "first_name": reader.required(payload.get("FirstName"), "first_name", max_length=100),
            "last_name": reader.required(payload.get("LastName"), "last_name", max_length=100),
            "phone_e164": reader.phone(
                {"MobilePhone": payload.get("MobilePhone"), "Phone": payload.get("Phone")}, country=country
            ),
            "email": reader.email(payload.get("Email")),
            "headline": reader.text(payload.get("Title"), "headline", max_length=200),
            "skills": skills(payload.get("Skills__c")),
            "city": reader.text(payload.get("MailingCity"), "city", max_length=100),
            "region": reader.text(payload.get("MailingState"), "region", max_length=100),
            "country": country,
            "postal_code": reader.text(payload.get("MailingPostalCode"), "postal_code", max_length=20),
            "salary_expectation_minor": _yearly_pay(reader, payload),
            "available_from": reader.day(reader.iso(payload.get("Available_From__c"), "available_from")),
            "source_detail": f"salesforce: {source}" if source else "salesforce",
        },
    )


_PARSERS = {
    CrmEntity.CLIENT_COMPANIES: _company,
    CrmEntity.JOBS: _job,
    CrmEntity.CANDIDATES: _candidate,
}


def _yearly_pay(reader: FieldReader, payload: Mapping[str, Any]) -> int | None:
    amount = reader.money(payload.get("Salary_Expectation__c"), "salary_expectation_minor")
    unit = reader.choice(payload.get("Salary_Unit__c"), "salary_unit", PAY_UNITS, required=False)
    if amount is None:
        return None
    return amount * PERIODS_PER_YEAR[unit or PayPeriod.YEAR]


def _optional_phone(reader: FieldReader, value: object, country: str | None) -> str | None:
    """A company's phone number in E.164 when it has one; a problem when it is not a number."""
    if reader.text(value, "phone") is None:
        return None
    return reader.phone({"Phone": value}, "phone", country=country)


def _country(value: object) -> str | None:
    """An ISO 3166-1 alpha-2 code from a country name (``United States``) or code (``US``); None if unknown."""
    if not isinstance(value, str):
        return None
    named = COUNTRY_NAMES.get(value.strip().lower())
    return named if named is not None else country_code(value)
