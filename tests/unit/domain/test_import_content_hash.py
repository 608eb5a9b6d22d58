"""The content hash of imported CRM records: what a sync compares to tell changed records from unchanged ones.

A hash that drifted between releases would make the next sync rewrite every record as "updated"; these tests pin
it, and show that it follows the content and nothing else.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest

from hireflow.domain.models.crm_sync import (
    ApplicationImport,
    CandidateImport,
    ClientCompanyImport,
    ImportRecord,
    JobImport,
    PlacementImport,
)

MODIFIED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
PINNED = "2b427621141c8cbef25d3c528ad03d06"  # the candidate below, as releases up to this one hashed it

RECORDS: list[ImportRecord] = [
    CandidateImport(
        external_id="17",
        modified_at=MODIFIED,
        first_name="Zoë",
        last_name="Ōtani",
        phone_e164="+12125550123",
        email="zoe@example.com",
        skills=["forklift", "東京"],
        available_from=date(2026, 4, 1),
        salary_expectation_minor=4_200_000,
    ),
    JobImport(
        external_id="8",
        modified_at=MODIFIED,
        title="Picker",
        client_company_ref="3",
        salary_min_minor=1_800,
        salary_unit="hour",
        skills=["RF scanner"],
        opened_at=MODIFIED,
    ),
    ClientCompanyImport(external_id="3", modified_at=MODIFIED, name="Acme Logistics", country="US"),
    ApplicationImport(external_id="40", modified_at=MODIFIED, candidate_ref="17", job_ref="8"),
    PlacementImport(
        external_id="41", modified_at=MODIFIED, candidate_ref="17", job_ref="8", start_date=date(2026, 5, 4)
    ),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
def test_the_hash_is_blake2b_of_the_content_fields_as_json(record: ImportRecord) -> None:
    content = record.model_dump_json(exclude={"external_id", "modified_at"})

    assert record.content_hash() == hashlib.blake2b(content.encode(), digest_size=16).hexdigest()


def test_the_hash_of_a_known_candidate_is_pinned() -> None:
    # Changing it (a new field, another serialiser) makes every stored candidate look changed on the next sync.
    assert RECORDS[0].content_hash() == PINNED


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
def test_bookkeeping_fields_do_not_count_and_content_does(record: ImportRecord) -> None:
    moved = record.model_copy(update={"external_id": "999", "modified_at": datetime(2027, 1, 1, tzinfo=UTC)})
    first_content = next(
        name for name in type(record).model_fields if name not in ("external_id", "modified_at")
    )
    edited = record.model_copy(update={first_content: f"{getattr(record, first_content)}x"})

    assert moved.content_hash() == record.content_hash()
    assert edited.content_hash() != record.content_hash()
