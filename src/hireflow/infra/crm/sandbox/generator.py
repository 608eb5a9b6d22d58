"""Base records generated on demand from ``(seed, entity, id)``: nothing is materialised, any id is O(1).

Records are consistent with each other: a job's company and its name exist among the companies, its
occupation usually belongs to the company's industry; an application points at an existing candidate and job,
and a placement is one of the applications, paid what the job pays.
"""

from __future__ import annotations

from collections.abc import Callable

from hireflow.infra.crm.sandbox.config import EntityKind, SandboxConfig
from hireflow.infra.crm.sandbox.defects import apply_defect, defect_of
from hireflow.infra.crm.sandbox.draws import Draws
from hireflow.infra.crm.sandbox.names import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, slug
from hireflow.infra.crm.sandbox.occupations import (
    COMPANY_NOUNS,
    COMPANY_PREFIXES,
    COMPANY_SUFFIXES,
    HOUR,
    INDUSTRIES,
    JOB_TITLE_QUALIFIERS,
    OCCUPATIONS,
    OCCUPATIONS_BY_INDUSTRY,
    Occupation,
)
from hireflow.infra.crm.sandbox.places import phone_number, pick_place, postal_code, street_address
from hireflow.infra.crm.sandbox.records import Candidate, Company, Job, Placement, Record, Submission
from hireflow.infra.crm.sandbox.statuses import (
    CANDIDATE_SOURCES,
    CANDIDATE_STATUSES,
    COMPANY_STATUSES,
    EMPLOYMENT_TYPES,
    JOB_STATUSES,
    OPEN_JOB_STATUSES,
    PLACEMENT_STATUSES,
    SUBMISSION_SOURCES,
    SUBMISSION_STATUSES,
)
from hireflow.infra.crm.sandbox.timeline import Timeline

DAY_MS = 86_400_000
KIND_SALTS: dict[EntityKind, int] = {
    EntityKind.CANDIDATE: 0xCA,
    EntityKind.JOB: 0x70B,
    EntityKind.SUBMISSION: 0x5B,
    EntityKind.PLACEMENT: 0x91A,
    EntityKind.COMPANY: 0xC0,
}
_COMPANY_NAME_SALT = 0xC0C0
_COMPANY_PHONE_SALT = 2_000_003  # company phones live apart from candidates' in the number space


