#!/usr/bin/env bash
# Install Hireflow on the embedded defaults (SQLite, local files) and run its main job:
# migrate the database, seed the demo data when the database is empty, and show the funnel summary.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
pip_install -e .
exec .venv/bin/hireflow up "$@"
