"""HubSpot's CRM objects in Hireflow's terms: companies, deals (job openings) and contacts (candidates).

Every property value is a string (or null): numbers, amounts and times included. Times are ISO 8601
(``2024-05-01T12:00:00.123Z``) or epoch milliseconds; date properties are ``2024-05-01`` or midnight UTC in epoch
milliseconds. Pick-list values are HubSpot's internal values of its default pick-lists (an account can add its
own: extend the maps); a value outside them is a problem, as are a bad e-mail, a phone number that does not
parse, and a creation date before 1900 or far ahead. ``skills``, ``salary_expectation``, ``job_title``,
``job_city``, ``employment_type``... are the custom properties a staffing account defines (see
docs/crm-hubspot.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from hireflow.domain.models.crm_sync import (
    CandidateImport,
    ClientCompanyImport,
    CrmEntity,
    ImportRecord,
    JobImport,
    SourceRecord,
)
from hireflow.domain.models.jobs import JobEmploymentType, JobStatus
from hireflow.domain.models.org import PayPeriod
from hireflow.infra.crm.fields import FieldReader, country_code, skills
from hireflow.shared.errors import ValidationFailed
from hireflow.shared.ids import normalize_phone

OBJECTS: Mapping[CrmEntity, str] = {
    CrmEntity.CLIENT_COMPANIES: "companies",
    CrmEntity.JOBS: "deals",
    CrmEntity.CANDIDATES: "contacts",
}
MODIFIED: Mapping[CrmEntity, str] = {
    CrmEntity.CLIENT_COMPANIES: "hs_lastmodifieddate",
    CrmEntity.JOBS: "hs_lastmodifieddate",
    CrmEntity.CANDIDATES: "lastmodifieddate",
}
"""The last-modified property of each object: what searches filter and sort on."""

PROPERTIES: Mapping[CrmEntity, tuple[str, ...]] = {
    CrmEntity.CLIENT_COMPANIES: (
        "name", "domain", "city", "state", "country", "phone", "industry", "lifecyclestage",
        "hs_object_id", "createdate", "hs_lastmodifieddate",
    ),
    CrmEntity.JOBS: (
        "dealname", "job_title", "description", "pipeline", "dealstage", "closedate", "job_city", "job_state",
        "employment_type", "skills", "openings", "pay_rate", "pay_unit", "hs_object_id", "createdate",
        "hs_lastmodifieddate",
    ),
    CrmEntity.CANDIDATES: (
        "firstname", "lastname", "email", "phone", "mobilephone", "jobtitle", "city", "state", "zip", "country",
        "hs_lead_status", "lifecyclestage", "skills", "salary_expectation", "salary_unit", "candidate_source",
        "date_available", "hs_object_id", "createdate", "lastmodifieddate",
    ),
}  # fmt: skip
"""What Hireflow asks for of each object (``properties``)."""

LEAD_STATUSES = frozenset(
    {
        "NEW",
        "OPEN",
        "IN_PROGRESS",
        "OPEN_DEAL",
        "UNQUALIFIED",
        "ATTEMPTED_TO_CONTACT",
        "CONNECTED",
        "BAD_TIMING",
    }
)
LIFECYCLE_STAGES = frozenset(
    {
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
        "other",
    }
)
DEAL_STAGES: Mapping[str, JobStatus] = {
    "appointmentscheduled": JobStatus.OPEN,
    "qualifiedtobuy": JobStatus.OPEN,
    "presentationscheduled": JobStatus.OPEN,
    "contractsent": JobStatus.OPEN,
    "decisionmakerboughtin": JobStatus.ON_HOLD,
    "closedwon": JobStatus.FILLED,
    "closedlost": JobStatus.CANCELLED,
}
"""The stages of HubSpot's default sales pipeline, as a staffing account uses them for job openings."""
EMPLOYMENT_TYPES: Mapping[str, JobEmploymentType] = {
    "Direct Hire": JobEmploymentType.PERMANENT,
    "Permanent": JobEmploymentType.PERMANENT,
    "Contract": JobEmploymentType.CONTRACT,
    "Contract to Hire": JobEmploymentType.CONTRACT_TO_HIRE,
    "Temp": JobEmploymentType.TEMPORARY,
    "Temporary": JobEmploymentType.TEMPORARY,
    "Part-Time": JobEmploymentType.PART_TIME,
}
PAY_UNITS: Mapping[str, PayPeriod] = {
    "per hour": PayPeriod.HOUR,
    "per day": PayPeriod.DAY,
    "per week": PayPeriod.WEEK,
    "per month": PayPeriod.MONTH,
    "per year": PayPeriod.YEAR,
}
PER_YEAR: Mapping[PayPeriod, int] = {
    PayPeriod.HOUR: 2080,
    PayPeriod.DAY: 260,
    PayPeriod.WEEK: 52,
    PayPeriod.MONTH: 12,
    PayPeriod.YEAR: 1,
}
COUNTRIES: Mapping[str, str] = {
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US",
    "canada": "CA", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "ireland": "IE", "australia": "AU",
    "new zealand": "NZ", "germany": "DE", "france": "FR", "spain": "ES", "mexico": "MX", "india": "IN",
}  # fmt: skip
"""HubSpot's ``country`` is free text: the names it is usually given in (two-letter codes are read as such)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def properties_of(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``properties`` of a CRM v3 object (empty when missing)."""
    found = payload.get("properties")
    return found if isinstance(found, dict) else {}


