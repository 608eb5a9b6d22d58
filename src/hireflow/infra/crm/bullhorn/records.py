"""Bullhorn's entities in Hireflow's terms: ClientCorporation, JobOrder, Candidate, JobSubmission, Placement.

Timestamps are epoch milliseconds; money is in currency units (``salary`` per ``salaryUnit``); pick-list
values are Bullhorn's defaults (an instance can add its own: extend the maps). A value outside a pick-list is a
problem, as are a bad e-mail, a phone number that does not parse, and a date before 1900 or far ahead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hireflow.domain.models.crm_sync import (
    ApplicationImport,
    CandidateImport,
    ClientCompanyImport,
    CrmEntity,
    ImportRecord,
    JobImport,
    PlacementImport,
    SourceRecord,
)
from hireflow.domain.models.jobs import ApplicationStatus, JobEmploymentType, JobStatus, PlacementStatus
from hireflow.domain.models.org import PayPeriod
from hireflow.infra.crm.fields import FieldReader, country_code, skills

ENTITY_NAMES: Mapping[CrmEntity, str] = {
    CrmEntity.CLIENT_COMPANIES: "ClientCorporation",
    CrmEntity.JOBS: "JobOrder",
    CrmEntity.CANDIDATES: "Candidate",
    CrmEntity.APPLICATIONS: "JobSubmission",
    CrmEntity.PLACEMENTS: "Placement",
}

FIELDS: Mapping[CrmEntity, str] = {
    CrmEntity.CLIENT_COMPANIES: "id,name,address,phone,companyURL,industryList,status,dateAdded,dateLastModified",
    CrmEntity.JOBS: "id,title,publicDescription,clientCorporation(id,name),address,salary,salaryUnit,payRate,"
    "employmentType,skillList,status,isOpen,numOpenings,startDate,dateAdded,dateLastModified,isDeleted",
    CrmEntity.CANDIDATES: "id,firstName,lastName,email,phone,mobile,occupation,skillSet,address,status,source,"
    "salary,hourlyRate,employmentPreference,dateAvailable,dateAdded,dateLastModified,isDeleted",
    CrmEntity.APPLICATIONS: "id,candidate(id),jobOrder(id),status,source,dateAdded,dateLastModified,isDeleted",
    CrmEntity.PLACEMENTS: "id,candidate(id),jobOrder(id),status,dateBegin,dateEnd,salary,salaryUnit,payRate,"
    "dateAdded,dateLastModified",
}
"""What Hireflow asks for of each entity (``fields=``)."""

SOFT_DELETED = frozenset({CrmEntity.JOBS, CrmEntity.CANDIDATES, CrmEntity.APPLICATIONS})
"""Entities Bullhorn marks ``isDeleted``; it deletes the others outright (a full sync finds those)."""

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
COMPANY_STATUSES = frozenset({"Active Account", "Prospect", "Passive Account", "DNC", "Archive"})
JOB_STATUSES: Mapping[str, JobStatus] = {
    "Accepting Candidates": JobStatus.OPEN,
    "Covered": JobStatus.OPEN,
    "Offer Out": JobStatus.OPEN,
    "On Hold": JobStatus.ON_HOLD,
    "Placed": JobStatus.FILLED,
    "Filled": JobStatus.FILLED,
    "Closed": JobStatus.CLOSED,
    "Lost": JobStatus.CANCELLED,
    "Cancelled": JobStatus.CANCELLED,
    "Archive": JobStatus.CLOSED,
}
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
SUBMISSION_STATUSES: Mapping[str, ApplicationStatus] = {
    "Submitted": ApplicationStatus.SUBMITTED,
    "New Lead": ApplicationStatus.SUBMITTED,
    "Client Submission": ApplicationStatus.SCREENING,
    "Interview Scheduled": ApplicationStatus.INTERVIEWING,
    "Offer Extended": ApplicationStatus.OFFERED,
    "Placed": ApplicationStatus.PLACED,
    "Client Rejected": ApplicationStatus.REJECTED,
    "Sales Rep Rejected": ApplicationStatus.REJECTED,
    "Candidate Not Interested": ApplicationStatus.WITHDRAWN,
}
PLACEMENT_STATUSES: Mapping[str, PlacementStatus] = {
    "Submitted": PlacementStatus.PENDING,
    "Approved": PlacementStatus.ACTIVE,
    "Active": PlacementStatus.ACTIVE,
    "Completed": PlacementStatus.COMPLETED,
    "Terminated": PlacementStatus.TERMINATED,
}
SALARY_UNITS: Mapping[str, PayPeriod] = {
    "Per Hour": PayPeriod.HOUR,
    "Per Day": PayPeriod.DAY,
    "Per Week": PayPeriod.WEEK,
    "Per Month": PayPeriod.MONTH,
    "Per Year": PayPeriod.YEAR,
}
COUNTRY_IDS: Mapping[int, str] = {1: "US", 2216: "CA", 2359: "GB"}
"""Bullhorn's ``countryID`` of the countries the defaults know; ``countryCode``, when sent, is used first."""

