"""The demo data set on SQLite and PostgreSQL: deterministic, refusing to mix with data unless appending, and
consistent (funnel histories, phones, foreign keys, tenants, screening)."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import phonenumbers
import pytest
from sqlalchemy import Connection, Engine, func, select, text

from hireflow.domain.models.candidates import Candidate as CandidateModel
from hireflow.domain.models.funnel import FunnelState, is_allowed
from hireflow.domain.models.org import EligibilityCriteria
from hireflow.infra.db import seed_pipeline
from hireflow.infra.db.base import metadata
from hireflow.infra.db.seed import SEEDED_TABLES, SeedReport, database_has_data, seed_demo
from hireflow.infra.db.seed_data import EXCHANGES, GROUPS
from hireflow.infra.db.seed_funnel import _PHONE_STEP, PHONE_SPACE, phone_for
from hireflow.shared.errors import Conflict, ValidationFailed
from hireflow.shared.metrics import InMemorySink, register_sink, unregister_sink
from tests.conftest import truncate_all

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
N = 300

# The main path in order (eligible and ineligible share a rank); exits may follow any state that is not final.
RANK = {state: rank for rank, state in enumerate(
    ["lead", "contacted", "screening", "screened", "eligible", "interview_scheduled", "interviewed", "offered",
     "hired", "onboarding", "onboarded"]
)} | {"ineligible": 4}  # fmt: skip
EXITS = {"rejected", "withdrawn", "no_show", "expired"}
FINAL = EXITS | {"ineligible", "onboarded"}


def _seed(engine: Engine, **options: Any) -> SeedReport:
    return seed_demo(engine, **{"candidates": N, "now": NOW, **options})


def _rows(connection: Connection, table: str) -> list[dict[str, Any]]:
    columns = metadata.tables[table]
    return [dict(row) for row in connection.execute(select(columns).order_by(columns.c.id)).mappings()]


def _digest(engine: Engine, tables: tuple[str, ...] = SEEDED_TABLES) -> str:
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in tables:
            digest.update(repr(_rows(connection, table)).encode())
    return digest.hexdigest()


def _count(connection: Connection, table: str) -> int:
    return connection.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one()


def test_the_same_seed_gives_the_same_rows_whatever_the_batch_size(engine: Engine) -> None:
    _seed(engine)
    first = _digest(engine)
    truncate_all(engine)
    _seed(engine, batch_size=37)
    assert _digest(engine) == first
    truncate_all(engine)
    _seed(engine, seed=43)
    assert _digest(engine) != first


def test_the_worker_process_and_the_worker_thread_give_the_same_rows(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name == "sqlite":  # otherwise this test would compare the thread with itself
        # A thread an earlier test in this process let go may still be ending (tests share worker processes).
        assert _once_alone(), (
            f"other threads keep running: {[thread.name for thread in threading.enumerate()]}"
        )
    _seed(engine, batch_size=50)  # on SQLite, batches come from a forked worker process
    first = _digest(engine)
    truncate_all(engine)
    monkeypatch.setattr(seed_pipeline, "_fork_is_safe", lambda: False)
    _seed(engine, batch_size=50)
    assert _digest(engine) == first


def _once_alone(timeout: float = 10.0) -> bool:
    """Whether forking is safe, waiting up to ``timeout`` seconds for other threads to end."""
    deadline = time.monotonic() + timeout
    while not seed_pipeline._fork_is_safe() and time.monotonic() < deadline:
        time.sleep(0.05)
    return seed_pipeline._fork_is_safe()


def test_report_counts_progress_and_metric(engine: Engine) -> None:
    sink, calls = InMemorySink(), []
    register_sink(sink)
    try:
        report = _seed(engine, batch_size=128, progress=lambda done, total: calls.append((done, total)))
    finally:
        unregister_sink(sink)
    assert calls == [(128, N), (256, N), (N, N)]
    assert sink.total("demo.seeded_candidates") == N
    assert report.candidates == N
    assert report.elapsed_seconds > 0
    with engine.connect() as connection:
        assert report.counts == {table: _count(connection, table) for table in SEEDED_TABLES}
        groups = [row["id"] for row in _rows(connection, "company_groups")]
    assert report.company_group_ids == tuple(groups)
    assert len(groups) == len(GROUPS)
    assert all(report.counts[table] > 0 for table in SEEDED_TABLES)
    assert 4 <= report.counts["candidate_funnel_log"] / N <= 6


def test_refuses_a_database_with_data_and_changes_nothing(engine: Engine) -> None:
    assert not database_has_data(engine)
    _seed(engine)
    assert database_has_data(engine)
    before = _digest(engine)
    with pytest.raises(Conflict, match="--append"):
        _seed(engine, seed=1)
    assert _digest(engine) == before


def test_append_adds_new_groups_without_clashing(engine: Engine) -> None:
    first = _seed(engine)
    second = _seed(engine, append=True)  # the same seed again: every generated key would clash without care
    third = _seed(engine, candidates=50, seed=9, append=True)
    assert len(set(first.company_group_ids + second.company_group_ids + third.company_group_ids)) == 9
    with engine.connect() as connection:
        groups = _rows(connection, "company_groups")
        users = _rows(connection, "users")
        candidates = _rows(connection, "candidates")
    assert len({group["slug"] for group in groups}) == len(groups)
    assert len({user["email"] for user in users}) == len(users)
    assert len(candidates) == 2 * N + 50
    assert len({c["phone_e164"] for c in candidates}) == len(candidates)
    emails = [c["email"] for c in candidates if c["email"]]
    assert len(set(emails)) == len(emails)


def test_funnel_histories_are_consistent(engine: Engine) -> None:
    _seed(engine)
    with engine.connect() as connection:
        candidates = _rows(connection, "candidates")
        logs = defaultdict(list)
        for log in connection.execute(select(metadata.tables["candidate_funnel_log"]).order_by(
            text("candidate_id"), text("occurred_at"), text("id")
        )).mappings():  # fmt: skip
            logs[log["candidate_id"]].append(log)
    states = {c["funnel_state"] for c in candidates}
    assert {"lead", "screening", "eligible", "ineligible", "hired", "onboarded", "expired"} <= states
    for candidate in candidates:
        history = logs[candidate["id"]]
        assert history[0]["from_state"] is None
        assert history[0]["to_state"] == "lead"
        assert history[0]["occurred_at"] == candidate["entered_at"]
        for before, after in pairwise(history):
            assert after["from_state"] == before["to_state"]
            assert after["occurred_at"] >= before["occurred_at"]
            moved, to = before["to_state"], after["to_state"]
            assert moved not in FINAL
            assert to in EXITS or RANK[to] > RANK[moved], f"{moved} -> {to}"
            assert is_allowed(FunnelState(moved), FunnelState(to)), (
                f"{moved} -> {to} breaks the state machine"
            )
        last = history[-1]
        assert all(log["applied"] and log["actor"] in {"system", "recruiter"} for log in history)
        assert all((log["actor"] == "recruiter") == (log["actor_user_id"] is not None) for log in history)
        assert candidate["funnel_state"] == last["to_state"]
        assert candidate["state_changed_at"] == last["occurred_at"] <= NOW
        assert NOW - timedelta(days=120) <= candidate["entered_at"] <= NOW


def test_phones_are_valid_e164_and_candidates_valid_domain_models(engine: Engine) -> None:
    _seed(engine)
    with engine.connect() as connection:
        candidates = _rows(connection, "candidates")
        roles = _rows(connection, "roles")
    for candidate in candidates:
        parsed = phonenumbers.parse(candidate["phone_e164"])
        assert phonenumbers.is_valid_number(parsed), candidate["phone_e164"]
        assert phonenumbers.region_code_for_number(parsed) == "US"
        assert (
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == candidate["phone_e164"]
        )
        CandidateModel.model_validate(candidate)
    assert sum(c["email"] is not None for c in candidates) > 0.7 * N
    for role in roles:
        assert (
            EligibilityCriteria.model_validate(role["eligibility_criteria"]).model_dump(mode="json")
            == (role["eligibility_criteria"])
        )
        assert 0 < role["pay_min_minor"] <= role["pay_max_minor"]


def test_references_stay_within_their_tenant(engine: Engine) -> None:
    _seed(engine, append=False)
    _seed(engine, candidates=40, seed=5, append=True)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        tables = {name: {row["id"]: row for row in _rows(connection, name)} for name in SEEDED_TABLES}
    questions, sets = tables["screening_questions"], tables["question_sets"]
    for candidate in tables["candidates"].values():
        group = candidate["company_group_id"]
        role = tables["roles"][candidate["role_id"]]
        location = tables["locations"][candidate["location_id"]]
        assert role["company_group_id"] == location["company_group_id"] == group
        assert role["business_unit_id"] == location["business_unit_id"] == candidate["business_unit_id"]
    for name in (
        "candidate_funnel_log",
        "screening_answers",
        "response_timing",
        "eligibility_evaluation_log",
    ):
        for row in tables[name].values():
            candidate = tables["candidates"][row["candidate_id"]]
            assert row["company_group_id"] == candidate["company_group_id"], name
            if "question_id" in row:
                assert (
                    sets[questions[row["question_id"]]["question_set_id"]]["role_id"] == candidate["role_id"]
                )
    movers = {(m["company_group_id"], m["user_id"]): m["role"] for m in tables["memberships"].values()}
    for log in tables["candidate_funnel_log"].values():
        if log["actor_user_id"] is not None:
            assert movers[log["company_group_id"], log["actor_user_id"]] in {"recruiter", "admin"}


def test_screening_answers_timing_and_evaluations_agree_with_the_funnel(engine: Engine) -> None:
    _seed(engine)
    with engine.connect() as connection:
        tables = {name: _rows(connection, name) for name in SEEDED_TABLES}
    states = {c["id"]: c["funnel_state"] for c in tables["candidates"]}
    reached = defaultdict(set)
    for log in tables["candidate_funnel_log"]:
        reached[log["candidate_id"]].add(log["to_state"])
    answered = {row["candidate_id"] for row in tables["screening_answers"]}
    timed = {row["candidate_id"] for row in tables["response_timing"]}
    assert answered <= timed <= {cid for cid, seen in reached.items() if "screening" in seen}
    assert {cid for cid, seen in reached.items() if "screened" in seen} <= answered
    for timing in tables["response_timing"]:
        assert timing["answered_at"] is None or timing["answered_at"] >= timing["sent_at"]
        assert timing["response_ms"] is None or timing["response_ms"] >= 0
    evaluations = {row["candidate_id"]: row for row in tables["eligibility_evaluation_log"]}
    assert set(evaluations) == {cid for cid, seen in reached.items() if seen & {"eligible", "ineligible"}}
    for candidate_id, evaluation in evaluations.items():
        failed = [result for result in evaluation["results"] if not result["passed"]]
        assert evaluation["is_eligible"] == ("ineligible" not in reached[candidate_id])
        assert len(failed) == (0 if evaluation["is_eligible"] else 1)
        assert states[candidate_id] != "ineligible" or not evaluation["is_eligible"]


def test_rejects_a_negative_count(engine: Engine) -> None:
    with pytest.raises(ValidationFailed):
        seed_demo(engine, candidates=-1)
    assert not database_has_data(engine)


def test_every_generated_phone_is_a_valid_us_number() -> None:
    area_codes = {site.area_code for group in GROUPS for unit in group.units for site in unit.sites}
    for area_code in area_codes:
        for exchange in EXCHANGES:
            number = phonenumbers.parse(f"+1{area_code}{exchange}4567")
            assert phonenumbers.is_valid_number(number), number
    # Candidate ids map one to one onto the subscriber numbers of an area code.
    assert math.gcd(_PHONE_STEP, PHONE_SPACE) == 1
    phones = {phone_for(candidate_id, 212) for candidate_id in range(1, 200_001)}
    assert len(phones) == 200_000
