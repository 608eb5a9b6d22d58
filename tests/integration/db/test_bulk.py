"""bulk_insert and reset_sequences on SQLite and PostgreSQL: the values stored are those a Core insert stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, insert, null, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hireflow.infra.db.bulk import bulk_insert, reset_sequences
from hireflow.infra.db.tables import (
    Candidate,
    CandidateFunnelLog,
    CompanyGroup,
    QuestionSet,
    ScreeningAnswer,
    ScreeningQuestion,
)

NOW = datetime(2025, 6, 1, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def group_id(engine: Engine) -> int:
    with engine.begin() as connection:
        bulk_insert(connection, CompanyGroup, [{"id": 7, "name": "Acme", "slug": "acme"}])
        reset_sequences(connection, [CompanyGroup])
    return 7


def _candidate(candidate_id: int, group: int, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": candidate_id, "company_group_id": group, "first_name": "Ana", "last_name": "Lee",
        "phone_e164": f"+1212555{candidate_id:04d}", "email": None, "birth_date": date(1999, 2, 28),
        "latitude": 40.7, "longitude": -73.9, "source": "referral", "funnel_state": "lead",
        "entered_at": NOW, "state_changed_at": None, "languages": ["en", "es"], "shifts_available": [],
        "has_work_authorization": True, "consent_to_contact": False, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip
    row.update(values)
    return row


def test_round_trip_matches_a_core_insert_on_every_column(engine: Engine, group_id: int) -> None:
    eastern = timezone(timedelta(hours=-5))
    values = {
        "entered_at": NOW.astimezone(eastern),
        "email": "ana@example.com",
        "has_work_authorization": None,
    }
    with engine.begin() as connection:
        assert bulk_insert(connection, Candidate, [_candidate(1, group_id, **values)]) == 1
        connection.execute(insert(Candidate), [_candidate(2, group_id, **values)])
    with engine.connect() as connection:
        # Compare what is stored, not what SQLAlchemy reads back: the raw driver values must be identical.
        raw = connection.exec_driver_sql("SELECT * FROM candidates ORDER BY id").all()
        loaded = connection.execute(select(Candidate.__table__).order_by(Candidate.id)).mappings().all()
    bulk, core = (dict(row._mapping) for row in raw)
    assert {k: v for k, v in bulk.items() if k not in {"id", "phone_e164"}} == {
        k: v for k, v in core.items() if k not in {"id", "phone_e164"}
    }
    assert loaded[0]["entered_at"] == NOW
    assert loaded[0]["languages"] == ["en", "es"]
    assert loaded[0]["birth_date"] == date(1999, 2, 28)
    assert loaded[0]["has_work_authorization"] is None


def test_json_values_and_nulls(engine: Engine, group_id: int) -> None:
    values: list[Any] = [
        {"lat": 1.5, "tags": ["a", {"b": None}]}, [1, "two"], "Zoë, 東京", 3, True, [], {}, None, null()
    ]  # fmt: skip
    with engine.begin() as connection:
        bulk_insert(connection, Candidate, [_candidate(1, group_id)])
        bulk_insert(
            connection, QuestionSet, [{"id": 1, "company_group_id": group_id, "name": "Set", "version": 1}]
        )
        bulk_insert(connection, ScreeningQuestion, [
            {"id": i, "company_group_id": group_id, "question_set_id": 1, "position": i, "key": f"q{i}",
             "kind": "free_text", "prompt": "?"}
            for i in range(len(values))
        ])  # fmt: skip
        answers = (
            {"company_group_id": group_id, "candidate_id": 1, "question_id": i, "value": value, "raw_text": None,
             "answered_at": NOW}
            for i, value in enumerate(values)
        )  # fmt: skip
        assert bulk_insert(connection, ScreeningAnswer, answers, batch_size=3) == len(values)
    with engine.connect() as connection:
        stored = (
            connection.execute(select(ScreeningAnswer.value).order_by(ScreeningAnswer.id)).scalars().all()
        )
        sql_nulls = connection.execute(text("SELECT question_id FROM screening_answers WHERE value IS NULL"))
        assert stored == [
            {"lat": 1.5, "tags": ["a", {"b": None}]},
            [1, "two"],
            "Zoë, 東京",
            3,
            True,
            [],
            {},
            None,
            None,
        ]
        # As with a Core insert, None is JSON null and only sqlalchemy.null() is SQL NULL.
        assert sql_nulls.scalars().all() == [8]


def test_client_defaults_fill_the_columns_rows_leave_out(engine: Engine, group_id: int) -> None:
    with engine.begin() as connection:
        bulk_insert(connection, Candidate, [_candidate(1, group_id)])
        rows = (
            {"candidate_id": 1, "company_group_id": group_id, "to_state": "lead", "occurred_at": NOW}
            for _ in "ab"
        )
        assert bulk_insert(connection, CandidateFunnelLog.__table__, rows) == 2
    with Session(engine) as session:
        logs = session.scalars(select(CandidateFunnelLog).order_by(CandidateFunnelLog.id)).all()
    assert [log.id for log in logs] == [1, 2]
    assert all(log.details == {} and log.applied and log.actor == "system" for log in logs)
    assert all(log.created_at.tzinfo is not None for log in logs)


def test_explicit_ids_then_reset_sequences_gives_the_orm_a_fresh_id(engine: Engine, group_id: int) -> None:
    with engine.begin() as connection:
        bulk_insert(connection, Candidate, (_candidate(i, group_id) for i in (10, 11, 40)))
        reset_sequences(connection, [Candidate, CandidateFunnelLog])  # an empty table is fine too
    with Session(engine) as session:
        person = Candidate(company_group_id=group_id, first_name="New", phone_e164="+12125559999")
        log = CandidateFunnelLog(company_group_id=group_id, candidate_id=40, to_state="lead", occurred_at=NOW)
        session.add_all([person, log])
        session.commit()
        assert person.id == 41
        assert log.id == 1


def test_the_callers_transaction_decides(engine: Engine, group_id: int) -> None:
    with engine.connect() as connection:
        bulk_insert(connection, Candidate, [_candidate(1, group_id)])
        connection.rollback()
        bulk_insert(connection, Candidate, [_candidate(2, group_id)])
        connection.commit()
    with engine.connect() as connection:
        assert connection.execute(select(Candidate.id)).scalars().all() == [2]


def test_constraint_violations_raise_sqlalchemy_errors(engine: Engine, group_id: int) -> None:
    with pytest.raises(IntegrityError), engine.begin() as connection:
        bulk_insert(connection, Candidate, [_candidate(1, group_id), _candidate(1, group_id)])
    with engine.connect() as connection:
        assert connection.execute(select(Candidate.id)).first() is None


def test_naive_timestamps_are_refused(engine: Engine, group_id: int) -> None:
    with pytest.raises(ValueError, match="naive datetime"), engine.begin() as connection:
        bulk_insert(connection, Candidate, [_candidate(1, group_id, entered_at=NOW.replace(tzinfo=None))])
    with engine.connect() as connection:
        assert connection.execute(select(Candidate.id)).first() is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"id": 1, "nickname": "x"}], "has no column"),
        ([{"id": 1, "name": "A", "slug": "a"}, {"id": 2, "name": "B"}], "lacks column 'slug'"),
    ],
)
def test_malformed_rows_are_refused(engine: Engine, rows: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ValueError, match=message), engine.begin() as connection:
        bulk_insert(connection, CompanyGroup, rows)


def test_nothing_to_insert(engine: Engine) -> None:
    def nothing() -> Iterator[dict[str, Any]]:
        yield from ()

    with engine.begin() as connection:
        assert bulk_insert(connection, CompanyGroup, nothing()) == 0
        with pytest.raises(ValueError, match="batch_size"):
            bulk_insert(connection, CompanyGroup, [], batch_size=0)