HOURS_PER_YEAR = 2080


def is_anonymised(payload: Mapping[str, Any]) -> bool:
    """Bullhorn's GDPR anonymisation blanks a candidate's name and contact details and archives the record."""
    return payload.get("status") == "Archive" and not (payload.get("firstName") or payload.get("lastName"))


def parse(entity: CrmEntity, record: SourceRecord, *, phone_region: str = "US") -> ImportRecord:
    """``record`` of ``entity`` in Hireflow's terms; ValidationFailed listing every problem."""
    reader = FieldReader(record, phone_region=phone_region)
    payload = record.payload
    reader.epoch_ms(payload.get("dateAdded"), "date_added")  # a plausibility check: Hireflow keeps no copy
    return _PARSERS[entity](reader, payload)


def _company(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    address = _address(payload)
    status = reader.text(payload.get("status"), "status", max_length=50)
    if status is not None and status not in COMPANY_STATUSES:
        reader.problem(
            "status", f"unknown value {status!r}; known values: {', '.join(sorted(COMPANY_STATUSES))}"
        )
    return reader.build(
        ClientCompanyImport,
        {
            "name": reader.required(payload.get("name"), "name", max_length=200),
            "website": reader.text(payload.get("companyURL"), "website", max_length=300),
            "phone": reader.phone(
                {"phone": payload.get("phone")}, "phone", country=_country(address), required=False
            ),
            "industry": reader.text(_first(payload.get("industryList")), "industry", max_length=100),
            "city": reader.text(address.get("city"), "city", max_length=100),
            "region": reader.text(address.get("state"), "region", max_length=100),
            "country": _country(address),
            "status": status,
        },
    )


def _job(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    address = _address(payload)
    client = payload.get("clientCorporation") or {}
    unit = reader.choice(payload.get("salaryUnit"), "salary_unit", SALARY_UNITS, required=False)
    salary = reader.money(payload.get("salary"), "salary_min_minor")
    return reader.build(
        JobImport,
        {
            "title": reader.required(payload.get("title"), "title", max_length=200),
            "description": reader.text(payload.get("publicDescription"), "description"),
            "client_company_ref": str(client["id"])
            if isinstance(client, dict) and client.get("id")
            else None,
            "city": reader.text(address.get("city"), "city", max_length=100),
            "region": reader.text(address.get("state"), "region", max_length=100),
            "country": _country(address),
            "postal_code": reader.text(address.get("zip"), "postal_code", max_length=20),
            "salary_min_minor": salary,
            "salary_max_minor": salary,
            "salary_unit": unit,
            "employment_type": reader.choice(
                payload.get("employmentType"), "employment_type", EMPLOYMENT_TYPES
            ),
            "skills": skills(payload.get("skillList")),
            "status": reader.choice(payload.get("status"), "status", JOB_STATUSES),
            "openings": reader.whole(payload.get("numOpenings"), "openings", default=1),
            "opened_at": reader.epoch_ms(payload.get("startDate"), "opened_at"),
        },
    )


def _candidate(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    address = _address(payload)
    status = reader.text(payload.get("status"), "status")
    if status is not None and status not in CANDIDATE_STATUSES:
        reader.problem(
            "status", f"unknown value {status!r}; known values: {', '.join(sorted(CANDIDATE_STATUSES))}"
        )
    salary = reader.money(payload.get("salary"), "salary_expectation_minor")
    hourly = reader.money(payload.get("hourlyRate"), "salary_expectation_minor")
    source = reader.text(payload.get("source"), "source_detail", max_length=180)
    return reader.build(
        CandidateImport,
        {
            "first_name": reader.required(payload.get("firstName"), "first_name", max_length=100),
            "last_name": reader.required(payload.get("lastName"), "last_name", max_length=100),
            "phone_e164": reader.phone(
                {"mobile": payload.get("mobile"), "phone": payload.get("phone")}, country=_country(address)
            ),
            "email": reader.email(payload.get("email")),
            "headline": reader.text(payload.get("occupation"), "headline", max_length=200),
            "skills": skills(payload.get("skillSet")),
            "city": reader.text(address.get("city"), "city", max_length=100),
            "region": reader.text(address.get("state"), "region", max_length=100),
            "country": _country(address),
            "postal_code": reader.text(address.get("zip"), "postal_code", max_length=20),
            "salary_expectation_minor": salary or (hourly * HOURS_PER_YEAR if hourly else None),
            "available_from": reader.day(reader.epoch_ms(payload.get("dateAvailable"), "available_from")),
            "source_detail": f"bullhorn: {source}" if source else "bullhorn",
        },
    )


def _submission(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    return reader.build(
        ApplicationImport,
        {
            "candidate_ref": _ref(reader, payload, "candidate", "candidate_ref"),
            "job_ref": _ref(reader, payload, "jobOrder", "job_ref"),
            "status": reader.choice(payload.get("status"), "status", SUBMISSION_STATUSES),
            "applied_at": reader.epoch_ms(payload.get("dateAdded"), "applied_at"),
        },
    )


def _placement(reader: FieldReader, payload: Mapping[str, Any]) -> ImportRecord:
    return reader.build(
        PlacementImport,
        {
            "candidate_ref": _ref(reader, payload, "candidate", "candidate_ref"),
            "job_ref": _ref(reader, payload, "jobOrder", "job_ref"),
            "status": reader.choice(payload.get("status"), "status", PLACEMENT_STATUSES),
            "start_date": reader.day(reader.epoch_ms(payload.get("dateBegin"), "start_date")),
            "end_date": reader.day(reader.epoch_ms(payload.get("dateEnd"), "end_date")),
            "salary_minor": reader.money(payload.get("salary"), "salary_minor"),
            "salary_unit": reader.choice(
                payload.get("salaryUnit"), "salary_unit", SALARY_UNITS, required=False
            ),
        },
    )


_PARSERS = {
    CrmEntity.CLIENT_COMPANIES: _company,
    CrmEntity.JOBS: _job,
    CrmEntity.CANDIDATES: _candidate,
    CrmEntity.APPLICATIONS: _submission,
    CrmEntity.PLACEMENTS: _placement,
}


def _address(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    address = payload.get("address")
    return address if isinstance(address, dict) else {}


def _country(address: Mapping[str, Any]) -> str | None:
    code = country_code(address.get("countryCode"))
    if code is not None:
        return code
    country_id = address.get("countryID")
    return COUNTRY_IDS.get(country_id) if isinstance(country_id, int) else None


def _ref(reader: FieldReader, payload: Mapping[str, Any], association: str, field: str) -> str | None:
    value = payload.get(association)
    if isinstance(value, dict) and value.get("id") not in (None, ""):
        return str(value["id"])
    reader.problem(field, f"required: no {association}.id")
    return None


def _first(value: object) -> object:
    """The first of a comma-separated list (Bullhorn's ``industryList``)."""
    if isinstance(value, str):
        return value.split(",")[0]
    return value
