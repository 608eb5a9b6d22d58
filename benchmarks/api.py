"""The API's read path against a bare baseline, on loopback, in one run.

    python benchmarks/api.py [--database sqlite|postgres] [--candidates 20000] [--seconds 15] [--rounds 3]
                             [--sustain 60] [--client auto|wrk|python] [--connections 16]

Seeds a demo database, then serves it twice, each with uvicorn (one worker, logs at WARNING):
- **hireflow**: ``GET /api/v1/candidates/{id}`` with a bearer token: JWT check, denylist lookup, permission and
  tenant check, the unit of work and the domain model, problem+json errors, request ids, the audit-ready route;
- **bare**: a FastAPI + SQLAlchemy endpoint doing ``session.get(Candidate, id)`` and returning a dict
  (benchmarks/_bare_api.py).
Both get the same random candidate ids from the same load generator (wrk when installed, ``apt-get install wrk``;
else benchmarks/_load.py), alternating for
``--rounds`` rounds; the median throughputs are compared. Target (issue 4): hireflow >= 0.7x bare. Then a
sustained run of ``--sustain`` seconds on hireflow must end with zero errors.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from _databases import postgres_database, sqlite_database
from _load import LoadResult, run_load
from _wrk import run_wrk, wrk_available
from sqlalchemy import select

from hireflow.infra.db import migrate
from hireflow.infra.db import tables as t
from hireflow.infra.db.engine import build_engine
from hireflow.infra.db.seed import seed_demo
from hireflow.infra.security import JwtTokenCodec
from hireflow.shared.clock import SystemClock

HERE = Path(__file__).resolve().parent
SECRET = "benchmark-secret-key-that-is-long-enough-for-hs256"  # a throwaway key for loopback
TARGET_RATIO = 0.7


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each timed round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sustain", type=float, default=60.0, help="length of the sustained run (0: skip)")
    parser.add_argument(
        "--client", choices=["auto", "wrk", "python"], default="auto", help="wrk when installed (auto)"
    )
    parser.add_argument("--processes", type=int, default=2, help="Python load-generator processes")
    parser.add_argument(
        "--threads", type=int, default=8, help="connections per Python load-generator process"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk: open connections (one wrk thread)")
    args = parser.parse_args()

    with _database(args.database) as url:
        tenant, user, ids = _prepare(url, args.candidates)
        codec = JwtTokenCodec(
            SECRET, issuer="hireflow", audience="hireflow-api", minutes=240, clock=SystemClock()
        )
        token = codec.encode(codec.claims_for(user, tenant, "viewer"))
        auth = {"Authorization": f"Bearer {token}"}
        use_wrk = args.client == "wrk" or (args.client == "auto" and wrk_available())

        def load(port: int, paths: list[str], headers: dict[str, str], seconds: float) -> LoadResult:
            if use_wrk:
                return run_wrk(port, paths, headers, seconds, threads=1, connections=args.connections)
            return run_load(port, paths, headers, seconds, args.processes, args.threads)

        client = (
            f"wrk, 1 thread, {args.connections} connections"
            if use_wrk
            else f"Python, {args.processes} processes x {args.threads} keep-alive connections"
        )
        print(
            f"{args.database}: {args.candidates:,} candidates seeded; {len(ids):,} ids of company group {tenant}; "
            f"load: {client}",
            flush=True,
        )
        results: dict[str, list[LoadResult]] = {"bare": [], "hireflow": []}
        with _hireflow_server(url) as hireflow_port, _bare_server(url) as bare_port:
            targets = {
                "bare": (bare_port, [f"/candidates/{i}" for i in ids], {}),
                "hireflow": (hireflow_port, [f"/api/v1/candidates/{i}" for i in ids], auth),
            }
            for name, (port, paths, headers) in targets.items():
                _check(port, paths[0], headers, name)
                load(port, paths, headers, 2.0)  # warm-up
            for round_number in range(1, args.rounds + 1):
                for name, (port, paths, headers) in targets.items():
                    result = load(port, paths, headers, args.seconds)
                    results[name].append(result)
                    print(f"round {round_number} {name:9} {result.describe()}", flush=True)
            bare = statistics.median(r.throughput for r in results["bare"])
            ours = statistics.median(r.throughput for r in results["hireflow"])
            ratio = ours / bare if bare else 0.0
            verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
            print(f"median throughput: hireflow {ours:.0f} req/s, bare {bare:.0f} req/s")
            print(f"ratio {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")
            errors = sum(r.errors for rs in results.values() for r in rs)
            if args.sustain > 0:
                port, paths, headers = targets["hireflow"]
                sustained = load(port, paths, headers, args.sustain)
                print(f"sustained {args.sustain:.0f} s: {sustained.describe()}")
                errors += sustained.errors
    return 0 if ratio >= TARGET_RATIO and errors == 0 else 1


@contextmanager
def _database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with sqlite_database() as url:
            yield url
        return
    with postgres_database() as url:
        if url is None:
            raise SystemExit("postgresql: no server answers; see above")
        yield url


def _prepare(url: str, candidates: int) -> tuple[int, int, list[int]]:
    """Migrate and seed; the first company group, one of its members, and its live candidates' ids."""
    engine = build_engine(url)
    try:
        migrate.upgrade(engine)
        seed_demo(engine, candidates=candidates, seed=7)
        with engine.connect() as connection:
            tenant = connection.execute(select(t.CompanyGroup.id).order_by(t.CompanyGroup.id)).scalar()
            user = connection.execute(
                select(t.Membership.user_id).where(t.Membership.company_group_id == tenant).limit(1)
            ).scalar_one()
            ids = list(
                connection.execute(
                    select(t.Candidate.id)
                    .where(t.Candidate.company_group_id == tenant)
                    .where(t.Candidate.deleted_at.is_(None), t.Candidate.merged_into_id.is_(None))
                ).scalars()
            )
    finally:
        engine.dispose()
    assert tenant is not None
    return tenant, user, ids


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _hireflow_server(url: str) -> Iterator[int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIREFLOW_")}
    env |= {"HIREFLOW_DATABASE_URL": url, "HIREFLOW_SECRET_KEY": SECRET, "HIREFLOW_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "hireflow", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with _server(command, env, port):
        yield port


@contextmanager
def _bare_server(url: str) -> Iterator[int]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url}
    command = [
        *(sys.executable, "-m", "uvicorn", "--factory", "_bare_api:create_bare_app"),
        *("--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port)),
        *("--log-level", "warning", "--no-access-log"),
    ]
    with _server(command, env, port):
        yield port


@contextmanager
def _server(command: list[str], env: dict[str, str], port: int) -> Iterator[None]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _check(port: int, path: str, headers: dict[str, str], name: str) -> None:
    response = httpx.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=10)
    if response.status_code != 200:
        raise SystemExit(f"{name}: GET {path} answered {response.status_code}: {response.text[:300]}")


if __name__ == "__main__":
    sys.exit(main())
