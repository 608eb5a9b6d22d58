"""The sandbox's own record types, one per recruiting entity; each CRM module renders them in its own shape.

Times are epoch milliseconds (UTC); pay is in cents (``pay_minor``) with ``pay_unit`` ``year`` or ``hour``.
``defect`` names the deliberate flaw of a malformed record (see :mod:`.defects`), None for a valid one.
The classes are plain mutable dataclasses for speed, but the store treats them as values: a change is a
``dataclasses.replace`` stored as an override.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Candidate:
    """A person looking for work (Bullhorn Candidate, HubSpot contact, Salesforce Contact)."""

    id: int
    added: int
    modified: int
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    mobile: str | None
    occupation: str
    skills: tuple[str, ...]
    address1: str | None
    city: str | None
    state: str | None
    zip: str | None
    country: str
    status: str
    source: str
    pay_minor: int
    pay_unit: str
    employment_preference: str
    available: int
    deleted: bool = False
    defect: str | None = None


@dataclass(slots=True)
class Company:
    """A client company (Bullhorn ClientCorporation, HubSpot company, Salesforce Account)."""

    id: int
    added: int
    modified: int
    name: str | None
    industry: str
    domain: str
    address1: str
    city: str
    state: str
    zip: str
    country: str
    phone: str | None
    status: str
    employees: int
    deleted: bool = False
    defect: str | None = None


@dataclass(slots=True)
class Job:
    """A job opening (Bullhorn JobOrder, HubSpot deal, Salesforce Opportunity)."""

    id: int
    added: int
    modified: int
    title: str | None
    occupation: str
    company_id: int
    company_name: str
    address1: str
    city: str
    state: str
    zip: str
    country: str
    pay_minor: int
    pay_unit: str
    employment_type: str
    skills: tuple[str, ...]
    status: str
    is_open: bool
    openings: int
    start: int
    description: str
    deleted: bool = False
    defect: str | None = None


@dataclass(slots=True)
class Submission:
    """A candidate's application to a job (Bullhorn JobSubmission)."""

    id: int
    added: int
    modified: int
    candidate_id: int
    job_id: int
    status: str
    source: str
    deleted: bool = False
    defect: str | None = None


@dataclass(slots=True)
class Placement:
    """A hire: a candidate started (or will start) in a job (Bullhorn Placement)."""

    id: int
    added: int
    modified: int
    candidate_id: int
    job_id: int
    status: str
    start: int
    end: int | None
    pay_minor: int
    pay_unit: str
    employment_type: str
    deleted: bool = False
    defect: str | None = None


Record = Candidate | Company | Job | Submission | Placement
