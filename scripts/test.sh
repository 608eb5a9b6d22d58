#!/usr/bin/env bash
# Install Hireflow with every extra the tests use, then run the whole quality gate:
# lint, format check, type check, layer contracts, the test suite, and the coverage floor of the core layers.
# PostgreSQL tests use HIREFLOW_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and
# skip with the reason where no server answers -- except in CI (CI=true), where they must run.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
# torch first and pinned: the ml extra's sentence-transformers would otherwise pull the newest torch, a CUDA
# build of several GB; 2.13.0 is the CPU build these machines carry (see README, "Optional features").
pip_install torch==2.13.0
pip_install -e '.[dev,server,postgres,redis,s3,reporting,jobs,simulation,ml]'
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff check";        ruff check src tests benchmarks
echo "== ruff format";       ruff format --check src tests benchmarks
echo "== mypy";              mypy
echo "== import contracts";  lint-imports
echo "== pytest"
# One worker per core (-n auto); worksteal hands a finished worker the others' remaining tests, so one long
# test near the end does not leave the other cores idle. Arguments after the script go to this pytest run
# (--cov=hireflow adds a coverage report of the whole package, at about 40% more time).
pytest -n auto --dist worksteal "$@"
echo "== coverage of the domain and shared layers by their unit tests (floor 85%)"
# Measured apart: on Python 3.11 coverage's tracer slows every test down, and these layers have tests of their own.
pytest -n auto -q --no-header -p no:cacheprovider tests/unit --cov=hireflow.domain --cov=hireflow.shared \
  --cov-report=term:skip-covered --cov-fail-under=85
