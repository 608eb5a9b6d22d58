"""Text builders: what of a candidate profile or a job opening is embedded, and the hash that says when to embed
it again.

The hash covers the model and the built text, not a builder version: when a builder changes, exactly the records
whose text changed get a new hash and are embedded again, and the others keep their vectors. ``*_TEXT_VERSION``
names the builders' revisions for logs and docs; bump it with any change here.

Sentences rather than ``key: value`` lists: the sentence model was trained on prose, and labels such as
"Skills:" would make every profile look alike to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.jobs import JobOpening
from hireflow.domain.models.matching import EmbeddingText
from hireflow.domain.models.org import EligibilityCriteria, Role

CANDIDATE_TEXT_VERSION = 1
JOB_TEXT_VERSION = 1
SUMMARY_CHARACTERS = 2_000
"""Enough for the model's 256 tokens; the rest of a long résumé would be cut by the tokenizer anyway."""


def content_hash(model: str, text: str) -> str:
    """The hash stored with an embedding: a change of model or of text means embedding again."""
    return hashlib.blake2b(f"{model}\n{text}".encode(), digest_size=16).hexdigest()


def _sentence(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _join(parts: Iterable[str | None]) -> str:
    return " ".join(part for part in parts if part)


def _place(city: str | None, region: str | None, country: str | None) -> str | None:
    where = ", ".join(part for part in (city, region, country) if part)
    return f"Based in {where}." if where else None


def _skills(skills: list[str], lead: str) -> str | None:
    named = [skill.strip() for skill in skills if skill.strip()]
    return f"{lead} {', '.join(named)}." if named else None


def _years(months: int) -> str:
    years = months / 12
    return f"{years:.0f} years" if years >= 2 else f"{months} months"


def candidate_text(candidate: Candidate) -> str:
    """Title or occupation, skills, experience, summary or résumé text, location."""
    experience = candidate.experience_months
    return _join(
        (
            _sentence(candidate.headline),
            _skills(candidate.skills, "Skilled in"),
            None if not experience else f"{_years(experience)} of experience.",
            _sentence((candidate.summary or "")[:SUMMARY_CHARACTERS]),
            _place(candidate.city, candidate.region, candidate.country),
        )
    )


def requirements(criteria: EligibilityCriteria) -> str | None:
    """The role's eligibility criteria as a sentence, for the job text."""
    parts = []
    if criteria.min_experience_months:
        parts.append(f"{_years(criteria.min_experience_months)} of experience")
    if criteria.min_education is not None:
        parts.append(f"{criteria.min_education.value.replace('_', ' ')} education")
    if criteria.required_languages:
        parts.append(f"languages {', '.join(criteria.required_languages)}")
    if criteria.required_shifts:
        parts.append(f"{', '.join(shift.value for shift in criteria.required_shifts)} shifts")
    if criteria.work_authorization_required:
        parts.append("work authorization")
    return f"Requires {'; '.join(parts)}." if parts else None


def job_text(job: JobOpening, role: Role | None = None) -> str:
    """Title, required skills, requirements (the role's criteria), description, location."""
    return _join(
        (
            _sentence(job.title),
            _skills(job.skills, "Required skills:"),
            None if role is None else requirements(role.eligibility_criteria),
            _sentence((job.description or "")[:SUMMARY_CHARACTERS]),
            _place(job.city, job.region, job.country),
        )
    )


def candidate_embedding_text(model: str, candidate: Candidate) -> EmbeddingText:
    assert candidate.id is not None
    text = candidate_text(candidate)
    return EmbeddingText(record_id=candidate.id, text=text, content_hash=content_hash(model, text))


def job_embedding_text(model: str, job: JobOpening, role: Role | None = None) -> EmbeddingText:
    assert job.id is not None
    text = job_text(job, role)
    return EmbeddingText(record_id=job.id, text=text, content_hash=content_hash(model, text))
