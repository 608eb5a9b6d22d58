"""Text builders: what of a profile or a job is embedded, and when a record must be embedded again."""

from __future__ import annotations

from hireflow.domain.models.candidates import Candidate
from hireflow.domain.models.jobs import JobOpening
from hireflow.domain.models.org import EducationLevel, EligibilityCriteria, Role, Shift
from hireflow.domain.services.embedding_texts import (
    candidate_embedding_text,
    candidate_text,
    content_hash,
    job_embedding_text,
    job_text,
)
from tests.builders import candidate

MODEL = "all-MiniLM-L6-v2"


def nurse(**fields: object) -> Candidate:
    values: dict[str, object] = {
        "id": 7,
        "headline": "Critical-care RN",
        "skills": ["ventilator management", " BLS ", ""],
        "summary": "Eight years   at the bedside in a level I trauma ICU",
        "experience_months": 96,
        "city": "Austin",
        "region": "TX",
        "country": "US",
    }
    return candidate(1, **(values | fields))


def test_a_candidate_text_reads_as_sentences_of_title_skills_experience_summary_and_place() -> None:
    text = candidate_text(nurse())

    assert text == (
        "Critical-care RN. Skilled in ventilator management, BLS. 8 years of experience. "
        "Eight years at the bedside in a level I trauma ICU. Based in Austin, TX, US."
    )


def test_missing_parts_are_left_out_rather_than_written_empty() -> None:
    text = candidate_text(candidate(1, headline=None, skills=[], summary=None, experience_months=5))

    assert text == "5 months of experience."


def test_a_job_text_carries_its_roles_requirements() -> None:
    job = JobOpening(
        id=3,
        company_group_id=1,
        title="Registered Nurse - ICU",
        description="Care for critically ill adults on a 24-bed unit",
        skills=["ACLS", "ventilators"],
        city="Dallas",
        region="TX",
        country="US",
    )
    criteria = EligibilityCriteria(
        min_experience_months=24,
        min_education=EducationLevel.BACHELOR,
        required_languages=["en"],
        required_shifts=[Shift.NIGHT],
        work_authorization_required=True,
    )
    role = Role(company_group_id=1, title="RN", eligibility_criteria=criteria)

    assert job_text(job, role) == (
        "Registered Nurse - ICU. Required skills: ACLS, ventilators. Requires 2 years of experience; "
        "bachelor education; languages en; night shifts; work authorization. "
        "Care for critically ill adults on a 24-bed unit. Based in Dallas, TX, US."
    )
    assert job_text(job) == job_text(job, Role(company_group_id=1, title="RN"))  # no criteria, nothing said


def test_the_hash_changes_with_the_text_or_the_model_and_with_nothing_else() -> None:
    before = candidate_embedding_text(MODEL, nurse())
    same_text = candidate_embedding_text(MODEL, nurse(phone_e164="+15555550199", email="other@example.com"))
    new_skill = candidate_embedding_text(MODEL, nurse(skills=["ventilator management", "BLS", "ACLS"]))
    other_model = candidate_embedding_text("another-model", nurse())

    assert before.record_id == 7
    assert same_text.content_hash == before.content_hash  # fields the text does not use change nothing
    assert new_skill.content_hash != before.content_hash
    assert other_model.content_hash != before.content_hash
    assert before.content_hash == content_hash(MODEL, before.text)


def test_a_long_resume_is_cut_where_the_model_would_cut_it_anyway() -> None:
    long_summary = "Led night-shift teams. " * 500

    text = job_embedding_text(
        MODEL, JobOpening(id=1, company_group_id=1, title="Charge nurse", description=long_summary)
    ).text

    assert len(text) < 2_100
    assert text.startswith("Charge nurse. Led night-shift teams.")
