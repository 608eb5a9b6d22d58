"""How fast the demo data set seeds: candidates per second on a fresh SQLite file and, when a server answers, on a
fresh PostgreSQL database. Everything it creates is removed again.

    python benchmarks/seed.py --candidates 100000 [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

from _databases import DEFAULT_POSTGRES_URL, postgres_database, progress_printer, sqlite_database

from hireflow.infra.db import migrate
from hireflow.infra.db.engine import build_engine
from hireflow.infra.db.seed import SeedReport, seed_demo


@dataclass(frozen=True)
class Result:
    backend: str
    migrate_seconds: float
    report: SeedReport


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES_URL, help="a server URL to create a database on"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    results = []
    if not args.skip_sqlite:
        with sqlite_database() as url:
            results.append(_run("sqlite", url, args))
    if not args.skip_postgres:
        with postgres_database(args.postgres_url) as url:
            if url is not None:
                results.append(_run("postgresql", url, args))
    _print(results)
    return 0


def _run(backend: str, url: str, args: argparse.Namespace) -> Result:
    engine = build_engine(url)
    try:
        started = time.perf_counter()
        migrate.upgrade(engine)
        migrated = time.perf_counter() - started
        report = seed_demo(
            engine,
            candidates=args.candidates,
            seed=args.seed,
            batch_size=args.batch_size,
            progress=progress_printer(backend),
        )
    finally:
        engine.dispose()
    print(file=sys.stderr)
    return Result(backend, migrated, report)


def _print(results: list[Result]) -> None:
    print(
        f"{'backend':<11} {'candidates':>10} {'rows':>10} {'seed s':>8} {'cand/s':>8} {'rows/s':>8} {'migrate s':>9}"
    )
    for result in results:
        report = result.report
        seconds = report.elapsed_seconds
        print(
            f"{result.backend:<11} {report.candidates:>10,} {report.total_rows:>10,} {seconds:>8.1f} "
            f"{report.candidates / seconds:>8,.0f} {report.total_rows / seconds:>8,.0f} {result.migrate_seconds:>9.1f}"
        )


if __name__ == "__main__":
    sys.exit(main())
