"""Funnel buckets at scale: seed N demo candidates, then time FunnelService.buckets with and without filters on
SQLite and PostgreSQL. Targets (issue 3): p95 <= 300 ms on SQLite and <= 50 ms on PostgreSQL at 1,000,000.

    python benchmarks/funnel.py --candidates 1000000 [--runs 200] [--skip-sqlite] [--skip-postgres]

Each timed call opens a session, builds the repository and service, and asks, as an API request would.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from _databases import DEFAULT_POSTGRES_URL, postgres_database, progress_printer, sqlite_database
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from hireflow.domain.services.funnel import FunnelService
from hireflow.infra.db import migrate
from hireflow.infra.db import tables as t
from hireflow.infra.db.engine import build_engine
from hireflow.infra.db.repositories import SqlAlchemyAdminDashboardRepository
from hireflow.infra.db.seed import seed_demo

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    print(f"{'backend':<11} {'query':<34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'candidates':>11}")
    if not args.skip_sqlite:
        with sqlite_database() as url:
            _bench("sqlite", url, args)
    if not args.skip_postgres:
        with postgres_database(args.postgres_url) as url:
            if url is not None:
                _bench("postgresql", url, args)
    return 0


def _bench(backend: str, url: str, args: argparse.Namespace) -> None:
    engine = build_engine(url)
    try:
        migrate.upgrade(engine)
        started = time.perf_counter()
        report = seed_demo(
            engine, candidates=args.candidates, seed=7, now=NOW, progress=progress_printer(backend)
        )
        print(
            f"\n{backend}: seeded {report.candidates:,} candidates in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        if backend == "postgresql":
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        for label, query in _queries(engine).items():
            timings = _time(engine, query, args.runs)
            total = sum(_run(engine, query).values())
            p50, p95, p99 = _percentiles(timings)
            print(f"{backend:<11} {label:<34} {p50:>8.2f} {p95:>8.2f} {p99:>8.2f} {total:>11,}")
    finally:
        engine.dispose()


def _queries(engine: Engine) -> dict[str, dict[str, Any]]:
    with Session(engine) as session:
        company = session.scalar(
            select(t.Candidate.company_group_id)
            .group_by(t.Candidate.company_group_id)
            .order_by(func.count().desc())
        )
        sample = session.scalars(
            select(t.Candidate).where(t.Candidate.company_group_id == company).limit(1)
        ).one()
    month_ago = NOW - timedelta(days=30)
    return {
        "all": {"company_id": company},
        "business unit": {"company_id": company, "business_unit_id": sample.business_unit_id},
        "location": {"company_id": company, "location_id": sample.location_id},
        "role": {"company_id": company, "role_id": sample.role_id},
        "last 30 days (midnight)": {"company_id": company, "entered_from": month_ago},
        "30 days at 13:37 (partial days)": {
            "company_id": company,
            "entered_from": month_ago.replace(hour=13, minute=37),
            "entered_to": NOW.replace(hour=13, minute=37) - timedelta(days=1),
        },
        "unit + role + 60 days": {
            "company_id": company,
            "business_unit_id": sample.business_unit_id,
            "role_id": sample.role_id,
            "entered_from": NOW - timedelta(days=60),
        },
    }


def _run(engine: Engine, query: dict[str, Any]) -> dict[Any, int]:
    with Session(engine) as session:
        return FunnelService(SqlAlchemyAdminDashboardRepository(session)).buckets(**query)


def _time(engine: Engine, query: dict[str, Any], runs: int) -> list[float]:
    _run(engine, query)  # warm the pool and caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        _run(engine, query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


Percentiles = Callable[[list[float]], tuple[float, float, float]]

if __name__ == "__main__":
    sys.exit(main())
