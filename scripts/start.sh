#!/usr/bin/env bash
# Install Hireflow on the embedded defaults (SQLite, local files) and run its main job:
# migrate the database, seed the demo data when the database is empty, show the funnel summary, serve the API.
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"
pip_install -e '.[server]'
exec .venv/bin/hireflow up "$@"