def instant(value: object) -> datetime | None:
    """A HubSpot time (ISO 8601, or epoch milliseconds as a number or a string) as aware UTC; None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    try:
        if text.lstrip("-").isdigit():
            return _EPOCH + timedelta(milliseconds=int(text))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (OverflowError, ValueError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def epoch_ms(moment: datetime) -> int:
    """``moment`` in whole epoch milliseconds (exact: no float rounding)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def is_anonymised(properties: Mapping[str, Any]) -> bool:
    """A contact whose name and contact details were all erased (a GDPR erasure keeps the record, blanked)."""
    erased = ("firstname", "lastname", "email", "phone", "mobilephone")
    return not any(str(properties.get(name) or "").strip() for name in erased)


def parse(entity: CrmEntity, record: SourceRecord, *, phone_region: str = "US") -> ImportRecord:
    """``record`` of ``entity`` in Hireflow's terms; ValidationFailed listing every problem."""
    reader = FieldReader(record, phone_region=phone_region)
    properties = properties_of(record.payload)
    _time(reader, properties.get("createdate"), "created_at")  # a plausibility check: Hireflow keeps no copy
    parser = _PARSERS.get(entity)
    if parser is None:
        raise ValidationFailed(f"HubSpot has no {entity.value}", [{"field": "entity", "message": "unknown"}])
    return parser(reader, properties, record.payload)


def _company(reader: FieldReader, properties: Mapping[str, Any], _payload: Mapping[str, Any]) -> ImportRecord:
    country = _country(properties.get("country"))
    domain = reader.text(properties.get("domain"), "website", max_length=290)
    return reader.build(
        ClientCompanyImport,
        {
            "name": reader.required(properties.get("name"), "name", max_length=200),
            "website": domain if domain is None or "://" in domain else f"https://{domain}",
            "phone": _optional_phone(reader, properties.get("phone"), country),
            "industry": _industry(reader.text(properties.get("industry"), "industry", max_length=100)),
            "city": reader.text(properties.get("city"), "city", max_length=100),
            "region": reader.text(properties.get("state"), "region", max_length=100),
            "country": country,
            "status": _pick(reader, properties.get("lifecyclestage"), "status", LIFECYCLE_STAGES),
        },
    )


def _job(reader: FieldReader, properties: Mapping[str, Any], payload: Mapping[str, Any]) -> ImportRecord:
    # The custom job_title is the opening's title; the deal name ("Nurse - Acme") is the fallback when the
    # account has no such property. A blank job_title is a missing title, not a reason to use the deal name.
    title = properties.get("job_title")
    unit = reader.choice(properties.get("pay_unit"), "salary_unit", PAY_UNITS, required=False)
    pay = reader.money(properties.get("pay_rate"), "salary_min_minor")
    return reader.build(
        JobImport,
        {
            "title": reader.required(
                title if title is not None else properties.get("dealname"), "title", max_length=200
            ),
            "description": reader.text(properties.get("description"), "description"),
            "client_company_ref": _associated_company(payload),
            "city": reader.text(properties.get("job_city"), "city", max_length=100),
            "region": reader.text(properties.get("job_state"), "region", max_length=100),
            "salary_min_minor": pay,
            "salary_max_minor": pay,
            "salary_unit": unit,
            "employment_type": reader.choice(
                properties.get("employment_type"), "employment_type", EMPLOYMENT_TYPES, required=False
            ),
            "skills": skills(properties.get("skills")),
            "status": reader.choice(properties.get("dealstage"), "status", DEAL_STAGES),
            "openings": reader.whole(properties.get("openings"), "openings", default=1),
            "opened_at": _time(reader, properties.get("closedate"), "opened_at"),
        },
    )


