"""``hireflow demo seed`` and ``hireflow up`` as a user types them, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hireflow.domain.models.funnel import FunnelState
from hireflow.infra.db import migrate
from tests.e2e.cli import hireflow, ok, one_line_error, scalar


def test_demo_seed_refuses_existing_data_unless_appending(tmp_path: Path, empty_database_url: str) -> None:
    one_line_error(
        hireflow("demo", "seed", "--candidates", "20", cwd=tmp_path, database_url=empty_database_url),
        78,
        "hireflow db upgrade",
    )
    ok(hireflow("db", "upgrade", cwd=tmp_path, database_url=empty_database_url))

    seeded = ok(
        hireflow(
            "demo", "seed", "--candidates", "25", "--seed", "7", cwd=tmp_path, database_url=empty_database_url
        )
    )
    assert "candidates/s" in seeded
    assert "candidates" in seeded
    assert scalar(empty_database_url, "SELECT count(*) FROM candidates") == 25

    refused = hireflow("demo", "seed", "--candidates", "25", cwd=tmp_path, database_url=empty_database_url)
    one_line_error(refused, 1, "already has data", "--append")
    assert scalar(empty_database_url, "SELECT count(*) FROM candidates") == 25

    ok(
        hireflow(
            "demo", "seed", "--candidates", "10", "--append", cwd=tmp_path, database_url=empty_database_url
        )
    )
    assert scalar(empty_database_url, "SELECT count(*) FROM candidates") == 35


def _funnel_summary_line(output: str) -> str:
    lines = [
        line
        for line in output.splitlines()
        if re.fullmatch(r"[\d,]+ company groups?, [\d,]+ candidates?", line)
    ]
    assert len(lines) == 1, output
    return lines[0]


def test_up_migrates_seeds_once_and_summarises_the_funnel(tmp_path: Path, empty_database_url: str) -> None:
    first = ok(
        hireflow("up", "--no-serve", "--candidates", "300", cwd=tmp_path, database_url=empty_database_url)
    )
    assert f"-> {migrate.head_revision()} (head)" in first
    assert "Demo data created" in first
    for state in FunnelState:
        assert state.value in first
    assert "Share" in first
    candidates = scalar(empty_database_url, "SELECT count(*) FROM candidates")
    assert candidates == 300
    assert _funnel_summary_line(first).endswith(" 300 candidates")

    second = ok(
        hireflow("up", "--no-serve", "--candidates", "300", cwd=tmp_path, database_url=empty_database_url)
    )
    assert "not seeding" in second
    assert "Demo data created" not in second
    assert scalar(empty_database_url, "SELECT count(*) FROM candidates") == candidates
    assert _funnel_summary_line(second) == _funnel_summary_line(first)
    assert second[second.index("(company group") :] == first[first.index("(company group") :]


@pytest.mark.slow
def test_up_on_the_embedded_defaults(tmp_path: Path) -> None:
    """Exactly what the README says to type: `hireflow up` in an empty directory."""
    output = ok(hireflow("up", "--no-serve", cwd=tmp_path))
    assert (tmp_path / "hireflow.db").exists()
    assert _funnel_summary_line(output).endswith(" 2,000 candidates")
    for state in FunnelState:
        assert state.value in output
