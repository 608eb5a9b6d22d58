"""``hireflow embed`` and ``hireflow match`` as a user types them, after ``hireflow sync bullhorn`` from the
sandbox: explained matches by Hireflow id and by ``bullhorn:<id>``, JSON output, a match run, an evaluation
against labels, and the one-line errors a user can meet."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from hireflow.domain.models.org import CompanyGroup
from hireflow.infra.crm.sandbox.bullhorn import create_bullhorn_sandbox
from hireflow.infra.crm.sandbox.config import SandboxConfig
from hireflow.infra.crm.sandbox.runner import running_sandbox
from hireflow.infra.db import migrate
from hireflow.infra.db import tables as t
from hireflow.infra.db.engine import build_engine
from hireflow.infra.db.unit_of_work import sqlalchemy_uow_factory
from tests.e2e.cli import hireflow, ok, one_line_error
from tests.embedder_support import model_cache_dir
from tests.matching_dataset import DATA, load_evaluation_set

pytest.importorskip("onnxruntime", reason="the ml extra is not installed (pip install 'hireflow[ml]')")

RECORDS = 400


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A SQLite database synced from the Bullhorn sandbox, and the environment to run hireflow on it."""
    home = tmp_path_factory.mktemp("match")
    url = f"sqlite:///{home / 'hireflow.db'}"
    engine = build_engine(url)
    migrate.upgrade(engine)
    with sqlalchemy_uow_factory(sessionmaker(bind=engine))() as uow:
        uow.company_groups.add(CompanyGroup(name="Staffing", slug="staffing"))
        uow.commit()
    engine.dispose()
    config = SandboxConfig(records=RECORDS)
    env = {"HIREFLOW_EMBEDDING_CACHE_DIR": str(model_cache_dir())}  # built once, shared with other tests
    with running_sandbox(create_bullhorn_sandbox(config)) as sandbox:
        given = config.credentials
        crm = {
            "HIREFLOW_BULLHORN_AUTH_URL": sandbox,
            "HIREFLOW_BULLHORN_LOGIN_URL": f"{sandbox}/rest-services",
            "HIREFLOW_BULLHORN_CLIENT_ID": given.client_id,
            "HIREFLOW_BULLHORN_CLIENT_SECRET": given.client_secret,
            "HIREFLOW_BULLHORN_USERNAME": given.username,
            "HIREFLOW_BULLHORN_PASSWORD": given.password,
        }
        ok(hireflow("sync", "bullhorn", cwd=home, database_url=url, env=crm))
    yield url, env, home
    shutil.rmtree(home, ignore_errors=True)


def _open_job(url: str) -> tuple[int, str]:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(t.Job.id, t.Job.external_id)
                .where(t.Job.status == "open", t.Job.deleted_at.is_(None))
                .order_by(t.Job.id)
                .limit(1)
            ).one()
    finally:
        engine.dispose()
    return int(row.id), str(row.external_id)


def test_embed_then_match_a_synced_job_by_its_bullhorn_id(synced: tuple[str, dict[str, str], Path]) -> None:
    url, env, home = synced
    embedded = ok(hireflow("embed", cwd=home, database_url=url, env=env))
    assert "candidates" in embedded
    assert "jobs" in embedded
    again = ok(hireflow("embed", "--entities", "jobs", cwd=home, database_url=url, env=env))
    job_id, external_id = _open_job(url)

    shown = ok(
        hireflow(
            "match", "--job", f"bullhorn:{external_id}", "--top", "5", cwd=home, database_url=url, env=env
        )
    )
    as_json = ok(
        hireflow("match", "--job", str(job_id), "--top", "5", "--json", cwd=home, database_url=url, env=env)
    )

    assert "jobs" in again
    assert f"Top 5 candidates for job {job_id}" in shown
    matches = json.loads(as_json)
    assert [m["rank"] for m in matches] == [1, 2, 3, 4, 5]
    for match in matches:
        assert set(match) >= {"rank", "score", "components", "explanation", "id", "external_ids"}
        assert match["external_ids"][0]["source"] == "bullhorn"
        assert set(match["components"]) == {"similarity", "distance", "salary", "eligibility", "availability"}
        assert {"matched_skills", "missing_skills", "distance_km"} <= set(match["explanation"])
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)

    candidate = str(matches[0]["id"])
    jobs = json.loads(
        ok(
            hireflow(
                "match", "--candidate", candidate, "--top", "3", "--json", cwd=home, database_url=url, env=env
            )
        )
    )
    assert 1 <= len(jobs) <= 3
    assert all(job["candidate_id"] == int(candidate) for job in jobs)


def test_match_run_ranks_every_open_job(synced: tuple[str, dict[str, str], Path]) -> None:
    url, env, home = synced
    ok(hireflow("embed", cwd=home, database_url=url, env=env))

    output = ok(hireflow("match", "run", "--top", "3", cwd=home, database_url=url, env=env))

    assert "Match run" in output
    assert "open jobs, top 3" in output


def test_evaluate_prints_precision_recall_and_ndcg(
    tmp_path: Path, synced: tuple[str, dict[str, str], Path]
) -> None:
    _, env, _ = synced
    url = f"sqlite:///{tmp_path / 'eval.db'}"
    engine = build_engine(url)
    migrate.upgrade(engine)
    factory = sqlalchemy_uow_factory(sessionmaker(bind=engine))
    with factory() as uow:
        group = uow.company_groups.add(CompanyGroup(name="Eval", slug="eval"))
        uow.commit()
    assert group.id is not None
    load_evaluation_set(factory, group.id)
    engine.dispose()
    ok(hireflow("embed", cwd=tmp_path, database_url=url, env=env))

    output = ok(
        hireflow(
            "match",
            "evaluate",
            "--labels",
            str(DATA / "labels.csv"),
            "--k",
            "5",
            cwd=tmp_path,
            database_url=url,
            env=env,
        )
    )

    assert "precision@k" in output
    assert "nDCG@k" in output
    rows = [
        [cell.strip() for cell in re.split(r"[│|]", line) if cell.strip()] for line in output.splitlines()
    ]
    _, precision, recall, ndcg = next(row for row in rows if row[:1] == ["5"])
    assert float(precision) >= 0.7  # the floor tests/unit/test_evaluation_set.py sets above keyword matching
    assert 0 < float(recall) <= 1
    assert 0 < float(ndcg) <= 1


def test_the_errors_a_user_can_make_are_one_line(
    tmp_path: Path, synced: tuple[str, dict[str, str], Path]
) -> None:
    url, env, home = synced
    one_line_error(
        hireflow("match", "--job", "bullhorn:999999999", cwd=home, database_url=url, env=env), 1, "not found"
    )
    one_line_error(
        hireflow("match", "--job", "nonsense", cwd=home, database_url=url, env=env), 1, "source:external_id"
    )
    result = hireflow("match", "--job", "1", "--candidate", "1", cwd=home, database_url=url, env=env)
    assert result.returncode == 2
    assert "exactly one of --job REF or --candidate REF" in result.stderr
    one_line_error(
        hireflow("embed", "--entities", "people", cwd=home, database_url=url, env=env),
        1,
        "unknown entities people",
    )
    labels = tmp_path / "labels.csv"
    labels.write_text("candidate_ref,job_ref,relevance\nbullhorn:1,bullhorn:1,high\n", encoding="utf-8")
    one_line_error(
        hireflow("match", "evaluate", "--labels", str(labels), cwd=home, database_url=url, env=env),
        1,
        "relevance",
    )