class RecordFactory:
    """Makes base record ``id`` of any entity; the same config gives the same records."""

    def __init__(self, config: SandboxConfig) -> None:
        self.seed = config.seed
        self.malformed_rate = config.faults.malformed_rate
        self.counts = {kind: config.count(kind) for kind in EntityKind}
        self.timelines = {
            kind: Timeline(
                start_ms=config.history_start_ms,
                end_ms=config.history_end_ms,
                count=self.counts[kind],
                seed=config.seed,
                salt=KIND_SALTS[kind],
            )
            for kind in EntityKind
        }
        self._makers: dict[EntityKind, Callable[[int], Record]] = {
            EntityKind.CANDIDATE: self.candidate,
            EntityKind.JOB: self.job,
            EntityKind.SUBMISSION: self.submission,
            EntityKind.PLACEMENT: self.placement,
            EntityKind.COMPANY: self.company,
        }

    def make(self, kind: EntityKind, record_id: int) -> Record:
        """Record ``record_id`` of ``kind`` as generated (ids past the base count work too, for creations)."""
        return self._makers[kind](record_id)

    def _stamps(self, kind: EntityKind, record_id: int) -> tuple[int, int]:
        timeline = self.timelines[kind]
        modified = timeline.modified(record_id)
        return timeline.added(record_id, modified), modified

    def _finish(self, kind: EntityKind, record: Record, draws: Draws) -> Record:
        defect = defect_of(self.seed, kind, record.id, self.malformed_rate)
        if defect is not None:
            apply_defect(record, defect, draws)
        return record

    def candidate(self, record_id: int) -> Candidate:
        d = Draws(self.seed, KIND_SALTS[EntityKind.CANDIDATE], record_id)
        first, last = d.pick(FIRST_NAMES), d.pick(LAST_NAMES)
        occupation = d.pick(OCCUPATIONS)
        place = pick_place(d)
        added, modified = self._stamps(EntityKind.CANDIDATE, record_id)
        pay_minor, unit = _pay(occupation, d)
        record = Candidate(
            id=record_id,
            added=added,
            modified=modified,
            first_name=first,
            last_name=last,
            email=_email(first, last, d),
            phone=phone_number(place, record_id, 0, d),
            mobile=phone_number(place, record_id, 0, d, mobile=True) if d.chance(650) else None,
            occupation=occupation.title,
            skills=d.sample(occupation.skills, d.between(3, 6)),
            address1=street_address(d) if d.chance(900) else None,
            city=place.city,
            state=place.state or None,
            zip=postal_code(place, d),
            country=place.country,
            status=d.pick(CANDIDATE_STATUSES),
            source=d.pick(CANDIDATE_SOURCES),
            pay_minor=pay_minor,
            pay_unit=unit,
            employment_preference=d.pick(EMPLOYMENT_TYPES),
            available=added + d.below(90) * DAY_MS,
        )
        self._finish(EntityKind.CANDIDATE, record, d)
        return record

    def company(self, record_id: int) -> Company:
        name, industry, domain = self.company_identity(record_id)
        d = Draws(self.seed, KIND_SALTS[EntityKind.COMPANY], record_id)
        place = pick_place(d)
        added, modified = self._stamps(EntityKind.COMPANY, record_id)
        record = Company(
            id=record_id,
            added=added,
            modified=modified,
            name=name,
            industry=industry,
            domain=domain,
            address1=street_address(d),
            city=place.city,
            state=place.state,
            zip=postal_code(place, d),
            country=place.country,
            phone=phone_number(place, record_id, _COMPANY_PHONE_SALT, d),
            status=d.pick(COMPANY_STATUSES),
            employees=d.pick((12, 25, 60, 140, 320, 800, 2500, 12000)) + d.below(10),
        )
        self._finish(EntityKind.COMPANY, record, d)
        return record

    def company_identity(self, company_id: int) -> tuple[str, str, str]:
        """``(name, industry, domain)`` of a company: cheap, for jobs that show their company's name."""
        d = Draws(self.seed, _COMPANY_NAME_SALT, company_id)
        industry = d.pick(INDUSTRIES)
        prefix, noun, suffix = (
            d.pick(COMPANY_PREFIXES),
            d.pick(COMPANY_NOUNS[industry]),
            d.pick(COMPANY_SUFFIXES),
        )
        name = f"{prefix} {noun} {suffix}".strip()
        domain = f"{slug(prefix)}{slug(noun.split()[0])}.com"
        return name, industry, domain

    def job(self, record_id: int) -> Job:
        d = Draws(self.seed, KIND_SALTS[EntityKind.JOB], record_id)
        company_id = 1 + d.below(self.counts[EntityKind.COMPANY])
        company_name, industry, _ = self.company_identity(company_id)
        occupation = d.pick(OCCUPATIONS_BY_INDUSTRY[industry] if d.chance(800) else OCCUPATIONS)
        place = pick_place(d)
        added, modified = self._stamps(EntityKind.JOB, record_id)
        pay_minor, unit = _pay(occupation, d)
        employment_type = d.pick(EMPLOYMENT_TYPES)
        status = d.pick(JOB_STATUSES)
        skills = d.sample(occupation.skills, d.between(3, 6))
        record = Job(
            id=record_id,
            added=added,
            modified=modified,
            title=occupation.title + d.pick(JOB_TITLE_QUALIFIERS),
            occupation=occupation.title,
            company_id=company_id,
            company_name=company_name,
            address1=street_address(d),
            city=place.city,
            state=place.state,
            zip=postal_code(place, d),
            country=place.country,
            pay_minor=pay_minor,
            pay_unit=unit,
            employment_type=employment_type,
            skills=skills,
            status=status,
            is_open=status in OPEN_JOB_STATUSES,
            openings=1 + d.below(3) if d.chance(850) else d.between(4, 25),
            start=added + d.between(7, 60) * DAY_MS,
            description=_description(
                company=company_name,
                occupation=occupation,
                city=place.city,
                employment_type=employment_type,
                pay=(pay_minor, unit),
                skills=skills,
            ),
        )
        self._finish(EntityKind.JOB, record, d)
        return record

    def submission(self, record_id: int) -> Submission:
        d = Draws(self.seed, KIND_SALTS[EntityKind.SUBMISSION], record_id)
        candidate_id, job_id = self._links(d)
        added, modified = self._stamps(EntityKind.SUBMISSION, record_id)
        record = Submission(
            id=record_id,
            added=added,
            modified=modified,
            candidate_id=candidate_id,
            job_id=job_id,
            status=d.pick(SUBMISSION_STATUSES),
            source=d.pick(SUBMISSION_SOURCES),
        )
        self._finish(EntityKind.SUBMISSION, record, d)
        return record

    def _links(self, d: Draws) -> tuple[int, int]:
        """An application's candidate and job: the first two draws of its stream, shared with placements."""
        return 1 + d.below(self.counts[EntityKind.CANDIDATE]), 1 + d.below(self.counts[EntityKind.JOB])

    def placement(self, record_id: int) -> Placement:
        d = Draws(self.seed, KIND_SALTS[EntityKind.PLACEMENT], record_id)
        submission_id = 1 + d.below(self.counts[EntityKind.SUBMISSION])
        candidate_id, job_id = self._links(Draws(self.seed, KIND_SALTS[EntityKind.SUBMISSION], submission_id))
        job = self.job(job_id)
        added, modified = self._stamps(EntityKind.PLACEMENT, record_id)
        start = added + d.between(7, 45) * DAY_MS
        temporary = job.employment_type in ("Contract", "Temp", "Contract to Hire")
        record = Placement(
            id=record_id,
            added=added,
            modified=modified,
            candidate_id=candidate_id,
            job_id=job_id,
            status=d.pick(PLACEMENT_STATUSES),
            start=start,
            end=start + d.between(30, 365) * DAY_MS if temporary else None,
            pay_minor=job.pay_minor,
            pay_unit=job.pay_unit,
            employment_type=job.employment_type,
        )
        self._finish(EntityKind.PLACEMENT, record, d)
        return record


