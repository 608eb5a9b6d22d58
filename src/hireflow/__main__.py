"""``python -m hireflow``: the same as the ``hireflow`` command."""

from __future__ import annotations

from hireflow.apps.cli.main import run

if __name__ == "__main__":
    run()
