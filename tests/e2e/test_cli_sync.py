"""``hireflow sync`` as a user types it, against the Bullhorn sandbox: a sync killed with SIGKILL mid-run and
run again ends with the database equal to the CRM; status and dead letters; the errors a user can make."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.org import CompanyGroup
from hireflow.infra.crm.sandbox.bullhorn import create_bullhorn_sandbox
from hireflow.infra.crm.sandbox.config import SandboxConfig
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.infra.db import migrate
from hireflow.infra.db import tables as t
from hireflow.infra.db.engine import build_engine
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from tests.e2e.cli import CONSOLE_SCRIPT, hireflow, ok, one_line_error

RECORDS = 6000


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[str, dict[str, str]]]:
    config = SandboxConfig(records=RECORDS)
    with running_sandbox(create_bullhorn_sandbox(config)) as url:
        given = config.credentials
        env = {
            "HIREFLOW_BULLHORN_AUTH_URL": url,
            "HIREFLOW_BULLHORN_LOGIN_URL": f"{url}/rest-services",
            "HIREFLOW_BULLHORN_CLIENT_ID": given.client_id,
            "HIREFLOW_BULLHORN_CLIENT_SECRET": given.client_secret,
            "HIREFLOW_BULLHORN_USERNAME": given.username,
            "HIREFLOW_BULLHORN_PASSWORD": given.password,
        }
        yield url, env


@pytest.fixture
def database(empty_database_url: str) -> str:
    """A migrated database with one company group."""
    engine = build_engine(empty_database_url)
    try:
        migrate.upgrade(engine)
        with sqlalchemy_uow_factory(sessionmaker(bind=engine))() as uow:
            uow.company_groups.add(CompanyGroup(name="Staffing", slug="staffing"))
            uow.commit()
    finally:
        engine.dispose()
    return empty_database_url


def _linked(url: str) -> tuple[int, int, set[str]]:
    """Candidates, external-id links, and the distinct Bullhorn ids linked."""
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            candidates = connection.scalar(select(func.count()).select_from(t.Candidate)) or 0
            ids = list(connection.scalars(select(t.CandidateExternalId.external_id)))
            return candidates, len(ids), set(ids)
    finally:
        engine.dispose()


def _dead(url: str) -> set[str]:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return set(
                connection.scalars(
                    select(t.DeadLetter.external_id).where(
                        t.DeadLetter.entity == "candidates", t.DeadLetter.resolved_at.is_(None)
                    )
                )
            )
    finally:
        engine.dispose()


def test_a_sync_killed_mid_run_then_run_again_ends_equal_to_the_crm(
    sandbox: tuple[str, dict[str, str]], database: str, tmp_path: Path
) -> None:
    url, env = sandbox
    environment = {name: value for name, value in os.environ.items() if not name.startswith("HIREFLOW_")}
    environment |= env | {"HIREFLOW_DATABASE_URL": database}
    command = [str(CONSOLE_SCRIPT)] if CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "hireflow"]
    process = subprocess.Popen(
        [*command, "sync", "bullhorn", "--entities", "candidates"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _linked(database)[1] < 1000 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the sync finished before it could be killed"
    _, links_when_killed, _ = _linked(database)
    assert 0 < links_when_killed < RECORDS

    ok(hireflow("sync", "bullhorn", "--entities", "candidates", cwd=tmp_path, database_url=database, env=env))

    ids = httpx.get(f"{url}/_sandbox/ids/Candidate", timeout=30).json()
    live = {str(i) for i in ids["live"]}
    candidates, links, linked = _linked(database)
    assert links == len(linked)  # no record linked twice
    assert linked | _dead(database) == live  # every record is in Hireflow or in the dead letters
    assert linked.isdisjoint(_dead(database))
    assert candidates <= links


def test_status_and_dead_letters_show_what_the_syncs_did(
    sandbox: tuple[str, dict[str, str]], database: str, tmp_path: Path
) -> None:
    _, env = sandbox
    first = ok(
        hireflow("sync", "bullhorn", "--entities", "jobs", cwd=tmp_path, database_url=database, env=env)
    )

    status = ok(hireflow("sync", "status", cwd=tmp_path, database_url=database))
    letters = ok(
        hireflow("sync", "dead-letters", "--source", "bullhorn", cwd=tmp_path, database_url=database)
    )
    retried = ok(hireflow("sync", "dead-letters", "--retry", cwd=tmp_path, database_url=database, env=env))

    assert "jobs" in first
    assert "Inserted" in first
    assert "bullhorn" in status
    assert "jobs" in status
    assert "Open dead letters" in letters
    assert (
        "required, but missing or empty" in letters
        or "implausible date" in letters
        or "unknown value" in letters
    )
    assert "Retried bullhorn dead letters" in retried


def test_a_user_gets_one_line_errors_for_what_they_get_wrong(
    sandbox: tuple[str, dict[str, str]], database: str, tmp_path: Path
) -> None:
    _, env = sandbox
    missing = hireflow("sync", "bullhorn", cwd=tmp_path, database_url=database)
    wrong = hireflow(
        "sync", "bullhorn", cwd=tmp_path, database_url=database,
        env=env | {"HIREFLOW_BULLHORN_PASSWORD": "guess"},
    )  # fmt: skip
    entity = hireflow(
        "sync", "bullhorn", "--entities", "invoices", cwd=tmp_path, database_url=database, env=env
    )
    group = hireflow(
        "sync", "bullhorn", "--company-group", "nope", cwd=tmp_path, database_url=database, env=env
    )

    one_line_error(missing, 78, "HIREFLOW_BULLHORN_CLIENT_ID", "HIREFLOW_BULLHORN_PASSWORD")
    one_line_error(wrong, 78, "did not sign in")
    one_line_error(entity, 1, "unknown entities invoices")
    one_line_error(group, 1, "company group 'nope' was not found")