def _pay(occupation: Occupation, d: Draws) -> tuple[int, str]:
    """Pay in cents: hourly rates in quarter dollars, salaries in steps of $500."""
    if occupation.unit == HOUR:
        quarters = d.between(occupation.pay_low * 4, occupation.pay_high * 4)
        return quarters * 25, occupation.unit
    steps = d.between(occupation.pay_low // 500, occupation.pay_high // 500)
    return steps * 500 * 100, occupation.unit


def _email(first: str, last: str, d: Draws) -> str:
    f, l = slug(first), slug(last)  # noqa: E741 - first and last, side by side
    local = (f"{f}.{l}", f"{f}{l}", f"{f[:1]}{l}", f"{f}_{l}", f"{l}.{f}", f"{f}.{l[:1]}")[d.below(6)]
    if d.chance(850):
        local += str(d.between(1, 99)) if d.chance(500) else str(1960 + d.below(45))
    return f"{local}@{d.pick(EMAIL_DOMAINS)}"


def _description(
    *,
    company: str,
    occupation: Occupation,
    city: str,
    employment_type: str,
    pay: tuple[int, str],
    skills: tuple[str, ...],
) -> str:
    pay_minor, unit = pay
    pay_text = f"${pay_minor / 100:,.2f}/hr" if unit == HOUR else f"${pay_minor // 100:,}/yr"
    return (
        f"{company} is hiring a {occupation.title} in {city}. {employment_type}, {pay_text}. "
        f"Must have: {', '.join(skills[:3])}. Nice to have: {', '.join(skills[3:]) or 'a great attitude'}."
    )