def _candidate(
    reader: FieldReader, properties: Mapping[str, Any], _payload: Mapping[str, Any]
) -> ImportRecord:
    country = _country(properties.get("country"))
    _pick(reader, properties.get("hs_lead_status"), "status", LEAD_STATUSES)
    _pick(reader, properties.get("lifecyclestage"), "lifecycle_stage", LIFECYCLE_STAGES)
    source = reader.text(properties.get("candidate_source"), "source_detail", max_length=180)
    return reader.build(
        CandidateImport,
        {
            "first_name": reader.required(properties.get("firstname"), "first_name", max_length=100),
            "last_name": reader.required(properties.get("lastname"), "last_name", max_length=100),
            "phone_e164": reader.phone(
                {"mobilephone": properties.get("mobilephone"), "phone": properties.get("phone")},
                country=country,
            ),
            "email": reader.email(properties.get("email")),
            "headline": reader.text(properties.get("jobtitle"), "headline", max_length=200),
            "skills": skills(properties.get("skills")),
            "city": reader.text(properties.get("city"), "city", max_length=100),
            "region": reader.text(properties.get("state"), "region", max_length=100),
            "country": country,
            "postal_code": reader.text(properties.get("zip"), "postal_code", max_length=20),
            "salary_expectation_minor": _yearly(reader, properties),
            "available_from": reader.day(_time(reader, properties.get("date_available"), "available_from")),
            "source_detail": f"hubspot: {source}" if source else "hubspot",
        },
    )


_PARSERS = {
    CrmEntity.CLIENT_COMPANIES: _company,
    CrmEntity.JOBS: _job,
    CrmEntity.CANDIDATES: _candidate,
}


def _time(reader: FieldReader, value: object, field: str) -> datetime | None:
    """A time property in either of HubSpot's forms, checked to be plausible."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return reader.epoch_ms(int(value.strip()), field)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return reader.epoch_ms(value, field)
    return reader.iso(value, field)


def _pick(reader: FieldReader, value: object, field: str, known: frozenset[str]) -> str | None:
    """An optional pick-list value; a problem listing the known ones when it is not one of them."""
    raw = reader.text(value, field, max_length=50)
    if raw is not None and raw not in known:
        reader.problem(field, f"unknown value {raw!r}; known values: {', '.join(sorted(known))}", raw)
        return None
    return raw


def _yearly(reader: FieldReader, properties: Mapping[str, Any]) -> int | None:
    """``salary_expectation`` per ``salary_unit`` as a yearly amount in minor units (per year when no unit)."""
    amount = reader.money(properties.get("salary_expectation"), "salary_expectation_minor")
    unit = reader.choice(properties.get("salary_unit"), "salary_unit", PAY_UNITS, required=False)
    if amount is None:
        return None
    return amount * PER_YEAR[unit or PayPeriod.YEAR]


def _optional_phone(reader: FieldReader, value: object, country: str | None) -> str | None:
    """An optional phone number in E.164; a problem when it is given but is not a valid number."""
    raw = reader.text(value, "phone", max_length=50)
    if raw is None:
        return None
    try:
        return normalize_phone(raw, country or reader.phone_region)
    except ValidationFailed as failure:
        reader.problem("phone", f"not a valid phone number: {failure.detail}", raw)
        return None


def _country(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return country_code(value) or COUNTRIES.get(value.strip().lower())


def _industry(value: str | None) -> str | None:
    """HubSpot's industry value (``COMPUTER_SOFTWARE``) as words (``Computer Software``)."""
    if value is None or not value.isupper():
        return value
    return value.replace("_", " ").title()


def _associated_company(payload: Mapping[str, Any]) -> str | None:
    """The deal's company, when the object was read with ``associations=companies`` (search does not send it)."""
    associations = payload.get("associations")
    companies = associations.get("companies") if isinstance(associations, dict) else None
    results = companies.get("results") if isinstance(companies, dict) else None
    if isinstance(results, list) and results and isinstance(results[0], dict) and results[0].get("id"):
        return str(results[0]["id"])
    return None
