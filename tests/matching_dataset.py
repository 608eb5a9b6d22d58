"""The labelled evaluation set of ``tests/data/matching`` loaded into a company group, as a CRM would have: job
openings and candidates with external ids ``eval:<ref>``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.jobs import JobOpening
from hireflow.domain.models.org import PayPeriod
from hireflow.domain.ports.unit_of_work import UnitOfWorkFactory

DATA = Path(__file__).parent / "data" / "matching"
SOURCE = "eval"


@dataclass(frozen=True)
class LoadedSet:
    """Hireflow ids by ref (``eval:job-01``) of the loaded jobs and candidates."""

    jobs: dict[str, int]
    candidates: dict[str, int]


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _cents(text: str) -> int | None:
    return round(float(text) * 100) if text.strip() else None


def _external(ref: str) -> str:
    return ref.partition(":")[2] if ref.startswith(f"{SOURCE}:") else ref


def load_evaluation_set(factory: UnitOfWorkFactory, company_group_id: int) -> LoadedSet:
    jobs: dict[str, int] = {}
    candidates: dict[str, int] = {}
    with factory(company_group_id) as uow:
        for row in rows("jobs.csv"):
            job = uow.job_openings.add(
                JobOpening(
                    company_group_id=company_group_id,
                    source=SOURCE,
                    external_id=_external(row["ref"]),
                    title=row["title"],
                    description=row["description"],
                    skills=_split(row["skills"]),
                    city=row["city"] or None,
                    region=row["region"] or None,
                    postal_code=row["postal_code"] or None,
                    country=row["country"] or None,
                    salary_min_minor=_cents(row["salary_min"]),
                    salary_max_minor=_cents(row["salary_max"]),
                    salary_unit=PayPeriod(row["salary_unit"]) if row["salary_unit"] else None,
                )
            )
            assert job.id is not None
            jobs[row["ref"]] = job.id
        for number, row in enumerate(rows("candidates.csv")):
            person = uow.candidates.add(
                Candidate(
                    company_group_id=company_group_id,
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    phone_e164=f"+1555{number:07d}",
                    headline=row["headline"] or None,
                    skills=_split(row["skills"]),
                    summary=row["summary"] or None,
                    experience_months=int(row["experience_months"]) if row["experience_months"] else None,
                    city=row["city"] or None,
                    region=row["region"] or None,
                    postal_code=row["postal_code"] or None,
                    country=row["country"] or None,
                    salary_expectation_minor=_cents(row["salary_expectation"]),
                )
            )
            assert person.id is not None
            uow.candidates.add_external_id(person.id, SOURCE, _external(row["ref"]))
            candidates[row["ref"]] = person.id
        uow.commit()
    return LoadedSet(jobs=jobs, candidates=candidates)
